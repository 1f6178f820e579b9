// Checks for HA NAT pairs (the HA NAT design): two zones, nodes inside the VPC,
// route tables owned by one node each.
import type { Diagnostics } from '../../diagnostics.js';
import type { Topology } from '../../model/topology.js';
import type { Model } from '../feature.js';
import { contains, isNetworkAddress } from '../../net/ipv4.js';

export function checkNatPairs(model: Model, diags: Diagnostics): void {
  const t = model.topology;
  const routerNames = new Set(t.routers.keys());
  const tables = new Map<string, string>();
  for (const pair of model.natPairs) {
    if (!isNetworkAddress(pair.vpcCidr)) {
      diags.error('not-a-network', [...pair.path, 'vpc_cidr'], `${pair.vpcCidr.text} has host bits set`, { expected: 'the VPC\'s network address', found: pair.vpcCidr.text, hint: `did you mean ${pair.vpcCidr.network}?` });
    }
    const [a, b] = pair.nodes;
    if (a.zone === b.zone) {
      diags.error('nat-same-zone', [...b.path, 'zone'], `both NAT nodes of ${pair.name} are in ${a.zone}`, { expected: 'one node per availability zone', found: b.zone, hint: 'a zone failure would take both down' });
    }
    for (const n of pair.nodes) {
      if (routerNames.has(n.name)) diags.error('duplicate-router', n.path, `${n.name} is also the name of a router`, { at: 'key', expected: 'device names unique across the topology (they name the output files)' });
      if (!contains(pair.vpcCidr, n.wan.prefix.address)) {
        diags.error('nat-outside-vpc', [...n.wan.path, 'address'], `${n.name}'s address ${n.wan.prefix.address} is not in the VPC ${pair.vpcCidr.network}`, { expected: `an address of a public subnet of ${pair.vpcCidr.network}`, found: n.wan.prefix.text });
      }
      if (n.wan.gateway !== undefined && !contains(n.wan.prefix, n.wan.gateway)) {
        diags.error('gateway-outside-subnet', [...n.wan.path, 'gateway'], `gateway ${n.wan.gateway} is not in ${n.wan.prefix.network}`, { expected: `an address inside ${n.wan.prefix.network}`, found: n.wan.gateway });
      }
      n.routeTables.forEach((rt, i) => {
        const owner = tables.get(rt);
        if (owner) diags.error('nat-route-table-shared', [...n.path, 'route_tables', i], `route table ${rt} is already ${owner}'s`, { expected: 'each private route table served by one NAT node', found: rt, hint: 'the peer takes it over when that node fails; listing it twice makes the nodes fight over it' });
        else tables.set(rt, n.name);
      });
    }
  }
}
