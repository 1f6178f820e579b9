// The lab network's parts, shared by the plan and the peers modelled outside the topology.
import type { RouterFacts } from './facts.js';
import type { FrrConfig } from './frr.js';

export interface End {
  node: string;
  iface: string;
}

export interface Wire {
  /** `tokyo-a:tun0` of the first end: what `--fail` names. */
  id: string;
  kind: 'tunnel' | 'vti' | 'cloud';
  a: End;
  b: End;
}

export interface Lan {
  id: string;
  subnet: string;
  members: End[];
}

export interface NodeIface {
  name: string;
  addresses: string[];
  /** wire / lan id it is attached to, or 'solo' (a veth whose peer stays beside it), or 'lo'. */
  medium: string;
}

export interface LabNode {
  name: string;
  site: string;
  role: string;
  /** A peer is modelled from the routers that name it (an HA partner or route server endpoint outside the topology). */
  kind: 'router' | 'gateway' | 'peer';
  asn?: number;
  config: FrrConfig;
  ifaces: NodeIface[];
  facts?: RouterFacts;
  /** sysctl settings (`key=value`) the node's namespace needs beyond forwarding. */
  sysctls?: string[];
}

