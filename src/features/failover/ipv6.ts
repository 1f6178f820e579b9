// IPv6 in a VPC: a dual-stack VPC's route tables hold IPv6 routes beside the
// IPv4 ones, and they must follow the active router too. AWS names an IPv6
// destination with --destination-ipv6-cidr-block (it refuses an IPv6 prefix
// as --destination-cidr-block), so the scripts pick the option per route.
import type { Site } from '../../model/topology.js';
import type { DualStack } from '../dual-stack/model.js';
import { familyOf } from '../../net/ip.js';

/** A site is in a dual-stack VPC when one of its routers has an IPv6 address on its lan or wan (an ENI with IPv6). */
export function siteHasVpcIpv6(d: DualStack | undefined, site: Site): boolean {
  return !!d && site.routers.some((r) => {
    const r6 = d.routers.get(r.name);
    return r6?.lan !== undefined || r6?.wan !== undefined;
  });
}

/** The IPv6 networks the other sites announce (dual-stack sites' ipv6.connected and ipv6.static). */
export function announcedElsewhere6(d: DualStack, site: Site): string[] {
  const nets = new Set<string>();
  for (const [name, s6] of d.sites) {
    if (name === site.name) continue;
    for (const c of [...s6.connected, ...s6.statics]) nets.add(c.prefix.network);
  }
  return [...nets].sort();
}

export const isIpv6Destination = (d: string): boolean => familyOf(d) === 6;
