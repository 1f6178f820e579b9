// The normalized LVS pairs: every default applied (priorities from roles,
// unicast from the segment, VRIDs assigned), each object carrying the document
// path it came from so that the checks can point at a line.
import type { DocPath } from '../../diagnostics.js';
import type { Prefix } from '../../net/ipv4.js';
import type { SecretRef } from '../../model/topology.js';

export type LvsRole = 'master' | 'backup';
export type LbKind = 'DR' | 'NAT' | 'TUN';
export type LvsProtocol = 'TCP' | 'UDP';
export type RealServerAccept = 'iptables-redirect' | 'loopback-arp';

/** A value as written and where it was written. */
export interface Located<T> {
  value: T;
  path: DocPath;
}

export interface LvsSegment {
  /** The declared name, or the subnet (10.5.0.0/21) of an undeclared segment. */
  name: string;
  network: Prefix;
  multicast: boolean;
  reserved: Located<number>[];
  declared: boolean;
  path: DocPath;
}

export interface LvsNode {
  name: string;
  role: LvsRole;
  interface: string;
  address: Prefix;
  priority: number;
  /** Where the priority was set; the node itself when it was derived from the role. */
  priorityPath: DocPath;
  /** Source of unicast adverts and where the peer sends its own. */
  unicastSrc: string;
  unicastSrcPath: DocPath;
  /** Interfaces other than `interface` a VIP or track_interfaces may name. */
  interfaces: string[];
  path: DocPath;
}

export interface LvsVip {
  /** As written, with or without a prefix length. */
  text: string;
  /** The address alone. */
  address: string;
  /** Explicit dev; undefined means each node's VRRP interface. */
  dev?: Located<string>;
  path: DocPath;
}

export interface TrackScript {
  name: string;
  script: Located<string>;
  interval?: number;
  timeout?: number;
  weight?: number;
  fall?: number;
  rise?: number;
  path: DocPath;
}

interface CheckBase {
  /** Path of the checker's key (`http_get`, ...). */
  path: DocPath;
  retry?: number;
  delayBeforeRetry?: number;
}

export interface HttpCheck extends CheckBase {
  kind: 'HTTP_GET' | 'SSL_GET';
  urlPath: string;
  statusCode?: number;
  digest?: string;
  connectPort?: number;
  connectTimeout?: number;
}

export interface TcpCheck extends CheckBase {
  kind: 'TCP_CHECK';
  connectPort?: number;
  connectTimeout?: number;
}

export interface MiscCheck extends CheckBase {
  kind: 'MISC_CHECK';
  script: Located<string>;
  miscTimeout?: number;
  miscDynamic: boolean;
}

export type HealthCheck = HttpCheck | TcpCheck | MiscCheck;

export interface LvsRealServer {
  /** Its `name`, or its address. Names the real-server script. */
  name: string;
  /** The `name` as written, if any. */
  explicitName?: string;
  address: string;
  port?: number;
  weight: number;
  inhibitOnFailure: boolean;
  /** In the order written; more than one is refused by the checks. */
  checks: HealthCheck[];
  path: DocPath;
}

export interface LvsVirtualServer {
  address: string;
  port: number;
  protocol: LvsProtocol;
  lbAlgo: string;
  lbKind: LbKind;
  delayLoop: number;
  persistenceTimeout?: number;
  sorryServer?: { address: string; port: number };
  realServers: LvsRealServer[];
  path: DocPath;
}

export interface LvsPair {
  name: string;
  nodes: [LvsNode, LvsNode];
  segment: LvsSegment;
  vrid: number;
  /** The pinned vrid's path; undefined when vygen assigned it. */
  vridPath?: DocPath;
  advertInt: number;
  authPass?: SecretRef;
  unicast: boolean;
  preempt: boolean;
  /** Where preempt was set; the pair itself when defaulted. */
  preemptPath: DocPath;
  preemptDelay?: Located<number>;
  notify: { master?: Located<string>; backup?: Located<string>; fault?: Located<string> };
  trackScripts: TrackScript[];
  trackInterfaces: Located<string>[];
  vips: LvsVip[];
  accept: RealServerAccept;
  virtualServers: LvsVirtualServer[];
  path: DocPath;
}

export interface LvsTopology {
  file: string;
  segments: LvsSegment[];
  pairs: LvsPair[];
}
