// What one router must do, independent of any CLI syntax: its interfaces,
// tunnels, IPsec peers, policies and BGP sessions. Targets turn an intent into
// text; values a target must check carry the topology path they came from.
import type { DocPath } from '../diagnostics.js';
import type { Dpd, EspProposal, IkeProposal, Release, Role, SecretRef } from './topology.js';

export interface Sourced<T> {
  value: T;
  path: DocPath;
}

export interface EthernetIntent {
  name: string;
  address: string;
  /** A secondary private address of the interface (the site's floating Elastic IP lands on it). */
  secondary?: string;
  description?: Sourced<string>;
}

export interface IkeGroupIntent {
  name: string;
  proposal: IkeProposal;
  dpd: Dpd;
  path: DocPath;
  dpdPath: DocPath;
}

export interface EspGroupIntent {
  name: string;
  proposal: EspProposal;
  path: DocPath;
}

export interface PeerIntent {
  /** A label for the peer (the remote router's name). */
  name: string;
  remoteRouter: string;
  remoteAddress: string;
  localAddress: string;
  localId: string;
  remoteId: string;
  psk: SecretRef;
  ikeGroup: string;
  espGroup: string;
  /** The first end of a link initiates, the second responds: one IKE SA, not two racing. */
  connectionType: 'initiate' | 'respond';
  description: Sourced<string>;
  /** Policy-based (GRE over IPsec): loopback to loopback, GRE only. */
  policy?: { localPrefix: string; remotePrefix: string };
  /** Route-based: the VTI interface the peer is bound to. */
  vti?: string;
  path: DocPath;
  /** Where the link names the remote router: the name the peer is called by. */
  namePath: DocPath;
}

export interface TunnelIntent {
  name: string;
  address: string;
  source: string;
  remote: string;
  mtu: Sourced<number>;
  description: Sourced<string>;
}

export interface VtiIntent {
  name: string;
  address: string;
  mtu: Sourced<number>;
  description: Sourced<string>;
}

export interface VrrpIntent {
  group: string;
  syncGroup: string;
  interface: string;
  vrid: number;
  address: string;
  priority: number;
  advertiseInterval: number;
  /** Unicast: own LAN address and the other routers' LAN addresses. */
  unicast?: { source: string; peers: string[] };
  preempt: boolean;
  preemptDelay?: number;
  password?: SecretRef;
  /** Script VRRP runs when this router becomes master (the failover script). */
  masterScript?: string;
  /** VRRP health check: the group goes to fault while the script fails (the router's BGP sessions are down). */
  healthCheck?: { script: string; interval: number; failureCount: number };
  path: DocPath;
}

export interface NatRuleIntent {
  number: number;
  description: string;
  outboundInterface: string;
  source: string;
}

export interface PrefixListIntent {
  name: string;
  rules: { number: number; action: 'permit' | 'deny'; prefix: string }[];
  path: DocPath;
}

export interface RouteMapRuleIntent {
  number: number;
  action: 'permit' | 'deny';
  matchPrefixList?: string;
  metric?: number;
  prepend?: number[];
  localPreference?: number;
}

export interface RouteMapIntent {
  name: string;
  rules: RouteMapRuleIntent[];
  path: DocPath;
}

export interface NeighborIntent {
  address: string;
  remoteAs: number;
  kind: 'ebgp' | 'ibgp';
  description: string;
  nexthopSelf: boolean;
  /** Per-neighbor timers where the peer expects others than the router's (AWS: 10/30). */
  timers?: { keepalive: number; holdtime: number };
  routeMapImport?: string;
  routeMapExport?: string;
  /** BFD on the session (AWS VPC Route Server endpoints). */
  bfd?: boolean;
}

export interface BgpIntent {
  asn: number;
  routerId: string;
  keepalive: number;
  holdtime: number;
  neighbors: NeighborIntent[];
  networks: { prefix: string; routeMap: string }[];
  redistributeStatic?: { routeMap: string };
}

export interface StaticRouteIntent {
  prefix: string;
  nextHop?: string;
  interface?: string;
  distance?: number;
}

export interface RouterIntent {
  name: string;
  site: string;
  role: Role;
  release: Release;
  releasePath: DocPath;
  path: DocPath;
  hostName: string;
  ethernet: EthernetIntent[];
  loopback: string;
  ipsec?: {
    interface: string;
    /** Route-based peers: the routes come from BGP or static routes, not from IPsec. */
    disableRouteAutoinstall: boolean;
    ikeGroups: IkeGroupIntent[];
    espGroups: EspGroupIntent[];
    peers: PeerIntent[];
  };
  tunnels: TunnelIntent[];
  vtis: VtiIntent[];
  vrrp?: VrrpIntent;
  prefixLists: PrefixListIntent[];
  routeMaps: RouteMapIntent[];
  bgp?: BgpIntent;
  staticRoutes: StaticRouteIntent[];
}

/** Seed 003: a VyOS NAT instance masquerading its VPC out of the WAN. */
export interface NatNodeIntent {
  name: string;
  pair: string;
  zone: string;
  release: Release;
  releasePath: DocPath;
  path: DocPath;
  hostName: string;
  wan: EthernetIntent;
  gateway?: string;
  rule: NatRuleIntent;
}
