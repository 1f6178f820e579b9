// What a site in a VPC adds to its routers' own configuration: the secondary
// private address the floating Elastic IP lands on, the BGP sessions to a
// VPC Route Server's endpoints, and the VRRP health check that keeps a router
// without its BGP sessions from becoming master.
import type { NeighborIntent, RouterIntent } from '../../model/intent.js';
import type { Router, Site } from '../../model/topology.js';
import { DEFAULTS } from '../../model/defaults.js';
import { contains } from '../../net/ipv4.js';
import { DIALECTS } from '../../targets/vyos/dialects.js';
import type { DualStack } from '../dual-stack/model.js';

/** Where the VRRP health check (BGP sessions up) is installed on a VyOS router. */
export const VRRP_HEALTH_SCRIPT = '/config/scripts/vygen-vrrp-health.sh';

export function addCloudRouter(site: Site, r: Router, intent: RouterIntent, d?: DualStack): void {
  const aws = site.aws;
  if (!aws) return;
  if (aws.eip && r.aws?.eipPrivateAddress && aws.failover !== 'none' && aws.failover !== 'route-server') {
    const wan = intent.ethernet.find((e) => e.name === r.wan.name);
    wan?.addresses.push(`${r.aws.eipPrivateAddress}/${r.wan.prefix.length}`);
  }
  if (intent.bgp) intent.bgp.neighbors.push(...routeServerNeighbors(site, r, d));
  addHealthCheck(intent);
}

/**
 * The interface of the router whose subnet holds a route server endpoint has
 * an IPv6 address too: then the session carries the router's IPv6 routes, with
 * that address as their next hop (the route server writes them into the VPC's
 * route tables toward the ENI holding it).
 */
export function endpointHasIpv6(r: Router, endpoint: string, d: DualStack | undefined): boolean {
  const r6 = d?.routers.get(r.name);
  if (!r6) return false;
  if (contains(r.wan.prefix, endpoint)) return r6.wan !== undefined;
  return r.lan !== undefined && contains(r.lan.prefix, endpoint) && r6.lan !== undefined;
}

/** The route server's endpoints the router reaches directly (those in its own subnets): eBGP, with BFD unless turned off. */
function routeServerNeighbors(site: Site, r: Router, d: DualStack | undefined): NeighborIntent[] {
  const rs = site.aws?.failover === 'route-server' ? site.aws.routeServer : undefined;
  if (!rs) return [];
  const endpoints = rs.endpoints.filter((e) => [r.wan, r.lan].some((i) => i && contains(i.prefix, e)));
  return endpoints.map((e, i) => ({
    ...(endpointHasIpv6(r, e, d) ? { addressFamilies: [{ af: 'ipv6-unicast' as const, softReconfiguration: true }] } : {}),
    address: e,
    remoteAs: rs.asn,
    kind: 'ebgp' as const,
    description: `VPC route server endpoint ${i + 1}`,
    nexthopSelf: false,
    softReconfiguration: true,
    peer: { kind: 'route-server' as const },
    ...(rs.bfd ? { bfd: true } : {}),
  }));
}

/**
 * In a VPC the master pulls the route tables: a router none of whose eBGP
 * sessions is up must not be it. VyOS 1.3 checks groups only; from 1.4 a
 * group's own check is ignored once it is a sync-group member, so the check
 * goes on the sync-group there.
 */
function addHealthCheck(intent: RouterIntent): void {
  const vrrp = intent.vrrp;
  if (!vrrp || !(intent.bgp?.neighbors ?? []).some((n) => n.kind === 'ebgp')) return;
  const check = { healthCheck: VRRP_HEALTH_SCRIPT, healthCheckTiming: { ...DEFAULTS.vrrpHealthCheck } };
  if (DIALECTS[intent.release].supports.syncGroupHealthCheck && vrrp.syncGroups.length > 0) {
    for (const sg of vrrp.syncGroups) Object.assign(sg, check);
  } else {
    for (const g of vrrp.groups) Object.assign(g, check);
  }
}
