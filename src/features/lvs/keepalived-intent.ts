// What each generated LVS file says, fully derived: one DirectorIntent per
// director (its keepalived.conf and sysctl.conf) and one RealServerHostIntent
// per DR real server (its setup script). Renderers only format these.
import type { LbKind, LvsProtocol, LvsRole, RealServerAccept } from './model.js';
import type { SecretRef } from '../../model/topology.js';

export type VrrpState = 'MASTER' | 'BACKUP';

export interface TrackScriptIntent {
  name: string;
  script: string;
  interval?: number;
  timeout?: number;
  weight?: number;
  fall?: number;
  rise?: number;
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
  /** Set when adverts are unicast. */
  unicastSrcIp?: string;
  unicastPeers: string[];
  /** The secret auth_pass comes from; resolved when rendering. */
  authPass?: SecretRef;
  vips: { address: string; dev: string }[];
  trackInterfaces: string[];
  trackScripts: string[];
  notifyMaster?: string;
  notifyBackup?: string;
  notifyFault?: string;
}

export interface CheckIntent {
  kind: 'HTTP_GET' | 'SSL_GET' | 'TCP_CHECK' | 'MISC_CHECK';
  url?: { path: string; statusCode?: number; digest?: string };
  connectPort?: number;
  connectTimeout?: number;
  miscPath?: string;
  miscTimeout?: number;
  miscDynamic: boolean;
  retry?: number;
  delayBeforeRetry?: number;
}

export interface RealServerIntent {
  address: string;
  port: number;
  weight: number;
  inhibitOnFailure: boolean;
  checks: CheckIntent[];
}

export interface VirtualServerIntent {
  address: string;
  port: number;
  protocol: LvsProtocol;
  lbAlgo: string;
  lbKind: LbKind;
  delayLoop: number;
  persistenceTimeout?: number;
  sorryServer?: { address: string; port: number };
  realServers: RealServerIntent[];
}

export interface SysctlSetting {
  key: string;
  value: string;
  /** Why the director needs it (a comment in the file). */
  why: string;
}

export interface DirectorIntent {
  name: string;
  pair: string;
  role: LvsRole;
  /** Notify, track or MISC_CHECK scripts: global_defs then enables script security. */
  runsScripts: boolean;
  trackScripts: TrackScriptIntent[];
  instance: VrrpInstanceIntent;
  virtualServers: VirtualServerIntent[];
  sysctl: SysctlSetting[];
}

export interface RealServerHostIntent {
  /** Script name: real-servers/<name>.sh */
  name: string;
  address: string;
  accept: RealServerAccept;
  /** The DR VIPs it must accept, sorted numerically, each once. */
  vips: string[];
  /** The pairs balancing to it, sorted. */
  pairs: string[];
}

export interface LvsIntents {
  directors: DirectorIntent[];
  realServers: RealServerHostIntent[];
}
