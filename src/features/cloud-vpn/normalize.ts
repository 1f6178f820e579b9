// AWS site-to-site VPN connections terminated on a router: the values the
// gateway's downloaded configuration gives, AWS's own defaults for the rest.
import type { DocPath } from '../../diagnostics.js';
import type { RouterDoc, TopologyDoc } from '../../model/document.js';
import type { VpnConnection } from './model.js';
import { secretRef } from '../../secrets/ref.js';
import type { Model } from '../feature.js';
import { parsePrefix } from '../../net/ipv4.js';
import { AWS_VPN, DEFAULTS } from '../../model/defaults.js';
import { fittingMtu } from '../../net/esp.js';
import { ipsecSettings } from '../links/ipsec-settings.js';

export function vpnConnections(r: RouterDoc, routerPath: DocPath): VpnConnection[] {
  let vti = 0;
  return (r.vpn_connections ?? []).map((c, i) => {
    const path = [...routerPath, 'vpn_connections', i];
    const ipsec = ipsecSettings(c, {}, path, AWS_VPN);
    const natT = r.wan.public !== undefined && r.wan.public !== r.wan.address.split('/')[0];
    return {
      name: c.name,
      ikeGroup: c.ike_group ?? `IKE-${c.name}`,
      espGroup: c.esp_group ?? `ESP-${c.name}`,
      fitMtu: fittingMtu(DEFAULTS.pathMtu, 0, { encryption: ipsec.esp.encryption, hash: ipsec.esp.hash, natT }),
      natT,
      mtuWritten: c.mtu !== undefined,
      asn: c.asn ?? AWS_VPN.asn,
      routing: c.routing ?? 'bgp',
      staticPrefixes: (c.static_prefixes ?? []).map((p, j) => ({ prefix: parsePrefix(p), path: [...path, 'static_prefixes', j] })),
      mtu: c.mtu ?? AWS_VPN.mtu,
      bgp: { keepalive: c.bgp?.keepalive ?? AWS_VPN.bgp.keepalive, holdtime: c.bgp?.holdtime ?? AWS_VPN.bgp.holdtime },
      // The gateway's own defaults apply, not the topology's: AWS is configured separately.
      ipsec,
      tunnels: c.tunnels.map((t, j) => ({
        // A pinned VTI takes no number from the sequence of the unpinned ones.
        vti: t.vti ?? `vti${vti++}`,
        ...(t.peer !== undefined ? { peer: t.peer } : {}),
        ...(t.description !== undefined ? { description: t.description } : {}),
        ...(t.bgp?.weight !== undefined ? { weight: t.bgp.weight } : {}),
        ...(t.bgp?.prepend !== undefined ? { prepend: t.bgp.prepend } : {}),
        outside: t.outside,
        inside: parsePrefix(t.inside),
        psk: secretRef(t.psk, [...path, 'tunnels', j, 'psk']),
        path: [...path, 'tunnels', j],
      })),
      path,
    };
  });
}


/** Every router's VPN connections (none for a router that lists none). */
export function normalizeVpnConnections(doc: TopologyDoc, model: Model): void {
  for (const [siteName, s] of Object.entries(doc.sites ?? {})) {
    for (const [name, r] of Object.entries(s.routers)) {
      const router = model.topology.routers.get(name);
      if (router && router.site === siteName) router.vpnConnections = vpnConnections(r, ['sites', siteName, 'routers', name]);
    }
  }
}
