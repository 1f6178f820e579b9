// The normalized LVS pairs: every default applied (priorities from roles,
// unicast from the segment, VRIDs assigned), each object carrying the document
// path it came from so that the checks can point at a line.
import type { DocPath } from '../../diagnostics.js';
import type { IpPrefix as Prefix } from '../../net/ip.js';
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
  /** As written; undefined in a long-form pair whose instances each name their master. */
  role?: LvsRole;
  interface: string;
  address: Prefix;
  /** As written: applies to the instances where the node has its `role`. */
  priority?: Located<number>;
  unicastSrcIp?: Located<string>;
  /** Interfaces other than `interface` a VIP or track_interfaces may name. */
  interfaces: string[];
  /** Every interface whose address is known (`interface` first), by name: one address per family. */
  addresses: Map<string, Located<Prefix>[]>;
  routerId?: string;
  path: DocPath;
}

/** One director as one VRRP instance sees it. */
export interface LvsInstanceNode {
  node: LvsNode;
  name: string;
  role: LvsRole;
  /** The instance's `master` when it names one, else the node's role (or the node). */
  rolePath: DocPath;
  interface: string;
  /** The node's address on the instance's interface. */
  address: Prefix;
  priority: number;
  /** Where the priority was set; the node itself when it was derived from the role. */
  priorityPath: DocPath;
  /** Source of unicast adverts and where the peer sends its own. */
  unicastSrc: string;
  unicastSrcPath: DocPath;
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
  brd?: string;
  scope?: string;
  label?: Located<string>;
  excluded: boolean;
  path: DocPath;
}

export interface LvsRoute {
  to: string;
  via?: string;
  dev?: Located<string>;
  src?: string;
  path: DocPath;
}

/** A script keepalived runs, with its arguments. */
export interface LvsScript {
  script: Located<string>;
  args: string[];
}

export interface LvsNotify {
  master?: LvsScript;
  backup?: LvsScript;
  fault?: LvsScript;
  stop?: LvsScript;
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
  warmup?: number;
  connectPort?: number;
  connectTimeout?: number;
}

export interface HttpUrl {
  path: string;
  statusCode?: number;
  digest?: string;
}

export interface HttpCheck extends CheckBase {
  kind: 'HTTP_GET' | 'SSL_GET';
  urls: HttpUrl[];
}

export interface TcpCheck extends CheckBase {
  kind: 'TCP_CHECK';
}

export interface SmtpCheck extends CheckBase {
  kind: 'SMTP_CHECK';
  heloName?: string;
}

export interface DnsCheck extends CheckBase {
  kind: 'DNS_CHECK';
  name: string;
  type?: string;
}

export interface MiscCheck extends CheckBase {
  kind: 'MISC_CHECK';
  script: LvsScript;
  miscTimeout?: number;
  miscDynamic: boolean;
}

export type HealthCheck = HttpCheck | TcpCheck | SmtpCheck | DnsCheck | MiscCheck;

export interface LvsRealServer {
  /** Its `name`, or its address. Names the real-server script. */
  name: string;
  /** The `name` as written, if any. */
  explicitName?: string;
  address: string;
  port?: number;
  weight: number;
  inhibitOnFailure: boolean;
  notifyUp?: LvsScript;
  notifyDown?: LvsScript;
  /** In the order written; more than one is refused by the checks. */
  checks: HealthCheck[];
  path: DocPath;
}

/** What a virtual server listens on: one address and port, a fwmark, or a virtual_server_group. */
export type LvsServiceId =
  | { kind: 'address'; address: string; port: number }
  | { kind: 'fwmark'; fwmark: number }
  | { kind: 'group'; group: string };

export interface LvsVirtualServer {
  id: LvsServiceId;
  /** "10.5.0.100:80", "fwmark 3", "group G1": for messages. */
  label: string;
  protocol: LvsProtocol;
  lbAlgo: string;
  lbKind: LbKind;
  delayLoop: number;
  persistenceTimeout?: number;
  persistenceGranularity?: string;
  quorum?: number;
  hysteresis?: number;
  haSuspend?: Located<boolean>;
  alpha: boolean;
  omega: boolean;
  ops?: Located<boolean>;
  sorryServer?: { address: string; port?: number; lbKind?: LbKind; path: DocPath };
  realServers: LvsRealServer[];
  path: DocPath;
}

export type LvsGroupEntry =
  | { kind: 'address'; address: string; port: number; path: DocPath }
  | { kind: 'range'; first: string; last: string; port: number; text: string; path: DocPath }
  | { kind: 'fwmark'; fwmark: number; path: DocPath };

export interface LvsVirtualServerGroup {
  name: string;
  entries: LvsGroupEntry[];
  path: DocPath;
}

export interface LvsGarp {
  masterDelay?: number;
  masterRepeat?: number;
  masterRefresh?: number;
  masterRefreshRepeat?: number;
}

export interface LvsInstance {
  /** The vrrp_instance name: the instance's key, or the pair's name in the short form. */
  name: string;
  pair: string;
  /** "LVS pair VI_1" (short form) or "VRRP instance VI_3 of LVS pair lb", for messages. */
  label: string;
  /** The nodes in the pair's order. */
  nodes: [LvsInstanceNode, LvsInstanceNode];
  segment: LvsSegment;
  vrid: number;
  /** The pinned vrid's path; undefined when vygen assigned it. */
  vridPath?: DocPath;
  advertInt: number;
  authPass?: SecretRef;
  unicast: boolean;
  preempt: boolean;
  /** Where preempt was set; the instance itself when defaulted. */
  preemptPath: DocPath;
  preemptDelay?: Located<number>;
  notify: LvsNotify;
  trackScripts: TrackScript[];
  trackInterfaces: Located<string>[];
  garp: LvsGarp;
  /** virtual_ipaddress then virtual_ipaddress_excluded. */
  vips: LvsVip[];
  routes: LvsRoute[];
  path: DocPath;
}

export interface LvsSyncGroup {
  name: string;
  instances: Located<string>[];
  notify: LvsNotify;
  path: DocPath;
}

export interface LvsGlobalDefs {
  notificationEmail: string[];
  notificationEmailFrom?: string;
  smtpServer?: string;
  smtpConnectTimeout?: number;
  /** undefined: on when a script runs. */
  enableScriptSecurity?: boolean;
  scriptUser?: Located<string>;
}

/** IPVS connection synchronisation (lvs_sync_daemon). */
export interface LvsSync {
  /** Whether it was written (true/false or an object) rather than defaulted. */
  explicit: boolean;
  enabled: boolean;
  /** The instance the daemon follows (its interface carries the sync traffic). */
  instance?: Located<string>;
  id?: number;
  path: DocPath;
}

export interface LvsPair {
  name: string;
  nodes: [LvsNode, LvsNode];
  /** Whether the pair writes `instances` (long form) rather than one instance on itself. */
  longForm: boolean;
  instances: LvsInstance[];
  syncGroups: LvsSyncGroup[];
  global: LvsGlobalDefs;
  sync: LvsSync;
  accept: RealServerAccept;
  groups: LvsVirtualServerGroup[];
  virtualServers: LvsVirtualServer[];
  path: DocPath;
}

export interface LvsTopology {
  file: string;
  segments: LvsSegment[];
  pairs: LvsPair[];
  /** Every instance of every pair, in file order. */
  instances: LvsInstance[];
}
