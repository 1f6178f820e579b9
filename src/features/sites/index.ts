// Sites and their routers: the core every other router feature builds on.
import type { Site } from '../../model/topology.js';
import type { Feature } from '../feature.js';
import { checkAddresses } from './check-addresses.js';
import { checkSites } from './check-sites.js';
import { checkAnnouncements } from './announcements.js';
import { siteRouterIntent } from './intents.js';
import { applyRoutePolicy } from './route-policy.js';
import { normalizeSites } from './normalize.js';

export const sites: Feature = {
  name: 'sites',
  wholeTopology: ['more-specific-of-nothing'],
  normalize({ doc, file, release, model, diags }) {
    model.topology = normalizeSites(doc, file, diags, release);
  },
  check({ model, diags }) {
    checkAddresses(model.topology, diags);
    checkSites(model.topology, diags);
    checkAnnouncements(model.topology, diags);
  },
  intents({ model, intents }) {
    for (const s of model.topology.sites) for (const r of s.routers) intents.routers.push(siteRouterIntent(model.topology, s, r));
  },
  policy({ model, intents }) {
    const siteOf = new Map<string, Site>(model.topology.sites.map((s) => [s.name, s]));
    for (const intent of intents.routers) {
      const site = intent.site !== undefined ? siteOf.get(intent.site) : undefined;
      if (site) applyRoutePolicy(site, siteOf, intent);
    }
  },
};
