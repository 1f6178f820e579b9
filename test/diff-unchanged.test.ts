// `vygen diff` skips building config trees for a router whose rendered file is
// byte-identical on both sides (src/diff/topology.ts). That shortcut is only
// sound if the tree diff of a file against itself is always empty: checked
// here on every VyOS golden; and a topology diffed against itself reports
// every file unchanged, printing nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { diffConfigs } from '../dist/diff/diff.js';
import { MultiValued } from '../dist/diff/tree.js';
import { diffTopologies } from '../dist/diff/topology.js';
import { DIALECTS } from '../dist/targets/vyos/dialects.js';
import { FIXTURES, ROOT, fixtureCases, listFiles } from './helpers/golden.js';

describe('diff of unchanged routers', () => {
  it('the tree diff of every VyOS golden against itself is empty (what the byte-identical shortcut assumes)', () => {
    let checked = 0;
    for (const name of fixtureCases().filter((n) => !n.startsWith('err-'))) {
      const dir = join(FIXTURES, name, 'expected');
      for (const rel of listFiles(dir).filter((f) => f.endsWith('.vyos'))) {
        const text = readFileSync(join(dir, rel), 'utf8');
        const release = (/-- VyOS (1\.\d)/.exec(text)?.[1] ?? '1.4') as keyof typeof DIALECTS;
        expect(diffConfigs(text, text, new MultiValued(DIALECTS[release].multiValued)), rel).to.deep.equal([]);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(100);
  });

  it('a topology against itself: every file unchanged, nothing printed', () => {
    const file = 'examples/multi-region-hub/topology.yaml';
    const text = readFileSync(join(ROOT, file), 'utf8');
    const same = diffTopologies({ text, file }, { text, file }, { redact: true });
    expect(same.files.filter((f) => f.status !== 'unchanged').map((f) => f.path)).to.deep.equal([]);
    expect(same.files.every((f) => f.content === '')).to.equal(true);
  });
});
