// Which files of an output directory are vygen's (one owns(), used by
// --check, --prune, diff -o and --format json), and which are private: a file
// holding a secret's value is written mode 0600 and says so in its header.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET_NOTE } from '../dist/targets/vyos/header.js';
import { ROOT } from './helpers/golden.js';

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


function vygen(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  expect(r.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  return r;
}

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

describe('files vygen owns', () => {
  const T = 'fixtures/lvs-with-routers/topology.yaml';
  const OTHER = 'fixtures/seed-000/topology.yaml';

  function rendered(): string {
    const out = join(scratch(join(tmpdir(), 'vygen-owns-')), 'out');
    expect(vygen(['render', T, '--redact', '-o', out]).status).to.equal(0);
    writeFileSync(join(out, 'my-own-tool.sh'), '#!/bin/sh\necho mine\n');
    writeFileSync(join(out, 'notes.vyos'), 'set system host-name hand-written\n');
    writeFileSync(join(out, 'old.vyos-diff'), '# vygen diff: router old\n'); // a diff's, not a render's
    mkdirSync(join(out, 'real-servers'), { recursive: true });
    writeFileSync(join(out, 'real-servers', 'mine.sh'), '#!/bin/sh\n# my script\n');
    return out;
  }

  it('render --check: files vygen did not write are not stale (exit 0)', () => {
    const out = rendered();
    const r = vygen(['render', T, '--redact', '-o', out, '--check']);
    expect(r.stderr).to.match(/: up to date \(\d+ files\)\n$/);
    expect([r.status, r.stdout]).to.deep.equal([0, '']);
    const j = JSON.parse(vygen(['render', T, '--redact', '-o', out, '--check', '--format', 'json']).stdout);
    expect([j.ok, j.check.stale]).to.deep.equal([true, []]);
  });

  it('a file vygen wrote and no longer renders is stale in --check, listed by render -o and --format json, and removed by --prune; the others stay', () => {
    const out = rendered();
    writeFileSync(join(out, 'gone.vyos'), '# vygen: router gone (site x, active) -- VyOS 1.4 (sagitta)\nset system host-name gone\n');
    const check = vygen(['render', T, '--redact', '-o', out, '--check']);
    expect(check.status).to.equal(1);
    expect(check.stderr).to.include(': stale, gone.vyos is not rendered any more\n');
    const j = JSON.parse(vygen(['render', T, '--redact', '-o', out, '--format', 'json']).stdout);
    expect(j.stale).to.deep.equal(['gone.vyos']);
    const pruned = vygen(['render', T, '--redact', '-o', out, '--prune']);
    expect(pruned.stderr).to.include('removed 1 no longer rendered: gone.vyos');
    expect(existsSync(join(out, 'gone.vyos'))).to.equal(false);
    for (const mine of ['my-own-tool.sh', 'notes.vyos', 'old.vyos-diff', 'real-servers/mine.sh']) expect(existsSync(join(out, mine)), mine).to.equal(true);
    expect(vygen(['render', T, '--redact', '-o', out, '--check']).status).to.equal(0);
  });

  it('diff -o removes its own earlier diffs only (reports them with --limit), and touches nothing else', () => {
    const out = rendered();
    const limited = vygen(['diff', OTHER, T, '--redact', '-o', out, '--limit', 'tokyo-a']);
    expect(limited.stderr).to.include(': 1 diff file is from an earlier diff (no change there now): old.vyos-diff; delete them\n');
    expect(existsSync(join(out, 'old.vyos-diff')), 'kept with --limit').to.equal(true);
    const r = vygen(['diff', OTHER, T, '--redact', '-o', out, '--format', 'json']);
    expect(r.status, r.stderr).to.equal(0);
    const j = JSON.parse(r.stdout);
    expect(j.removed).to.deep.equal(['old.vyos-diff']);
    expect(existsSync(join(out, 'old.vyos-diff'))).to.equal(false);
    for (const mine of ['my-own-tool.sh', 'notes.vyos', 'real-servers/mine.sh']) expect(existsSync(join(out, mine)), mine).to.equal(true);
  });
});

describe('files holding secrets', () => {
  const KEYS = { VYGEN_PSK_TOKYO_OSAKA_A: 'Zq9-Secret-A-0001', VYGEN_PSK_TOKYO_OSAKA_S: 'Zq9-Secret-S-0002', VYGEN_PSK_TOKYO_OSAKA: 'Zq9-Secret-0003', VYGEN_VRRP_WEB: 'Zq9webpw' };

  it('are written mode 0600 and say so in their header; redacted and secret-free files keep 0644', () => {
    const dir = scratch(join(tmpdir(), 'vygen-modes-'));
    const lvs = join(dir, 'lvs');
    // lvs-unicast's second pair reads its auth_pass from a file beside the topology.
    mkdirSync(join(dir, 'secrets'));
    copyFileSync(join(ROOT, 'fixtures/lvs-unicast/topology.yaml'), join(dir, 'topology.yaml'));
    writeFileSync(join(dir, 'secrets', 'vrrp-api.pass'), 'Zq9apipw\n', { mode: 0o600 });
    for (const [topology, out] of [['fixtures/seed-000/topology.yaml', join(dir, 'vyos')], [join(dir, 'topology.yaml'), lvs]] as const) {
      const r = vygen(['render', topology, '-o', out], KEYS);
      expect(r.status, r.stderr).to.equal(0);
    }
    const checkFile = (p: string, secret: boolean) => {
      const text = readFileSync(p, 'utf8');
      expect(text.includes('Zq9'), `${p} holds a secret`).to.equal(secret);
      expect(mode(p), p).to.equal(secret ? '600' : p.endsWith('.sh') ? '755' : '644');
      expect(text.split('\n').slice(0, 6).includes(`# ${SECRET_NOTE}`), `${p} header`).to.equal(secret);
    };
    checkFile(join(dir, 'vyos', 'tokyo-a.vyos'), true);
    checkFile(join(lvs, 'web-lb-a.keepalived.conf'), true);
    checkFile(join(lvs, 'web-lb-a.sysctl.conf'), false);
    // Redacted: the normal mode, no note.
    const red = join(dir, 'redacted');
    expect(vygen(['render', 'fixtures/seed-000/topology.yaml', '--redact', '-o', red]).status).to.equal(0);
    checkFile(join(red, 'tokyo-a.vyos'), false);
    // diff -o of the real keys: the .vyos-diff holds them too.
    const diffs = join(dir, 'diffs');
    const old = join(dir, 'old.yaml');
    writeFileSync(old, readFileSync(join(ROOT, 'fixtures/seed-000/topology.yaml'), 'utf8').replace('mtu: 1390', 'mtu: 1380'));
    const d = vygen(['diff', old, 'fixtures/seed-000/topology.yaml', '-o', diffs], KEYS);
    expect(d.status, d.stderr).to.equal(0);
    checkFile(join(diffs, 'tokyo-a.vyos-diff'), false); // an MTU change: no key in the commands
    // A rotated key (another variable on the old side): its new value is in the commands.
    writeFileSync(old, readFileSync(join(ROOT, 'fixtures/seed-000/topology.yaml'), 'utf8').replace('VYGEN_PSK_TOKYO_OSAKA_A', 'VYGEN_PSK_OLD'));
    const d2 = vygen(['diff', old, 'fixtures/seed-000/topology.yaml', '-o', join(dir, 'diffs2')], { ...KEYS, VYGEN_PSK_OLD: 'Zq9-Old-Key-0001' });
    expect(d2.status, d2.stderr).to.equal(0);
    checkFile(join(dir, 'diffs2', 'tokyo-a.vyos-diff'), true);
  });

  it('every rendered file that holds a secret value is flagged, in every fixture rendered with its secrets', () => {
    // The flag is set by each target; this finds a target that forgets it.
    const r = vygen(['render', 'examples/aws-active-standby/topology.yaml', '--format', 'json'], {
      VYGEN_PSK_TOKYO_OSAKA_A: 'Zq9-Secret-A-0001',
      VYGEN_PSK_TOKYO_OSAKA_S: 'Zq9-Secret-S-0002',
      VYGEN_VRRP_TOKYO: 'Zq9pw',
      VYGEN_AWS_A_T1: 'Zq9-Secret-T1-003',
      VYGEN_AWS_A_T2: 'Zq9-Secret-T2-004',
      VYGEN_AWS_S_T1: 'Zq9-Secret-T3-005',
      VYGEN_AWS_S_T2: 'Zq9-Secret-T4-006',
    });
    expect(r.status, r.stderr).to.equal(0);
    const files = JSON.parse(r.stdout).files as { path: string; content: string; secret: boolean }[];
    expect(files.some((f) => f.content.includes('Zq9'))).to.equal(true);
    for (const f of files) expect(f.secret, f.path).to.equal(f.content.includes('Zq9'));
  });
});
