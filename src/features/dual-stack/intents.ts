// What dual stack adds to each site router's intent once the IPv4 features
// built it: IPv6 addresses beside the IPv4 ones, the IPv6 default and site
// routes, the site's IPv6 announcements (prefix-list6 + their own route-maps,
// since an IPv4 prefix-list matches no IPv6 route), iBGP over the IPv6 LAN,
// and on each link between two IPv6 routers an IPv6 /127 inside the GRE
// tunnel with eBGP over it. GRE runs between the IPv4 loopbacks, so the IPsec
// policy (loopback to loopback, protocol gre) already protects the IPv6
// packets inside: no IPv6 traffic selector is needed.
import type { NeighborIntent, RouterIntent } from '../../model/intent.js';
import type { Link, Site, Topology } from '../../model/topology.js';
import { format6 } from '../../net/ip.js';
import { ANNOUNCED_METRIC } from '../sites/intents.js';
import type { DualStack } from './model.js';
import { flat } from '../../model/flat.js';

/** Link n's IPv6 inside network: the n-th /127 of the pool; the first router of `between` takes the lower address. */
export function inner6(d: DualStack, link: Link): [string, string] | undefined {
  if (!d.pool) return undefined;
  const base = d.pool.prefix.first + BigInt(link.id) * 2n;
  return [`${format6(base)}/127`, `${format6(base + 1n)}/127`];
}

export function addDualStack(t: Topology, d: DualStack, intents: RouterIntent[]): void {
  const sites = new Map(t.sites.map((s) => [s.name, s]));
  // Each router's inner links, found once: a scan of every link per router grew with the square of the topology.
  const innerLinks = new Map<string, Link[]>();
  for (const l of t.links) {
    if (!l.inner) continue;
    for (const end of new Set(l.ends)) {
      const list = innerLinks.get(end);
      if (list) list.push(l);
      else innerLinks.set(end, [l]);
    }
  }
  for (const intent of intents) {
    const r = t.routers.get(intent.name);
    const site = r ? sites.get(r.site) : undefined;
    if (!r || !site) continue;
    const r6 = d.routers.get(r.name);
    const s6 = d.sites.get(site.name);
    if (r6) {
      const eth = (name: string) => intent.ethernet.find((e) => e.name === name);
      if (r6.wan) eth(r.wan.name)?.addresses.push(r6.wan.prefix.text);
      if (r6.lan && r.lan) eth(r.lan.name)?.addresses.push(r6.lan.prefix.text);
      if (r6.loopback) intent.loopbacks.find((l) => l.name === 'lo')?.addresses.push(r6.loopback.prefix.text);
      if (r6.gateway) intent.staticRoutes.push({ prefix: '::/0', nextHop: r6.gateway.address });
    }
    if (s6) announce(intent, site.name, site.asn, s6);
    const bgp = intent.bgp!;
    if (r6?.lan) {
      for (const o of site.routers) {
        const lan = d.routers.get(o.name)?.lan;
        if (o.name === r.name || !lan) continue;
        bgp.neighbors.push({ address: lan.prefix.address, remoteAs: site.asn, kind: 'ibgp', description: `iBGP ${o.name}`, nexthopSelf: true, softReconfiguration: true });
      }
    }
    if (!r6) continue;
    for (const link of [...(innerLinks.get(r.name) ?? [])].sort((a, b) => a.id - b.id)) {
      const first = link.ends[0] === r.name;
      const remote = t.routers.get(first ? link.ends[1] : link.ends[0])!;
      const pair = inner6(d, link);
      if (!pair || !d.routers.has(remote.name)) continue;
      const [own, other] = first ? pair : [pair[1], pair[0]];
      const tunnel = intent.tunnels.find((x) => x.name === `tun${link.id}`);
      if (!tunnel) continue;
      tunnel.moreAddresses = [...(tunnel.moreAddresses ?? []), own];
      const neighbor: NeighborIntent = {
        address: other.split('/')[0]!,
        remoteAs: sites.get(remote.site)!.asn,
        kind: 'ebgp',
        description: flat(`eBGP ${remote.name} (${remote.site}) over IPv6`),
        softReconfiguration: true,
        peer: { kind: 'site', site: remote.site },
      };
      bgp.neighbors.push(neighbor);
    }
  }
}

function announce(intent: RouterIntent, site: string, _asn: number, s6: NonNullable<ReturnType<DualStack['sites']['get']>>): void {
  const tag = site.toUpperCase();
  const list = (kind: 'CONNECTED' | 'STATIC', prefixes: string[]) => {
    const pl = `PL6-${tag}-${kind}`;
    const rm = `RM6-${tag}-${kind}`;
    intent.prefixLists.push({ name: pl, rules: prefixes.map((prefix, i) => ({ number: 10 * (i + 1), action: 'permit', prefix })), path: ['sites', site, 'ipv6'], origin: 'derived' });
    intent.routeMaps.push({ name: rm, rules: [{ number: 10, action: 'permit', matchPrefixList: pl, metric: ANNOUNCED_METRIC }], path: ['sites', site, 'ipv6'], origin: 'derived' });
    return rm;
  };
  const bgp = intent.bgp!;
  if (s6.connected.length > 0) {
    const rm = list('CONNECTED', s6.connected.map((c) => c.prefix.network));
    for (const c of s6.connected) bgp.networks.push({ prefix: c.prefix.network, routeMap: rm });
  }
  if (s6.statics.length > 0) {
    const rm = list('STATIC', [...new Set(s6.statics.map((s) => s.prefix.network))]);
    for (const st of s6.statics) intent.staticRoutes.push({ prefix: st.prefix.network, nextHop: st.via, ...(st.distance !== undefined ? { distance: st.distance } : {}) });
    (bgp.redistribute ??= []).push({ protocol: 'static', routeMap: rm, af: 'ipv6-unicast' });
  }
}

/**
 * The safe default export for IPv6 sessions: the sites feature gave every
 * derived eBGP session RM-<SITE>-OUT, whose prefix-list holds IPv4 networks
 * only; an IPv6 session gets RM6-<SITE>-OUT instead, permitting what the site
 * originates in IPv6 (PL6-<SITE>-OUT) with the same standby prepend, then the
 * same explicit deny.
 */
export function applyPolicy6(sites: ReadonlyMap<string, Site>, d: DualStack, intent: RouterIntent): void {
  const site = intent.site !== undefined ? sites.get(intent.site) : undefined;
  if (!site || !intent.bgp) return;
  const tag = site.name.toUpperCase();
  const v4Out = new RegExp(`^RM-${tag}-OUT(-PREPEND\\d+)?$`);
  const sessions = intent.bgp.neighbors.filter((n) => n.kind === 'ebgp' && n.address.includes(':') && !n.pinned?.export && n.routeMapExport !== undefined && v4Out.test(n.routeMapExport));
  if (sessions.length === 0) return;
  // As over IPv4: the site's own networks, and a hub's its spokes' too.
  const own = (name: string) => [...(d.sites.get(name)?.connected ?? []), ...(d.sites.get(name)?.statics ?? [])].map((c) => c.prefix.network);
  const originated = [...new Set([...own(site.name), ...(site.transit?.originates ?? []).flatMap(own)])];
  const list = `PL6-${tag}-OUT`;
  if (originated.length > 0) intent.prefixLists.push({ name: list, rules: originated.map((prefix, i) => ({ number: 10 * (i + 1), action: 'permit', prefix })), path: site.path, origin: 'derived' });
  const made = new Set<string>();
  for (const n of sessions) {
    const v4 = intent.routeMaps.find((m) => m.name === n.routeMapExport)!;
    const name = n.routeMapExport!.replace(/^RM-/, 'RM6-');
    n.routeMapExport = name;
    if (made.has(name)) continue;
    made.add(name);
    const prepend = v4.rules.find((x) => x.number === 10)?.prepend;
    const deny = v4.rules.find((x) => x.action === 'deny')!;
    intent.routeMaps.push({
      name,
      rules: [...(originated.length > 0 ? [{ number: 10, action: 'permit' as const, matchPrefixList: list, ...(prepend ? { prepend } : {}) }] : []), { ...deny }],
      path: site.path,
      origin: 'derived',
    });
  }
}
