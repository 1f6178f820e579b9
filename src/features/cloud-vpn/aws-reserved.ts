// AWS keeps five addresses of every subnet: the network address, +1 (the VPC
// router), +2 (DNS), +3 (reserved) and the last. None of them can be an
// instance's address or a VIP (AWS never delivers it to the instance). As a
// next hop only +1 makes sense: it is the subnet's router (the inter-region design routes
// the front subnet via the default gateway); the other four are never a
// host, and a route via the site's own VIP would loop back to the router.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import type { Topology } from '../../model/topology.js';
import type { Model } from '../feature.js';
import { contains, toDotted, toNumber, type Prefix } from '../../net/ipv4.js';

const ROLE = ['the network address', 'the VPC router', 'the DNS server', 'reserved for future use'];

/** Why AWS keeps `address` in `subnet`, or undefined when it is an ordinary host. */
export function awsReserved(subnet: Prefix, address: string): string | undefined {
  const n = toNumber(address);
  if (n === subnet.last) return 'the last address (broadcast)';
  const offset = n - subnet.first;
  return offset >= 0 && offset < 4 ? ROLE[offset] : undefined;
}

function reservedList(subnet: Prefix): string {
  return [0, 1, 2, 3].map((i) => toDotted(subnet.first + i)).concat(toDotted(subnet.last)).join(', ');
}

export function checkAwsReserved(model: Model, diags: Diagnostics): void {
  const t = model.topology;
  const address = (subnet: Prefix, a: string, path: DocPath, what: string) => {
    const why = awsReserved(subnet, a);
    if (!why) return;
    diags.error('aws-reserved-address', path, `${what} ${a} is ${why} of subnet ${subnet.network}, which AWS reserves`, {
      expected: `an address of ${subnet.network} other than ${reservedList(subnet)}`,
      found: a,
      hint: 'AWS keeps the first four and the last address of every subnet',
    });
  };
  const nextHop = (subnets: Prefix[], a: string, path: DocPath, what: string, vip?: string) => {
    if (vip === a) {
      diags.error('aws-reserved-address', path, `${what} ${a} is the site's own VRRP address: the route would loop back to the router`, {
        expected: 'a next hop beyond the router, e.g. the subnet\'s VPC router (its first host)',
        found: a,
      });
      return;
    }
    const subnet = subnets.find((s) => contains(s, a));
    if (!subnet || toNumber(a) === subnet.first + 1) return;
    const why = awsReserved(subnet, a);
    if (!why) return;
    diags.error('aws-reserved-address', path, `${what} ${a} is ${why} of subnet ${subnet.network}: no host answers there`, {
      expected: `a host of ${subnet.network}, or its VPC router ${toDotted(subnet.first + 1)}`,
      found: a,
      hint: 'AWS keeps the first four and the last address of every subnet',
    });
  };
  for (const site of t.sites) {
    if (!site.aws) continue;
    const vip = site.vrrp?.address.address;
    for (const r of site.routers) {
      address(r.wan.prefix, r.wan.prefix.address, [...r.wan.path, 'address'], `router ${r.name}'s wan address`);
      if (r.lan) address(r.lan.prefix, r.lan.prefix.address, [...r.lan.path, 'address'], `router ${r.name}'s lan address`);
      if (site.vrrp && r.lan && contains(r.lan.prefix, site.vrrp.address.address)) {
        address(r.lan.prefix, site.vrrp.address.address, [...site.vrrp.path, 'address'], 'the VRRP address');
      }
      if (r.aws?.eipPrivateAddress && contains(r.wan.prefix, r.aws.eipPrivateAddress)) {
        address(r.wan.prefix, r.aws.eipPrivateAddress, [...r.path, 'aws', 'eip_private_address'], `router ${r.name}'s eip_private_address`);
      }
      if (r.wan.gateway) nextHop([r.wan.prefix], r.wan.gateway, [...r.wan.path, 'gateway'], `router ${r.name}'s wan gateway`, vip);
    }
    const subnets = site.routers.flatMap((r) => [r.wan.prefix, ...(r.lan ? [r.lan.prefix] : [])]);
    for (const st of site.statics) nextHop(subnets, st.via, [...st.path, 'via'], `static route ${st.prefix.network} via`, vip);
  }
  for (const pair of model.natPairs) {
    for (const n of pair.nodes) {
      address(n.wan.prefix, n.wan.prefix.address, [...n.wan.path, 'address'], `NAT node ${n.name}'s wan address`);
      if (n.wan.gateway) nextHop([n.wan.prefix], n.wan.gateway, [...n.wan.path, 'gateway'], `NAT node ${n.name}'s wan gateway`);
    }
  }
}
