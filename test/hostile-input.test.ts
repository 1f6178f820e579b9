// Hostile topologies: secret references that point at devices, FIFOs, huge
// files or files outside the checkout; keys with quotes; identities that
// collide; values that would break keepalived's 1023-byte line limit; work
// that grows faster than the file (uniqueness, "did you mean").
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { MAX_SECRET_FILE_BYTES, PSK_MAX_LENGTH } from '../dist/secrets/resolve.js';
import { render, validate, loadSchema } from '../dist/index.js';
import { checkLineLengths, KEEPALIVED_MAX_LINE_BYTES, overlongLine, TERMINAL_MAX_LINE_BYTES } from '../dist/targets/line-limits.js';
import { MAX_SUGGESTIONS } from '../dist/suggest.js';
import { MAX_DIAGNOSTICS } from '../dist/diagnostics.js';
import { MAX_LINKS } from '../dist/schema/size.js';
import { topologyValidator } from '../dist/schema/schema-validator.js';
import { ROOT } from './helpers/golden.js';
import { findTool, keepalivedCheck, requireTool } from './helpers/lvs.js';

const CLI = join(ROOT, 'dist', 'cli.js');

/** A scratch directory, removed after the tests of this file. */
const scratchDirs: string[] = [];
function scratch(prefix: string): string {
  const d = mkdtempSync(prefix);
  scratchDirs.push(d);
  return d;
}
after(() => {
  for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
});

const ENV = { PSK_TYO_FRA: 'Zq9-Env-Key-0008', PSK_IAD_TYO: 'Zq9-Env-Key-0009' };

/** three-sites (one PSK from secrets/fra-iad.psk) copied into a scratch directory, its key file as given. */
function checkout(key: (path: string) => void): string {
  const dir = scratch(join(tmpdir(), 'vygen-secret-file-'));
  mkdirSync(join(dir, 'secrets'));
  copyFileSync(join(ROOT, 'fixtures/three-sites/topology.yaml'), join(dir, 'topology.yaml'));
  key(join(dir, 'secrets', 'fra-iad.psk'));
  return dir;
}

function cli(args: string[], cwd: string, env: Record<string, string> = ENV) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 });
  expect(r.signal, 'finished (not killed by the timeout)').to.equal(null);
  expect(r.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  return r;
}

const errorCodes = (r: { stdout: string }) => (JSON.parse(r.stdout).diagnostics as { code: string; severity: string }[]).filter((d) => d.severity === 'error').map((d) => d.code);

describe('hostile input', () => {
  describe('5. { file } secrets', () => {
    it('a FIFO is refused at once, a device and a directory are not read', () => {
      const dir = checkout((p) => expect(spawnSync('mkfifo', [p]).status).to.equal(0));
      expect(errorCodes(cli(['render', 'topology.yaml', '--format', 'json'], dir))).to.deep.equal(['secret-not-a-file']);
      const dev = checkout((p) => symlinkSync('/dev/zero', p));
      expect(errorCodes(cli(['render', 'topology.yaml', '--format', 'json', '--secret-dir', '/dev'], dev))).to.deep.equal(['secret-not-a-file']);
      const sub = checkout((p) => mkdirSync(p));
      expect(errorCodes(cli(['render', 'topology.yaml', '--format', 'json'], sub))).to.deep.equal(['secret-not-a-file']);
    });

    it(`a file larger than ${MAX_SECRET_FILE_BYTES} bytes is refused unread (a 1 GB file becomes no PSK line)`, () => {
      const dir = checkout((p) => {
        writeFileSync(p, '');
        truncateSync(p, 1 << 30);
      });
      const r = cli(['render', 'topology.yaml', '--format', 'json'], dir);
      expect(errorCodes(r)).to.deep.equal(['secret-file-too-large']);
    });

    it("a path outside the topology's directory (absolute, .., or a link out) is refused unless --secret-dir allows it", () => {
      const outside = scratch(join(tmpdir(), 'vygen-ci-creds-'));
      writeFileSync(join(outside, 'credentials'), 'Zq9-CI-Credential\n', { mode: 0o600 });
      const topo = (ref: string) => (dir: string) => {
        const t = join(dir, 'topology.yaml');
        writeFileSync(t, readFileSync(t, 'utf8').replace('secrets/fra-iad.psk', ref));
      };
      for (const [what, setup] of [
        ['an absolute path', (dir: string) => topo(join(outside, 'credentials'))(dir)],
        ['a path with ..', (dir: string) => topo(relative(dir, join(outside, 'credentials')))(dir)],
        ['a committed link out of the tree', (dir: string) => symlinkSync(join(outside, 'credentials'), join(dir, 'secrets', 'fra-iad.psk'))],
      ] as const) {
        const dir = checkout(() => {});
        setup(dir);
        const r = cli(['render', 'topology.yaml', '--format', 'json'], dir);
        expect(errorCodes(r), what).to.deep.equal(['secret-outside']);
        expect(r.stdout, what).to.not.include('Zq9');
        const allowed = cli(['render', 'topology.yaml', '--format', 'json', '--secret-dir', outside], dir);
        expect(errorCodes(allowed), `${what} with --secret-dir`).to.deep.equal([]);
      }
    });

    it('a short key does not reveal its length; a key longer than the target takes is refused', () => {
      const short = checkout((p) => writeFileSync(p, 'abc\n', { mode: 0o600 }));
      const r = cli(['render', 'topology.yaml', '--format', 'json'], short);
      expect(errorCodes(r)).to.deep.equal(['secret-too-short']);
      expect(r.stdout).to.not.match(/\b3 characters|\b3\b/);
      const long = checkout((p) => writeFileSync(p, `${'k'.repeat(PSK_MAX_LENGTH + 1)}\n`, { mode: 0o600 }));
      const l = cli(['render', 'topology.yaml', '--format', 'json'], long);
      expect(errorCodes(l)).to.deep.equal(['secret-too-long']);
      expect(l.stdout).to.not.include(String(PSK_MAX_LENGTH + 1));
      const max = checkout((p) => writeFileSync(p, `${'k'.repeat(PSK_MAX_LENGTH)}\n`, { mode: 0o600 }));
      expect(errorCodes(cli(['render', 'topology.yaml', '--format', 'json'], max))).to.deep.equal([]);
    });
  });

  it('8. a PSK or VRRP password with a double quote is refused, as documented', () => {
    const seed = 'fixtures/seed-000/topology.yaml';
    const keys = { VYGEN_PSK_TOKYO_OSAKA_A: 'Zq9-Secret-A-0001', VYGEN_PSK_TOKYO_OSAKA_S: 'Zq9-Secret-S-0002' };
    const r = cli(['render', seed, '--format', 'json'], ROOT, { ...keys, VYGEN_PSK_TOKYO_OSAKA_A: 'Zq9"quoted"key' });
    expect(errorCodes(r)).to.deep.equal(['secret-invalid']);
    expect(r.stdout).to.not.include('Zq9"');
    const aws = cli(['render', 'fixtures/aws-active-standby/topology.yaml', '--format', 'json'], ROOT, {
      VYGEN_VRRP_TOKYO: 'a"b',
      VYGEN_AWS_A_T1: 'Zq9-Secret-T1-003',
      VYGEN_AWS_A_T2: 'Zq9-Secret-T2-004',
      VYGEN_AWS_S_T1: 'Zq9-Secret-T3-005',
      VYGEN_AWS_S_T2: 'Zq9-Secret-T4-006',
    });
    expect(errorCodes(aws)).to.deep.equal(['secret-invalid']);
  });

  describe('4. line limits', () => {
    const longest = (text: string) => Math.max(...text.split('\n').map((l) => Buffer.byteLength(l)));

    it(`every keepalived.conf line stays under ${KEEPALIVED_MAX_LINE_BYTES} bytes with every value at its longest, and keepalived -t accepts it`, function () {
      const bin = requireTool(this, 'keepalived', findTool('keepalived', ['/usr/sbin', '/sbin']), 'generated keepalived.conf files are checked with the real keepalived');
      const dir = scratch(join(tmpdir(), 'vygen-lines-'));
      const url = `/${'a'.repeat(899)}`;
      const script = `/${'s'.repeat(254)}`;
      const secretFile = `secrets/${'k'.repeat(4096 - 'secrets/'.length)}`;
      const text = readFileSync(join(ROOT, 'fixtures/lvs-unicast/topology.yaml'), 'utf8')
        .replaceAll('path: /health,', `path: ${url},`)
        .replace('/usr/local/sbin/check-nginx', script)
        .replace('/usr/local/sbin/check-api', script)
        .replace('secrets/vrrp-api.pass', secretFile);
      const file = `${'d'.repeat(200)}/${'t'.repeat(3000)}.yaml`;
      const r = render(text, { file, redact: true });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
      const confs = r.files.filter((f) => f.path.endsWith('.keepalived.conf'));
      expect(confs.some((f) => f.content.includes(url)), 'the long path is in it').to.equal(true);
      for (const f of r.files) {
        expect(longest(f.content), f.path).to.be.at.most(f.path.endsWith('.keepalived.conf') ? KEEPALIVED_MAX_LINE_BYTES : TERMINAL_MAX_LINE_BYTES);
      }
      for (const f of confs) {
        writeFileSync(join(dir, f.path), f.content);
        const v = keepalivedCheck(bin, join(dir, f.path), dir, f.path);
        expect(v.ok, v.reason).to.equal(true);
      }
      // One character more is refused by the schema.
      const over = validate(text.replace(`path: ${url},`, `path: ${url}a,`), { file: 't.yaml' });
      expect(over.diagnostics.map((d) => d.code)).to.include('invalid-value');
    });

    it('every VyOS line and script line stays under the terminal line buffer with the longest names and descriptions', () => {
      const file = `${'f'.repeat(4000)}.yaml`;
      const r = render(readFileSync(join(ROOT, 'fixtures/aws-active-standby/topology.yaml'), 'utf8'), { file, redact: true });
      expect(r.files.length).to.be.above(0);
      for (const f of r.files) expect(longest(f.content), f.path).to.be.at.most(TERMINAL_MAX_LINE_BYTES);
    });

    it('a line over the limit is an internal error before anything is written (the check itself)', () => {
      expect(overlongLine(`a\n${'x'.repeat(KEEPALIVED_MAX_LINE_BYTES + 1)}\n`, KEEPALIVED_MAX_LINE_BYTES)).to.equal(2);
      expect(overlongLine(`${'\u00e9'.repeat(KEEPALIVED_MAX_LINE_BYTES / 2 + 1)}\n`, KEEPALIVED_MAX_LINE_BYTES), 'counted in bytes').to.equal(1);
      expect(overlongLine(`${'x'.repeat(KEEPALIVED_MAX_LINE_BYTES)}\n`, KEEPALIVED_MAX_LINE_BYTES)).to.equal(undefined);
      expect(() => checkLineLengths([{ path: 'a.keepalived.conf', device: 'a', kind: 'keepalived', content: `${'x'.repeat(KEEPALIVED_MAX_LINE_BYTES + 1)}\n` }])).to.throw(/line 1 of a\.keepalived\.conf is longer than/);
      expect(() => checkLineLengths([{ path: 'a.vyos', device: 'a', kind: 'vyos', content: `${'x'.repeat(KEEPALIVED_MAX_LINE_BYTES + 1)}\n` }])).to.not.throw();
    });
  });

  describe('6. validation in linear time', () => {
    it('every list in the schema has a maximum length; links at the link limit', () => {
      const unbounded: string[] = [];
      const walk = (n: unknown, p: string) => {
        if (!n || typeof n !== 'object') return;
        const o = n as Record<string, unknown>;
        if (o.type === 'array' && typeof o.maxItems !== 'number') unbounded.push(p);
        for (const [k, v] of Object.entries(o)) walk(v, `${p}/${k}`);
      };
      const schema = loadSchema() as { properties: { links: { maxItems: number } } };
      walk(schema, '');
      expect(unbounded).to.deep.equal([]);
      expect(schema.properties.links.maxItems).to.equal(MAX_LINKS);
    });

    it('a duplicate in a list of 160,000 spokes is found, at the duplicate, without the pairwise comparison', () => {
      const spokes = Array.from({ length: 9999 }, (_, i) => `x${i}`);
      spokes.push('x17');
      const regions = Array.from({ length: 16 }, (_, k) => `   - {hub: a, spokes: [${(k === 15 ? spokes : Array.from({ length: 10000 }, (_, i) => `x${i}-${k}`)).join(', ')}]}`);
      const text = `vygen: 1\nsites:\n a: {asn: 65001, routers: {a1: {role: active, wan: {interface: eth0, address: 10.0.0.1/24}, loopback: 10.255.0.1}}}\nhub_mesh:\n  psk_env_prefix: K\n  regions:\n${regions.join('\n')}\n`;
      const r = validate(text, { file: 't.yaml' });
      expect(r.diagnostics.filter((d) => d.severity !== 'note').map((d) => [d.code, d.path, d.message])).to.deep.equal([['duplicate-item', 'hub_mesh.regions[15].spokes[9999]', '"x17" is listed twice']]);
      expect(r.diagnostics[0]!.found).to.equal('"x17", also item 18 of the list');
    });

    it("the validator reads each item of a unique list a bounded number of times (ajv's own uniqueItems compares every pair)", () => {
      const n = 2000;
      let reads = 0;
      const spokes = new Proxy(
        Array.from({ length: n }, (_, i) => `x${i}`),
        { get: (t, k, r) => (typeof k === 'string' && /^\d+$/.test(k) && reads++, Reflect.get(t, k, r)) },
      );
      const doc = { vygen: 1, sites: {}, hub_mesh: { psk_env_prefix: 'K', regions: [{ hub: 'a', spokes }] } };
      expect(topologyValidator()(doc)).to.equal(true);
      expect(reads, `${reads} reads of ${n} items`).to.be.below(10 * n);
    });

    it('a list longer than its cap is topology-too-large, at the list', () => {
      const r = validate(`vygen: 1\nsites: {}\nlinks: [${Array.from({ length: MAX_LINKS + 1 }, () => '{between: [a, b], ipsec: {psk: {env: K}}}').join(', ')}]\n`, { file: 't.yaml' });
      expect(r.diagnostics.filter((d) => d.severity !== 'note').map((d) => [d.code, d.path])).to.deep.equal([['topology-too-large', 'links']]);
    });
  });

  describe('7. did-you-mean is bounded', () => {
    it(`suggestions stop after ${MAX_SUGGESTIONS}; hints list ten names; at most ${MAX_DIAGNOSTICS} diagnostics are kept`, () => {
      const lines = ['vygen: 1', 'sites:'];
      for (let i = 0; i < 2000; i++) lines.push(` s${i}: {asn: ${64512 + (i % 1000)}, routers: {r${i}: {role: active, wan: {interface: eth0, address: 10.${i >> 8}.${i & 255}.10/24}, loopback: 10.254.${i >> 8}.${i & 255}}}}`);
      lines.push('links:');
      for (let i = 0; i < 3000; i++) lines.push(` - {between: [r${i % 2000}, r${i % 2000}x], ipsec: {psk: {env: K}}}`);
      const r = validate(`${lines.join('\n')}\n`, { file: 't.yaml' });
      const unknown = r.diagnostics.filter((d) => d.code === 'unknown-router');
      expect(unknown).to.have.length(MAX_DIAGNOSTICS);
      expect(unknown.filter((d) => d.hint?.startsWith('did you mean'))).to.have.length(MAX_SUGGESTIONS);
      const listed = unknown.find((d) => d.hint?.startsWith('defined routers'))!;
      expect(listed.hint).to.match(/^defined routers: (r\d+, ){10}… and 1,990 more$/);
      const over = r.diagnostics.filter((d) => d.code === 'too-many-problems');
      expect(over.map((d) => [d.severity, d.line])).to.deep.equal([['error', 1]]);
    });
  });

  describe('11. identities that collide', () => {
    const site = (name: string, router: string, i: number) => ` ${name}: {asn: ${65001 + i}, routers: {${router}: {role: active, wan: {interface: eth0, address: 10.0.${i}.1/24}, loopback: 10.255.0.${i + 1}}}}`;

    it('hub-mesh links xx-yy<->zz and xx<->yy-zz would read one PSK variable: refused', () => {
      const text = ['vygen: 1', 'sites:', site('h1', 'xx-yy', 0), site('h2', 'xx', 1), site('s1', 'zz', 2), site('s2', 'yy-zz', 3), 'hub_mesh:', '  psk_env_prefix: P', '  regions:', '   - {hub: h1, spokes: [s1]}', '   - {hub: h2, spokes: [s2]}', ''].join('\n');
      const r = validate(text, { file: 't.yaml' });
      const d = r.diagnostics.filter((x) => x.code === 'hub-mesh-psk-collision');
      expect(d.map((x) => [x.path, x.message])).to.deep.equal([['hub_mesh.regions[1].spokes[0]', 'the link "xx"<->"yy-zz" would read its key from P_XX_YY_ZZ, as xx-yy<->zz does']]);
    });

    it('device names that differ only by case are refused (one file on macOS and Windows)', () => {
      const text = ['vygen: 1', 'sites:', site('a', 'tokyo-a', 0), site('b', 'Tokyo-A', 1), ''].join('\n');
      const r = validate(text, { file: 't.yaml' });
      expect(r.diagnostics.filter((d) => d.severity !== 'note').map((d) => [d.code, d.path])).to.deep.equal([['device-name-case', 'sites.b.routers.Tokyo-A']]);
      expect(render(text, { file: 't.yaml', redact: true }).files).to.deep.equal([]);
    });
  });
});
