// vygen init and vygen completion (issue 18 item 10).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const vygen = (args: string[], cwd = ROOT) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  expect(r.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  return r;
};
const tmp = () => mkdtempSync(join(tmpdir(), 'vygen-init-'));
const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((n) => existsSync(join(ROOT, 'examples', n, 'topology.yaml'))).sort();
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
/** Required in CI (.ci/run installs them), skipped loudly elsewhere. */
function needs(this: Mocha.Context, cmd: string): void {
  if (have(cmd)) return;
  if (process.env.CI === 'true') throw new Error(`${cmd} is required in CI`);
  console.warn(`    (skipped: ${cmd} is not installed)`);
  this.skip();
}

describe('vygen init', () => {
  it('writes topology.yaml from the default example; it validates and renders redacted', () => {
    const dir = tmp();
    const r = vygen(['init'], dir);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/^wrote topology\.yaml \(example inter-region-vpn\)\nnext: vygen validate topology\.yaml;/);
    const text = readFileSync(join(dir, 'topology.yaml'), 'utf8');
    expect(text.split('\n')[0]).to.equal('# yaml-language-server: $schema=node_modules/vygen/schemas/topology.schema.json');
    expect(vygen(['validate', 'topology.yaml'], dir).status).to.equal(0);
    const render = vygen(['render', 'topology.yaml', '--redact', '-o', 'out'], dir);
    expect(render.status, render.stderr).to.equal(0);
    expect(readdirSync(join(dir, 'out')).length).to.be.greaterThan(0);
  });

  it('every shipped example is a starting point that renders', () => {
    expect(EXAMPLES.length).to.be.greaterThan(3);
    const list = vygen(['init', '--list']);
    expect(list.stdout.trimEnd().split('\n').map((l) => l.split(/\s+/)[0])).to.deep.equal(EXAMPLES);
    for (const name of EXAMPLES) {
      const r = vygen(['init', '--example', name, '-o', '-']);
      expect(r.status, name).to.equal(0);
      expect(r.stdout, name).to.not.include('../../schemas');
      expect(r.stdout, name).to.not.include(`examples/${name}/`);
      const dir = tmp();
      writeFileSync(join(dir, 'topology.yaml'), r.stdout);
      expect(vygen(['render', 'topology.yaml', '--redact'], dir).status, name).to.equal(0);
    }
  });

  it('never overwrites a file without --force; an unknown example suggests one', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'topology.yaml'), 'mine\n');
    const r = vygen(['init'], dir);
    expect([r.status, r.stderr]).to.deep.equal([2, "vygen: topology.yaml exists: choose another file with -o, or overwrite it with --force (see 'vygen init --help')\n"]);
    expect(readFileSync(join(dir, 'topology.yaml'), 'utf8')).to.equal('mine\n');
    expect(vygen(['init', '--force'], dir).status).to.equal(0);
    expect(readFileSync(join(dir, 'topology.yaml'), 'utf8')).to.not.equal('mine\n');
    // In a sub-directory the modeline reaches up to the project's node_modules.
    mkdirSync(join(dir, 'net'));
    expect(vygen(['init', '-o', 'net/topology.yaml'], dir).status).to.equal(0);
    expect(readFileSync(join(dir, 'net/topology.yaml'), 'utf8').split('\n')[0]).to.equal('# yaml-language-server: $schema=../node_modules/vygen/schemas/topology.schema.json');
    const bad = vygen(['init', '--example', 'lvs-pari'], dir);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.include('did you mean "lvs-pair"?');
  });

  it('the empty-topology hint points at vygen init', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'empty.yaml'), '# nothing yet\n');
    expect(vygen(['validate', 'empty.yaml'], dir).stderr).to.include('hint:     vygen init writes a starting topology');
  });
});

describe('vygen completion', () => {
  const script = (shell: string) => {
    const r = vygen(['completion', shell]);
    expect(r.status, r.stderr).to.equal(0);
    return r.stdout;
  };

  it('bash: commands, each command\'s options, option values and example names', () => {
    const file = join(tmp(), 'vygen.bash');
    writeFileSync(file, script('bash'));
    const complete = (...words: string[]) => {
      const quoted = words.map((w) => `'${w}'`).join(' ');
      const r = spawnSync('bash', ['-c', `source '${file}'; COMP_WORDS=(vygen ${quoted}); COMP_CWORD=${words.length}; _vygen; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      return r.stdout.trim().split('\n').filter((l) => l !== '');
    };
    expect(complete('se')).to.deep.equal(['secrets']);
    expect(complete('render', '--li')).to.deep.equal(['--limit']);
    expect(complete('diff', '--exit')).to.deep.equal(['--exit-code']);
    expect(complete('render', '--release', '')).to.deep.equal(['1.3', '1.4', '1.5']);
    expect(complete('init', '--example', 'lvs')).to.deep.equal(['lvs-active-active', 'lvs-pair']);
    expect(complete('completion', 'f')).to.deep.equal(['fish']);
    // Generated from the command definitions: every command is there.
    expect(complete('')).to.include.members(['render', 'validate', 'diff', 'graph', 'secrets', 'init', 'completion', 'schema']);
  });

  it('zsh: parses and registers _vygen for vygen', function () {
    needs.call(this, 'zsh');
    const dir = tmp();
    writeFileSync(join(dir, '_vygen'), script('zsh'));
    expect(spawnSync('zsh', ['-n', join(dir, '_vygen')]).status).to.equal(0);
    const r = spawnSync('zsh', ['-fc', `autoload -U compinit; compinit -u -d ${join(dir, 'zcd')}; source ${join(dir, '_vygen')}; print -r -- $_comps[vygen]`], { encoding: 'utf8' });
    expect(r.stdout.trim(), r.stderr).to.equal('_vygen');
  });

  it('fish: completes commands, options and their values', function () {
    needs.call(this, 'fish');
    const dir = tmp();
    writeFileSync(join(dir, 'vygen.fish'), script('fish'));
    const complete = (line: string) => {
      const r = spawnSync('fish', ['--no-config', '-c', `source ${join(dir, 'vygen.fish')}; complete -C '${line}'`], { encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0]);
    };
    expect(complete('vygen sec')).to.deep.equal(['secrets']);
    expect(complete('vygen render --rel')).to.deep.equal(['--release']);
    expect(complete('vygen diff --format ')).to.deep.equal(['json', 'text']);
  });

  it('an unknown shell is a usage error', () => {
    expect(vygen(['completion', 'tcsh']).status).to.equal(2);
  });
});
