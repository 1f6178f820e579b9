// Traffic control between networks (seed 002): the `firewall` section as the
// schema admits it, its normalized form, and what each router gets from it.
import type { DocPath } from '../../diagnostics.js';
import type { IpPrefix } from '../../net/ip.js';
import type { Prefix } from '../../net/ipv4.js';

export type RoleNetworkDoc = string | { site: string; networks?: 'connected' | 'static' | 'lan' };
export type FwProtocol = 'tcp' | 'udp' | 'tcp_udp' | 'icmp' | 'any';
export type FwAction = 'accept' | 'drop' | 'reject';

export interface FirewallRuleDoc {
  number?: number;
  from: string;
  to: string;
  protocol?: FwProtocol;
  ports?: (number | string)[];
  action?: FwAction;
  description?: string;
}

export interface ShaperClassDoc {
  role?: string;
  protocol?: 'tcp' | 'udp' | 'icmp' | 'esp' | 'gre';
  ports?: number[];
  bandwidth: string;
  ceiling?: string;
  priority?: number;
  description?: string;
}

export interface ShaperDoc {
  router: string;
  interface: string;
  bandwidth: string;
  description?: string;
  default: { bandwidth: string; ceiling?: string };
  classes?: ShaperClassDoc[];
}

export interface FirewallDoc {
  roles?: Record<string, RoleNetworkDoc[]>;
  management?: string;
  rules?: FirewallRuleDoc[];
  protection?: { log?: boolean; icmp_rate?: number; except?: string[] };
  shapers?: ShaperDoc[];
}

declare module '../../model/document.js' {
  interface TopologyDoc {
    firewall?: FirewallDoc;
  }
}

export interface FwRole {
  name: string;
  /** Position among the roles by name: the role's default rules are numbered from it. */
  index: number;
  /** Disjoint prefixes (one contained in another of the role is dropped), in written order. */
  networks: { prefix: Prefix; path: DocPath }[];
  /** The IPv6 prefixes, apart: every IPv4 path (and the hot path of a large render) stays as it was. */
  networks6: { prefix: IpPrefix; path: DocPath }[];
  path: DocPath;
}

export interface FirewallRule {
  number: number;
  from: string;
  to: string;
  protocol: FwProtocol;
  /** Destination ports as VyOS writes them: "22", "8000-8080". */
  ports: string[];
  action: FwAction;
  description?: string;
  path: DocPath;
}

export interface ShaperClass {
  id: number;
  role?: string;
  protocol?: string;
  ports: number[];
  bandwidth: string;
  ceiling?: string;
  priority?: number;
  description?: string;
  path: DocPath;
}

export interface Shaper {
  name: string;
  router: string;
  interface: string;
  bandwidth: string;
  description?: string;
  defaultClass: { bandwidth: string; ceiling?: string };
  classes: ShaperClass[];
  path: DocPath;
}

export interface FirewallModel {
  roles: FwRole[];
  rules: FirewallRule[];
  management?: string;
  protection: { log: boolean; icmpRate: number; except: Set<string> };
  shapers: Shaper[];
  path: DocPath;
}

declare module '../feature.js' {
  interface Model {
    /** Absent when the topology has no `firewall` section: no router gets a firewall. */
    firewall?: FirewallModel;
  }
}

// --- what one router renders

export interface FwRuleIntent {
  number: number;
  action: FwAction;
  description?: string;
  protocol?: string;
  /** Comma-separated destination ports. */
  port?: string;
  sourceNetworkGroup?: string;
  destinationNetworkGroup?: string;
  sourceAddressGroup?: string;
  destinationAddress?: string;
  /** Only packets that came through IPsec (GRE inside IPsec). */
  matchIpsec?: boolean;
  limitRate?: string;
  /** ICMPv6 type (the chain is an IPv6 one). */
  icmpv6Type?: number;
  /** Match conntrack states; rendered per release. */
  states?: ('established' | 'related' | 'invalid')[];
}

export interface FwChainIntent {
  name: string;
  /** An IPv6 rule set (`firewall ipv6 name`, 1.3 `firewall ipv6-name`). */
  ipv6?: true;
  description: string;
  defaultAction: FwAction;
  defaultLog: boolean;
  rules: FwRuleIntent[];
}

export interface FirewallIntent {
  /** `ipv6`: an ipv6-network-group / ipv6-address-group. */
  networkGroups: { name: string; description: string; networks: string[]; ipv6?: true }[];
  addressGroups: { name: string; description: string; addresses: string[]; ipv6?: true }[];
  /** Forwarded traffic between roles: absent when no role has a network at this router. */
  forward?: FwChainIntent;
  /** Traffic to the router itself: absent when the router opted out. */
  local?: FwChainIntent;
  /** The same for IPv6: only on a router with an IPv6 address (an IPv4-only router renders as before). */
  forward6?: FwChainIntent;
  local6?: FwChainIntent;
  /** Where 1.3 attaches the chains (per interface); 1.4+ jumps from the base chains. */
  interfaces: { type: 'ethernet' | 'tunnel' | 'vti'; name: string; vif?: number }[];
  /** Forward chain name, also set when absent (templates test it). */
  forwardName: string;
  localName: string;
  /** Only on a router with IPv6 (an IPv4-only intent stays as it was). */
  forwardName6?: string;
  localName6?: string;
}

export interface ShaperIntent {
  name: string;
  /** The interface as 1.4+ names it (eth0.20 for a vif); `interface` is the base for 1.3's path. */
  ifname: string;
  interface: string;
  interfaceType: 'ethernet' | 'tunnel' | 'vti';
  vif?: number;
  bandwidth: string;
  description?: string;
  defaultClass: { bandwidth: string; ceiling?: string };
  classes: {
    id: number;
    bandwidth: string;
    ceiling?: string;
    priority?: number;
    description?: string;
    /** `ipv6`: the match is `ipv6 …` (an IPv4 `ip` match never sees an IPv6 packet). */
    matches: { name: string; ipv6?: true; protocol?: string; port?: number; source?: string }[];
  }[];
}

declare module '../../model/intent.js' {
  interface RouterIntent {
    firewall?: FirewallIntent;
    shapers?: ShaperIntent[];
  }
}
