// A site's VRRP group between its routers on the LAN.
import type { SecretRules } from '../../secrets/resolve.js';
import { DEFAULTS } from '../../model/defaults.js';
import type { Feature } from '../feature.js';
import { checkVrrp6 } from './check-ipv6.js';
import { checkVridSegments } from './check-segments.js';
import { vrrpIntent } from './intents.js';
import { normalizeVrrp } from './normalize.js';

/** VyOS refuses a plain-text VRRP password longer than 8 characters; keepalived cuts it. */
export const VRRP_PASSWORD: SecretRules = { minLength: 1, maxLength: DEFAULTS.vrrpPasswordMax, maxReason: `VRRP plain-text passwords hold at most ${DEFAULTS.vrrpPasswordMax} characters (VyOS refuses longer ones, keepalived cuts them)` };

export const vrrp: Feature = {
  name: 'vrrp',
  normalize({ doc, model }) {
    normalizeVrrp(doc, model);
  },
  check({ model, diags }) {
    checkVridSegments(model, diags);
    checkVrrp6(model.topology, model.dualStack, diags);
  },
  intents({ model, intents }) {
    const sites = new Map(model.topology.sites.map((s) => [s.name, s]));
    for (const intent of intents.routers) {
      const site = intent.site !== undefined ? sites.get(intent.site) : undefined;
      const r = model.topology.routers.get(intent.name);
      if (site?.vrrp && r?.lan) intent.vrrp = vrrpIntent(site, r, model.dualStack);
    }
  },
  secrets({ intents }) {
    return intents.routers.flatMap((i) => (i.vrrp?.groups ?? []).flatMap((g) => (g.password ? [{ ref: g.password, rules: VRRP_PASSWORD, device: i.name, what: 'VRRP password' }] : [])));
  },
};
