// NAT pairs -> what each node's watch script must do: probe the peer, take
// its route tables over when it fails, give them back when it answers again.
import type { NatWatchIntent } from '../failover/model.js';
import type { Topology } from '../../model/topology.js';
import type { Model } from '../feature.js';

export function buildNatWatchIntents(model: Model): NatWatchIntent[] {
  return model.natPairs.flatMap((pair) =>
    pair.nodes.map((n, i) => {
      const peer = pair.nodes[1 - i]!;
      return {
        node: n.name,
        pair: pair.name,
        zone: n.zone,
        region: pair.region,
        instanceId: n.instanceId,
        target: n.target,
        vpcCidr: pair.vpcCidr.network,
        wanInterface: n.wan.name,
        ownRouteTables: n.routeTables,
        heartbeat: { routeTable: n.heartbeat.routeTable, probe: n.heartbeat.probe },
        ownProbe: peer.heartbeat.probe,
        peer: { name: peer.name, zone: peer.zone, address: peer.wan.prefix.address, instanceId: peer.instanceId, routeTables: peer.routeTables },
        interval: pair.healthCheck.interval,
        misses: pair.healthCheck.misses,
        rise: pair.healthCheck.rise,
        timeout: pair.healthCheck.timeout,
        path: n.path,
      };
    }),
  );
}
