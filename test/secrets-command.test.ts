// `vygen secrets` and the one list of missing secrets (issue 18 item 8).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render, secrets } from '../dist/index.js';
import { readFileSync } from 'node:fs';
import { FIXTURES, ROOT } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const vygen = (args: string[], env: Record<string, string> = {}, cwd = ROOT) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  expect(r.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  return r;
};

/** three-sites with its key file in a temporary directory. */
function threeSites(fileKey: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'vygen-secrets-'));
  copyFileSync(join(FIXTURES, 'three-sites/topology.yaml'), join(dir, 'topology.yaml'));
  if (fileKey !== undefined) {
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets/fra-iad.psk'), fileKey);
    chmodSync(join(dir, 'secrets/fra-iad.psk'), 0o600);
  }
  return dir;
}

const SECRET_VALUES = ['Tyo-Fra-Secret-1234', 'File-Secret-5678', 'short'];

describe('vygen secrets', () => {
  it('lists each variable and file, the devices using it and whether it is set, never a value', () => {
    const dir = threeSites('File-Secret-5678\n');
    const r = vygen(['secrets', 'topology.yaml'], { PSK_TYO_FRA: 'Tyo-Fra-Secret-1234', PSK_IAD_TYO: 'short' }, dir);
    expect(r.status, r.stderr).to.equal(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => l.split(/ {2,}/));
    expect(rows).to.deep.equal([
      ['SECRET', 'STATUS', 'USED AS', 'USED BY'],
      ['PSK_IAD_TYO', 'TOO SHORT', 'IPsec pre-shared key', 'iad-1, tokyo-s'],
      ['PSK_TYO_FRA', 'set', 'IPsec pre-shared key', 'fra-1, tokyo-a'],
      ['file secrets/fra-iad.psk', 'set', 'IPsec pre-shared key', 'fra-1, iad-1'],
      ['3 secrets, 1 not usable now'],
    ]);
    for (const v of SECRET_VALUES) expect(r.stdout + r.stderr).to.not.include(v);
  });

  it('--format json: the same list, with the state as a diagnostic code and the problem in words', () => {
    const dir = threeSites(undefined);
    const r = vygen(['secrets', 'topology.yaml', '--format', 'json'], { PSK_TYO_FRA: 'Tyo-Fra-Secret-1234' }, dir);
    expect(r.status, r.stderr).to.equal(0);
    const j = JSON.parse(r.stdout);
    expect(j).to.deep.include({ command: 'secrets', ok: true });
    expect(j.secrets.map((s: { kind: string; name: string; state: string; devices: string[] }) => [s.kind, s.name, s.state, s.devices.join(' ')])).to.deep.equal([
      ['env', 'PSK_IAD_TYO', 'secret-missing', 'iad-1 tokyo-s'],
      ['env', 'PSK_TYO_FRA', 'set', 'fra-1 tokyo-a'],
      ['file', 'secrets/fra-iad.psk', 'secret-missing', 'fra-1 iad-1'],
    ]);
    expect(r.stdout).to.not.include('Tyo-Fra-Secret-1234');
  });

  it('covers VRRP passwords, cloud VPN keys and LVS auth_pass', () => {
    const aws = secrets(readFileSync(join(FIXTURES, 'aws-active-standby/topology.yaml'), 'utf8'), { file: 'fixtures/aws-active-standby/topology.yaml', env: {} });
    expect(aws.secrets.map((s) => `${s.name}: ${s.uses.join()}`)).to.include.members(['VYGEN_VRRP_TOKYO: VRRP password', 'VYGEN_AWS_A_T1: IPsec pre-shared key']);
    const lvs = secrets(readFileSync(join(FIXTURES, 'lvs-unicast/topology.yaml'), 'utf8'), { file: 'fixtures/lvs-unicast/topology.yaml', env: {} });
    expect(lvs.secrets.map((s) => `${s.kind} ${s.name}: ${s.uses.join()}`)).to.include.members(['env VYGEN_VRRP_WEB: VRRP auth_pass', 'file secrets/vrrp-api.pass: VRRP auth_pass']);
  });

  it('an invalid topology gives its diagnostics and exit 1', () => {
    const r = vygen(['secrets', join(FIXTURES, 'err-references/topology.yaml')]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('error unknown-router');
    expect(r.stdout).to.equal('');
  });
});

describe('missing secrets in a render', () => {
  it('two or more missing secrets are one error listing them, pointing at a line of the file', () => {
    const text = readFileSync(join(ROOT, 'examples/multi-region-hub/topology.yaml'), 'utf8');
    const r = render(text, { file: 'examples/multi-region-hub/topology.yaml', env: {} });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.path])).to.deep.equal([['secrets-missing', 'hub_mesh.psk_env_prefix']]);
    expect(errors[0]!.message).to.match(/^44 secrets are not set: VYGEN_PSK_\S+, .*, and 36 more$/);
    expect(errors[0]!.hint).to.include('vygen secrets examples/multi-region-hub/topology.yaml');
    expect(text.split('\n')[errors[0]!.line - 1]).to.include('psk_env_prefix');
  });

  it('one missing secret keeps its own diagnostic; other secret problems are still reported beside the list', () => {
    const text = readFileSync(join(FIXTURES, 'seed-000/topology.yaml'), 'utf8');
    const one = render(text, { env: { VYGEN_PSK_TOKYO_OSAKA_A: 'Long-enough-key-1' } });
    expect(one.diagnostics.map((d) => [d.code, d.path])).to.deep.equal([['secret-missing', 'links[1].ipsec.psk.env']]);
    const dir = threeSites(undefined);
    const three = render(readFileSync(join(dir, 'topology.yaml'), 'utf8'), { file: join(dir, 'topology.yaml'), env: { PSK_TYO_FRA: 'short' } });
    expect(three.diagnostics.map((d) => d.code).sort()).to.deep.equal(['secret-too-short', 'secrets-missing']);
    expect(three.diagnostics.find((d) => d.code === 'secrets-missing')!.message).to.equal('2 secrets are not set: PSK_IAD_TYO, file secrets/fra-iad.psk');
  });
});
