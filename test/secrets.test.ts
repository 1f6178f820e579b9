// Secrets never appear in a diagnostic, an error message, --redact output or
// --format json unless the render was asked to resolve them; a literal secret
// is an error that says how to move it; a key file readable by others warns.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '../dist/index.js';
import { ROOT } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const KEYS = {
  VYGEN_PSK_TOKYO_OSAKA_A: 'Zq9-Secret-A-0001',
  VYGEN_PSK_TOKYO_OSAKA_S: 'Zq9-Secret-S-0002',
  VYGEN_VRRP_TOKYO: 'Zq9pw',
  VYGEN_AWS_A_T1: 'Zq9-Secret-T1-003',
  VYGEN_AWS_A_T2: 'Zq9-Secret-T2-004',
  VYGEN_AWS_S_T1: 'Zq9-Secret-T3-005',
  VYGEN_AWS_S_T2: 'Zq9-Secret-T4-006',
  VRRP_PASS: 'Zq9pass',
};

function vygen(args: string[], env: Record<string, string> = KEYS, cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  expect(r.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  return r;
}

describe('secrets', () => {
  const topologies = ['fixtures/seed-000/topology.yaml', 'fixtures/aws-active-standby/topology.yaml', 'examples/lvs-pair/topology.yaml'];

  it('appear in no output of --redact, validate, diff, graph or a --format json without secrets', () => {
    for (const t of topologies) {
      for (const args of [
        ['render', t, '--redact'],
        ['render', t, '--redact', '--format', 'json'],
        ['render', t, '--redact', '--wrap', 'configure'],
        ['validate', t],
        ['validate', t, '--format', 'json'],
        ['diff', t, t, '--redact'],
        ['diff', t, t, '--redact', '--format', 'json'],
        ['graph', t],
      ]) {
        const r = vygen(args);
        expect(r.status, `${args.join(' ')}: ${r.stderr}`).to.equal(0);
        expect(r.stdout + r.stderr, args.join(' ')).to.not.include('Zq9');
      }
    }
  });

  it('appear in --format json when the render resolves them (asked for), and only in their lines', () => {
    const r = vygen(['render', 'fixtures/seed-000/topology.yaml', '--format', 'json']);
    expect(r.status).to.equal(0);
    const files = JSON.parse(r.stdout).files as { content: string }[];
    const lines = files.flatMap((f) => f.content.split('\n')).filter((l) => l.includes('Zq9'));
    expect(lines.length).to.be.above(0);
    for (const l of lines) expect(l).to.match(/^set vpn ipsec authentication psk \S+ secret 'Zq9-Secret-[AS]-000[12]'$/);
  });

  it('an invalid, short or long secret is an error naming the reference, never the value, also in JSON', () => {
    for (const [value, code] of [["Zq9'quoted-key", 'secret-invalid'], ['Zq9', 'secret-too-short'], ['Zq9 spaced key', 'secret-invalid']] as const) {
      for (const format of ['text', 'json']) {
        const r = vygen(['render', 'fixtures/seed-000/topology.yaml', '--format', format], { ...KEYS, VYGEN_PSK_TOKYO_OSAKA_A: value });
        expect(r.status).to.equal(1);
        expect(r.stdout + r.stderr).to.include(code);
        expect(r.stdout + r.stderr).to.include('VYGEN_PSK_TOKYO_OSAKA_A');
        expect(r.stdout + r.stderr).to.not.include('Zq9');
      }
    }
    const auth = vygen(['render', 'fixtures/lvs-unicast/topology.yaml'], { VYGEN_VRRP_WEB: 'Zq9-too-long-for-vrrp' });
    expect(auth.status).to.equal(1);
    expect(auth.stderr).to.include('secret-too-long');
    expect(auth.stderr).to.not.include('Zq9');
  });

  it('a literal secret (string, number or list) is an error that says how to move it, without showing it', () => {
    for (const literal of ['"Zq9-literal-key"', '123456789012', '[Zq9-in-a-list]', '{ value: Zq9-in-a-map }']) {
      const text = `vygen: 1\nsites:\n  a: { asn: 65001, routers: { a1: { role: active, wan: { interface: eth0, address: 10.0.0.1/24 }, loopback: 10.255.0.1 } } }\n  b: { asn: 65002, routers: { b1: { role: active, wan: { interface: eth0, address: 10.0.1.1/24 }, loopback: 10.255.0.2 } } }\nlinks:\n  - between: [a1, b1]\n    ipsec: { psk: ${literal} }\n`;
      const r = validate(text, { file: 't.yaml' });
      const all = JSON.stringify(r.diagnostics);
      expect(all, literal).to.not.include('Zq9');
      expect(all, literal).to.not.include('123456789012');
      if (!literal.startsWith('[') && !literal.startsWith('{')) {
        const d = r.diagnostics.find((x) => x.code === 'literal-secret')!;
        expect(d.path).to.equal('links[0].ipsec.psk');
        expect(d.hint).to.match(/environment variable \(psk: \{ env: VYGEN_PSK_X \}\) or a file readable only by you \(psk: \{ file: secrets\/x\.psk \}\)/);
      }
    }
  });

  it('a key pasted where a variable name or file path belongs is not shown', () => {
    for (const ref of ['env: "Zq9+key/with=chars"', 'file: "Zq9 key with spaces"']) {
      const text = `vygen: 1\nsites:\n  a: { asn: 65001, routers: { a1: { role: active, wan: { interface: eth0, address: 10.0.0.1/24 }, loopback: 10.255.0.1 } } }\n  b: { asn: 65002, routers: { b1: { role: active, wan: { interface: eth0, address: 10.0.1.1/24 }, loopback: 10.255.0.2 } } }\nlinks:\n  - between: [a1, b1]\n    ipsec: { psk: { ${ref} } }\n`;
      const r = validate(text, { file: 't.yaml' });
      expect(r.diagnostics.filter((d) => d.severity !== 'note').map((d) => d.code)).to.deep.equal(['invalid-value']);
      expect(JSON.stringify(r.diagnostics)).to.not.include('Zq9');
    }
  });

  it('a key file readable by group or others gets secret-file-mode, and its content is never printed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vygen-secrets-'));
    mkdirSync(join(dir, 'secrets'));
    copyFileSync(join(ROOT, 'fixtures/three-sites/topology.yaml'), join(dir, 'topology.yaml'));
    writeFileSync(join(dir, 'secrets', 'fra-iad.psk'), 'Zq9-File-Key-0007\n');
    const env = { PSK_TYO_FRA: 'Zq9-Env-Key-0008', PSK_IAD_TYO: 'Zq9-Env-Key-0009' };
    for (const [mode, warned] of [[0o600, false], [0o640, true], [0o604, true]] as const) {
      chmodSync(join(dir, 'secrets', 'fra-iad.psk'), mode);
      const r = vygen(['render', 'topology.yaml', '--format', 'json', '-o', 'out'], env, dir);
      expect(r.status, r.stderr).to.equal(0);
      const report = JSON.parse(r.stdout);
      expect(report.diagnostics.some((d: { code: string }) => d.code === 'secret-file-mode'), mode.toString(8)).to.equal(warned);
      expect(JSON.stringify(report.diagnostics)).to.not.include('Zq9');
      expect(r.stderr).to.not.include('Zq9');
    }
  });
});
