// Hostile topologies: secret references that point at devices, FIFOs, huge
// files or files outside the checkout; keys with quotes; identities that
// collide; values that would break keepalived's 1023-byte line limit; work
// that grows faster than the file (uniqueness, "did you mean").
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { MAX_SECRET_FILE_BYTES, PSK_MAX_LENGTH } from '../dist/secrets/resolve.js';
import { ROOT } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const ENV = { PSK_TYO_FRA: 'Zq9-Env-Key-0008', PSK_IAD_TYO: 'Zq9-Env-Key-0009' };

/** three-sites (one PSK from secrets/fra-iad.psk) copied into a scratch directory, its key file as given. */
function checkout(key: (path: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'vygen-secret-file-'));
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
      const outside = mkdtempSync(join(tmpdir(), 'vygen-ci-creds-'));
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
});
