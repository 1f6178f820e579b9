// A site's VRRP group on its LAN (vrrp: in a site), attached to Site.
import type { DocPath } from '../../diagnostics.js';
import type { IpPrefix } from '../../net/ip.js';
import type { Prefix } from '../../net/ipv4.js';
import type { SecretRef } from '../../model/topology.js';

/** The IPv6 group of a dual-stack LAN (vrrp.ipv6): VyOS takes one family per group. */
export interface Vrrp6 {
  address: IpPrefix;
  vrid: number;
  /** Set when the topology pins the VRID (the messages point there, not at the IPv4 vrid it was derived from). */
  vridPath?: DocPath;
  path: DocPath;
}

export interface Vrrp {
  address: Prefix;
  vrid: number;
  advertiseInterval: number;
  unicast: boolean;
  preempt: boolean;
  preemptDelay?: number;
  password?: SecretRef;
  ipv6?: Vrrp6;
  path: DocPath;
}

export interface Vrrp6Doc {
  address: string;
  vrid?: number;
}

declare module '../../model/document.js' {
  interface VrrpDoc {
    ipv6?: Vrrp6Doc;
  }
}

declare module '../../model/topology.js' {
  interface Site {
    vrrp?: Vrrp;
  }
}
