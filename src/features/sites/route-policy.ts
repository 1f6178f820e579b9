// The routing policy of every eBGP session a feature derived, applied once all
// sessions exist. Safe by default:
// - export: what the router's site originates (its announced and static
//   networks; a hub also its spokes'), then an explicit deny. A site is no
//   transit, so a failure can never make another site the path between two
//   others; a hub gives its own spokes every route, since they reach the
//   other regions through it.
// - export to a VPC Route Server: every route the router uses (what it learns
//   over the VPN and the links, and the site's own networks) but a default
//   route, so the VPC's route tables send that traffic to the router; the
//   standby's prepend makes them prefer the active router.
// - import from a cloud gateway or a VPC Route Server: never the site's own
//   networks or a default route (and from a cloud gateway at most
//   AWS_VPN.maxPrefix routes, set by the cloud feature).
// - the standby role: its own AS prepended on every export, a lower
//   local-preference on every import, so the active router's paths win both
//   ways.
// A route-map the user wrote on a session (routers.R.bgp.neighbors) replaces
// the derived one.
import type { RouteMapIntent, RouteMapRuleIntent, RouterIntent } from '../../model/intent.js';
import type { Site } from '../../model/topology.js';
import { flat } from '../../model/flat.js';

/** Rule number of the explicit deny at the end of an export map: room for rules before it. */
export const FINAL_DENY_RULE = 1000;

export function applyRoutePolicy(site: Site, sites: ReadonlyMap<string, Site>, intent: RouterIntent): void {
  const ebgp = intent.bgp?.neighbors.filter((n) => n.kind === 'ebgp' && n.peer !== undefined) ?? [];
  if (ebgp.length === 0) return;
  const tag = site.name.toUpperCase();
  const standby = intent.role === 'standby';
  const roleTimes = standby ? site.standby.prepend : 0;
  const prepend = (extra: number) => (roleTimes + extra > 0 ? { prepend: Array(roleTimes + extra).fill(site.asn) as number[] } : {});
  const maps = new Map<string, RouteMapIntent>();
  const need = (name: string, rules: () => RouteMapRuleIntent[]) => {
    if (!maps.has(name)) maps.set(name, { name: flat(name), rules: rules(), path: site.path, origin: 'derived' });
    return name;
  };
  const originated = originatedBy(site, sites);
  const ownList = flat(`PL-${tag}-OUT`);
  if (originated.length > 0) {
    intent.prefixLists.push({ name: ownList, rules: originated.map((prefix, i) => ({ number: 10 * (i + 1), action: 'permit', prefix })), path: site.path, origin: 'derived' });
  }
  // A less preferred cloud tunnel (tunnels[].bgp.prepend) gets its own map with the extra prepends.
  const exportOwn = (extra: number) =>
    need(`RM-${tag}-OUT${extra > 0 ? `-PREPEND${extra}` : ''}`, () => [
      ...(originated.length > 0 ? [{ number: 10, action: 'permit' as const, matchPrefixList: ownList, ...prepend(extra) }] : []),
      { number: FINAL_DENY_RULE, action: 'deny' },
    ]);
  const exportAll = () => need(`RM-${tag}-TO-SPOKES`, () => [{ number: 10, action: 'permit', ...prepend(0) }]);
  const standbyIn = () => need(`RM-${tag}-STANDBY-IN`, () => [{ number: 10, action: 'permit', localPreference: site.standby.localPreference }]);
  const defaultRouteList = () => {
    if (!intent.prefixLists.some((p) => p.name === DEFAULT_ROUTE_LIST)) {
      intent.prefixLists.push({ name: DEFAULT_ROUTE_LIST, rules: [{ number: 10, action: 'permit', prefix: '0.0.0.0/0' }], path: site.path, origin: 'derived' });
    }
    return DEFAULT_ROUTE_LIST;
  };
  // The route server programs the VPC's route tables with what it learns: the
  // networks behind the VPN must be among it, or nothing in the VPC routes to them.
  const exportToVpc = () => {
    defaultRouteList();
    return need(`RM-${tag}-TO-VPC`, () => [
      { number: 10, action: 'deny', matchPrefixList: DEFAULT_ROUTE_LIST },
      { number: 100, action: 'permit', ...prepend(0) },
    ]);
  };
  const cloudIn = () => {
    defaultRouteList();
    return need(`RM-${tag}-CLOUD-IN`, () => [
      ...(originated.length > 0 ? [{ number: 10, action: 'deny' as const, matchPrefixList: ownList }] : []),
      { number: 20, action: 'deny', matchPrefixList: DEFAULT_ROUTE_LIST },
      { number: 100, action: 'permit', ...(standby ? { localPreference: site.standby.localPreference } : {}) },
    ]);
  };
  for (const n of ebgp) {
    const toSpoke = n.peer?.kind === 'site' && site.transit?.fullTableTo.includes(n.peer.site);
    if (!n.pinned?.export) n.routeMapExport = toSpoke ? exportAll() : n.peer?.kind === 'route-server' ? exportToVpc() : exportOwn(n.tunnelPrepend ?? 0);
    if (n.pinned?.import) continue;
    // A route server reflects what the site's other router announced: the site's own networks come back from it.
    if (n.peer?.kind === 'cloud' || n.peer?.kind === 'route-server') n.routeMapImport = cloudIn();
    else if (standby) n.routeMapImport = standbyIn();
  }
  intent.routeMaps.push(...[...maps.values()].sort((a, b) => (a.name < b.name ? -1 : 1)));
}

const DEFAULT_ROUTE_LIST = 'PL-DEFAULT-ROUTE';

/** What a site announces to other sites: its own networks, and a hub's spokes' too. */
export function originatedBy(site: Site, sites: ReadonlyMap<string, Site>): string[] {
  const own = (s: Site) => [...s.connected.map((c) => c.prefix.network), ...s.statics.map((st) => st.prefix.network)];
  const all = [...own(site), ...(site.transit?.originates ?? []).flatMap((n) => (sites.get(n) ? own(sites.get(n)!) : []))];
  return [...new Set(all)];
}

