// The command line as a user runs it: exit codes, nothing written on error,
// no stack traces, secrets from the environment and from files.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');

function vygen(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  expect(r.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  return r;
}

const SEED = 'fixtures/seed-000/topology.yaml';
const KEYS = { VYGEN_PSK_TOKYO_OSAKA_A: 'Tokyo-Osaka-A-key1', VYGEN_PSK_TOKYO_OSAKA_S: 'Tokyo-Osaka-S-key2' };

describe('cli', () => {
  it('render -o writes one file per router and exits 0', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vygen-')), 'out');
    const r = vygen(['render', SEED, '--redact', '-o', out]);
    expect(r.status).to.equal(0);
    expect(readdirSync(out).sort()).to.deep.equal(['osaka-a.vyos', 'osaka-s.vyos', 'tokyo-a.vyos', 'tokyo-s.vyos']);
    expect(readFileSync(join(out, 'tokyo-a.vyos'), 'utf8')).to.equal(readFileSync(join(ROOT, 'fixtures/seed-000/expected/1.4/tokyo-a.vyos'), 'utf8'));
  });

  it('render without -o prints every router under its header', () => {
    const r = vygen(['render', SEED, '--redact', '--release', '1.3']);
    expect(r.status).to.equal(0);
    expect(r.stdout.match(/^# vygen: router \S+ .* VyOS 1\.3/gm)).to.have.length(4);
  });

  it('reads secrets from the environment and from files, and never prints them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vygen-'));
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets', 'fra-iad.psk'), 'File-Secret-9876\n');
    chmodSync(join(dir, 'secrets', 'fra-iad.psk'), 0o600);
    writeFileSync(join(dir, 'topology.yaml'), readFileSync(join(ROOT, 'fixtures/three-sites/topology.yaml')));
    const r = vygen(['render', 'topology.yaml'], { PSK_TYO_FRA: 'Env-Secret-1234', PSK_IAD_TYO: 'Env-Secret-5678' }, dir);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include("set vpn ipsec authentication psk iad-1 secret 'File-Secret-9876'");
    expect(r.stdout).to.include("set vpn ipsec authentication psk fra-1 secret 'Env-Secret-1234'");
    chmodSync(join(dir, 'secrets', 'fra-iad.psk'), 0o644);
    const loose = vygen(['render', 'topology.yaml'], { PSK_TYO_FRA: 'Env-Secret-1234', PSK_IAD_TYO: 'Env-Secret-5678' }, dir);
    expect(loose.stderr).to.include('warning secret-file-mode');
    expect(loose.stderr).to.not.include('File-Secret');
  });

  it('a missing secret is an error naming it, exit 1, nothing written', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vygen-')), 'out');
    const r = vygen(['render', SEED, '-o', out], { VYGEN_PSK_TOKYO_OSAKA_A: KEYS.VYGEN_PSK_TOKYO_OSAKA_A });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('environment variable VYGEN_PSK_TOKYO_OSAKA_S is not set');
    expect(r.stderr).to.not.include(KEYS.VYGEN_PSK_TOKYO_OSAKA_A);
    expect(existsSync(out)).to.equal(false);
  });

  it('an invalid topology exits 1 and leaves an existing output directory untouched', () => {
    const out = mkdtempSync(join(tmpdir(), 'vygen-'));
    writeFileSync(join(out, 'keep.vyos'), 'old\n');
    const r = vygen(['render', 'fixtures/err-addresses/topology.yaml', '--redact', '-o', out]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('fixtures/err-addresses/topology.yaml:7:19: error not-a-network');
    expect(readdirSync(out)).to.deep.equal(['keep.vyos']);
  });

  it('validate exits 0 on a valid topology and 1 on an invalid one', () => {
    expect(vygen(['validate', SEED]).status).to.equal(0);
    expect(vygen(['validate', 'fixtures/err-schema/topology.yaml']).status).to.equal(1);
  });

  it('usage and I/O errors exit 2 with a message', () => {
    const missing = vygen(['render', 'nope.yaml']);
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.include('cannot read nope.yaml: no such file');
    expect(vygen(['render']).status).to.equal(2);
    expect(vygen(['frobnicate']).status).to.equal(2);
    expect(vygen(['render', SEED, '--release', '1.2']).status).to.equal(2);
    expect(vygen(['render', 'fixtures']).status).to.equal(2);
  });

  it('schema prints the JSON Schema', () => {
    const r = vygen(['schema']);
    expect(r.status).to.equal(0);
    expect(JSON.parse(r.stdout).$schema).to.equal('https://json-schema.org/draft/2020-12/schema');
  });
});
