// AWS site-to-site VPN connections terminated on a router: the values the
// gateway's downloaded configuration gives, AWS's own defaults for the rest.
import { shown, type Diagnostics, type DocPath, subPath } from '../../diagnostics.js';
import { familyOf } from '../../net/ip.js';
import type { RouterDoc, TopologyDoc } from '../../model/document.js';
import type { VpnConnection } from './model.js';
import { secretRef } from '../../secrets/ref.js';
import type { Model } from '../feature.js';
import { parsePrefix } from '../../net/ipv4.js';
import { AWS_VPN, DEFAULTS } from '../../model/defaults.js';
import { fittingMtu } from '../../net/esp.js';
import { ipsecSettings, NO_IPSEC_DEFAULTS } from '../links/ipsec-settings.js';

export function vpnConnections(r: RouterDoc, routerPath: DocPath, skip?: ReadonlySet<number>): VpnConnection[] {
  let vti = 0;
  return (r.vpn_connections ?? []).flatMap((c, i) => {
    if (skip?.has(i)) return [];
    const path = subPath(routerPath, 'vpn_connections', i);
    const ipsec = ipsecSettings(c, NO_IPSEC_DEFAULTS, path, AWS_VPN);
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
      staticPrefixes: (c.static_prefixes ?? []).map((p, j) => ({ prefix: parsePrefix(p), path: subPath(path, 'static_prefixes', j) })),
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
        psk: secretRef(t.psk, subPath(path, 'tunnels', j, 'psk')),
        path: subPath(path, 'tunnels', j),
      })),
      path,
    };
  });
}


/**
 * A VPN connection on a virtual private gateway carries IPv4 only: its
 * outside addresses, inside CIDRs and routes are IPv4 (AWS: "a virtual
 * private gateway does not support IPv6 for Site-to-Site VPN connections";
 * IPv6 inside the tunnels exists only on a Transit Gateway or Cloud WAN
 * attachment, one family per connection, which vygen does not model). The
 * schema admits IPv6 there so that this says why.
 */
function refuseIpv6(r: RouterDoc, routerPath: DocPath, diags: Diagnostics): Set<number> {
  const refused = new Set<number>();
  (r.vpn_connections ?? []).forEach((c, i) => {
    const path = subPath(routerPath, 'vpn_connections', i);
    const found = [
      ...c.tunnels.flatMap((t, j) => [
        ...(familyOf(t.outside) === 6 ? [{ at: subPath(path, 'tunnels', j, 'outside'), what: `outside address ${t.outside}`, value: t.outside }] : []),
        ...(familyOf(t.inside) === 6 ? [{ at: subPath(path, 'tunnels', j, 'inside'), what: `inside CIDR ${t.inside}`, value: t.inside }] : []),
      ]),
      ...(c.static_prefixes ?? []).flatMap((p, j) => (familyOf(p) === 6 ? [{ at: subPath(path, 'static_prefixes', j), what: `static prefix ${p}`, value: p }] : [])),
    ];
    for (const f of found) {
      diags.error('vpn-connection-ipv6', f.at, `VPN connection ${shown(c.name)} has an IPv6 ${f.what}: an AWS site-to-site VPN connection on a virtual private gateway carries IPv4 only`, {
        expected: 'IPv4 outside addresses, a /30 inside CIDR from 169.254.0.0/16 and IPv4 static prefixes',
        found: f.value,
        hint: 'IPv6 inside the tunnels needs a Transit Gateway VPN attachment (TunnelInsideIpVersion ipv6, one family per connection), which vygen does not render; carry the site\'s IPv6 over a link (GRE with defaults.tunnel_pool6) instead',
      });
      refused.add(i);
    }
  });
  return refused;
}

/** Every router's VPN connections (none for a router that lists none); one with an IPv6 value is refused and left out. */
export function normalizeVpnConnections(doc: TopologyDoc, model: Model, diags: Diagnostics): void {
  for (const [siteName, s] of Object.entries(doc.sites ?? {})) {
    for (const [name, r] of Object.entries(s.routers)) {
      const router = model.topology.routers.get(name);
      if (!router || router.site !== siteName) continue;
      const path = ['sites', siteName, 'routers', name];
      router.vpnConnections = vpnConnections(r, path, refuseIpv6(r, path, diags));
    }
  }
}
