// `render -o DIR` changes DIR all at once or not at all: after a validation
// error, an I/O error before or in the middle of the commit, a full disk, or
// a signal, DIR holds exactly its old files or exactly the new render. Files
// of devices no longer in the topology are reported, and removed with --prune;
// other files are never touched.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeAtomically } from '../dist/emit/write.js';
import { owns } from '../dist/emit/owns.js';
import { recover } from '../dist/emit/recover.js';
import { ROOT } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');
// Preloaded to slow or pause the commit's renames (test/helpers/slow-commit.ts).
const SLOW_COMMIT = ['--import', pathToFileURL(join(ROOT, 'dist-test', 'helpers', 'slow-commit.js')).href];
const OLD = 'examples/multi-region-hub/topology.yaml'; // 19 routers
const NEW = 'fixtures/lvs-with-routers/topology.yaml'; // routers, then LVS files and real-servers/*.sh

function vygen(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  expect(r.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  return r;
}

/** Every file below dir (dot-files included) with its content and mode. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        out[`${prefix}${name}/`] = 'dir';
        walk(p, `${prefix}${name}/`);
      } else out[`${prefix}${name}`] = `${(st.mode & 0o777).toString(8)} ${readFileSync(p, 'utf8')}`;
    }
  };
  walk(dir, '');
  return out;
}

/** A scratch directory with `out/` holding the OLD render plus files that are not vygen's. */
function prepared(): { root: string; out: string } {
  const root = mkdtempSync(join(tmpdir(), 'vygen-atomic-'));
  const out = join(root, 'out');
  expect(vygen(['render', OLD, '--redact', '-o', out]).status).to.equal(0);
  writeFileSync(join(out, 'README.md'), 'rendered by CI\n');
  writeFileSync(join(out, 'notes.vyos'), 'set system host-name hand-written\n'); // a .vyos file vygen did not write
  mkdirSync(join(out, 'docs'));
  writeFileSync(join(out, 'docs', 'x.txt'), 'x\n');
  return { root, out };
}

/** The state of `out` after a clean render of `topology` into a copy of the same start. */
function expectedAfter(topology: string, args: string[] = []): Record<string, string> {
  const { root, out } = prepared();
  expect(vygen(['render', topology, '--redact', '-o', out, ...args]).status).to.equal(0);
  const snap = snapshot(out);
  rmSync(root, { recursive: true, force: true });
  return snap;
}

function leftovers(root: string): string[] {
  return readdirSync(root).filter((n) => n !== 'out');
}

describe('atomic output', () => {
  it('a clean render replaces the vygen files, keeps the others, and reports the stale ones', () => {
    const { root, out } = prepared();
    const r = vygen(['render', NEW, '--redact', '-o', out]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/19 files are no longer rendered by fixtures\/lvs-with-routers\/topology\.yaml: frankfurt-hub-a\.vyos, .*\(--prune removes them\)/);
    const names = readdirSync(out).sort();
    expect(names).to.include.members(['README.md', 'notes.vyos', 'docs', 'frankfurt-hub-a.vyos', 'real-servers']);
    expect(readFileSync(join(out, 'notes.vyos'), 'utf8')).to.equal('set system host-name hand-written\n');
    expect(leftovers(root)).to.deep.equal([]);
  });

  it('--prune removes the stale vygen files and nothing else', () => {
    const { root, out } = prepared();
    const r = vygen(['render', NEW, '--redact', '-o', out, '--prune']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/removed 19 no longer rendered: frankfurt-hub-a\.vyos/);
    const rendered = spawnSync(process.execPath, [CLI, 'render', NEW, '--redact', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
    const paths = (JSON.parse(rendered.stdout).files as { path: string }[]).map((f) => f.path.split('/')[0]!);
    expect(readdirSync(out).sort()).to.deep.equal([...new Set([...paths, 'README.md', 'notes.vyos', 'docs'])].sort());
    // Pruning the real-server scripts of a render without LVS removes the emptied directory.
    expect(vygen(['render', OLD, '--redact', '-o', out, '--prune']).status).to.equal(0);
    expect(existsSync(join(out, 'real-servers'))).to.equal(false);
    expect(readFileSync(join(out, 'docs', 'x.txt'), 'utf8')).to.equal('x\n');
    expect(leftovers(root)).to.deep.equal([]);
  });

  it('--format json reports the stale and pruned files', () => {
    const { out } = prepared();
    const r = vygen(['render', NEW, '--redact', '-o', out, '--format', 'json']);
    const j = JSON.parse(r.stdout);
    expect(j.stale).to.have.length(19);
    expect(j.pruned).to.deep.equal([]);
  });

  it('an invalid topology leaves the directory unchanged', () => {
    const { root, out } = prepared();
    const before = snapshot(out);
    const r = vygen(['render', 'fixtures/err-addresses/topology.yaml', '--redact', '-o', out, '--prune']);
    expect(r.status).to.equal(1);
    expect(snapshot(out)).to.deep.equal(before);
    expect(leftovers(root)).to.deep.equal([]);
  });

  it('a failure in the middle of the commit is undone: the directory is unchanged', () => {
    // real-servers is a file here, so the commit fails after the routers'
    // files were already renamed into place; those renames are undone.
    const { root, out } = prepared();
    writeFileSync(join(out, 'real-servers'), 'in the way\n');
    const before = snapshot(out);
    const r = vygen(['render', NEW, '--redact', '-o', out, '--prune']);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/cannot write to .*: ENOTDIR \(nothing was changed in /);
    expect(snapshot(out)).to.deep.equal(before);
    expect(leftovers(root)).to.deep.equal([]);
  });

  it('a directory where a file must go is refused before anything changes', () => {
    const { out } = prepared();
    mkdirSync(join(out, 'tokyo-lb1.keepalived.conf'));
    writeFileSync(join(out, 'tokyo-lb1.keepalived.conf', 'mine'), 'x\n');
    const before = snapshot(out);
    const r = vygen(['render', NEW, '--redact', '-o', out]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('is a directory');
    expect(snapshot(out)).to.deep.equal(before);
  });

  it('a full disk (file size limit) leaves the directory unchanged', () => {
    const { root, out } = prepared();
    const before = snapshot(out);
    // ulimit -f: writes past 2 blocks fail with EFBIG (SIGXFSZ ignored, as a
    // full disk fails a write with ENOSPC): the staging step fails.
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 2 && exec "$0" "$@"`, process.execPath, CLI, 'render', NEW, '--redact', '-o', out], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/cannot write to .*EFBIG/);
    expect(snapshot(out)).to.deep.equal(before);
    expect(leftovers(root)).to.deep.equal([]);
  });

  it('an unwritable directory (not as root) leaves the directory unchanged', function () {
    if (process.getuid?.() === 0) {
      // root writes anyway; the two tests above make the same faults without permissions.
      this.skip();
    }
    const { out } = prepared();
    const before = snapshot(out);
    chmodSync(out, 0o555);
    try {
      const r = vygen(['render', NEW, '--redact', '-o', out]);
      expect(r.status).to.equal(2);
      expect(snapshot(out)).to.deep.equal(before);
    } finally {
      chmodSync(out, 0o755);
    }
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} in the middle of the commit: the directory is fully old or fully new, and the signal is reported`, async () => {
      const { root, out } = prepared();
      const before = snapshot(out);
      const after = expectedAfter(NEW, ['--prune']);
      // The commit pauses after its first rename until the marker exists: the
      // signal arrives mid-commit however loaded the machine is.
      const marker = join(root, 'go-on');
      const child = spawn(process.execPath, [...SLOW_COMMIT, CLI, 'render', NEW, '--redact', '-o', out, '--prune'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', SLOW_COMMIT_PAUSE: marker },
      });
      let stderr = '';
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      await new Promise<void>((paused) => {
        child.stderr.on('data', (b: Buffer) => {
          stderr += b.toString();
          if (stderr.includes('slow-commit: paused after 1 rename')) paused();
        });
      });
      child.kill(signal);
      writeFileSync(marker, '');
      const code = await exited;
      expect(code).to.equal(signal === 'SIGINT' ? 130 : 143);
      expect(stderr).to.include(`vygen: ${signal} while writing`);
      const now = snapshot(out);
      expect([JSON.stringify(before), JSON.stringify(after)], 'fully old or fully new').to.include(JSON.stringify(now));
      rmSync(marker);
      expect(leftovers(root)).to.deep.equal([]);
    });
  }

  // The files are rendered as they are staged (src/targets/deferred.ts): until the commit begins, a signal
  // ends the run at once, as it did while everything was rendered before the write.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while the files are rendered and staged: the run ends at once, the directory as it was, and the next run clears what it left`, async () => {
      const { root, out } = prepared();
      const before = snapshot(out);
      // Never created: a run that held the signal back would wait 10 s here, then commit and exit 128 + N.
      const marker = join(root, 'never');
      const child = spawn(process.execPath, [...SLOW_COMMIT, CLI, 'render', NEW, '--redact', '-o', out, '--prune'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', SLOW_COMMIT_STAGE_PAUSE: marker },
      });
      let stderr = '';
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('exit', (code, sig) => done([code, sig])));
      await new Promise<void>((paused) => {
        child.stderr.on('data', (b: Buffer) => {
          stderr += b.toString();
          if (stderr.includes('slow-commit: paused while staging')) paused();
        });
      });
      child.kill(signal);
      expect(await exited).to.deep.equal([null, signal]);
      expect(snapshot(out)).to.deep.equal(before);
      const again = vygen(['render', NEW, '--redact', '-o', out, '--prune']);
      expect(again.status, again.stderr).to.equal(0);
      expect(leftovers(root)).to.deep.equal([]);
      rmSync(root, { recursive: true, force: true });
    });
  }

  it('SIGKILL in the middle of the commit: the next run rolls the half-done commit back', async () => {
    const { root, out } = prepared();
    rmSync(join(out, 'notes.vyos')); // --check below would list it as not rendered
    const before = snapshot(out);
    const child = spawn(process.execPath, [...SLOW_COMMIT, CLI, 'render', NEW, '--redact', '-o', out, '--prune'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', SLOW_COMMIT_DELAY_MS: '40' },
    });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    await new Promise<void>((started) => child.stderr.on('data', (b: Buffer) => b.toString().includes('slow-commit: committing') && started()));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGKILL');
    await exited;
    expect(leftovers(root), 'the staging directory and its journal remain').to.have.length(1);
    expect(snapshot(out), 'half done').to.not.deep.equal(before);
    // --check changes nothing: it reports the half-done write and compares nothing.
    const half = snapshot(out);
    const check = vygen(['render', OLD, '--redact', '-o', out, '--check']);
    expect(check.status, check.stderr).to.equal(2);
    expect(check.stderr).to.match(/holds a write that was interrupted .*rolls it back first/);
    expect(snapshot(out)).to.deep.equal(half);
    expect(leftovers(root)).to.have.length(1);
    // The next write finds the leftover of a dead process and undoes it first.
    const recovery = recover(out, out, false);
    expect(recovery.done).to.deep.equal([`rolled back an interrupted write to ${out}`]);
    expect(snapshot(out)).to.deep.equal(before);
    expect(leftovers(root)).to.deep.equal([]);
    expect(vygen(['render', OLD, '--redact', '-o', out, '--check']).status).to.equal(0);
  });

  it('the library: a new directory is created, and an error before the commit leaves nothing behind', () => {
    const root = mkdtempSync(join(tmpdir(), 'vygen-atomic-'));
    const out = join(root, 'new', 'out');
    const r = writeAtomically(out, [{ path: 'a.vyos', device: 'a', kind: 'vyos', release: '1.4', content: '# vygen: router a\n' }, { path: 'real-servers/b.sh', device: 'b', kind: 'real-server-script', content: '#!/bin/sh\n# vygen: b\n' }]);
    expect(r.written).to.deep.equal(['a.vyos', 'real-servers/b.sh']);
    expect((statSync(join(out, 'real-servers', 'b.sh')).mode & 0o777).toString(8)).to.equal('755');
    expect(() => writeAtomically(join(root, 'new', 'out', 'a.vyos'), [])).to.throw(/not a directory/);
    expect(readdirSync(join(root, 'new'))).to.deep.equal(['out']);
  });

  it('an output directory that is a symlink is refused, naming it: a repository can commit one pointing anywhere', () => {
    const root = mkdtempSync(join(tmpdir(), 'vygen-atomic-'));
    mkdirSync(join(root, 'real'));
    mkdirSync(join(root, 'links'));
    symlinkSync(join(root, 'real'), join(root, 'links', 'out'));
    const r = vygen(['render', NEW, '--redact', '-o', join(root, 'links', 'out')]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal(`vygen: cannot write to ${join(root, 'links', 'out')}: ${join(root, 'links', 'out')} is a symbolic link: vygen writes and reads only regular files and directories in the output directory (remove the link) (nothing was changed in ${join(root, 'links', 'out')})\n`);
    expect(readdirSync(join(root, 'real'))).to.deep.equal([]);
    expect(readdirSync(root).sort()).to.deep.equal(['links', 'real']);
    // Its real path is written to.
    expect(vygen(['render', NEW, '--redact', '-o', join(root, 'real')]).status).to.equal(0);
    expect(readdirSync(join(root, 'real'))).to.include('tokyo-a.vyos');
  });

  it('only files named and headed like vygen output count as vygen\'s', () => {
    expect(owns('r1.vyos', '# vygen: router r1 (site s, active) -- VyOS 1.4 (sagitta)\n')).to.equal(true);
    expect(owns('r1.failover.sh', '#!/bin/sh\n# vygen: failover script of router r1\n')).to.equal(true);
    expect(owns('real-servers/w1.sh', '#!/bin/sh\n# vygen: real server w1\n')).to.equal(true);
    expect(owns('r1.serf.json', '{\n  "event_handlers": ["member-failed,member-leave=/config/scripts/vygen-serf-handler.sh"]\n')).to.equal(true);
    expect(owns('r1.vyos', 'set system host-name r1\n')).to.equal(false);
    expect(owns('deploy.sh', '#!/bin/sh\n# vygen: looks like ours\n')).to.equal(false);
    expect(owns('docs/r1.vyos', '# vygen: router r1\n')).to.equal(false);
  });
});
