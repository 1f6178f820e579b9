// The HA NAT design HA NAT instances: two nodes, one per availability zone.
import type { NatPairDoc } from '../../model/document.js';
import type { Release } from '../../model/topology.js';
import type { NatNode, NatPair } from './model.js';
import { parsePrefix } from '../../net/ipv4.js';
import { DEFAULTS } from '../../model/defaults.js';
import { chooseRelease, wanInterface } from '../sites/interfaces.js';
import { subPath } from '../../diagnostics.js';

export function natPairs(pairs: Record<string, NatPairDoc> | undefined, defaultRelease: Release | undefined, override?: Release): NatPair[] {
  return Object.entries(pairs ?? {}).map(([name, p]) => {
    const path = ['nat_pairs', name];
    const nodes = Object.entries(p.nodes).map(([nodeName, n]): NatNode => {
      const nodePath = subPath(path, 'nodes', nodeName);
      const [release, releasePath] = chooseRelease(override, [
        [n.vyos, subPath(nodePath, 'vyos')],
        [defaultRelease, ['defaults', 'vyos']],
      ]);
      return {
        name: nodeName,
        pair: name,
        target: n.target ?? 'vyos',
        release,
        releasePath,
        zone: n.zone,
        instanceId: n.instance_id,
        wan: wanInterface(n.wan, subPath(nodePath, 'wan')),
        routeTables: n.route_tables,
        heartbeat: { routeTable: n.heartbeat.route_table, probe: n.heartbeat.probe, path: subPath(nodePath, 'heartbeat') },
        path: nodePath,
      };
    });
    const hc = p.health_check ?? {};
    const D = DEFAULTS.natHealthCheck;
    return {
      name,
      region: p.region,
      vpcCidr: parsePrefix(p.vpc_cidr),
      healthCheck: { interval: hc.interval ?? D.interval, misses: hc.misses ?? D.misses, timeout: hc.timeout ?? D.timeout, rise: hc.rise ?? D.rise },
      nodes: nodes as [NatNode, NatNode],
      path,
    };
  });
}
