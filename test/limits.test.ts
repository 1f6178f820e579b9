// Hostile and huge input: each gets a clear diagnostic (or a result) in
// bounded time and memory, and none crashes Node. Times are not asserted
// here (npm run bench prints them); VYGEN_HEAVY=1 adds the 100,000-site
// topology through the CLI.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, truncateSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render, validate } from '../dist/index.js';
import { MAX_DEVICES, MAX_FAILOVER_ROUTES, MAX_LINKS, MAX_SITE_ROUTERS } from '../dist/schema/size.js';
import { loadYaml, MAX_BYTES, MAX_NODES } from '../dist/load/yaml-source.js';
import { ROOT } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');

function vygen(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, maxBuffer: 64 * 1024 * 1024 });
  expect(r.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  return r;
}

const codes = (text: string) => validate(text, { file: 't.yaml' }).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

/** n one-router sites in flow style (about 130 bytes each). */
function sites(n: number, extra = ''): string {
  const ip = (k: number, h: number) => `${10 + Math.floor(k / 65536)}.${Math.floor(k / 256) % 256}.${k % 256}.${h}`;
  const lines = ['vygen: 1', 'sites:'];
  for (let i = 0; i < n; i++) lines.push(` s${i}: {asn: ${64512 + (i % 1000)}, routers: {r${i}: {role: active, wan: {interface: eth0, address: ${ip(i, 10)}/24}, loopback: ${ip(i + n, 1)}}}}`);
  return `${lines.join('\n')}\n${extra}`;
}

describe('limits', () => {
  it('deep nesting (100,000 levels, flow and block) is a YAML diagnostic, not a stack overflow', () => {
    for (const text of [`vygen: 1\nsites: ${'['.repeat(100000)}${']'.repeat(100000)}\n`, `vygen: 1\nsites: ${'{a: '.repeat(100000)}1${'}'.repeat(100000)}\n`, `vygen: 1\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}a${i}:`).join('\n')} 1\n`]) {
      const r = render(text, { file: 't.yaml' });
      expect(r.diagnostics.filter((d) => d.severity !== 'note').map((d) => d.code)).to.deep.equal(['yaml-syntax']);
      expect(r.diagnostics[0]!.message).to.include('nesting exceeded maxDepth (64)');
    }
  });

  it('an alias bomb is refused by its expanded size', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const r = render(`vygen: 1\n${levels.join('\n')}\n`, { file: 't.yaml' });
    expect(r.diagnostics.filter((d) => d.severity !== 'note').map((d) => d.code)).to.deep.equal(['topology-too-large']);
  });

  it('an alias bomb of mappings is refused by its expanded size too', () => {
    const levels = ['a: &a { k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x, k9: x }'];
    for (let i = 1; i < 12; i++) levels.push(`l${i}: &l${i} { ${Array.from({ length: 10 }, (_, k) => `k${k}: ${i === 1 ? '*a' : `*l${i - 1}`}`).join(', ')} }`);
    const r = render(`vygen: 1\n${levels.join('\n')}\n`, { file: 't.yaml' });
    expect(r.diagnostics.filter((d) => d.severity !== 'note').map((d) => d.code)).to.deep.equal(['topology-too-large']);
  });

  // The loader counts values only where an alias could multiply them (a `*`
  // in the text) or the text is longer than the limit: otherwise every value
  // is written out in at least one character of its own.
  it('more values than the limit, written out without aliases, are still refused', () => {
    const r = render(`vygen: 1\nsites: [${'0,'.repeat(MAX_NODES)}0]\n`, { file: 't.yaml' });
    expect(r.diagnostics.filter((d) => d.severity !== 'note').map((d) => d.code)).to.deep.equal(['topology-too-large']);
  });

  it('a text without aliases holds at most one value more than it has characters (why the loader need not count them)', () => {
    const values = (v: unknown): number => (Array.isArray(v) ? v : v !== null && typeof v === 'object' ? Object.values(v) : []).reduce((n: number, x) => n + values(x), 1);
    // The shapes that make the most values of the fewest characters: empty
    // values, keys without values, merges, nesting, several documents' markers.
    const texts = ['-', '?', '- ?', '- -', '-\n-\n-', '[]', '{}', '[[]]', '[[[[]]]]', '{a}', '{a, b, c}', '? a\n? b', 'a:\nb:\nc:', '[a, [b, [c, []]]]', '{a: {b: {c: {}}}}', '<<: {a: 1, b: 2}\nc: 3', '<<: [{a: 1}, {b: 2}, {c: {d: []}}]\ne: 4', 'a: &x [1, 2]\nb: 3', '--- [a, b]\n...', '"": ""', "'': ['', '']", '!!map {a: !!seq [], b: !!str c}', '- {a: [b, {c}]}'];
    for (const text of texts) {
      const loaded = loadYaml(text, 't.yaml');
      if (!('ok' in loaded)) throw new Error(`${JSON.stringify(text)} did not load: ${loaded.errors[0]!.message}`);
      expect(values(loaded.ok.document), JSON.stringify(text)).to.be.at.most(text.length + 1);
    }
  });

  it('duplicate keys, an empty file, a binary file: one diagnostic each', () => {
    expect(codes('vygen: 1\nvygen: 1\n')).to.deep.equal(['yaml-duplicate-key']);
    expect(codes('')).to.deep.equal(['empty-topology']);
    expect(codes('# only a comment\n')).to.deep.equal(['empty-topology']);
    expect(codes('vygen: 1\n\u0000\u0001\u0002')).to.deep.equal(['binary-file']);
  });

  it('a 50 MB file is refused by its size before it is read (CLI, exit 1)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vygen-limits-'));
    const file = join(dir, 'huge.yaml');
    closeSync(openSync(file, 'w'));
    truncateSync(file, 50 * 1024 * 1024); // sparse: 50 MB that are never read
    const r = vygen(['validate', file]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('error file-too-large: the file has 52,428,800 bytes');
    const j = vygen(['render', file, '--format', 'json']);
    expect(j.status).to.equal(1);
    expect(JSON.parse(j.stdout).diagnostics[0].code).to.equal('file-too-large');
  });

  it('an endless stream (/dev/zero) is read only up to the limit', () => {
    const r = vygen(['validate', '/dev/zero']);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include(`the file has more than ${MAX_BYTES.toLocaleString('en')} bytes`);
  });

  it(`more than ${MAX_DEVICES.toLocaleString('en')} devices is topology-too-large`, () => {
    expect(codes(sites(MAX_DEVICES + 1))).to.deep.equal(['topology-too-large']);
  });

  it(`more than ${MAX_LINKS.toLocaleString('en')} links is topology-too-large`, () => {
    const links = ['links:'];
    for (let i = 0; i <= MAX_LINKS; i++) links.push(` - {between: [r${i % 200}, r${200 + (i % 200)}], ipsec: {psk: {env: K}}}`);
    expect(codes(sites(400, `${links.join('\n')}\n`))).to.deep.equal(['topology-too-large']);
  });

  it(`more than ${MAX_SITE_ROUTERS} routers in one site is topology-too-large (iBGP is a full mesh)`, () => {
    const routers = Array.from({ length: MAX_SITE_ROUTERS + 1 }, (_, j) => `   r${j}: {role: standby, wan: {interface: eth0, address: 10.0.0.${j + 10}/24}, lan: {interface: eth1, address: 10.1.0.${j + 10}/24}, loopback: 10.2.0.${j + 1}}`);
    const r = validate(`vygen: 1\nsites:\n s:\n  asn: 65000\n  routers:\n${routers.join('\n')}\n`, { file: 't.yaml' });
    expect(r.diagnostics.filter((d) => d.severity !== 'note').map((d) => [d.code, d.path])).to.deep.equal([['topology-too-large', 'sites.s.routers']]);
  });

  it('failover scripts that would move every route table to every network of thousands of sites are topology-too-large', () => {
    const n = 700;
    const lines = ['vygen: 1', 'sites:'];
    for (let i = 0; i < n; i++) {
      lines.push(` s${i}:`, `  asn: ${64512 + i}`, `  networks: {connected: [10.${i % 200}.${Math.floor(i / 200)}.0/24]}`, `  vrrp: {address: 10.${i % 200}.${Math.floor(i / 200)}.254/24}`);
      lines.push(`  aws: {region: us-east-1, route_tables: [rtb-${String(i).padStart(8, '0')}]}`, '  routers:');
      for (const [j, role] of ['active', 'standby'].entries()) {
        lines.push(`   r${i}-${j}: {role: ${role}, wan: {interface: eth0, address: 100.64.${i % 250}.${j + 10}/24}, lan: {interface: eth1, address: 10.${i % 200}.${Math.floor(i / 200)}.${j + 2}/24}, loopback: 192.168.${i % 250}.${j + 1 + 2 * Math.floor(i / 250)}, aws: {instance_id: i-${String(i * 2 + j).padStart(8, '0')}}}`);
      }
    }
    expect(n * 2 * 1 * n).to.be.above(MAX_FAILOVER_ROUTES);
    const r = validate(`${lines.join('\n')}\n`, { file: 't.yaml' });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).to.deep.equal(['topology-too-large']);
  });

  it('a hub mesh generating more than the link limit stops early with topology-too-large', () => {
    // 3,300 sites of 3 routers: 40 regions of a hub and 81 spokes, 9 links per spoke.
    const lines = ['vygen: 1', 'defaults: {tunnel_pool: 172.16.0.0/8}', 'sites:'];
    const n = 3300;
    for (let i = 0; i < n; i++) {
      lines.push(` s${i}:`, `  asn: ${64512 + i}`, '  routers:');
      for (let j = 0; j < 3; j++) lines.push(`   r${i}-${j}: {role: ${j === 0 ? 'active' : 'standby'}, wan: {interface: eth0, address: 100.${64 + Math.floor(i / 250)}.${i % 250}.${j + 10}/24}, lan: {interface: eth1, address: 10.${Math.floor(i / 250)}.${i % 250}.${j + 2}/24}, loopback: 192.${100 + Math.floor(i / 250)}.${i % 250}.${j + 1}}`);
    }
    lines.push('hub_mesh:', '  psk_env_prefix: K', '  links_per_region: 1024', '  regions:');
    for (let k = 0; k < 40; k++) lines.push(`   - {hub: s${k}, spokes: [${Array.from({ length: 81 }, (_, x) => `s${40 + k * 81 + x}`).join(', ')}]}`);
    const r = validate(`${lines.join('\n')}\n`, { file: 't.yaml' });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.path])).to.deep.equal([['topology-too-large', 'hub_mesh']]);
  });

  it('100,000 sites through the CLI: topology-too-large (VYGEN_HEAVY=1)', function () {
    if (process.env.VYGEN_HEAVY !== '1') this.skip();
    this.timeout(120000);
    const dir = mkdtempSync(join(tmpdir(), 'vygen-limits-'));
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, sites(100000));
    const r = vygen(['render', file, '--redact']);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('error topology-too-large');
  });
});
