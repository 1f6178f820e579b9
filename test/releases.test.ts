// The dialect table is the one place that knows the releases: the schema's
// enum and the golden directories follow it.
import { expect } from 'chai';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchema, RELEASES } from '../dist/index.js';
import { FIXTURES, fixtureCases } from './helpers/golden.js';

describe('releases', () => {
  it('the schema accepts exactly the releases of the dialect table', () => {
    const schema = loadSchema() as { $defs: { release: { enum: string[] } } };
    expect(schema.$defs.release.enum).to.deep.equal([...RELEASES]);
  });

  it('every multi-release fixture has one golden directory per release', () => {
    for (const name of fixtureCases()) {
      const expected = join(FIXTURES, name, 'expected');
      if (name.startsWith('err-') || existsSync(join(FIXTURES, name, 'fixture.json'))) continue;
      expect(readdirSync(expected).filter((d) => /^\d/.test(d)).sort(), name).to.deep.equal([...RELEASES]);
    }
  });
});
