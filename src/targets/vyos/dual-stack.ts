// What the VyOS template needs to know of each value's address family: an
// IPv6 prefix-list is a `prefix-list6` and is matched by `match ipv6 address
// prefix-list`, an IPv6 route is a `route6`, an IPv6 BGP session keeps its
// options under `address-family ipv6-unicast` (and needs that node to be
// activated for IPv6 at all). The IPv6 elements go to lists of their own
// (rendered after the IPv4 ones, by their own template blocks), so an IPv4
// router renders exactly as before and at the same cost: the render is the
// hot path of a large topology.
import type { BgpIntent, NeighborIntent, PeerGroupIntent, PrefixListIntent, RouteMapIntent, RouterIntent, SessionOptions, StaticRouteIntent } from '../../model/intent.js';
import { familyOf } from '../../net/ip.js';
import { extend } from '../../model/extend.js';

const v6 = (a: string) => familyOf(a) === 6;
const isV6List = (p: PrefixListIntent) => p.rules[0] !== undefined && v6(p.rules[0].prefix);

/** Options rendered under the session's address family. */
const AF_KEYS: (keyof SessionOptions)[] = ['softReconfiguration', 'nexthopSelf', 'routeMapExport', 'routeMapImport', 'maximumPrefix', 'prefixListExport', 'prefixListImport', 'weight'];

export interface DualStackView {
  prefixLists: PrefixListIntent[];
  prefixLists6: PrefixListIntent[];
  routeMaps: RouteMapIntent[];
  staticRoutes: StaticRouteIntent[];
  staticRoutes6: StaticRouteIntent[];
}

export function dualStackView(intent: RouterIntent): DualStackView {
  const v6Lists = new Set(intent.prefixLists.filter(isV6List).map((p) => p.name));
  const routes6 = intent.staticRoutes.filter((r) => v6(r.prefix));
  if (v6Lists.size === 0 && routes6.length === 0) return { prefixLists: intent.prefixLists, prefixLists6: [], routeMaps: intent.routeMaps, staticRoutes: intent.staticRoutes, staticRoutes6: [] };
  return {
    prefixLists: intent.prefixLists.filter((p) => !v6Lists.has(p.name)),
    prefixLists6: intent.prefixLists.filter((p) => v6Lists.has(p.name)),
    routeMaps: v6Lists.size === 0
      ? intent.routeMaps
      : intent.routeMaps.map((rm) => ({
          ...rm,
          rules: rm.rules.map((r) => {
            if (r.matchPrefixList === undefined || !v6Lists.has(r.matchPrefixList)) return r;
            const { matchPrefixList, ...rest } = r;
            return extend(rest, { matchPrefixList6: matchPrefixList });
          }),
        })),
    staticRoutes: routes6.length === 0 ? intent.staticRoutes : intent.staticRoutes.filter((r) => !v6(r.prefix)),
    staticRoutes6: routes6,
  };
}

/** Whether a session has no option under its (IPv6 or other) family: then the bare `address-family` node activates it. */
const bare6 = (s: Partial<SessionOptions>) => AF_KEYS.every((k) => s[k] === undefined || s[k] === false);

export interface BgpFamilies<N, G> {
  neighbors: N[];
  neighbors6: (N & { afBare: boolean })[];
  peerGroups: G[];
  peerGroups6: (G & { afBare: boolean })[];
}

/** Sessions by family; a peer-group goes with its members' family (IPv4 when it has both, or none). */
export function sessionFamilies<N extends NeighborIntent, G extends PeerGroupIntent>(neighbors: readonly N[], peerGroups: readonly G[]): BgpFamilies<N, G> {
  const by = byFamily(neighbors, peerGroups);
  if (!neighbors.some((n) => n.addressFamilies) && !peerGroups.some((g) => g.addressFamilies)) return bare4(by);
  // The other family a session carries: its options go under that family's node (IPv4 over IPv6 with the extended next hop).
  const withOther = <S extends SessionOptions>(s: S, own: 4 | 6) => {
    const o = s.addressFamilies?.find((f) => f.af === (own === 4 ? 'ipv6-unicast' : 'ipv4-unicast'));
    if (!o) return s;
    // VyOS activates a session in each family it has a node for: an IPv4 session with IPv6 lines needs its IPv4 node too.
    const other = extend(o, { bare: bare6(o) });
    return own === 4 && bare6(s) ? extend(s, { other, afBare4: true }) : extend(s, { other });
  };
  return bare4({
    neighbors: by.neighbors.map((n) => withOther(n, 4)),
    neighbors6: by.neighbors6.map((n) => withOther(n, 6)),
    peerGroups: by.peerGroups.map((g) => withOther(g, 4)),
    peerGroups6: by.peerGroups6.map((g) => withOther(g, 6)),
  });
}

/**
 * 1.4+ activates a session only in the families it has a node for (`no bgp
 * default ipv4-unicast`): an IPv4 session without IPv4 options (and not
 * activated through its peer-group) gets the bare `address-family
 * ipv4-unicast` node. Derived sessions always have options: the scan finds none.
 */
function bare4<N extends NeighborIntent, G extends PeerGroupIntent>(by: BgpFamilies<N, G>): BgpFamilies<N, G> {
  const bare = (s: SessionOptions, member: boolean) => !member && bare6(s);
  if (!by.neighbors.some((n) => bare(n, n.peerGroup !== undefined)) && !by.peerGroups.some((g) => bare(g, false))) return by;
  const mark = <S extends SessionOptions>(s: S, member: boolean) => (bare(s, member) ? extend(s, { afBare4: true }) : s);
  return { ...by, neighbors: by.neighbors.map((n) => mark(n, n.peerGroup !== undefined)), peerGroups: by.peerGroups.map((g) => mark(g, false)) };
}

function byFamily<N extends NeighborIntent, G extends PeerGroupIntent>(neighbors: readonly N[], peerGroups: readonly G[]): BgpFamilies<N, G> {
  const six = neighbors.filter((n) => v6(n.address));
  if (six.length === 0) return { neighbors: neighbors as N[], neighbors6: [], peerGroups: peerGroups as G[], peerGroups6: [] };
  const v6Groups = new Set(six.flatMap((n) => (n.peerGroup !== undefined ? [n.peerGroup] : [])));
  for (const n of neighbors) if (n.peerGroup !== undefined && !v6(n.address)) v6Groups.delete(n.peerGroup);
  return {
    neighbors: neighbors.filter((n) => !v6(n.address)),
    neighbors6: six.map((n) => extend(n, { afBare: bare6(n) })),
    peerGroups: peerGroups.filter((g) => !v6Groups.has(g.name)),
    peerGroups6: peerGroups.filter((g) => v6Groups.has(g.name)).map((g) => extend(g, { afBare: bare6(g) })),
  };
}

type Redistribute = NonNullable<BgpIntent['redistribute']>[number];

/** Network statements by family; redistribution into IPv6 too where the router has IPv6 routes of that kind (or pinned there). */
export function familyStatements(intent: RouterIntent, bgp: BgpIntent): { networks: BgpIntent['networks']; networks6: BgpIntent['networks']; redistribute: Redistribute[]; redistribute6: Redistribute[] } {
  const redistribute = bgp.redistribute ?? [];
  const networks6 = bgp.networks.filter((n) => v6(n.prefix));
  const networks = networks6.length === 0 ? bgp.networks : bgp.networks.filter((n) => !v6(n.prefix));
  if (redistribute.length === 0) return { networks, networks6, redistribute, redistribute6: [] };
  const has6 = {
    static: intent.staticRoutes.some((r) => v6(r.prefix)),
    connected:
      intent.ethernet.some((e) => e.addresses.some(v6) || (e.vifs ?? []).some((x) => x.addresses.some(v6))) ||
      [...intent.loopbacks, ...(intent.dummies ?? [])].some((l) => l.addresses.some(v6)),
  };
  const pinned = redistribute.filter((r) => r.af !== undefined);
  const plain = pinned.length === 0 ? redistribute : redistribute.filter((r) => r.af === undefined);
  return {
    networks,
    networks6,
    redistribute: plain,
    redistribute6: [...plain.filter((r) => has6[r.protocol] && !pinned.some((o) => o.protocol === r.protocol)), ...pinned],
  };
}
