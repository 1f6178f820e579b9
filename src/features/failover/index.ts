// Active/standby in the cloud: the script that moves a site's VPC routes (and
// Elastic IP) to the router that became active, run by VRRP or Serf.
import type { Feature } from '../feature.js';
import { checkFailover, checkFailoverIntents } from './check.js';
import { buildFailoverIntents, FAILOVER_SCRIPT } from './intents.js';
import type { FailoverIntent } from './model.js';
import { normalizeAws } from './normalize.js';
import { renderFailoverScript } from './script.js';
import { routerFileHeader } from '../../targets/scripts/header.js';

declare module '../feature.js' {
  interface Intents {
    failovers: FailoverIntent[];
  }
}

export const failover: Feature = {
  name: 'failover',
  normalize({ doc, model }) {
    normalizeAws(doc, model);
  },
  check({ model, diags }) {
    checkFailover(model, diags);
  },
  intents({ model, intents, diags }) {
    intents.failovers = buildFailoverIntents(model.topology, diags);
    // VRRP runs the failover script when the router becomes master.
    const vrrpDriven = new Set(model.topology.sites.filter((s) => s.aws?.failover === 'vrrp').map((s) => s.name));
    for (const intent of intents.routers) {
      if (!intent.site || !vrrpDriven.has(intent.site)) continue;
      for (const sg of intent.vrrp?.syncGroups ?? []) sg.transitionScripts.master = FAILOVER_SCRIPT;
    }
  },
  checkIntents({ model, intents, diags }) {
    checkFailoverIntents(model, intents, diags);
  },
  render({ intents, file }) {
    return intents.failovers.map((f) => ({
      path: `${f.router}.failover.sh`,
      device: f.router,
      kind: 'failover-script',
      content: renderFailoverScript(f, routerFileHeader(f, file, 'failover script')),
    }));
  },
};
