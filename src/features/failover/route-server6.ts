// The policy of the IPv6 routes a router announces to a VPC Route Server over
// its IPv4 sessions (a dual-stack VPC): the IPv4 maps' rules in IPv6 terms.
// An IPv4 prefix-list matches no IPv6 route, so the IPv4 maps cannot serve:
// export every IPv6 route but the default (the route server programs the
// VPC's route tables with it), with the standby's prepend; import never the
// site's own IPv6 networks (the other router's announcements come back from
// the route server) nor a default route, with the standby's local preference.
import type { RouteMapRuleIntent, RouterIntent } from '../../model/intent.js';
import type { Site } from '../../model/topology.js';
import type { DualStack } from '../dual-stack/model.js';

const DEFAULT_ROUTE_LIST6 = 'PL6-DEFAULT-ROUTE';

export function applyRouteServerPolicy6(site: Site, d: DualStack, intent: RouterIntent): void {
  const sessions = (intent.bgp?.neighbors ?? []).filter((n) => n.peer?.kind === 'route-server' && n.addressFamilies?.some((f) => f.af === 'ipv6-unicast'));
  if (sessions.length === 0) return;
  const tag = site.name.toUpperCase();
  const rule100 = (name: string) => intent.routeMaps.find((m) => m.name === name)?.rules.find((r) => r.number === 100);
  const prepend = rule100(`RM-${tag}-TO-VPC`)?.prepend;
  const localPreference = rule100(`RM-${tag}-CLOUD-IN`)?.localPreference;
  const own = (name: string) => [...(d.sites.get(name)?.connected ?? []), ...(d.sites.get(name)?.statics ?? [])].map((c) => c.prefix.network);
  const originated = [...new Set([...own(site.name), ...(site.transit?.originates ?? []).flatMap(own)])];
  const ownList = `PL6-${tag}-OUT`;
  const list = (name: string, prefixes: string[]) => {
    if (prefixes.length === 0 || intent.prefixLists.some((p) => p.name === name)) return;
    intent.prefixLists.push({ name, rules: prefixes.map((prefix, i) => ({ number: 10 * (i + 1), action: 'permit', prefix })), path: site.path, origin: 'derived' });
  };
  list(ownList, originated);
  list(DEFAULT_ROUTE_LIST6, ['::/0']);
  const toVpc: RouteMapRuleIntent[] = [
    { number: 10, action: 'deny', matchPrefixList: DEFAULT_ROUTE_LIST6 },
    { number: 100, action: 'permit', ...(prepend ? { prepend } : {}) },
  ];
  const cloudIn: RouteMapRuleIntent[] = [
    ...(originated.length > 0 ? [{ number: 10, action: 'deny' as const, matchPrefixList: ownList }] : []),
    { number: 20, action: 'deny', matchPrefixList: DEFAULT_ROUTE_LIST6 },
    { number: 100, action: 'permit', ...(localPreference !== undefined ? { localPreference } : {}) },
  ];
  const exportMap = `RM6-${tag}-TO-VPC`;
  const importMap = `RM6-${tag}-CLOUD-IN`;
  intent.routeMaps.push({ name: importMap, rules: cloudIn, path: site.path, origin: 'derived' }, { name: exportMap, rules: toVpc, path: site.path, origin: 'derived' });
  for (const n of sessions) n.addressFamilies = n.addressFamilies!.map((f) => (f.af === 'ipv6-unicast' ? { ...f, routeMapExport: exportMap, routeMapImport: importMap } : f));
}
