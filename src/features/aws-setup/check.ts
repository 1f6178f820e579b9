// The setup files are named after a site or a NAT pair: the two must not share a name.
import type { Diagnostics } from '../../diagnostics.js';
import { formatPath, shown } from '../../diagnostics.js';
import type { Topology } from '../../model/topology.js';
import type { Model } from '../feature.js';

/** The IAM policy, security groups and source/dest-check files are named after a site or a NAT pair. */
export function checkSetupFileNames(model: Model, diags: Diagnostics): void {
  const t = model.topology;
  const sites = new Map(t.sites.filter((s) => s.aws).map((s) => [s.name, s.path]));
  for (const pair of model.natPairs) {
    const other = sites.get(pair.name);
    if (!other) continue;
    diags.error('duplicate-device', pair.path, `NAT pair ${shown(pair.name)} is also the name of an AWS site`, {
      at: 'key',
      expected: 'names unique across AWS sites and NAT pairs (they name <name>.iam-policy.json and the other setup files)',
      found: `${shown(pair.name)}, also at ${formatPath(other)}`,
    });
  }
}
