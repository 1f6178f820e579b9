// The model and the intents keep tens of thousands of short lists through a
// render; V8 gives a list grown by push room for 17 items and one built by a
// spread room for 20. Paths are built at their length (subPath) and a router
// intent's lists are copied at theirs once final (src/model/settle-lists.ts):
// before, four slots in five that a 5,000-site model and intents kept were
// unused room (docs/performance.md, the fifteenth round). Counted from a heap
// snapshot of a child process (test/helpers/list-slack.ts).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addSite, fixtureDoc, toYaml } from './helpers/topology.js';

const HELPER = fileURLToPath(new URL('./helpers/list-slack.js', import.meta.url));

describe('lists kept by the model and the intents', () => {
  it('leave at most a fifth of their slots unused', () => {
    const doc = fixtureDoc('seed-000');
    let last = 'tokyo-a';
    for (let n = 1; n <= 40; n++) last = addSite(doc, n, last);
    const dir = mkdtempSync(join(tmpdir(), 'vygen-slack-'));
    try {
      writeFileSync(join(dir, 'topology.yaml'), toYaml(doc));
      const r = spawnSync(process.execPath, [HELPER, join(dir, 'topology.yaml')], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(r.status, r.stderr).to.equal(0);
      const { slots, unused } = JSON.parse(r.stdout) as { slots: number; unused: number };
      expect(slots).to.be.greaterThan(1000);
      expect(unused / slots, `${unused} of ${slots} slots unused`).to.be.at.most(0.2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
