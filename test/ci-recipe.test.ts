// The CI recipe (examples/ci/vygen.yml) as GitHub Actions would run it: the
// steps with an `id` run with bash, in a scratch clone whose pull-request
// branch edits the topology, against the `origin/main` it branched from.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { ROOT } from './helpers/golden.js';

interface Step {
  id?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Workflow {
  on: { pull_request?: unknown };
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: { vygen: { steps: Step[]; defaults?: { run?: { shell?: string } } } };
}

const workflow = yaml.load(readFileSync(join(ROOT, 'examples/ci/vygen.yml'), 'utf8')) as Workflow;
const steps = workflow.jobs.vygen.steps;
const GITHUB = { base_ref: 'main' };

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.invalid', '-c', 'user.name=ci', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  expect(r.status, `git ${args.join(' ')}: ${r.stderr}`).to.equal(0);
  return r.stdout;
}

/** `${{ github.x }}` in a step's env; any other expression in a run script is a test failure. */
function expand(v: string): string {
  return v.replace(/\$\{\{\s*github\.(\w+)\s*\}\}/g, (_, k: string) => {
    const value = (GITHUB as Record<string, string>)[k];
    expect(value, `the test knows github.${k}`).to.be.a('string');
    return value!;
  });
}

/** A repository as a pull request sees it: origin/main has `base`, the checked-out branch has `head`, rendered or not. */
function scratch(base: string, head: string, renderHead: boolean): { dir: string; bin: string } {
  const top = mkdtempSync(join(tmpdir(), 'vygen-ci-'));
  const origin = join(top, 'origin');
  mkdirSync(join(origin, 'network'), { recursive: true });
  git(origin, 'init', '-q');
  writeFileSync(join(origin, 'network', 'topology.yaml'), readFileSync(join(ROOT, base)));
  vygen(origin, 'render', 'network/topology.yaml', '--redact', '-o', 'network/rendered');
  git(origin, 'add', '.');
  git(origin, 'commit', '-qm', 'base');
  const dir = join(top, 'pr');
  git(top, 'clone', '-q', origin, dir);
  git(dir, 'checkout', '-qb', 'change');
  writeFileSync(join(dir, 'network', 'topology.yaml'), readFileSync(join(ROOT, head)));
  if (renderHead) vygen(dir, 'render', 'network/topology.yaml', '--redact', '-o', 'network/rendered');
  git(dir, 'commit', '-qam', 'change');
  // `vygen` on PATH, as `npm ci` + $GITHUB_PATH make it in the workflow.
  const bin = join(top, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'vygen'), `#!/bin/sh\nexec '${process.execPath}' '${join(ROOT, 'dist', 'cli.js')}' "$@"\n`);
  chmodSync(join(bin, 'vygen'), 0o755);
  return { dir, bin };
}

function vygen(cwd: string, ...args: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
}

function runStep(id: string, repo: { dir: string; bin: string }) {
  const step = steps.find((s) => s.id === id);
  expect(step?.run, `step ${id}`).to.be.a('string');
  expect(step!.run, 'no expressions inside run scripts').to.not.include('${{');
  const env: Record<string, string> = { PATH: `${repo.bin}:${process.env.PATH ?? ''}`, HOME: repo.dir, ...workflow.env };
  for (const [k, v] of Object.entries(step!.env ?? {})) env[k] = expand(v);
  // GitHub runs `shell: bash` as `bash --noprofile --norc -eo pipefail {0}`.
  return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step!.run!], { cwd: repo.dir, encoding: 'utf8', env });
}

describe('CI recipe (examples/ci/vygen.yml)', () => {
  it('is a pull-request workflow that may comment, with bash steps and a full clone', () => {
    expect(workflow.on).to.have.property('pull_request');
    expect(workflow.permissions['pull-requests']).to.equal('write');
    expect(workflow.jobs.vygen.defaults?.run?.shell).to.equal('bash');
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect((checkout as { with?: { 'fetch-depth'?: number } }).with?.['fetch-depth'], 'diff --base needs the base branch').to.equal(0);
    expect(steps.filter((s) => s.id).map((s) => s.id)).to.deep.equal(['validate', 'check', 'diff', 'comment-body']);
    expect(steps[steps.length - 1]!.uses).to.match(/^actions\/github-script@/);
  });

  it('a re-rendered change: validates, the render is current, the comment shows the diff and the graph', () => {
    const repo = scratch('fixtures/diff-sequence/step-1/topology.yaml', 'fixtures/diff-sequence/step-2/topology.yaml', true);
    for (const id of ['validate', 'check', 'diff', 'comment-body']) {
      const r = runStep(id, repo);
      expect(r.status, `${id}: ${r.stderr}`).to.equal(0);
    }
    const diff = readFileSync(join(repo.dir, 'vygen-diff.txt'), 'utf8');
    expect(diff).to.include("# vygen diff: router tokyo-a (site tokyo, active) -- VyOS 1.4 (sagitta)\n# from origin/main:network/topology.yaml to network/topology.yaml: 0 deletes, 2 sets");
    expect(diff.split('\n').filter((l) => l.startsWith('set ') || l.startsWith('delete '))).to.deep.equal([
      "set interfaces tunnel tun0 ip adjust-mss '1340'",
      "set interfaces tunnel tun0 mtu '1380'",
      "set interfaces tunnel tun0 ip adjust-mss '1340'",
      "set interfaces tunnel tun0 mtu '1380'",
    ]);
    const comment = readFileSync(join(repo.dir, 'vygen-comment.md'), 'utf8');
    expect(comment.startsWith('<!-- vygen-diff -->\n**vygen** `network/topology.yaml`: diff: 2 changed (tokyo-a, osaka-a), 3 unchanged\n')).to.equal(true);
    expect(comment).to.include("```sh\n# vygen diff: router tokyo-a");
    expect(comment).to.include('```mermaid\nflowchart LR\n');
  });

  it('a change committed without re-rendering fails the check step, and the diff still comments', () => {
    const repo = scratch('fixtures/diff-sequence/step-3/topology.yaml', 'fixtures/diff-sequence/step-4/topology.yaml', false);
    expect(runStep('validate', repo).status).to.equal(0);
    const check = runStep('check', repo);
    expect(check.status, check.stderr).to.equal(1);
    expect(check.stdout).to.include('--- network/rendered/tokyo-a.vyos\tcommitted\n+++ network/rendered/tokyo-a.vyos\trendered now');
    expect(check.stderr).to.include('network/rendered: stale, tokyo-a.vyos differs, tokyo-s.vyos differs');
    // The diff step runs after a failed check (its `if:`), and shows the role swap.
    expect(steps.find((s) => s.id === 'diff')!.if).to.include("steps.validate.outcome == 'success'");
    expect(runStep('diff', repo).status).to.equal(0);
    expect(readFileSync(join(repo.dir, 'vygen-diff.txt'), 'utf8')).to.include('delete policy route-map RM-TOKYO-STANDBY-IN');
  });

  it('an invalid topology fails the validate step with the diagnostic and its source line', () => {
    const repo = scratch('fixtures/diff-sequence/step-1/topology.yaml', 'fixtures/err-references/topology.yaml', false);
    const r = runStep('validate', repo);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^network\/topology\.yaml:\d+:\d+: error /m);
    expect(r.stderr).to.match(/^ +\d+ \| .*\n +\| +\^$/m);
  });
});
