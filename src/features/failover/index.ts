// Active/standby in the cloud: the script that moves a site's VPC routes (and
// Elastic IP) to the router that became active, run by VRRP or Serf; or BGP
// to a VPC Route Server instead. What the routers need for it in a VPC (the
// Elastic IP's secondary address, a VRRP health check on their BGP
// sessions), and the scale-up script.
import type { OutputFile } from '../../model/output.js';
import type { Feature } from '../feature.js';
import { checkFailover, checkFailoverIntents } from './check.js';
import { addCloudRouter } from './cloud-router.js';
import { buildFailoverIntents, FAILOVER_SCRIPT } from './intents.js';
import type { FailoverIntent } from './model.js';
import { normalizeAws } from './normalize.js';
import { applyRouteServerPolicy6 } from './route-server6.js';
import { renderScaleUpScript } from './scale-up.js';
import { renderFailoverScript } from './script.js';
import { buildVrrpHealthIntents, renderVrrpHealth, vrrpHealthHeader } from './vrrp-health.js';
import { routerFileHeader } from '../../targets/scripts/header.js';

declare module '../feature.js' {
  interface Intents {
    failovers: FailoverIntent[];
  }
}

export const failover: Feature = {
  name: 'failover',
  wholeTopology: ['failover-no-destinations'],
  normalize({ doc, model }) {
    normalizeAws(doc, model);
  },
  check({ model, diags }) {
    checkFailover(model, diags);
  },
  intents({ model, intents, diags }) {
    intents.failovers = buildFailoverIntents(model.topology, model.dualStack, diags);
    const sites = new Map(model.topology.sites.map((s) => [s.name, s]));
    for (const intent of intents.routers) {
      const site = intent.site !== undefined ? sites.get(intent.site) : undefined;
      const r = model.topology.routers.get(intent.name);
      if (!site || !r) continue;
      addCloudRouter(site, r, intent, model.dualStack);
      // VRRP runs the failover script when the router becomes master.
      if (site.aws?.failover !== 'vrrp') continue;
      for (const sg of intent.vrrp?.syncGroups ?? []) sg.transitionScripts.master = FAILOVER_SCRIPT;
    }
  },
  // After the sites' and dual stack's policy: the route server's IPv6 maps follow the IPv4 ones.
  policy({ model, intents }) {
    const sites = new Map(model.topology.sites.map((s) => [s.name, s]));
    for (const intent of intents.routers) {
      const site = intent.site !== undefined ? sites.get(intent.site) : undefined;
      if (site?.aws?.failover === 'route-server') applyRouteServerPolicy6(site, model.dualStack, intent);
    }
  },
  checkIntents({ model, intents, diags }) {
    checkFailoverIntents(model, intents, diags);
  },
  render({ model, intents, file }) {
    const files: OutputFile[] = [];
    for (const f of intents.failovers) {
      files.push({ path: `${f.router}.failover.sh`, device: f.router, kind: 'failover-script', content: renderFailoverScript(f, routerFileHeader(f, file, 'failover script')) });
      const pub = model.topology.routers.get(f.router)?.wan.publicAddress;
      if (f.scaleUp && pub) {
        files.push({ path: `${f.router}.scale-up.sh`, device: f.router, kind: 'scale-up-script', content: renderScaleUpScript(f, pub, routerFileHeader(f, file, 'scale-up script')) });
      }
    }
    for (const v of buildVrrpHealthIntents(intents.routers)) {
      files.push({ path: `${v.router}.vrrp-health.sh`, device: v.router, kind: 'vrrp-health-script', content: renderVrrpHealth(v, vrrpHealthHeader(v, file)) });
    }
    return files;
  },
};
