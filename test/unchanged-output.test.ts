// `render -o DIR` rewrites only what changed: a file already holding exactly
// the new content and mode keeps its inode and mtime, a render that changes
// nothing stages nothing (the parent directory, where staging would be
// created, is untouched), and a changed file is still replaced by a rename
// (a new inode), never written in place.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeAtomically } from '../dist/emit/write.js';
import type { OutputFile } from '../dist/index.js';
import { ROOT } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const TOPOLOGY = 'fixtures/lvs-with-routers/topology.yaml'; // routers, LVS files, real-servers/*.sh
const LONG_AGO = new Date('2001-02-03T04:05:06Z');

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      if (statSync(join(d, name)).isDirectory()) walk(join(d, name), `${prefix}${name}/`);
      else out.push(`${prefix}${name}`);
    }
  };
  walk(dir, '');
  return out;
}

/** Every file and the output directory's parent dated long ago; returns each file's inode. */
function ageAll(out: string): Map<string, number> {
  const inodes = new Map<string, number>();
  for (const f of files(out)) {
    utimesSync(join(out, f), LONG_AGO, LONG_AGO);
    inodes.set(f, statSync(join(out, f)).ino);
  }
  utimesSync(dirname(out), LONG_AGO, LONG_AGO);
  return inodes;
}

const old = (path: string) => statSync(path).mtimeMs === LONG_AGO.getTime();

function render(out: string) {
  const r = spawnSync(process.execPath, [CLI, 'render', TOPOLOGY, '--redact', '-o', out], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
}

describe('unchanged output files are not rewritten', () => {
  it('re-rendering identical content keeps every inode and mtime and stages nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vygen-unchanged-')), 'out');
    render(out);
    const inodes = ageAll(out);
    expect(inodes.size).to.be.greaterThan(5);
    render(out);
    for (const [f, ino] of inodes) {
      expect(old(join(out, f)), `${f} keeps its mtime`).to.equal(true);
      expect(statSync(join(out, f)).ino, `${f} keeps its inode`).to.equal(ino);
    }
    expect(old(dirname(out)), 'no staging directory was created beside the output directory').to.equal(true);
  });

  it('a changed file (content or mode) is replaced by a rename; the others stay as they were', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vygen-unchanged-')), 'out');
    render(out);
    const [edited, chmodded, ...others] = files(out).filter((f) => f.endsWith('.vyos') || f.endsWith('.sh'));
    const want = new Map([edited!, chmodded!].map((f) => [f, { text: readFileSync(join(out, f), 'utf8'), mode: statSync(join(out, f)).mode & 0o777 }]));
    // Same length, one byte different: a size check alone would miss it.
    writeFileSync(join(out, edited!), want.get(edited!)!.text.replace('\nset ', '\nSET '));
    chmodSync(join(out, chmodded!), 0o600);
    const inodes = ageAll(out);
    render(out);
    for (const f of [edited!, chmodded!]) {
      expect(readFileSync(join(out, f), 'utf8'), `${f} holds the render again`).to.equal(want.get(f)!.text);
      expect(statSync(join(out, f)).mode & 0o777, `${f} has its mode again`).to.equal(want.get(f)!.mode);
      expect(statSync(join(out, f)).ino, `${f} was renamed into place, not rewritten in place`).to.not.equal(inodes.get(f));
    }
    for (const f of others) expect(old(join(out, f)), `${f} untouched`).to.equal(true);
  });

  it('the library reports which files were already identical', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vygen-unchanged-')), 'out');
    const a: OutputFile = { path: 'a.vyos', device: 'a', kind: 'vyos', release: '1.4', content: '# vygen: router a\n' };
    const b: OutputFile = { path: 'b.vyos', device: 'b', kind: 'vyos', release: '1.4', content: '# vygen: router b\n' };
    expect(writeAtomically(out, [a, b]).unchanged).to.deep.equal([]);
    const r = writeAtomically(out, [a, { ...b, content: '# vygen: router b\nset system host-name b\n' }]);
    expect(r.written).to.deep.equal(['a.vyos', 'b.vyos']);
    expect(r.unchanged).to.deep.equal(['a.vyos']);
    expect(readFileSync(join(out, 'b.vyos'), 'utf8')).to.equal('# vygen: router b\nset system host-name b\n');
  });
});
