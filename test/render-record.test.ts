// `render -o DIR` of an input whose files DIR still holds, untouched since a
// render verified them, renders nothing (src/emit/render-record.ts); any change
// to the input, the options, a secret, a file or the directory's entries
// means a full render that puts the right files back.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/golden.js';
import { settled } from '../dist/emit/render-record.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const TOPOLOGY = 'fixtures/lvs-with-routers/topology.yaml'; // routers, LVS files, real-servers/*.sh
const REUSED = /not rendered again/;

interface Run {
  status: number | null;
  stderr: string;
}

function setup() {
  const base = mkdtempSync(join(tmpdir(), 'vygen-record-'));
  const runtime = mkdtempSync(join(tmpdir(), 'vygen-record-rt-')); // mode 0700, as XDG_RUNTIME_DIR must be
  const out = join(base, 'out');
  const records = () => readdirSync(join(runtime, 'vygen', 'renders')).filter((n) => n.endsWith('.json'));
  const render = (args: string[] = [], env: Record<string, string> = {}, topology = TOPOLOGY): Run => {
    const r = spawnSync(process.execPath, [CLI, 'render', topology, '--redact', '-o', out, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime, ...env } });
    expect(r.status, r.stderr).to.equal(0);
    return r;
  };
  /**
   * Renders until one is taken from the record: files just written are too
   * new to be trusted by their status, so the render after a write is a full
   * one, and records only once they are old enough.
   */
  const settle = (args: string[] = [], env: Record<string, string> = {}, topology = TOPOLOGY) => {
    for (let i = 0; i < 50; i++) if (REUSED.test(render(args, env, topology).stderr)) return;
    throw new Error('no render was ever taken from the record');
  };
  return { base, runtime, out, render, settle, records };
}

const snapshot = (dir: string) => new Map(readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((f) => [f, statSync(join(dir, f)).isFile() ? readFileSync(join(dir, f), 'utf8') : '']));

describe('render -o of an unchanged input', () => {
  it('takes the files as they are, renders and writes nothing, and says so', () => {
    const t = setup();
    t.settle();
    const status = () => new Map([...snapshot(t.out).keys()].map((f) => [f, `${statSync(join(t.out, f), { bigint: true }).ino} ${statSync(join(t.out, f), { bigint: true }).ctimeNs}`]));
    const before = status();
    const r = t.render();
    expect(r.stderr).to.match(/: \d+ files as vygen last rendered them from this same input, untouched since: not rendered again/);
    expect(status()).to.deep.equal(before);
    expect(t.render(['--no-reuse']).stderr).to.not.match(REUSED);
  });

  it('renders in full, and puts the right file back, when a file was changed, even with its old size and mtime', () => {
    const t = setup();
    t.settle();
    const good = snapshot(t.out);
    const victim = [...good.keys()].find((f) => f.endsWith('.vyos'))!;
    const path = join(t.out, victim);
    const times = join(t.base, 'times');
    writeFileSync(times, '');
    expect(spawnSync('touch', ['-r', path, times]).status).to.equal(0);
    const before = statSync(path, { bigint: true });
    // Same length, same inode, the mtime put back to the nanosecond: only the ctime tells.
    writeFileSync(path, good.get(victim)!.replace(/set /, 'del '));
    expect(spawnSync('touch', ['-r', times, path]).status).to.equal(0);
    const after = statSync(path, { bigint: true });
    expect([after.ino, after.size, after.mtimeNs]).to.deep.equal([before.ino, before.size, before.mtimeNs]);
    const r = t.render();
    expect(r.stderr).to.not.match(REUSED);
    expect(snapshot(t.out)).to.deep.equal(good);
  });

  it('renders in full when a file was added to DIR or a subdirectory (and --prune removes it)', () => {
    const t = setup();
    t.settle(['--prune']);
    const good = snapshot(t.out);
    const sub = [...good.keys()].find((f) => f.includes('/'))!;
    const planted = join(t.out, sub.split('/')[0]!, 'planted.sh');
    writeFileSync(planted, readFileSync(join(t.out, sub)));
    const r = t.render(['--prune']);
    expect(r.stderr).to.not.match(REUSED);
    expect(r.stderr).to.match(/removed 1 no longer rendered/);
    expect(snapshot(t.out)).to.deep.equal(good);
  });

  it('renders in full when the topology, an option or a secret differs', () => {
    const t = setup();
    const text = readFileSync(join(ROOT, TOPOLOGY), 'utf8');
    const edited = join(t.base, 'topology.yaml');
    writeFileSync(edited, text);
    t.settle([], {}, edited);
    writeFileSync(edited, `${text}# a comment changes no file, but the input\n`);
    expect(t.render([], {}, edited).stderr).to.not.match(REUSED);
    writeFileSync(edited, text);
    t.settle([], {}, edited);
    expect(t.render(['--release', '1.5'], {}, edited).stderr).to.not.match(REUSED);
    t.settle(['--release', '1.5'], {}, edited);
    expect(t.render(['--wrap', 'configure'], {}, edited).stderr).to.not.match(REUSED);
  });

  it('follows the value of a secret, not only its name', () => {
    const t = setup();
    const topology = 'examples/inter-region-vpn/topology.yaml';
    const env = (a: string) => ({ VYGEN_PSK_TOKYO_OSAKA_A: a, VYGEN_PSK_TOKYO_OSAKA_S: 'q'.repeat(32) });
    const run = (e: Record<string, string>) => spawnSync(process.execPath, [CLI, 'render', topology, '-o', t.out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: t.runtime, ...e } });
    let reused = false;
    for (let i = 0; i < 50 && !reused; i++) reused = REUSED.test(run(env('p'.repeat(32))).stderr);
    expect(reused, 'the same secrets are taken from the record').to.equal(true);
    const r = run(env('z'.repeat(32)));
    expect(r.stderr).to.not.match(REUSED);
    expect(readFileSync(join(t.out, 'tokyo-a.vyos'), 'utf8')).to.include('z'.repeat(32));
    // The record holds no secret, not even the value's hash.
    for (const f of t.records()) expect(readFileSync(join(t.runtime, 'vygen', 'renders', f), 'utf8')).to.not.match(/p{32}|z{32}/);
  });

  it('renders a copy of DIR in full: the same files under other inodes are not the ones verified', () => {
    const t = setup();
    t.settle();
    const other = join(t.base, 'copy');
    spawnSync('cp', ['-a', t.out, other]);
    const r = spawnSync(process.execPath, [CLI, 'render', TOPOLOGY, '--redact', '-o', other], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: t.runtime } });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr, 'a copy of DIR is another directory').to.not.match(REUSED);
  });
});

describe('a file status the render record may trust', () => {
  const at = Date.UTC(2026, 0, 1, 12, 0, 0);
  const verified = (msBefore: number, wholeSeconds = false) => {
    const ns = BigInt(at - msBefore) * 1_000_000n + (wholeSeconds ? 0n : 123n);
    const t = wholeSeconds ? (ns / 1_000_000_000n) * 1_000_000_000n : ns;
    return { path: 'r.vyos', at, st: { mtimeNs: wholeSeconds ? t : t - 5n, ctimeNs: t } as unknown as import('node:fs').BigIntStats };
  };

  it('is one older than a few clock ticks when it was verified: a change in the same tick keeps a status', () => {
    expect(settled(verified(0))).to.equal(false);
    expect(settled(verified(50))).to.equal(false);
    expect(settled(verified(500))).to.equal(true);
  });

  it('is older than two seconds on a filesystem that keeps whole seconds', () => {
    expect(settled(verified(1500, true))).to.equal(false);
    expect(settled(verified(3000, true))).to.equal(true);
  });
});
