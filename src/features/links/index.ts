// VPN links between sites: GRE over IPsec between the loopbacks, eBGP inside.
import type { Link, Site } from '../../model/topology.js';
import type { Feature } from '../feature.js';
import { PSK_RULES } from '../../secrets/resolve.js';
import { checkLinks } from './check.js';
import { addLinkEnd } from './intents.js';
import { normalizeLinks } from './normalize.js';

export const links: Feature = {
  name: 'links',
  normalize({ doc, model, diags }) {
    normalizeLinks(doc, model, diags);
  },
  check({ model, diags }) {
    checkLinks(model.topology, diags);
  },
  intents({ model, intents }) {
    const t = model.topology;
    const siteOf = new Map<string, Site>(t.sites.map((s) => [s.name, s]));
    // Each router's links in id order: collected from the links sorted once.
    const linksOf = new Map<string, Link[]>();
    for (const link of t.links.filter((l) => l.inner).sort((a, b) => a.id - b.id)) {
      for (const end of link.ends) {
        const own = linksOf.get(end);
        if (own) own.push(link);
        else linksOf.set(end, [link]);
      }
    }
    for (const intent of intents.routers) {
      const r = t.routers.get(intent.name);
      if (!r) continue;
      for (const link of linksOf.get(r.name) ?? []) addLinkEnd(t, intent, link, r, siteOf);
    }
  },
  secrets({ model }) {
    return model.topology.links.flatMap((l) => l.ends.map((device) => ({ ref: l.psk, rules: PSK_RULES, device, what: 'IPsec pre-shared key' })));
  },
};
