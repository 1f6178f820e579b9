// Command-line conventions (issue 18 items 4 and 7): output that does not
// depend on the working directory, stdin, --version, one-line usage errors
// (JSON under --format json), diff --exit-code, --limit, stale diffs.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const SEED = join(ROOT, 'fixtures/seed-000/topology.yaml');
const tmp = () => mkdtempSync(join(tmpdir(), 'vygen-conv-'));

function vygen(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', input: opts.input ?? '', env: { PATH: process.env.PATH ?? '' } });
  expect(r.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  return r;
}

const line2 = (text: string) => text.split('\n')[1];

describe('line 2 of every file does not depend on the working directory', () => {
  it('inside a git work tree: the path from its root, from any directory and any spelling of the path', () => {
    const repo = tmp();
    spawnSync('git', ['init', '-q'], { cwd: repo });
    mkdirSync(join(repo, 'net', 'prod'), { recursive: true });
    copyFileSync(SEED, join(repo, 'net', 'prod', 'topology.yaml'));
    const runs = [
      vygen(['render', 'net/prod/topology.yaml', '--redact'], { cwd: repo }),
      vygen(['render', 'topology.yaml', '--redact'], { cwd: join(repo, 'net', 'prod') }),
      vygen(['render', '../prod/topology.yaml', '--redact'], { cwd: join(repo, 'net', 'prod') }),
      vygen(['render', join(repo, 'net/prod/topology.yaml'), '--redact'], { cwd: tmpdir() }),
    ];
    for (const r of runs) expect(r.status, r.stderr).to.equal(0);
    expect(line2(runs[0]!.stdout)).to.equal('# generated from net/prod/topology.yaml; edit the topology, not this file');
    for (const r of runs.slice(1)) expect(r.stdout).to.equal(runs[0]!.stdout);
  });

  it('render --check from another directory finds the files up to date', () => {
    const repo = tmp();
    spawnSync('git', ['init', '-q'], { cwd: repo });
    mkdirSync(join(repo, 'net'));
    copyFileSync(SEED, join(repo, 'net', 'topology.yaml'));
    expect(vygen(['render', 'net/topology.yaml', '--redact', '-o', 'net/out'], { cwd: repo }).status).to.equal(0);
    const check = vygen(['render', 'topology.yaml', '--redact', '--check', '-o', 'out'], { cwd: join(repo, 'net') });
    expect([check.status, check.stderr]).to.deep.equal([0, 'out: up to date (4 files)\n']);
  });

  it('outside git: the file name alone', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'a'));
    copyFileSync(SEED, join(dir, 'a', 'site.yaml'));
    const here = vygen(['render', 'site.yaml', '--redact'], { cwd: join(dir, 'a') });
    const above = vygen(['render', 'a/site.yaml', '--redact'], { cwd: dir });
    expect(line2(here.stdout)).to.equal('# generated from site.yaml; edit the topology, not this file');
    expect(above.stdout).to.equal(here.stdout);
  });

  it('- reads the topology from standard input, named <stdin>', () => {
    const r = vygen(['render', '-', '--redact'], { input: readFileSync(SEED, 'utf8') });
    expect(r.status, r.stderr).to.equal(0);
    expect(line2(r.stdout)).to.equal('# generated from <stdin>; edit the topology, not this file');
    const bad = vygen(['validate', '-'], { input: 'vygen: 1\nsites: {}\nbogus: 1\n' });
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.match(/^<stdin>:3:1: error unknown-key/);
  });
});

describe('command-line conventions', () => {
  it('--version and -V print the package version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect([vygen([flag]).status, vygen([flag]).stdout]).to.deep.equal([0, `${version}\n`]);
  });

  it('a usage error is one line pointing at --help, exit 2', () => {
    const r = vygen(['render', SEED, '--bogus']);
    expect([r.status, r.stdout, r.stderr]).to.deep.equal([2, '', "vygen: unknown option '--bogus' (see 'vygen render --help')\n"]);
    const missing = vygen(['validate']);
    expect([missing.status, missing.stderr]).to.deep.equal([2, "vygen: missing required argument 'topology' (see 'vygen validate --help')\n"]);
    const unknown = vygen(['rendr']);
    expect(unknown.status).to.equal(2);
    expect(unknown.stderr.trim().split('\n')).to.have.length(1);
    expect(unknown.stderr).to.match(/unknown command 'rendr'.*see 'vygen --help'/);
  });

  it('under --format json a usage error is a JSON answer on stdout', () => {
    const r = vygen(['render', SEED, '--format', 'json', '--bogus']);
    expect(r.status).to.equal(2);
    expect(JSON.parse(r.stdout)).to.deep.include({ command: 'render', ok: false, error: "unknown option '--bogus'" });
    const check = vygen(['render', SEED, '--check', '--format=json']);
    expect(check.status).to.equal(2);
    expect(JSON.parse(check.stdout).error).to.match(/^--check needs -o DIR/);
  });

  it('--wrap commit-confirm out of range says the range', () => {
    const r = vygen(['render', SEED, '--redact', '--wrap', 'commit-confirm=99999']);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('commit-confirm minutes must be 1 to 1440, not 99999');
  });

  it('vygen: 2 says the topology is written for a newer vygen, and nothing else', () => {
    const text = readFileSync(SEED, 'utf8').replace(/^vygen: 1$/m, 'vygen: 2').replace('defaults:', 'defaults:\n  future_key: 1');
    const r = vygen(['validate', '-'], { input: text });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/error format-too-new: vygen: this topology is written for a newer vygen/);
    expect(r.stderr).to.include('1 error, 0 warnings');
  });
});

describe('diff --exit-code, --limit and stale diffs', () => {
  const two = () => {
    const dir = tmp();
    const text = readFileSync(SEED, 'utf8');
    writeFileSync(join(dir, 'old.yaml'), text);
    writeFileSync(join(dir, 'new.yaml'), text.replace(/asn: 65001/, 'asn: 65011'));
    return dir;
  };

  it('--exit-code: 1 when a device changes, 0 when none does', () => {
    const dir = two();
    expect(vygen(['diff', 'old.yaml', 'new.yaml', '--redact', '--exit-code'], { cwd: dir }).status).to.equal(1);
    expect(vygen(['diff', 'old.yaml', 'new.yaml', '--redact'], { cwd: dir }).status).to.equal(0);
    expect(vygen(['diff', 'old.yaml', 'old.yaml', '--redact', '--exit-code'], { cwd: dir }).status).to.equal(0);
  });

  it('diff -o removes the earlier *.vyos-diff files of devices with no change now, and keeps other files', () => {
    const dir = two();
    expect(vygen(['diff', 'old.yaml', 'new.yaml', '--redact', '-o', 'd'], { cwd: dir }).status).to.equal(0);
    expect(readdirSync(join(dir, 'd')).sort()).to.deep.equal(['osaka-a.vyos-diff', 'osaka-s.vyos-diff', 'tokyo-a.vyos-diff', 'tokyo-s.vyos-diff']);
    writeFileSync(join(dir, 'd', 'notes.vyos-diff'), 'my own notes\n');
    const again = vygen(['diff', 'new.yaml', 'new.yaml', '--redact', '-o', 'd'], { cwd: dir });
    expect(again.status).to.equal(0);
    expect(again.stderr).to.include('removed 4 earlier diffs with no change now');
    expect(readdirSync(join(dir, 'd'))).to.deep.equal(['notes.vyos-diff']);
  });

  it('--limit renders or diffs only the devices named, and leaves the others\' files alone', () => {
    const dir = two();
    const r = vygen(['render', 'old.yaml', '--redact', '--limit', 'tokyo-a', 'osaka-s'], { cwd: dir });
    expect(r.status, r.stderr).to.equal(0);
    expect([...r.stdout.matchAll(/^# vygen: router (\S+)/gm)].map((m) => m[1])).to.deep.equal(['tokyo-a', 'osaka-s']);
    expect(vygen(['render', 'old.yaml', '--redact', '-o', 'out'], { cwd: dir }).status).to.equal(0);
    const one = vygen(['render', 'new.yaml', '--redact', '-o', 'out', '--limit', 'tokyo-a'], { cwd: dir });
    expect([one.status, one.stderr]).to.deep.equal([0, 'wrote 1 file to out\n']);
    expect(vygen(['render', 'new.yaml', '--redact', '-o', 'out', '--check', '--limit', 'tokyo-a'], { cwd: dir }).status).to.equal(0);
    expect(vygen(['render', 'old.yaml', '--redact', '-o', 'out', '--check', '--limit', 'osaka-a'], { cwd: dir }).status).to.equal(0);
    const diff = vygen(['diff', 'old.yaml', 'new.yaml', '--redact', '--limit', 'tokyo-s,osaka-a'], { cwd: dir });
    expect([...diff.stdout.matchAll(/^# vygen diff: router (\S+)/gm)].map((m) => m[1]).sort()).to.deep.equal(['osaka-a', 'tokyo-s']);
  });

  it('--limit with a device not in the topology is a usage error with a suggestion', () => {
    const r = vygen(['render', SEED, '--redact', '--limit', 'tokyo-x']);
    expect([r.status, r.stdout]).to.deep.equal([2, '']);
    expect(r.stderr).to.equal(`vygen: --limit: no device "tokyo-x" in the topology (did you mean "tokyo-a"?) (see 'vygen render --help')\n`);
    expect(vygen(['render', SEED, '--redact', '-o', join(tmp(), 'o'), '--prune', '--limit', 'tokyo-a']).status).to.equal(2);
  });
});
