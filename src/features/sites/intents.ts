// Each site router's own part of its intent: system, WAN and LAN, loopback,
// default and site static routes, what the site announces, iBGP with the
// other routers of the site. Links, cloud connections and VRRP add theirs.
import type { NeighborIntent, PrefixListIntent, RouteMapIntent, RouterIntent } from '../../model/intent.js';
import type { Router, Site, Topology } from '../../model/topology.js';
import { subPath } from '../../diagnostics.js';
import { flat } from '../../model/flat.js';

/** `set metric 100` on what a site announces, as the inter-region design does. */
export const ANNOUNCED_METRIC = 100;

export function siteRouterIntent(t: Topology, site: Site, r: Router): RouterIntent {
  const policy = announcePolicies(site);
  const ibgp: NeighborIntent[] = site.routers
    .filter((o) => o.name !== r.name && o.lan)
    .map((o) => ({ address: o.lan!.prefix.address, remoteAs: site.asn, kind: 'ibgp', description: `iBGP ${o.name}`, nexthopSelf: true, softReconfiguration: true }));
  return {
    name: r.name,
    site: site.name,
    role: r.role,
    release: r.release,
    releasePath: r.releasePath,
    path: r.path,
    hostName: r.name,
    ethernet: [r.wan, r.lan]
      .filter((i) => i !== undefined)
      .map((i) => ({ name: i.name, addresses: [i.prefix.text], ...(i.description !== undefined ? { description: { value: i.description, path: subPath(i.path, 'description') } } : {}) })),
    loopbacks: [{ name: 'lo', addresses: [flat(`${r.loopback}/32`)] }],
    tunnels: [],
    vtis: [],
    prefixLists: policy.prefixLists,
    routeMaps: policy.routeMaps,
    // Dropped again by the router target when nothing (no session, no
    // announcement) needs a BGP process.
    bgp: {
      asn: site.asn,
      routerId: r.loopback,
      keepalive: t.bgp.keepalive,
      holdtime: t.bgp.holdtime,
      neighbors: ibgp,
      networks: site.connected.map((c) => ({ prefix: c.prefix.network, routeMap: policy.connectedMap! })),
      ...(policy.staticMap ? { redistribute: [{ protocol: 'static' as const, routeMap: policy.staticMap }] } : {}),
    },
    staticRoutes: [
      ...(r.wan.gateway ? [{ prefix: '0.0.0.0/0', nextHop: r.wan.gateway }] : []),
      ...site.statics.map((st) => ({ prefix: st.prefix.network, nextHop: st.via, ...(st.distance !== undefined ? { distance: st.distance } : {}) })),
    ],
  };
}

interface Announce {
  prefixLists: PrefixListIntent[];
  routeMaps: RouteMapIntent[];
  connectedMap?: string;
  staticMap?: string;
}

function announcePolicies(site: Site): Announce {
  const tag = site.name.toUpperCase();
  const out: Announce = { prefixLists: [], routeMaps: [] };
  const announce = (kind: 'CONNECTED' | 'STATIC', prefixes: string[]) => {
    const pl = flat(`PL-${tag}-${kind}`);
    const rm = flat(`RM-${tag}-${kind}`);
    out.prefixLists.push({ name: pl, rules: prefixes.map((prefix, i) => ({ number: 10 * (i + 1), action: 'permit', prefix })), path: site.path });
    out.routeMaps.push({ name: rm, rules: [{ number: 10, action: 'permit', matchPrefixList: pl, metric: ANNOUNCED_METRIC }], path: site.path });
    return rm;
  };
  if (site.connected.length > 0) out.connectedMap = announce('CONNECTED', site.connected.map((c) => c.prefix.network));
  if (site.statics.length > 0) out.staticMap = announce('STATIC', [...new Set(site.statics.map((s) => s.prefix.network))]);
  return out;
}
