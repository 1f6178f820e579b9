// Sessions that carry nothing in a family the release activates by itself.
// VyOS 1.3 (vyatta-cfg-quagga) runs `neighbor X activate` in IPv4 unicast
// with every `neighbor X remote-as`, and turns eBGP's required policy off, so
// an IPv6 session there exchanges IPv4 routes too, with none of the IPv4
// session's filters: every IPv4 route exported (transit, the standby's prepend
// bypassed) and every one imported at the default preference. Such a session
// gets a route-map that denies everything, both ways, under the family. Done
// when rendering: the intent (what the checks read) stays what the topology
// asks for, and only the release's text changes (which the lab reads).
import type { RouterIntent } from '../../model/intent.js';
import { DIALECTS } from './dialects.js';
import { extend } from '../../model/extend.js';

export const NO_ROUTES_MAP = 'VYGEN-NO-ROUTES';

const v6 = (address: string) => address.includes(':');

/** The intent as rendered for its release: on 1.3, IPv6 sessions deny the IPv4 routes that release would exchange over them. */
export function withImplicitFamiliesDenied(intent: RouterIntent): RouterIntent {
  const bgp = intent.bgp;
  if (!bgp || DIALECTS[intent.release].supports.familiesAsWritten) return intent;
  const carriesIpv4 = (s: { addressFamilies?: { af: string }[] }) => s.addressFamilies?.some((f) => f.af === 'ipv4-unicast') === true;
  const deny = { af: 'ipv4-unicast' as const, denied: true, routeMapExport: NO_ROUTES_MAP, routeMapImport: NO_ROUTES_MAP };
  let used = false;
  const neighbors = bgp.neighbors.map((n) => {
    if (!v6(n.address) || n.peerGroup !== undefined || carriesIpv4(n)) return n;
    used = true;
    return extend(n, { addressFamilies: [...(n.addressFamilies ?? []), deny] });
  });
  // A group's policy is its members' (1.3 refuses it on a member): a group of IPv6 members only.
  const peerGroups = bgp.peerGroups?.map((g) => {
    const members = bgp.neighbors.filter((n) => n.peerGroup === g.name);
    if (members.length === 0 || !members.every((m) => v6(m.address)) || carriesIpv4(g)) return g;
    used = true;
    return extend(g, { addressFamilies: [...(g.addressFamilies ?? []), deny] });
  });
  if (!used) return intent;
  const noRoutes = { name: NO_ROUTES_MAP, description: 'IPv6 sessions carry no IPv4 routes', rules: [{ number: 10, action: 'deny' as const }], path: intent.releasePath, origin: 'derived' as const };
  return { ...intent, bgp: { ...bgp, neighbors, ...(peerGroups ? { peerGroups } : {}) }, routeMaps: [...intent.routeMaps, noRoutes] };
}
