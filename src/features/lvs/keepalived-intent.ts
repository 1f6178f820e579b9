// What each generated LVS file says, fully derived: one DirectorIntent per
// director (its keepalived.conf and sysctl.conf) and one RealServerHostIntent
// per DR real server (its setup script and systemd unit). Renderers only
// format these.
import type { LbKind, LvsProtocol, RealServerAccept } from './model.js';
import type { SecretRef } from '../../model/topology.js';

export type VrrpState = 'MASTER' | 'BACKUP';

/** A script and its arguments, as keepalived runs it. */
export type ScriptCall = string[];

export interface TrackScriptIntent {
  name: string;
  script: string;
  interval?: number;
  timeout?: number;
  weight?: number;
  fall?: number;
  rise?: number;
}

export interface NotifyIntent {
  master?: ScriptCall;
  backup?: ScriptCall;
  fault?: ScriptCall;
  stop?: ScriptCall;
}

export interface VipIntent {
  address: string;
  dev: string;
  brd?: string;
  scope?: string;
  label?: string;
}

export interface RouteIntent {
  to: string;
  via?: string;
  dev?: string;
  src?: string;
}

export interface VrrpInstanceIntent {
  name: string;
  state: VrrpState;
  interface: string;
  vrid: number;
  priority: number;
  advertInt: number;
  nopreempt: boolean;
  preemptDelay?: number;
  garpMasterDelay?: number;
  garpMasterRepeat?: number;
  garpMasterRefresh?: number;
  garpMasterRefreshRepeat?: number;
  /** Set when adverts are unicast. */
  unicastSrcIp?: string;
  unicastPeers: string[];
  /** The secret auth_pass comes from; resolved when rendering. */
  authPass?: SecretRef;
  vips: VipIntent[];
  vipsExcluded: VipIntent[];
  routes: RouteIntent[];
  trackInterfaces: string[];
  trackScripts: string[];
  notify: NotifyIntent;
}

export interface SyncGroupIntent {
  name: string;
  instances: string[];
  notify: NotifyIntent;
}

export interface CheckIntent {
  kind: 'HTTP_GET' | 'SSL_GET' | 'TCP_CHECK' | 'SMTP_CHECK' | 'DNS_CHECK' | 'MISC_CHECK';
  urls: { path: string; statusCode?: number; digest?: string }[];
  heloName?: string;
  dnsType?: string;
  dnsName?: string;
  connectPort?: number;
  connectTimeout?: number;
  misc?: ScriptCall;
  miscTimeout?: number;
  miscDynamic: boolean;
  retry?: number;
  delayBeforeRetry?: number;
  warmup?: number;
}

export interface RealServerIntent {
  address: string;
  /** 0 for a fwmark service's real server (each packet keeps its port). */
  port: number;
  weight: number;
  inhibitOnFailure: boolean;
  notifyUp?: ScriptCall;
  notifyDown?: ScriptCall;
  checks: CheckIntent[];
}

export interface VirtualServerIntent {
  /** The words after `virtual_server`: `ADDRESS PORT`, `fwmark N` or `group NAME`. */
  id: string[];
  /** Unset for a fwmark service: keepalived ignores it there with a warning. */
  protocol?: LvsProtocol;
  lbAlgo: string;
  lbKind: LbKind;
  delayLoop: number;
  persistenceTimeout?: number;
  persistenceGranularity?: string;
  quorum?: number;
  hysteresis?: number;
  haSuspend: boolean;
  alpha: boolean;
  omega: boolean;
  ops: boolean;
  sorryServer?: { address: string; port: number; lbKind?: LbKind };
  realServers: RealServerIntent[];
}

export interface VirtualServerGroupIntent {
  name: string;
  /** Each entry's words: `ADDRESS PORT`, `A.B.C.D-E PORT` or `fwmark N`. */
  entries: string[][];
}

export interface SysctlSetting {
  key: string;
  value: string;
  /** Why the director needs it (a comment in the file). */
  why: string;
}

export interface GlobalDefsIntent {
  routerId: string;
  notificationEmail: string[];
  notificationEmailFrom?: string;
  smtpServer?: string;
  smtpConnectTimeout?: number;
  lvsSync?: { interface: string; instance: string; id?: number };
  scriptSecurity: boolean;
  scriptUser?: string;
}

export interface DirectorIntent {
  name: string;
  pair: string;
  /** "master", or per instance in a long-form pair: "master of VI_1, VI_2, backup of VI_3". */
  roles: string;
  global: GlobalDefsIntent;
  /** Header lines: what connection sync needs, or why there is none. */
  syncNote: string[];
  trackScripts: TrackScriptIntent[];
  syncGroups: SyncGroupIntent[];
  instances: VrrpInstanceIntent[];
  groups: VirtualServerGroupIntent[];
  virtualServers: VirtualServerIntent[];
  sysctl: SysctlSetting[];
}

/** A service a DR real server accepts: a REDIRECT is scoped to its protocol and port. */
export interface AcceptedService {
  address: string;
  protocol: 'tcp' | 'udp';
  port: number;
}

export interface RealServerHostIntent {
  /** Script name: real-servers/<name>.sh (and <name>.service) */
  name: string;
  address: string;
  accept: RealServerAccept;
  /** The DR VIPs it must accept, sorted numerically, each once. */
  vips: string[];
  /** What it accepts on them, sorted by address, protocol, port. */
  services: AcceptedService[];
  /** The pairs balancing to it, sorted. */
  pairs: string[];
}

export interface LvsIntents {
  directors: DirectorIntent[];
  realServers: RealServerHostIntent[];
}
