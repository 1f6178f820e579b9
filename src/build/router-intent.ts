// Topology -> one RouterIntent per router. Everything derivable is derived
// here, once: iBGP inside a site, eBGP and a GRE-over-IPsec tunnel per link,
// policy names, router-id, and what the standby role changes.
import type { Diagnostics } from '../diagnostics.js';
import type {
  BgpIntent,
  EspGroupIntent,
  IkeGroupIntent,
  NeighborIntent,
  PeerIntent,
  PrefixListIntent,
  RouteMapIntent,
  RouterIntent,
  StaticRouteIntent,
  TunnelIntent,
  VrrpIntent,
  VtiIntent,
} from '../model/intent.js';
import type { IpsecSettings, Link, Router, Site, Topology, VpnConnection, VpnTunnel } from '../model/topology.js';
import { toDotted } from '../net/ipv4.js';
import { DEFAULTS } from '../normalize/defaults.js';
import { espGroupName, ikeGroupName } from './ipsec-groups.js';

/** Where the generated failover script is installed on a VyOS router. */
export const FAILOVER_SCRIPT = '/config/scripts/vygen-failover.sh';

/** `set metric 100` on what a site announces, as in seed 000. */
export const ANNOUNCED_METRIC = 100;

export function buildIntents(t: Topology, diags: Diagnostics): RouterIntent[] {
  const siteOf = new Map(t.sites.map((s) => [s.name, s]));
  const linksOf = new Map<string, Link[]>();
  for (const link of t.links) {
    for (const end of link.ends) linksOf.set(end, [...(linksOf.get(end) ?? []), link]);
  }
  const intents: RouterIntent[] = [];
  for (const s of t.sites) {
    for (const r of s.routers) {
      const links = (linksOf.get(r.name) ?? []).filter((l) => l.inner).sort((a, b) => a.id - b.id);
      if (links.length > 0 && !r.wan.gateway) {
        diags.warn('no-route-to-peers', [...r.wan.path], `router ${r.name} has VPN links but no WAN gateway`, {
          at: 'key',
          expected: 'wan.gateway, so that IPsec packets to the peers leave through the WAN',
          hint: 'add gateway: <the WAN subnet\'s router> unless another default route exists on the router',
        });
      }
      intents.push(buildRouter(t, s, r, links, siteOf));
    }
  }
  return intents;
}

function buildRouter(t: Topology, site: Site, r: Router, links: Link[], siteOf: Map<string, Site>): RouterIntent {
  const tag = site.name.toUpperCase();
  const ends = links.map((link) => linkEnd(t, link, r, siteOf));
  const standby = r.role === 'standby';
  const cloudBgp = r.vpnConnections.filter((c) => c.routing === 'bgp');
  const policy = policies(site, tag, standby && (ends.length > 0 || cloudBgp.length > 0));
  const ebgpMaps = {
    ...(policy.importMap ? { routeMapImport: policy.importMap } : {}),
    ...(policy.exportMap ? { routeMapExport: policy.exportMap } : {}),
  };
  const ebgp: NeighborIntent[] = ends.map((e) => ({
    address: e.remoteInner,
    remoteAs: e.remoteSite.asn,
    kind: 'ebgp',
    description: `eBGP ${e.remote.name} (${e.remoteSite.name})`,
    nexthopSelf: false,
    ...ebgpMaps,
  }));
  const cloud: NeighborIntent[] = cloudBgp.flatMap((c) =>
    c.tunnels.map((tn, i) => ({
      address: toDotted(tn.inside.first + 1),
      remoteAs: c.asn,
      kind: 'ebgp' as const,
      description: `eBGP ${c.name} tunnel ${i + 1}`,
      nexthopSelf: false,
      timers: c.bgp,
      ...ebgpMaps,
    })),
  );
  const ibgp: NeighborIntent[] = site.routers
    .filter((o) => o.name !== r.name && o.lan)
    .map((o) => ({ address: o.lan!.prefix.address, remoteAs: site.asn, kind: 'ibgp', description: `iBGP ${o.name}`, nexthopSelf: true }));
  const neighbors = [...ebgp, ...cloud, ...ibgp];
  const bgp: BgpIntent | undefined =
    neighbors.length > 0 || site.connected.length > 0 || site.statics.length > 0
      ? {
          asn: site.asn,
          routerId: r.loopback,
          keepalive: t.bgp.keepalive,
          holdtime: t.bgp.holdtime,
          neighbors,
          networks: site.connected.map((c) => ({ prefix: c.prefix.network, routeMap: policy.connectedMap! })),
          ...(policy.staticMap ? { redistributeStatic: { routeMap: policy.staticMap } } : {}),
        }
      : undefined;
  const ipsecIntent = ipsec(r, ends, t.ipsecDefaults);
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
      .map((i) => ({ name: i.name, address: i.prefix.text, ...(i.description !== undefined ? { description: { value: i.description, path: [...i.path, 'description'] } } : {}) })),
    loopback: `${r.loopback}/32`,
    ...(ipsecIntent ? { ipsec: ipsecIntent } : {}),
    tunnels: ends.map((e) => e.tunnel),
    vtis: r.vpnConnections.flatMap((c) => c.tunnels.map((tn, i) => vti(c, tn, i))),
    ...(site.vrrp && r.lan ? { vrrp: vrrpIntent(site, r) } : {}),
    prefixLists: policy.prefixLists,
    routeMaps: policy.routeMaps,
    ...(bgp ? { bgp } : {}),
    staticRoutes: [
      ...(r.wan.gateway ? [{ prefix: '0.0.0.0/0', nextHop: r.wan.gateway }] : []),
      ...site.statics.map((st) => ({ prefix: st.prefix.network, nextHop: st.via, ...(st.distance !== undefined ? { distance: st.distance } : {}) })),
      ...r.vpnConnections.flatMap(cloudStaticRoutes),
    ],
  };
}

function vti(c: VpnConnection, tn: VpnTunnel, i: number): VtiIntent {
  return {
    name: tn.vti,
    address: `${toDotted(tn.inside.first + 2)}/${tn.inside.length}`,
    mtu: { value: c.mtu, path: [...c.path, 'mtu'] },
    description: { value: `${c.name} tunnel ${i + 1}`, path: [...c.path, 'name'] },
  };
}

/** Static routing to a cloud gateway: its networks through both tunnels, the first preferred. */
function cloudStaticRoutes(c: VpnConnection): StaticRouteIntent[] {
  if (c.routing !== 'static') return [];
  return c.staticPrefixes.flatMap((p) => c.tunnels.map((tn, i) => ({ prefix: p.prefix.network, interface: tn.vti, distance: 10 * (i + 1) })));
}

function vrrpIntent(site: Site, r: Router): VrrpIntent {
  const v = site.vrrp!;
  const peers = site.routers.filter((o) => o.name !== r.name && o.lan).map((o) => o.lan!.prefix.address);
  return {
    group: `${site.name.toUpperCase()}-LAN`,
    syncGroup: `SG-${site.name.toUpperCase()}`,
    interface: r.lan!.name,
    vrid: v.vrid,
    address: v.address.text,
    priority: r.role === 'active' ? DEFAULTS.vrrp.activePriority : DEFAULTS.vrrp.standbyPriority,
    advertiseInterval: v.advertiseInterval,
    preempt: v.preempt,
    path: v.path,
    ...(v.unicast ? { unicast: { source: r.lan!.prefix.address, peers } } : {}),
    ...(v.preemptDelay !== undefined ? { preemptDelay: v.preemptDelay } : {}),
    ...(v.password ? { password: v.password } : {}),
    ...(site.aws?.failover === 'vrrp' ? { masterScript: FAILOVER_SCRIPT } : {}),
  };
}

interface LinkEnd {
  link: Link;
  remote: Router;
  remoteSite: Site;
  remoteInner: string;
  tunnel: TunnelIntent;
}

function linkEnd(t: Topology, link: Link, r: Router, siteOf: Map<string, Site>): LinkEnd {
  const first = link.ends[0] === r.name;
  const remote = t.routers.get(first ? link.ends[1] : link.ends[0])!;
  const remoteSite = siteOf.get(remote.site)!;
  const inner = link.inner!;
  const own = toDotted(inner.first + (first ? 1 : 2));
  const other = toDotted(inner.first + (first ? 2 : 1));
  return {
    link,
    remote,
    remoteSite,
    remoteInner: other,
    tunnel: {
      name: `tun${link.id}`,
      address: `${own}/${inner.length}`,
      source: r.loopback,
      remote: remote.loopback,
      mtu: { value: link.mtu, path: link.mtuPath },
      description: {
        value: link.description ?? `GRE to ${remote.name} (${remoteSite.name})`,
        path: link.description !== undefined ? [...link.path, 'description'] : link.path,
      },
    },
  };
}

function ipsec(r: Router, ends: LinkEnd[], defaults: IpsecSettings): RouterIntent['ipsec'] {
  const ikeGroups = new Map<string, IkeGroupIntent>();
  const espGroups = new Map<string, EspGroupIntent>();
  const groups = (settings: IpsecSettings, ikeName: string, espName: string) => {
    if (!ikeGroups.has(ikeName)) {
      ikeGroups.set(ikeName, { name: ikeName, proposal: settings.ike, dpd: settings.dpd, path: settings.paths.ike, dpdPath: settings.paths.dpd });
    }
    if (!espGroups.has(espName)) espGroups.set(espName, { name: espName, proposal: settings.esp, path: settings.paths.esp });
    return { ikeGroup: ikeName, espGroup: espName };
  };
  const gre: PeerIntent[] = ends.map(({ link, remote, remoteSite }) => {
    const ikeName = ikeGroupName(link.ipsec, defaults);
    const espName = espGroupName(link.ipsec, defaults);
    return {
      name: remote.name,
      remoteRouter: remote.name,
      remoteAddress: remote.wan.publicAddress,
      localAddress: r.wan.prefix.address,
      localId: r.wan.publicAddress,
      remoteId: remote.wan.publicAddress,
      psk: link.psk,
      ...groups(link.ipsec, ikeName, espName),
      connectionType: link.ends[0] === r.name ? 'initiate' : 'respond',
      description: {
        value: link.description ?? `link ${link.id} to ${remote.name} (${remoteSite.name})`,
        path: link.description !== undefined ? [...link.path, 'description'] : link.path,
      },
      policy: { localPrefix: `${r.loopback}/32`, remotePrefix: `${remote.loopback}/32` },
      path: link.path,
      namePath: link.path[0] === 'links' ? [...link.path, 'between', link.ends.indexOf(remote.name)] : link.path,
    };
  });
  const cloud: PeerIntent[] = r.vpnConnections.flatMap((c) =>
    c.tunnels.map((tn, i) => ({
      name: `${c.name}-t${i + 1}`,
      remoteRouter: c.name,
      remoteAddress: tn.outside,
      localAddress: r.wan.prefix.address,
      localId: r.wan.publicAddress,
      remoteId: tn.outside,
      psk: tn.psk,
      ...groups(c.ipsec, `IKE-${c.name}`, `ESP-${c.name}`),
      // A cloud gateway does not initiate: the router must.
      connectionType: 'initiate' as const,
      description: { value: `${c.name} tunnel ${i + 1}`, path: [...c.path, 'name'] },
      vti: tn.vti,
      path: tn.path,
      namePath: [...c.path, 'name'],
    })),
  );
  const peers = [...gre, ...cloud];
  if (peers.length === 0) return undefined;
  const byName = <T extends { name: string }>(m: Map<string, T>) => [...m.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return { interface: r.wan.name, disableRouteAutoinstall: cloud.length > 0, ikeGroups: byName(ikeGroups), espGroups: byName(espGroups), peers };
}

interface Policies {
  prefixLists: PrefixListIntent[];
  routeMaps: RouteMapIntent[];
  connectedMap?: string;
  staticMap?: string;
  importMap?: string;
  exportMap?: string;
}

function policies(site: Site, tag: string, standbyWithPeers: boolean): Policies {
  const out: Policies = { prefixLists: [], routeMaps: [] };
  const announce = (kind: 'CONNECTED' | 'STATIC', prefixes: string[]) => {
    const pl = `PL-${tag}-${kind}`;
    const rm = `RM-${tag}-${kind}`;
    out.prefixLists.push({ name: pl, rules: prefixes.map((prefix, i) => ({ number: 10 * (i + 1), action: 'permit', prefix })), path: site.path });
    out.routeMaps.push({ name: rm, rules: [{ number: 10, action: 'permit', matchPrefixList: pl, metric: ANNOUNCED_METRIC }], path: site.path });
    return rm;
  };
  if (site.connected.length > 0) out.connectedMap = announce('CONNECTED', site.connected.map((c) => c.prefix.network));
  if (site.statics.length > 0) out.staticMap = announce('STATIC', [...new Set(site.statics.map((s) => s.prefix.network))]);
  if (standbyWithPeers) {
    // Seed 001: the standby is made less preferred by prepending its own AS on
    // every eBGP export, and prefers the active's paths for return traffic.
    if (site.standby.prepend > 0) {
      out.exportMap = `RM-${tag}-STANDBY-OUT`;
      out.routeMaps.push({ name: out.exportMap, rules: [{ number: 10, action: 'permit', prepend: Array(site.standby.prepend).fill(site.asn) }], path: site.path });
    }
    out.importMap = `RM-${tag}-STANDBY-IN`;
    out.routeMaps.push({ name: out.importMap, rules: [{ number: 10, action: 'permit', localPreference: site.standby.localPreference }], path: site.path });
  }
  return out;
}
