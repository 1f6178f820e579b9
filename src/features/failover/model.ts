// What the generated failover scripts must do, per router or NAT node,
// independent of how they are written (POSIX sh, systemd, Serf JSON).
import type { DocPath } from '../../diagnostics.js';
import type { Role } from '../../model/topology.js';

/** A route in a VPC route table that must point at the active instance. */
export interface CloudRoute {
  table: string;
  destination: string;
}

/**
 * What a route or the Elastic IP points at: the instance (`--instance-id`,
 * which AWS accepts only for an instance with one network interface) or one
 * of its interfaces (`--network-interface-id`).
 */
export interface AwsTarget {
  kind: 'instance' | 'interface';
  id: string;
}

/** the inter-region design / 001 / 002: when this router becomes active, move the cloud's routes and Elastic IP to it. */
export interface FailoverIntent {
  router: string;
  site: string;
  role: Role;
  region: string;
  instanceId: string;
  routes: CloudRoute[];
  /** Where the routes point: the lan's interface when known, else the instance. */
  routeTarget: AwsTarget;
  eip?: string;
  /** Where the Elastic IP is associated: the wan's interface when known, else the instance. */
  eipTarget: AwsTarget;
  trigger: 'vrrp' | 'serf';
  /** Where the script is installed on the router (VRRP transition scripts need the absolute path). */
  scriptPath: string;
  serf?: SerfIntent;
  path: DocPath;
}

/** The inter-region design: a Serf agent on each router of the site; timers equal to BGP's. */
export interface SerfIntent {
  nodeName: string;
  tags: { role: Role; site: string };
  bind: string;
  join: string[];
  /** Go durations, e.g. "4s". */
  reconnectInterval: string;
  reconnectTimeout: string;
  tombstoneTimeout: string;
  /** The handler Serf runs on member-failed / member-leave: it calls the failover script when the site's peer failed. */
  handlerPath: string;
}

/** The HA NAT design: a NAT node watching its peer in the other zone. */
export interface NatWatchIntent {
  node: string;
  pair: string;
  zone: string;
  region: string;
  instanceId: string;
  target: 'vyos' | 'linux';
  vpcCidr: string;
  wanInterface: string;
  ownRouteTables: string[];
  peer: { name: string; zone: string; address: string; instanceId: string; routeTables: string[] };
  interval: number;
  misses: number;
  timeout: number;
  path: DocPath;
}
