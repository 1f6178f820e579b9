// What the VyOS template needs to know of each value's address family: an
// IPv6 prefix-list is a `prefix-list6` and is matched by `match ipv6 address
// prefix-list`, an IPv6 route is a `route6`, an IPv6 BGP session keeps its
// options under `address-family ipv6-unicast` (and needs that node to be
// activated for IPv6 at all). Everything IPv4 renders exactly as before.
import type { BgpIntent, NeighborIntent, PeerGroupIntent, PrefixListIntent, RouteMapIntent, RouterIntent, SessionOptions, StaticRouteIntent } from '../../model/intent.js';
import { familyOf } from '../../net/ip.js';

const isV6List = (p: PrefixListIntent) => p.rules[0] !== undefined && familyOf(p.rules[0].prefix) === 6;

/** Options rendered under the session's address family. */
const AF_KEYS: (keyof SessionOptions)[] = ['softReconfiguration', 'nexthopSelf', 'routeMapExport', 'routeMapImport', 'maximumPrefix', 'prefixListExport', 'prefixListImport', 'weight'];

export interface DualStackView {
  prefixLists: PrefixListIntent[];
  prefixLists6: PrefixListIntent[];
  routeMaps: RouteMapIntent[];
  staticRoutes: (StaticRouteIntent & { v6?: true })[];
}

export function dualStackView(intent: RouterIntent): DualStackView {
  const v6Lists = new Set(intent.prefixLists.filter(isV6List).map((p) => p.name));
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
            return { ...rest, matchPrefixList6: matchPrefixList };
          }),
        })),
    staticRoutes: intent.staticRoutes.map((r) => (familyOf(r.prefix) === 6 ? { ...r, v6: true as const } : r)),
  };
}

type Session<T> = T & { af: string; afBare: boolean; v6: boolean };

/** The address family a session's options go to, and whether the family must be activated by its bare node. */
export function sessionFamilies(bgp: BgpIntent): { neighbors: Session<NeighborIntent>[]; peerGroups: Session<PeerGroupIntent>[] } {
  const v6Groups = new Set<string>();
  const v4Groups = new Set<string>();
  for (const n of bgp.neighbors) if (n.peerGroup !== undefined) (familyOf(n.address) === 6 ? v6Groups : v4Groups).add(n.peerGroup);
  const session = <T extends SessionOptions>(s: T, v6: boolean): Session<T> => ({
    ...s,
    af: v6 ? 'ipv6-unicast' : 'ipv4-unicast',
    v6,
    afBare: v6 && AF_KEYS.every((k) => s[k] === undefined || s[k] === false),
  });
  return {
    neighbors: bgp.neighbors.map((n) => session(n, familyOf(n.address) === 6)),
    peerGroups: (bgp.peerGroups ?? []).map((g) => session(g, v6Groups.has(g.name) && !v4Groups.has(g.name))),
  };
}

/** Network statements under their family; redistribution into IPv6 too where the router has IPv6 routes of that kind. */
export function familyStatements(intent: RouterIntent, bgp: BgpIntent): { networks: (BgpIntent['networks'][number] & { af: string })[]; redistribute: { protocol: string; routeMap?: string; af: string }[] } {
  const has6 = {
    static: intent.staticRoutes.some((r) => familyOf(r.prefix) === 6),
    connected: [...intent.ethernet.flatMap((e) => [...e.addresses, ...(e.vifs ?? []).flatMap((v) => v.addresses)]), ...intent.loopbacks.flatMap((l) => l.addresses), ...(intent.dummies ?? []).flatMap((l) => l.addresses)].some((a) => familyOf(a) === 6),
  };
  const redistribute = bgp.redistribute ?? [];
  return {
    networks: bgp.networks.map((n) => ({ ...n, af: familyOf(n.prefix) === 6 ? 'ipv6-unicast' : 'ipv4-unicast' })),
    redistribute: [
      ...redistribute.filter((r) => r.af === undefined).map((r) => ({ ...r, af: 'ipv4-unicast' })),
      ...redistribute.filter((r) => r.af === undefined && has6[r.protocol] && !redistribute.some((o) => o.af !== undefined && o.protocol === r.protocol)).map((r) => ({ ...r, af: 'ipv6-unicast' })),
      ...redistribute.filter((r) => r.af !== undefined).map((r) => ({ ...r, af: r.af! })),
    ],
  };
}
