// What the generated failover scripts must do, per router or NAT node,
// independent of how they are written (POSIX sh, systemd, Serf JSON).
import type { DocPath } from '../../diagnostics.js';
import type { Role, SecretRef } from '../../model/topology.js';

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
  /** The secondary private address the Elastic IP goes to (never the wan address: it holds the router's own public address). */
  eipPrivateAddress?: string;
  trigger: 'vrrp' | 'serf';
  /**
   * In a dual-stack VPC: whether the script moves IPv6 routes with the IPv4
   * ones, or moves none (its destinations hold no IPv6 prefix) and says so.
   * Absent in an IPv4-only VPC.
   */
  ipv6?: 'moved' | 'not-moved';
  /** Where the script is installed on the router (VRRP transition scripts need the absolute path). */
  scriptPath: string;
  serf?: SerfIntent;
  scaleUp?: ScaleUpIntent;
  path: DocPath;
}

/** Scale-up: replace this router by a larger instance above a load average. */
export interface ScaleUpIntent {
  loadAverage: number;
  instanceType: string;
  amiTag: { key: string; value: string };
  /** Where the script is installed (run from cron). */
  scriptPath: string;
}

/**
 * Serf's failure detection is memberlist's: one of Serf's timing profiles
 * sets the probe interval, probe timeout and suspicion multiplier.
 */
export interface SerfDetection {
  profile: 'lan' | 'wan' | 'local';
  probeInterval: number;
  probeTimeout: number;
  suspicionMult: number;
  /** Members of the cluster (the site's routers). */
  members: number;
  /** Seconds from a router's failure to member-failed, at most. */
  seconds: number;
  /** The BGP holdtime it is chosen against. */
  holdtime: number;
}

/** The inter-region design: a Serf agent on each router of the site, gossip encrypted, detection chosen against the BGP holdtime. */
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
  encryptKey: SecretRef;
  detection: SerfDetection;
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
  /** probe/32 in this node's public route table points at the peer: pinging it tests the peer's NAT. */
  heartbeat: { routeTable: string; probe: string };
  /** The peer's probe, which this node's own route table sends to the Internet gateway: its own path. */
  ownProbe: string;
  peer: { name: string; zone: string; address: string; instanceId: string; routeTables: string[] };
  interval: number;
  misses: number;
  rise: number;
  timeout: number;
  path: DocPath;
}

/** The VRRP health check of a cloud router: fails while none of its eBGP sessions is established. */
export interface VrrpHealthIntent {
  router: string;
  site: string;
  role: Role;
  group: string;
  neighbors: string[];
  scriptPath: string;
  interval: number;
  failureCount: number;
}
