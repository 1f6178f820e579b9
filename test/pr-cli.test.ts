// The pull-request commands as a user runs them: vygen diff (two files, or
// --base from git), --wrap, --format json, render --check, vygen graph, and
// diagnostics with the source line, a caret and colour.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyText, canonicalLines, DIALECTS, MultiValued, treeOf } from '../dist/index.js';
import { FIXTURES, ROOT, matchGolden } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');

function vygen(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...opts.env } });
  expect(r.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  return r;
}

const STEP = (n: number) => `fixtures/diff-sequence/step-${n}/topology.yaml`;
const SEED = 'fixtures/seed-000/topology.yaml';
const tmp = () => mkdtempSync(join(tmpdir(), 'vygen-pr-'));
const ESC = '\u001b[';

function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
}

describe('vygen diff', () => {
  it('prints the changed routers only, with headers, and a summary on stderr', () => {
    const r = vygen(['diff', STEP(1), STEP(2), '--redact']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(
      [
        '# vygen diff: router tokyo-a (site tokyo, active) -- VyOS 1.4 (sagitta)',
        `# from ${STEP(1)} to ${STEP(2)}: 0 deletes, 2 sets`,
        '# secrets are redacted: REDACTED:<kind>:<name> stands for the key named in the topology',
        '',
        "set interfaces tunnel tun0 ip adjust-mss '1340'",
        "set interfaces tunnel tun0 mtu '1380'",
        '',
        '# vygen diff: router osaka-a (site osaka, active) -- VyOS 1.4 (sagitta)',
        `# from ${STEP(1)} to ${STEP(2)}: 0 deletes, 2 sets`,
        '# secrets are redacted: REDACTED:<kind>:<name> stands for the key named in the topology',
        '',
        "set interfaces tunnel tun0 ip adjust-mss '1340'",
        "set interfaces tunnel tun0 mtu '1380'",
        '',
      ].join('\n'),
    );
    expect(r.stderr).to.equal('diff: 2 changed (tokyo-a, osaka-a), 3 unchanged\n');
  });

  it('names added and removed routers; no changes at all is said so', () => {
    const added = vygen(['diff', STEP(0), STEP(1), '--redact']);
    expect(added.stdout).to.include('# new router: not in fixtures/diff-sequence/step-0/topology.yaml; its whole configuration, 61 sets\n');
    expect(added.stderr).to.equal('diff: 1 changed (tokyo-a), 1 added (sg-1), 3 unchanged\n');
    const removed = vygen(['diff', STEP(6), STEP(7), '--redact']);
    expect(removed.stdout).to.include('# vygen diff: router sg-1 (site singapore, active) -- VyOS 1.4 (sagitta)\n# removed router: not in fixtures/diff-sequence/step-7/topology.yaml; no commands');
    expect(removed.stderr).to.equal('diff: 1 changed (tokyo-a), 1 removed (sg-1), 3 unchanged\n');
    const none = vygen(['diff', STEP(3), STEP(3), '--redact']);
    expect([none.status, none.stdout, none.stderr]).to.deep.equal([0, '', 'diff: no changes (5 unchanged)\n']);
  });

  it('-o writes one <router>.vyos-diff per changed, added or removed router', () => {
    const out = join(tmp(), 'd');
    const r = vygen(['diff', STEP(6), STEP(7), '--redact', '-o', out]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('');
    expect(readdirSync(out).sort()).to.deep.equal(['sg-1.vyos-diff', 'tokyo-a.vyos-diff']);
    expect(readFileSync(join(out, 'tokyo-a.vyos-diff'), 'utf8')).to.equal(readFileSync(join(FIXTURES, 'diff-sequence/expected/step-7/tokyo-a.vyos-diff'), 'utf8'));
    expect(r.stderr).to.equal(`diff: 1 changed (tokyo-a), 1 removed (sg-1), 3 unchanged; wrote 2 files to ${out}\n`);
  });

  it('--base REF reads the old topology from git', () => {
    const repo = tmp();
    git(repo, 'init', '-q');
    mkdirSync(join(repo, 'net'));
    writeFileSync(join(repo, 'net', 'topology.yaml'), readFileSync(join(ROOT, STEP(4))));
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    writeFileSync(join(repo, 'net', 'topology.yaml'), readFileSync(join(ROOT, STEP(5))));
    const r = vygen(['diff', '--base', 'HEAD', 'net/topology.yaml', '--redact'], { cwd: repo });
    expect(r.status, r.stderr).to.equal(0);
    const files = readdirSync(join(FIXTURES, 'diff-sequence/expected/step-5')).sort();
    // Same commands as the golden, the header naming the git revision.
    const expected = files.map((f) => readFileSync(join(FIXTURES, 'diff-sequence/expected/step-5', f), 'utf8').replaceAll(STEP(4), 'HEAD:net/topology.yaml').replaceAll(STEP(5), 'net/topology.yaml'));
    expect(r.stdout.split('\n\n# vygen diff').length).to.equal(files.length);
    for (const e of expected) expect(r.stdout).to.include(e);
    // From a sub-directory, with the file named relative to it: the same output.
    const sub = vygen(['diff', '--base', 'HEAD', 'topology.yaml', '--redact'], { cwd: join(repo, 'net') });
    expect(sub.status, sub.stderr).to.equal(0);
    expect(sub.stdout).to.equal(r.stdout);
  });

  it('git trouble is a clear message and exit 2', () => {
    const repo = tmp();
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'topology.yaml'), readFileSync(join(ROOT, STEP(1))));
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    writeFileSync(join(repo, 'new.yaml'), readFileSync(join(ROOT, STEP(1))));
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [['--base', 'no-such-branch', 'topology.yaml'], /^vygen: cannot read topology\.yaml at no-such-branch: invalid object name 'no-such-branch'/],
      [['--base', 'HEAD', 'new.yaml'], /^vygen: cannot read new\.yaml at HEAD: path 'new\.yaml' exists on disk, but not in 'HEAD'/],
      [['--base', 'HEAD', 'missing.yaml'], /^vygen: cannot read missing\.yaml: no such file/],
      [['--base', '--upload-pack=x', 'topology.yaml'], /^vygen: --base "--upload-pack=x" is not a git revision/],
      [['--base', 'HEAD', 'topology.yaml', 'new.yaml'], /^vygen: with --base, give one topology/],
      [['topology.yaml'], /^vygen: give two topologies/],
      [['--base', 'HEAD', 'topology.yaml'], /^vygen: --base needs git, and git is not installed \(not on PATH\)/, { PATH: join(repo, 'no-bin') }],
    ];
    for (const [args, message, env] of cases) {
      const r = vygen(['diff', ...args], { cwd: repo, ...(env ? { env } : {}) });
      expect(r.status, args.join(' ')).to.equal(2);
      expect(r.stderr, args.join(' ')).to.match(message);
    }
    const loose = tmp();
    writeFileSync(join(loose, 'topology.yaml'), readFileSync(join(ROOT, STEP(1))));
    const outside = vygen(['diff', '--base', 'HEAD', join(loose, 'topology.yaml')], { cwd: tmp() });
    expect(outside.status).to.equal(2);
    expect(outside.stderr).to.match(/cannot read .*topology\.yaml at HEAD: not a git repository/);
  });

  it('an invalid topology on either side is exit 1 with its diagnostics, nothing on stdout', () => {
    const r = vygen(['diff', STEP(1), 'fixtures/err-references/topology.yaml', '--redact']);
    expect(r.status).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/^fixtures\/err-references\/topology\.yaml:31:7: error duplicate-router/m);
  });

  it("shows the new topology's warnings, not the old one's", () => {
    const warned = 'fixtures/lvs-warn-no-checker/topology.yaml';
    const alone = vygen(['validate', warned]).stderr.match(/^\S+:\d+:\d+: warning /gm)!.length;
    const r = vygen(['diff', warned, warned, '--redact']);
    expect(r.status).to.equal(0);
    expect(r.stderr.match(/^\S+:\d+:\d+: warning /gm)!.length).to.equal(alone);
  });

  it('without --redact a missing key is exit 1 naming it', () => {
    const r = vygen(['diff', STEP(2), STEP(3)], { env: { VYGEN_PSK_TOKYO_OSAKA_A: 'Key-A-123456', VYGEN_PSK_TOKYO_OSAKA_S: 'Key-S-123456', VYGEN_PSK_TOKYO_SG: 'Key-SG-123456' } });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('VYGEN_PSK_TOKYO_OSAKA_S_2025');
  });
});

describe('--wrap', () => {
  it('configure: the commands inside configure … commit, save, exit; the header above', () => {
    const r = vygen(['diff', STEP(1), STEP(2), '--redact', '--wrap', 'configure']);
    expect(r.status, r.stderr).to.equal(0);
    const first = r.stdout.split('\n\n# vygen diff')[0];
    expect(first).to.equal(
      [
        '# vygen diff: router tokyo-a (site tokyo, active) -- VyOS 1.4 (sagitta)',
        `# from ${STEP(1)} to ${STEP(2)}: 0 deletes, 2 sets`,
        '# secrets are redacted: REDACTED:<kind>:<name> stands for the key named in the topology',
        '',
        'configure',
        "set interfaces tunnel tun0 ip adjust-mss '1340'",
        "set interfaces tunnel tun0 mtu '1380'",
        'commit',
        'save',
        'exit',
      ].join('\n'),
    );
  });

  it('commit-confirm=N: commit-confirm N, and confirm/save/exit only as instructions', () => {
    const r = vygen(['render', SEED, '--redact', '--wrap', 'commit-confirm=7']);
    expect(r.status, r.stderr).to.equal(0);
    const first = r.stdout.split('\n\n# vygen: router')[0]!;
    const lines = first.split('\n');
    expect(lines.slice(0, 5)).to.deep.equal([
      '# vygen: router tokyo-a (site tokyo, active) -- VyOS 1.4 (sagitta)',
      '# generated from fixtures/seed-000/topology.yaml; edit the topology, not this file',
      '# secrets are redacted: REDACTED:<kind>:<name> stands for the key named in the topology',
      '',
      'configure',
    ]);
    expect(lines.filter((l) => /^(confirm|save|exit|commit)\b/.test(l))).to.deep.equal(['commit-confirm 7']);
    expect(lines.slice(-4, -1)).to.deep.equal(['#   confirm', '#   save', '#   exit']);
    // Still the same configuration in the tree model.
    const bare = vygen(['render', SEED, '--redact']).stdout.split('\n\n# vygen: router')[0]!;
    const multi = new MultiValued(DIALECTS['1.4'].multiValued);
    expect(canonicalLines(treeOf(first, multi))).to.deep.equal(canonicalLines(treeOf(bare, multi)));
    expect(vygen(['render', SEED, '--redact', '--wrap', 'commit-confirm']).stdout).to.include('\ncommit-confirm 10\n');
  });

  it('wraps VyOS files only: keepalived.conf and real-server scripts stay as they are', () => {
    const bare = JSON.parse(vygen(['render', 'examples/lvs-pair/topology.yaml', '--redact', '--format', 'json']).stdout);
    const wrapped = JSON.parse(vygen(['render', 'examples/lvs-pair/topology.yaml', '--redact', '--format', 'json', '--wrap', 'configure']).stdout);
    expect(bare.files.some((f: { content: string }) => /^set -/m.test(f.content)), 'a script with a `set` line').to.equal(true);
    expect(wrapped.files).to.deep.equal(bare.files);
  });

  it('the default is the bare lines; a bad mode is exit 2', () => {
    expect(vygen(['render', SEED, '--redact', '--wrap', 'none']).stdout).to.equal(vygen(['render', SEED, '--redact']).stdout);
    for (const bad of ['commit', 'commit-confirm=0', 'commit-confirm=x', 'configure=3']) {
      const r = vygen(['render', SEED, '--redact', '--wrap', bad]);
      expect(r.status, bad).to.equal(2);
      expect(r.stderr, bad).to.include("option '--wrap <mode>' argument");
    }
  });

  it('a wrapped diff applies like the bare one', () => {
    const before = vygen(['render', STEP(4), '--redact']).stdout;
    const after = vygen(['render', STEP(5), '--redact']).stdout;
    const wrapped = vygen(['diff', STEP(4), STEP(5), '--redact', '--wrap', 'commit-confirm']).stdout;
    const multi = new MultiValued(DIALECTS['1.4'].multiValued);
    const split = (t: string) => new Map(t.split(/\n(?=# vygen)/).map((c) => [/router (\S+)/.exec(c)![1]!, c]));
    const [b, a] = [split(before), split(after)];
    for (const [router, d] of split(wrapped)) {
      expect(d).to.include('\nconfigure\n');
      const got = applyText(treeOf(b.get(router)!, multi), d, multi);
      expect(canonicalLines(got), router).to.deep.equal(canonicalLines(treeOf(a.get(router)!, multi)));
    }
  });
});

describe('--format json', () => {
  it('validate: diagnostics with code, severity, message, file, line, col, path, hint', () => {
    const bad = vygen(['validate', 'fixtures/err-references/topology.yaml', '--format', 'json']);
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.equal('');
    const j = JSON.parse(bad.stdout);
    expect(j).to.include({ vygen: 1, command: 'validate', ok: false, file: 'fixtures/err-references/topology.yaml' });
    expect(j.diagnostics[0]).to.deep.equal({
      code: 'duplicate-router',
      severity: 'error',
      message: 'router "tokyo-a" is also defined in site "tokyo"',
      file: 'fixtures/err-references/topology.yaml',
      line: 31,
      col: 7,
      path: 'sites.kyoto.routers.tokyo-a',
      hint: 'rename one of them, e.g. kyoto-tokyo-a',
      expected: 'router names unique across the whole topology (they become host names, IPsec peer names and file names)',
      found: '"tokyo-a"',
    });
    expect(j.errors).to.equal(j.diagnostics.filter((d: { severity: string }) => d.severity === 'error').length);
    const good = vygen(['validate', SEED, '--format', 'json']);
    expect(good.status).to.equal(0);
    expect(JSON.parse(good.stdout)).to.deep.equal({ vygen: 1, command: 'validate', ok: true, errors: 0, warnings: 0, diagnostics: [], file: SEED });
  });

  it('render: the files with their content', () => {
    const r = vygen(['render', SEED, '--redact', '--format', 'json']);
    expect(r.status).to.equal(0);
    const j = JSON.parse(r.stdout);
    expect(j.files.map((f: { path: string }) => f.path)).to.deep.equal(['tokyo-a.vyos', 'tokyo-s.vyos', 'osaka-a.vyos', 'osaka-s.vyos']);
    expect(j.files[0].content).to.equal(readFileSync(join(FIXTURES, 'seed-000/expected/1.4/tokyo-a.vyos'), 'utf8'));
  });

  it('diff: each router with its status, release and commands', () => {
    const r = vygen(['diff', STEP(6), STEP(7), '--redact', '--format', 'json']);
    expect(r.status).to.equal(0);
    expect(r.stderr).to.equal('');
    const j = JSON.parse(r.stdout);
    expect(j.summary).to.deep.equal({ changed: ['tokyo-a'], added: [], removed: ['sg-1'], unchanged: ['tokyo-s', 'osaka-a', 'osaka-s'] });
    const tokyo = j.files.find((f: { device: string }) => f.device === 'tokyo-a');
    expect(tokyo).to.deep.include({ path: 'tokyo-a.vyos-diff', source: 'tokyo-a.vyos', status: 'changed', release: '1.4', previousRelease: null });
    expect(tokyo.commands).to.deep.equal([
      'delete protocols bgp neighbor 172.16.0.10',
      'delete vpn ipsec site-to-site peer sg-1',
      'delete vpn ipsec authentication psk sg-1',
      'delete interfaces tunnel tun2',
    ]);
  });

  it('a usage error in json mode is a json answer too', () => {
    const r = vygen(['diff', 'nope.yaml', STEP(1), '--format', 'json']);
    expect(r.status).to.equal(2);
    expect(JSON.parse(r.stdout)).to.deep.include({ command: 'diff', ok: false, error: 'cannot read nope.yaml: no such file' });
  });
});

describe('render --check', () => {
  it('exit 0 when DIR holds what the topology renders, 1 with a unified diff when it does not', () => {
    const out = join(tmp(), 'rendered');
    expect(vygen(['render', SEED, '--redact', '-o', out]).status).to.equal(0);
    const fresh = vygen(['render', SEED, '--redact', '-o', out, '--check']);
    expect([fresh.status, fresh.stdout, fresh.stderr]).to.deep.equal([0, '', `${out}: up to date (4 files)\n`]);

    const tokyo = readFileSync(join(out, 'tokyo-a.vyos'), 'utf8');
    writeFileSync(join(out, 'tokyo-a.vyos'), tokyo.replace("tun0 mtu '1390'", "tun0 mtu '1380'"));
    writeFileSync(join(out, 'gone.vyos'), '# vygen: router gone\nset system host-name gone\n');
    writeFileSync(join(out, 'notes.md'), 'not a rendered kind of file\n');
    writeFileSync(join(out, 'notes.vyos'), 'set system host-name hand-written\n'); // not vygen's: not compared
    const stale = vygen(['render', SEED, '--redact', '-o', out, '--check']);
    expect(stale.status).to.equal(1);
    expect(stale.stdout).to.equal(
      [
        `--- ${out}/gone.vyos\tcommitted`,
        '+++ /dev/null',
        '@@ -1,2 +0,0 @@',
        '-# vygen: router gone',
        '-set system host-name gone',
        `--- ${out}/tokyo-a.vyos\tcommitted`,
        `+++ ${out}/tokyo-a.vyos\trendered now`,
        '@@ -12,9 +12,9 @@',
        "set interfaces tunnel tun0 address '172.16.0.1/30'",
        "set interfaces tunnel tun0 description 'GRE to osaka-a (osaka)'",
        "set interfaces tunnel tun0 encapsulation 'gre'",
        "set interfaces tunnel tun0 ip adjust-mss '1350'",
        "-set interfaces tunnel tun0 mtu '1380'",
        "+set interfaces tunnel tun0 mtu '1390'",
        "set interfaces tunnel tun0 remote '10.255.1.1'",
        "set interfaces tunnel tun0 source-address '10.255.0.1'",
        '',
        '# --- vpn',
      ]
        .map((l) => (/^(---|\+\+\+|@@|-|\+)/.test(l) ? l : ` ${l}`))
        .join('\n') + '\n',
    );
    expect(stale.stderr).to.equal(`${out}: stale, gone.vyos is not rendered any more, tokyo-a.vyos differs\nrender again with: vygen render ${SEED} --redact -o ${out} --prune\n`);
    expect(readFileSync(join(out, 'tokyo-a.vyos'), 'utf8'), '--check writes nothing').to.include("tun0 mtu '1380'");
  });

  it('a missing file is stale; --check without -o, or with a missing directory, is exit 2', () => {
    const out = join(tmp(), 'rendered');
    vygen(['render', SEED, '--redact', '-o', out]);
    writeFileSync(join(out, 'osaka-s.vyos'), '');
    const r = vygen(['render', SEED, '--redact', '-o', out, '--check', '--format', 'json']);
    expect(r.status).to.equal(1);
    const j = JSON.parse(r.stdout);
    expect(j.ok).to.equal(false);
    expect(j.check.stale.map((s: { path: string; status: string }) => [s.path, s.status])).to.deep.equal([['osaka-s.vyos', 'changed']]);
    expect(vygen(['render', SEED, '--check']).status).to.equal(2);
    const none = vygen(['render', SEED, '--redact', '--check', '-o', join(out, 'nope')]);
    expect([none.status, none.stderr]).to.deep.equal([2, `vygen: --check: cannot read ${join(out, 'nope')}: no such directory\n`]);
    expect(existsSync(join(out, 'nope'))).to.equal(false);
  });
});

describe('vygen graph', () => {
  it('draws sites, routers, tunnels, sessions, cloud VPNs and LVS pairs as Mermaid and as DOT (goldens)', () => {
    const files = new Map<string, string>();
    for (const [name, topology] of [
      ['seed-000', SEED],
      ['lvs-with-routers', 'fixtures/lvs-with-routers/topology.yaml'],
      ['aws-active-standby', 'examples/aws-active-standby/topology.yaml'],
    ]) {
      for (const [format, ext] of [['mermaid', 'mmd'], ['dot', 'dot']]) {
        const r = vygen(['graph', topology!, '--format', format!]);
        expect(r.status, r.stderr).to.equal(0);
        files.set(`${name}.${ext}`, r.stdout);
      }
    }
    matchGolden(join(FIXTURES, 'graph', 'expected'), files);
  });

  it('the pull-request page shows the inter-region graph as vygen draws it', () => {
    const readme = readFileSync(join(ROOT, 'docs', 'pull-requests.md'), 'utf8');
    const drawn = vygen(['graph', 'examples/inter-region-vpn/topology.yaml']).stdout;
    expect(readme).to.include('```mermaid\n' + drawn + '```');
  });

  it('escapes names for each syntax, and refuses an invalid topology', () => {
    const three = vygen(['graph', 'fixtures/three-sites/topology.yaml']).stdout;
    expect(three).to.include('r_iad_1 ===|"tun7: GRE over IPsec, MTU 1398, eBGP"| r_tokyo_s');
    expect(three).to.include('subgraph site_virginia["virginia, AS 4200000001"]');
    const bad = vygen(['graph', 'fixtures/err-references/topology.yaml']);
    expect([bad.status, bad.stdout]).to.deep.equal([1, '']);
  });
});

describe('diagnostics for people', () => {
  const BAD = 'fixtures/err-references/topology.yaml';

  it('show the source line with a caret under the column', () => {
    const r = vygen(['validate', BAD]);
    const source = readFileSync(join(ROOT, BAD), 'utf8').split('\n');
    const blocks = r.stderr.split('\n');
    let seen = 0;
    for (let i = 0; i < blocks.length; i++) {
      const m = /^\S+:(\d+):(\d+): (error|warning) /.exec(blocks[i]!);
      if (!m) continue;
      const [line, col] = [Number(m[1]), Number(m[2])];
      expect(blocks[i + 1]).to.equal(`    ${line} | ${source[line - 1]}`);
      expect(blocks[i + 2]).to.equal(`    ${' '.repeat(String(line).length)} | ${' '.repeat(col - 1)}^`);
      seen++;
    }
    expect(seen).to.be.greaterThan(2);
  });

  it('colour with FORCE_COLOR, none for --no-color (before or after the command), NO_COLOR or a pipe', () => {
    expect(vygen(['validate', BAD], { env: { FORCE_COLOR: '1' } }).stderr).to.include(`${ESC}31m`);
    for (const [args, env] of [
      [['validate', BAD], {}],
      [['validate', BAD, '--no-color'], { FORCE_COLOR: '1' }],
      [['--no-color', 'validate', BAD], { FORCE_COLOR: '1' }],
      [['validate', BAD], { FORCE_COLOR: '1', NO_COLOR: '1' }],
    ] as [string[], Record<string, string>][]) {
      const r = vygen(args, { env });
      expect(r.status).to.equal(1);
      expect(r.stderr, `${args.join(' ')} ${JSON.stringify(env)}`).to.not.include(ESC);
    }
  });

  it('the library formatter stays plain and without source lines unless asked', async () => {
    const { formatDiagnostics, validate } = await import('../dist/index.js');
    const text = readFileSync(join(ROOT, BAD), 'utf8');
    const d = validate(text, { file: BAD }).diagnostics;
    const plain = formatDiagnostics(d);
    expect(plain).to.not.include(' | ');
    expect(plain).to.not.include(ESC);
    const rich = formatDiagnostics(d, { sources: new Map([[BAD, text]]), color: true });
    expect(rich).to.include(ESC);
    expect(rich.replace(/\u001b\[\d+m/g, '')).to.include(' | ');
  });

  it('a control character in the source line is shown as ?', async () => {
    const { formatDiagnostics } = await import('../dist/index.js');
    const text = 'a: 1\nb: "x\u001b[2Jy"\n';
    const out = formatDiagnostics([{ code: 'c', severity: 'error', message: 'm', file: 'f.yaml', line: 2, col: 4, path: 'b' }], { sources: new Map([['f.yaml', text]]) });
    expect(out).to.include('    2 | b: "x?[2Jy"\n      |    ^\n');
  });
});
