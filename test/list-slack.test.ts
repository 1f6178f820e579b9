// The model and the intents keep tens of thousands of short lists through a
// render; V8 gives a list grown by push room for 17 items and one built by a
// spread room for 20. Paths are built at their length (subPath) and a router
// intent's lists are copied at theirs once final (src/model/settle-lists.ts):
// before, four slots in five that a 5,000-site model and intents kept were
// unused room (docs/performance.md, the fifteenth round). Counted from a heap
// snapshot of a child process (test/helpers/list-slack.ts), as are the
// strings they keep.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { grownSeed, withTopologyFile } from './helpers/topology.js';

const HELPER = fileURLToPath(new URL('./helpers/list-slack.js', import.meta.url));

interface Kept {
  slots: number;
  unused: number;
  strings: number;
  cons: number;
}

describe('what the model and the intents keep', () => {
  let kept: Kept;
  before(() => {
    kept = withTopologyFile(grownSeed(40), (file) => {
      const r = spawnSync(process.execPath, [HELPER, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(r.status, r.stderr).to.equal(0);
      return JSON.parse(r.stdout) as Kept;
    });
  });

  it('lists leave at most a fifth of their slots unused', () => {
    expect(kept.slots).to.be.greaterThan(1000);
    expect(kept.unused / kept.slots, `${kept.unused} of ${kept.slots} slots unused`).to.be.at.most(0.2);
  });

  // Names, prefixes and descriptions built by template literals were kept as
  // trees of their pieces: at 1,000 sites 63,000 of them, a sixth of what the
  // intents kept alive (src/model/flat.ts).
  it('strings are flat: at most one in fifty is a tree of its pieces', () => {
    expect(kept.strings).to.be.greaterThan(1000);
    expect(kept.cons / kept.strings, `${kept.cons} of ${kept.strings} strings are cons strings`).to.be.at.most(0.02);
  });
});
