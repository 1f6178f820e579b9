// Cloud VPN connections (AWS site-to-site VPN) terminated on a router.
import type { Feature } from '../feature.js';
import { PSK_RULES } from '../../secrets/resolve.js';
import { checkCloud } from './check.js';
import { addVpnConnection } from './intents.js';
import { normalizeVpnConnections } from './normalize.js';

export const cloudVpn: Feature = {
  name: 'cloud-vpn',
  normalize({ doc, model, diags }) {
    normalizeVpnConnections(doc, model, diags);
  },
  check({ model, diags }) {
    checkCloud(model, diags);
  },
  intents({ model, intents }) {
    for (const intent of intents.routers) {
      const r = model.topology.routers.get(intent.name);
      for (const c of r?.vpnConnections ?? []) addVpnConnection(intent, r!, c);
    }
  },
  secrets({ model }) {
    return [...model.topology.routers.values()].flatMap((r) => (r.vpnConnections ?? []).flatMap((c) => c.tunnels.map((t) => ({ ref: t.psk, rules: PSK_RULES, device: r.name, what: 'IPsec pre-shared key' }))));
  },
};
