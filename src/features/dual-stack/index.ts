// Dual stack for sites: IPv6 beside IPv4 on site routers, their links and their policy.
import type { Feature } from '../feature.js';
import { checkDualStack } from './check.js';
import { addDualStack, applyPolicy6 } from './intents.js';
import type { DualStack } from './model.js';
import { normalizeDualStack } from './normalize.js';

/** An IPv4-only topology (the common case, and a large one) pays nothing for this feature. */
const inUse = (d: DualStack) => d.sites.size > 0 || d.routers.size > 0;

export const dualStack: Feature = {
  name: 'dual-stack',
  normalize({ doc, model }) {
    model.dualStack = normalizeDualStack(doc);
  },
  check({ model, diags }) {
    checkDualStack(model.topology, model.dualStack, diags);
  },
  intents({ model, intents }) {
    if (inUse(model.dualStack)) addDualStack(model.topology, model.dualStack, intents.routers);
  },
  policy({ model, intents }) {
    if (!inUse(model.dualStack)) return;
    const sites = new Map(model.topology.sites.map((s) => [s.name, s]));
    for (const intent of intents.routers) applyPolicy6(sites, model.dualStack, intent);
  },
};
