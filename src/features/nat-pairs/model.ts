// HA NAT pairs (nat_pairs:), attached to the model.
import type { DocPath } from '../../diagnostics.js';
import type { Prefix } from '../../net/ipv4.js';
import type { Release } from '../../model/topology.js';
import type { Wan } from '../../model/topology.js';

export interface NatNode {
  name: string;
  pair: string;
  target: 'vyos' | 'linux';
  release: Release;
  releasePath: DocPath;
  zone: string;
  instanceId: string;
  wan: Wan;
  routeTables: string[];
  /** The HA NAT heartbeat: probe/32 in the node's public route table points at the peer. */
  heartbeat: { routeTable: string; probe: string; path: DocPath };
  path: DocPath;
}

export interface NatPair {
  name: string;
  region: string;
  vpcCidr: Prefix;
  healthCheck: { interval: number; misses: number; timeout: number; rise: number };
  nodes: [NatNode, NatNode];
  path: DocPath;
}

declare module '../feature.js' {
  interface Model {
    natPairs: NatPair[];
  }
}
