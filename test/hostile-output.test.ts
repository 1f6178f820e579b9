// A pull request controls everything in its checkout, the render directory
// included: a committed staging directory with a journal, symlinks, FIFOs,
// huge files, names with terminal escapes. Each case builds the malicious
// tree in a scratch directory (a fake checkout `repo/` beside a `victim/`
// directory standing for the rest of the machine) and checks that `render
// --check`, `render -o`, `render -o --prune` and `diff -o` leave everything
// outside the output directory byte for byte as it was.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { recover } from '../dist/emit/recover.js';
import { claimStaging } from '../dist/emit/runtime.js';
import { ROOT } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');
// Preloaded to slow or pause the commit's renames (test/helpers/slow-commit.ts).
const SLOW_COMMIT = ['--import', pathToFileURL(join(ROOT, 'dist-test', 'helpers', 'slow-commit.js')).href];

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

const LVS = 'fixtures/lvs-with-routers/topology.yaml'; // routers, keepalived files, real-servers/*.sh

function vygen(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });
  expect(r.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  expect(r.signal, 'not killed by the timeout').to.equal(null);
  return r;
}

/** Everything below dir, without following links: content, mode, link targets. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[`${prefix}${name}`] = `link -> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[`${prefix}${name}/`] = `dir ${mode}`;
        walk(p, `${prefix}${name}/`);
      } else if (st.isFile()) out[`${prefix}${name}`] = `${mode} ${st.size > 1 << 20 ? `${st.size} bytes` : readFileSync(p, 'utf8')}`;
      else out[`${prefix}${name}`] = `special ${mode}`;
    }
  };
  walk(dir, '');
  return out;
}

interface Scene {
  root: string;
  repo: string;
  out: string;
  victim: string;
}

/** root/repo (the checkout: topology.yaml, out/ rendered from it) and root/victim (everything else). */
function scene(): Scene {
  const root = scratch(join(tmpdir(), 'vygen-hostile-'));
  const repo = join(root, 'repo');
  const victim = join(root, 'victim');
  mkdirSync(repo);
  mkdirSync(victim);
  copyFileSync(join(ROOT, LVS), join(repo, 'topology.yaml'));
  writeFileSync(join(victim, 'important.txt'), 'precious\n');
  writeFileSync(join(victim, 'tool'), '#!/bin/sh\necho genuine\n', { mode: 0o755 });
  mkdirSync(join(victim, 'profile.d'));
  const out = join(repo, 'out');
  const r = vygen(['render', 'topology.yaml', '--redact', '-o', 'out'], repo);
  expect(r.status, r.stderr).to.equal(0);
  return { root, repo, out, victim };
}

/** The four commands of the issue, each run on the scene; returns their results. */
function everyCommand(s: Scene) {
  return [
    ['render', 'topology.yaml', '--redact', '-o', 'out', '--check'],
    ['render', 'topology.yaml', '--redact', '-o', 'out'],
    ['render', 'topology.yaml', '--redact', '-o', 'out', '--prune'],
    ['diff', 'topology.yaml', 'topology.yaml', '--redact', '-o', 'out'],
  ].map((args) => ({ args: args.join(' '), r: vygen(args, s.repo) }));
}

/** A staging directory as a repository can commit it, in today's journal format. */
function committedStaging(s: Scene, files: string[], old: Record<string, string> = {}): string {
  const staging = join(s.repo, '.out.vygen-AAAAAA');
  mkdirSync(staging);
  writeFileSync(join(staging, 'owner'), '999999\n');
  for (const [p, content] of Object.entries(old)) {
    mkdirSync(join(staging, 'old', p, '..'), { recursive: true });
    writeFileSync(join(staging, 'old', p), content, { mode: 0o755 });
  }
  writeFileSync(join(staging, 'journal.json'), `${JSON.stringify({ target: s.out, created: false, files, prune: [] })}\n`);
  return staging;
}

describe('hostile output directory', () => {
  describe('1. a committed staging directory is never acted on', () => {
    it('a journal naming ../../victim/important.txt deletes nothing, under every command', () => {
      const s = scene();
      const staging = committedStaging(s, ['../../victim/important.txt', 'tokyo-a.vyos']);
      const victim = snapshot(s.victim);
      const stagingBefore = snapshot(staging);
      for (const { args, r } of everyCommand(s)) {
        expect(r.status, `${args}: ${r.stderr}`).to.equal(0);
        expect(r.stderr, args).to.include('vygen did not create it on this machine: left alone');
        expect(snapshot(s.victim), args).to.deep.equal(victim);
        expect(snapshot(staging), args).to.deep.equal(stagingBefore);
      }
    });

    it('a journal with attacker content in old/ replaces no executable outside the checkout', () => {
      const s = scene();
      // old/../../victim/tool resolves to repo/victim/tool, moved "back" to root/victim/tool.
      mkdirSync(join(s.repo, 'victim'));
      writeFileSync(join(s.repo, 'victim', 'tool'), '#!/bin/sh\necho pwned\n', { mode: 0o755 });
      committedStaging(s, ['../../victim/tool']);
      const victim = snapshot(s.victim);
      for (const { args, r } of everyCommand(s)) {
        expect(r.status, `${args}: ${r.stderr}`).to.equal(0);
        expect(snapshot(s.victim), args).to.deep.equal(victim);
      }
      expect(readFileSync(join(s.victim, 'tool'), 'utf8')).to.include('genuine');
    });

    it('a staging directory whose owner file is a link or a FIFO is left alone too (no exit 2 for everyone)', () => {
      const s = scene();
      const staging = committedStaging(s, ['../../victim/important.txt']);
      rmSync(join(staging, 'owner'));
      symlinkSync('/dev/zero', join(staging, 'owner'));
      for (const { args, r } of everyCommand(s)) {
        expect(r.status, `${args}: ${r.stderr}`).to.equal(0);
        expect(r.stderr, args).to.include('left alone');
      }
    });

    it('--check modifies nothing at all, even beside a staging directory', () => {
      const s = scene();
      committedStaging(s, ['../../victim/important.txt']);
      const all = snapshot(s.root);
      const r = vygen(['render', 'topology.yaml', '--redact', '-o', 'out', '--check'], s.repo);
      expect(r.status, r.stderr).to.equal(0);
      expect(snapshot(s.root)).to.deep.equal(all);
    });

    it("a journal of this machine's own staging directory is refused when it names .., an absolute path or a symlinked path", () => {
      for (const bad of ['../../victim/important.txt', `${join('/', 'etc', 'passwd')}`, 'real-servers/../../../victim/important.txt', 'real-servers/w1.sh']) {
        const s = scene();
        if (bad === 'real-servers/w1.sh') {
          rmSync(join(s.out, 'real-servers'), { recursive: true });
          symlinkSync(s.victim, join(s.out, 'real-servers'));
          writeFileSync(join(s.victim, 'w1.sh'), 'victim\n');
        }
        const staging = join(s.repo, '.out.vygen-BBBBBB');
        mkdirSync(join(staging, 'old', 'real-servers'), { recursive: true });
        writeFileSync(join(staging, 'old', 'real-servers', 'w1.sh'), 'attacker\n');
        writeFileSync(join(staging, 'owner'), deadOwner(claimStaging(staging, s.out).ownerFile));
        writeFileSync(join(staging, 'journal.json'), JSON.stringify({ version: 1, target: s.out, created: false, files: [bad], prune: [], existed: [] }));
        const victim = snapshot(s.victim);
        const r = vygen(['render', 'topology.yaml', '--redact', '-o', 'out'], s.repo);
        expect(r.status, bad).to.equal(2);
        expect(r.stderr, bad).to.match(/is not one vygen wrote|is a symbolic link/);
        expect(snapshot(s.victim), bad).to.deep.equal(victim);
      }
    });

    it('a staging directory that git tracks is left alone, even with a valid owner record', function () {
      if (spawnSync('git', ['--version']).status !== 0) this.skip();
      const s = scene();
      const staging = join(s.repo, '.out.vygen-CCCCCC');
      mkdirSync(staging);
      writeFileSync(join(staging, 'owner'), deadOwner(claimStaging(staging, s.out).ownerFile));
      writeFileSync(join(staging, 'journal.json'), JSON.stringify({ version: 1, target: s.out, created: false, files: ['tokyo-a.vyos'], prune: [], existed: [] }));
      const git = (...a: string[]) => spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...a], { cwd: s.repo, encoding: 'utf8' });
      git('init', '-q');
      git('add', '.out.vygen-CCCCCC');
      const before = snapshot(s.out);
      const r = vygen(['render', 'topology.yaml', '--redact', '-o', 'out'], s.repo);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stderr).to.include('left alone');
      expect(existsSync(join(staging, 'journal.json'))).to.equal(true);
      expect(snapshot(s.out)).to.deep.equal(before);
    });
  });

  describe('2. symlinks under the output directory are refused, naming them', () => {
    it('out/real-servers -> a directory elsewhere receives nothing, under every command', () => {
      const s = scene();
      rmSync(join(s.out, 'real-servers'), { recursive: true });
      symlinkSync(join(s.victim, 'profile.d'), join(s.out, 'real-servers'));
      const victim = snapshot(s.victim);
      for (const { args, r } of everyCommand(s)) {
        expect(r.status, `${args}: ${r.stdout}`).to.equal(2);
        expect(r.stderr, args).to.include('out/real-servers is a symbolic link');
        expect(snapshot(s.victim), args).to.deep.equal(victim);
      }
    });

    it('a rendered file that is a link, and a committed output directory that is a link, are refused', () => {
      const s = scene();
      rmSync(join(s.out, 'tokyo-a.vyos'));
      symlinkSync(join(s.victim, 'important.txt'), join(s.out, 'tokyo-a.vyos'));
      const victim = snapshot(s.victim);
      for (const { args, r } of everyCommand(s)) {
        expect(r.status, args).to.equal(2);
        expect(r.stderr, args).to.include('out/tokyo-a.vyos is a symbolic link');
      }
      expect(snapshot(s.victim)).to.deep.equal(victim);
      rmSync(s.out, { recursive: true });
      symlinkSync(join(s.victim, 'profile.d'), s.out);
      for (const { args, r } of everyCommand(s)) {
        expect(r.status, args).to.equal(2);
        expect(r.stderr, args).to.include('out is a symbolic link');
      }
      expect(snapshot(s.victim)).to.deep.equal(victim);
    });
  });

  describe('3. --check reads regular files only, bounded, with clean diagnostics', () => {
    const cases: [string, (s: Scene) => void, RegExp][] = [
      ['a link to a secret file', (s) => link(s, join(s.repo, 'secret.env')), /out\/tokyo-a\.vyos is a symbolic link/],
      ['a link to /dev/zero', (s) => link(s, '/dev/zero'), /is a symbolic link/],
      ['a dangling link', (s) => link(s, join(s.root, 'nowhere')), /is a symbolic link/],
      ['a link loop', (s) => link(s, join(s.out, 'tokyo-a.vyos')), /is a symbolic link/],
      ['a link to /etc', (s) => link(s, '/etc'), /is a symbolic link/],
      ['a FIFO', (s) => fifo(s), /out\/tokyo-a\.vyos is not a regular file/],
    ];
    for (const [what, plant, message] of cases) {
      it(`${what}: exit 2 naming it, nothing read through it`, () => {
        const s = scene();
        writeFileSync(join(s.repo, 'secret.env'), 'AWS_SECRET=Zq9-do-not-print\n');
        plant(s);
        const r = vygen(['render', 'topology.yaml', '--redact', '-o', 'out', '--check'], s.repo);
        expect(r.status).to.equal(2);
        expect(r.stderr).to.match(message);
        expect(r.stdout + r.stderr).to.not.include('Zq9');
      });
    }

    it('a huge committed file is read only up to the limit and reported as differing', () => {
      const s = scene();
      truncateSync(join(s.out, 'tokyo-a.vyos'), 8 * 1024 * 1024 * 1024); // sparse: 8 GiB of NUL
      const r = spawnSync('sh', ['-c', `ulimit -v 2000000 && exec "$0" "$@"`, process.execPath, CLI, 'render', 'topology.yaml', '--redact', '-o', 'out', '--check'], { cwd: s.repo, encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stdout).to.include('(larger than 64 MiB: not shown)');
      expect(r.stderr).to.include('tokyo-a.vyos differs');
    });

    it('an unreadable subdirectory is a diagnostic (not as root)', function () {
      if (process.getuid?.() === 0) this.skip();
      const s = scene();
      chmodSync(join(s.out, 'real-servers'), 0);
      try {
        const r = vygen(['render', 'topology.yaml', '--redact', '-o', 'out', '--check'], s.repo);
        expect(r.status).to.equal(2);
        expect(r.stderr).to.include('cannot read out/real-servers');
      } finally {
        chmodSync(join(s.out, 'real-servers'), 0o755);
      }
    });
  });

  describe('9. write integrity', () => {
    it('a second render into a directory being written is refused while the first runs (a lock), and the first completes', async () => {
      const s = scene();
      const first = spawn(process.execPath, [...SLOW_COMMIT, CLI, 'render', join(ROOT, 'examples/multi-region-hub/topology.yaml'), '--redact', '-o', 'out', '--prune'], {
        cwd: s.repo,
        env: { PATH: process.env.PATH ?? '', SLOW_COMMIT_DELAY_MS: '10' },
      });
      const exited = new Promise<number | null>((done) => first.on('exit', (code) => done(code)));
      await new Promise<void>((started) => first.stderr.on('data', (b: Buffer) => b.toString().includes('slow-commit: committing') && started()));
      // Held in the middle of its commit (not raced against a timer) while the second one runs.
      first.kill('SIGSTOP');
      const second = vygen(['render', 'topology.yaml', '--redact', '-o', 'out'], s.repo);
      first.kill('SIGCONT');
      expect(second.status).to.equal(2);
      expect(second.stderr).to.match(/another vygen \(pid \d+\) is writing out; run again when it has finished/);
      expect(await exited).to.equal(0);
      const check = vygen(['render', join(ROOT, 'examples/multi-region-hub/topology.yaml'), '--redact', '-o', 'out', '--check'], s.repo);
      expect(check.status, check.stdout).to.equal(0);
    });

    /** out/ half-committed by a render killed with SIGKILL (the test hook slows the commit); `before`: out/ before that render. */
    async function killedMidCommit(s: Scene): Promise<{ staging: string; before: Record<string, string> }> {
      // Every file changes, so each has an old file to move aside: the .vyos headers name the
      // release, and the others are made to differ (an identical file is not rewritten).
      for (const f of readdirSync(s.out, { recursive: true, encoding: 'utf8' })) {
        if (lstatSync(join(s.out, f)).isFile()) writeFileSync(join(s.out, f), `${readFileSync(join(s.out, f), 'utf8')}\n`);
      }
      const before = snapshot(s.out);
      const child = spawn(process.execPath, [...SLOW_COMMIT, CLI, 'render', 'topology.yaml', '--release', '1.5', '--redact', '-o', 'out'], {
        cwd: s.repo,
        env: { PATH: process.env.PATH ?? '', SLOW_COMMIT_DELAY_MS: '100' },
      });
      const exited = new Promise<void>((done) => child.on('exit', () => done()));
      let seen = '';
      await new Promise<void>((started) => child.stderr.on('data', (b: Buffer) => (seen += b.toString()).includes('slow-commit: committing') && started()));
      const staging = join(s.repo, readdirSync(s.repo).find((n) => n.startsWith('.out.vygen-'))!);
      // Killed once its commit has moved a few old files aside: synchronised on the commit's own effect.
      while ((existsSync(join(staging, 'old')) ? readdirSync(join(staging, 'old')).length : 0) < 4) await new Promise((r) => setImmediate(r));
      child.kill('SIGKILL');
      await exited;
      expect(readdirSync(s.repo).filter((n) => n.startsWith('.out.vygen-'))).to.have.length(1);
      return { staging, before };
    }

    it('a rollback interrupted itself is finished by the next run, without deleting restored files', async () => {
      const s = scene();
      const { staging, before } = await killedMidCommit(s);
      // Do what a rollback killed half-way did: some old files are back in place already.
      const journal = JSON.parse(readFileSync(join(staging, 'journal.json'), 'utf8')) as { existed: string[] };
      const aside = journal.existed.filter((p) => existsSync(join(staging, 'old', p)));
      expect(aside.length).to.be.above(1);
      for (const p of aside.slice(0, Math.ceil(aside.length / 2))) renameSync(join(staging, 'old', p), join(s.out, p));
      const recovery = recover(s.out, 'out', false);
      expect(recovery.done).to.deep.equal(['rolled back an interrupted write to out']);
      expect(snapshot(s.out)).to.deep.equal(before);
      expect(readdirSync(s.repo).filter((n) => n.startsWith('.out.vygen-'))).to.deep.equal([]);
    });

    it('a corrupt journal is a diagnostic with a way out, for --check and render -o', async () => {
      const s = scene();
      const { staging } = await killedMidCommit(s);
      writeFileSync(join(staging, 'journal.json'), '{"version": 1, "tar');
      for (const args of [['render', 'topology.yaml', '--redact', '-o', 'out', '--check'], ['render', 'topology.yaml', '--redact', '-o', 'out']]) {
        const r = vygen(args, s.repo);
        expect(r.status, args.join(' ')).to.equal(2);
        expect(r.stderr).to.include('journal.json, is not valid JSON: out may be half-written');
        expect(r.stderr).to.include('/old: restore what you need from there, then remove');
      }
      rmSync(staging, { recursive: true });
      expect(vygen(['render', 'topology.yaml', '--redact', '-o', 'out'], s.repo).status).to.equal(0);
    });
  });

  describe('10. names from the file system are printed escaped', () => {
    it('a committed file named with ESC sequences cannot repaint the terminal', () => {
      const s = scene();
      const evil = '\u001b[1A\u001b[2Kout: up to date (19 files)\u001b[8m.vyos';
      writeFileSync(join(s.out, evil), '# vygen: router x\n');
      const r = vygen(['render', 'topology.yaml', '--redact', '-o', 'out', '--check'], s.repo);
      expect(r.status).to.equal(1);
      expect(r.stdout + r.stderr).to.not.match(/\u001b/);
      expect(r.stderr).to.include('\\u001b[1A\\u001b[2Kout: up to date (19 files)\\u001b[8m.vyos is not rendered any more');
      const p = vygen(['render', 'topology.yaml', '--redact', '-o', 'out'], s.repo);
      expect(p.stderr).to.not.match(/\u001b/);
      expect(p.stderr).to.include('\\u001b[1A');
    });

    it('so is a topology file name', () => {
      const s = scene();
      const name = 'topo\u001b]0;owned\u0007.yaml';
      copyFileSync(join(s.repo, 'topology.yaml'), join(s.repo, name));
      writeFileSync(join(s.out, 'gone.vyos'), '# vygen: router gone\n');
      const r = vygen(['render', name, '--redact', '-o', 'out', '--check'], s.repo);
      expect(r.status).to.equal(1);
      expect(r.stdout + r.stderr).to.not.match(/[\u0007\u001b]/);
      expect(r.stderr).to.include('render again with: vygen render topo\\u001b]0;owned\\u0007.yaml --redact -o out --prune');
      // And in diagnostics, which name the file first.
      writeFileSync(join(s.repo, name), 'vygen: 1\nsites: 3\n');
      const bad = vygen(['validate', name], s.repo);
      expect(bad.status).to.equal(1);
      expect(bad.stderr).to.not.match(/[\u0007\u001b]/);
      expect(bad.stderr).to.include('topo\\u001b]0;owned\\u0007.yaml:2:');
    });
  });
});

/** An owner file as a process that has exited left it (claimed in this process, which is alive). */
function deadOwner(ownerFile: string): string {
  return JSON.stringify({ ...JSON.parse(ownerFile), pid: spawnSync('true').pid });
}

function link(s: Scene, to: string): void {
  rmSync(join(s.out, 'tokyo-a.vyos'));
  symlinkSync(to, join(s.out, 'tokyo-a.vyos'));
}

function fifo(s: Scene): void {
  rmSync(join(s.out, 'tokyo-a.vyos'));
  expect(spawnSync('mkfifo', [join(s.out, 'tokyo-a.vyos')]).status).to.equal(0);
}
