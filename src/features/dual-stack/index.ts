// Dual stack for sites: IPv6 beside IPv4 on site routers, their links and their policy.
import type { Feature } from '../feature.js';
import { checkDualStack } from './check.js';
import { addDualStack, applyPolicy6 } from './intents.js';
import { normalizeDualStack } from './normalize.js';

export const dualStack: Feature = {
  name: 'dual-stack',
  normalize({ doc, model }) {
    model.dualStack = normalizeDualStack(doc);
  },
  check({ model, diags }) {
    checkDualStack(model.topology, model.dualStack, diags);
  },
  intents({ model, intents }) {
    addDualStack(model.topology, model.dualStack, intents.routers);
  },
  policy({ model, intents }) {
    for (const intent of intents.routers) applyPolicy6(model.topology, model.dualStack, intent);
  },
};
