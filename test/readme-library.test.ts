// The README's library example runs as printed, importing the package by its
// name (issue 18 item 10).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/golden.js';

function libraryExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### The library'));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  expect(m, 'a js block under "### The library"').to.not.equal(null);
  return m![1]!;
}

describe('README library example', () => {
  it('runs as printed: validate, then a redacted render of each file', () => {
    const code = libraryExample();
    expect(code).to.include("from 'vygen'");
    // Inside the package directory, so that 'vygen' resolves to this package (self-reference through "exports").
    const script = join(ROOT, 'dist-test', 'readme-library-example.mjs');
    writeFileSync(script, code);
    const dir = mkdtempSync(join(tmpdir(), 'vygen-lib-'));
    copyFileSync(join(ROOT, 'examples/inter-region-vpn/topology.yaml'), join(dir, 'topology.yaml'));
    const r = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 2).join(' '))).to.deep.equal(['tokyo-a.vyos tokyo-a', 'tokyo-s.vyos tokyo-s', 'osaka-a.vyos osaka-a', 'osaka-s.vyos osaka-s']);
    // An invalid topology goes the other way: diagnostics on stderr, nothing rendered.
    writeFileSync(join(dir, 'topology.yaml'), 'vygen: 1\nsites: {}\nbogus: 1\n');
    const bad = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' });
    expect(bad.stdout).to.equal('');
    expect(bad.stderr).to.include('error unknown-key');
  });
});
