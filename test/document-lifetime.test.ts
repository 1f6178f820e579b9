// The parsed document is let go once a pass has normalized it (src/pipeline.ts):
// at 5,000 sites it is 22 MB that stayed alive through the checks, the
// intents and the render, and the 5,000-site CLI peaked 67 MB higher
// (docs/performance.md, the fifteenth round). A topology with an error in a
// later stage parses its text again to leave that part out
// (test/partial-checks.test.ts checks those reports).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES } from './helpers/golden.js';

const HELPER = fileURLToPath(new URL('./helpers/document-alive.js', import.meta.url));

describe('the parsed document', () => {
  it('is not alive any more when the secrets are resolved (every check and intent built)', () => {
    const r = spawnSync(process.execPath, [HELPER, join(FIXTURES, 'seed-000', 'topology.yaml')], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    const { alive } = JSON.parse(r.stdout) as { alive?: boolean };
    expect(alive, 'no secret was read: the probe never ran').not.to.equal(undefined);
    expect(alive).to.equal(false);
  });
});
