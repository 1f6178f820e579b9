// The per-router model: what one router must do, independent of any CLI
// syntax: interfaces, tunnels, IPsec peers, policies, BGP, static routes, VRRP,
// NAT. The short-path features (sites, links, cloud VPN connections, ...)
// derive it; a user can also write it directly or extend a derived router
// under `routers:` (src/features/router-config). Targets turn an intent into
// text; values a target must check carry the topology path they came from.
import type { DocPath } from '../diagnostics.js';
import type { Dpd, EspProposal, IkeProposal, Release, Role, SecretRef } from './topology.js';

/** Where a value came from: written in the topology, a default vygen applied, or derived from other values. */
export type Origin = 'written' | 'default' | 'derived';

/**
 * A value with the topology path that chose it (or the key the user would
 * write to change it) and its origin. A written value may replace a default
 * one; two written or derived values for one leaf are a contradiction.
 */
export interface Sourced<T> {
  value: T;
  path: DocPath;
  origin?: Origin;
}

export interface VifIntent {
  id: number;
  addresses: string[];
  description?: Sourced<string>;
  mtu?: number;
}

export interface EthernetIntent {
  name: string;
  /** Addresses with prefix length, or 'dhcp'. */
  addresses: string[];
  description?: Sourced<string>;
  mtu?: number;
  vifs?: VifIntent[];
}

/** A loopback or dummy interface. */
export interface LoopbackIntent {
  name: string;
  addresses: string[];
  description?: Sourced<string>;
}

export interface IkeGroupIntent {
  name: string;
  proposal: IkeProposal;
  dpd: Dpd;
  /** What to do when the peer closes the CHILD SA (`none`, `hold`, `restart`). */
  closeAction?: string;
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
  /** Absent: the local address identifies the router. */
  localId?: string;
  remoteId: string;
  psk: SecretRef;
  ikeGroup: string;
  espGroup: string;
  /** The first end of a link initiates, the second responds: one IKE SA, not two racing. */
  connectionType?: 'initiate' | 'respond' | 'none';
  ikev2Reauth?: 'yes' | 'no' | 'inherit';
  description?: Sourced<string>;
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
  /** Addresses beyond the first (a dual-stack tunnel's IPv6 inner address). */
  moreAddresses?: string[];
  source: string;
  remote: string;
  mtu: Sourced<number>;
  description: Sourced<string>;
  /** TCP MSS clamp for SYNs through the tunnel. */
  adjustMss?: number;
}

export interface VtiIntent {
  name: string;
  /** A VTI may carry no address (the BGP sessions run over other interfaces). */
  address?: string;
  /** Addresses beyond the first (a dual-stack VTI's IPv6 address). */
  moreAddresses?: string[];
  mtu?: Sourced<number>;
  description?: Sourced<string>;
  adjustMss?: number;
}

export interface VrrpIntent {
  group: string;
  /** The sync-group this group is a member of (and that runs the transition scripts). */
  syncGroup?: string;
  interface: string;
  vrid: number;
  addresses: string[];
  priority: number;
  advertiseInterval: number;
  /** Unicast: own LAN address and the other routers' LAN addresses. */
  unicast?: { source: string; peers: string[] };
  preempt: boolean;
  preemptDelay?: number;
  password?: SecretRef;
  /** A script whose failure lowers this router out of master (VRRP health check). */
  healthCheck?: string;
  /** Scripts VRRP runs on this group's transitions, when it is in no sync-group. */
  transitionScripts?: TransitionScripts;
  /** How often the health check runs and how many failures put the group in fault (VyOS's defaults when absent). */
  healthCheckTiming?: HealthCheckTiming;
  path: DocPath;
}

export interface HealthCheckTiming {
  interval: number;
  failureCount: number;
}

export interface TransitionScripts {
  master?: string;
  backup?: string;
  fault?: string;
}

export interface SyncGroupIntent {
  name: string;
  members: string[];
  /** The failover script runs as `master`. */
  transitionScripts: TransitionScripts;
  healthCheck?: string;
  healthCheckTiming?: HealthCheckTiming;
  path: DocPath;
}

export interface VrrpBlock {
  groups: VrrpIntent[];
  syncGroups: SyncGroupIntent[];
}

export interface SourceNatIntent {
  number: number;
  description?: string;
  outboundInterface?: string;
  source?: string;
  destination?: string;
  /** 'masquerade', an address, or absent with `exclude`. */
  translation?: string;
  exclude?: boolean;
  path: DocPath;
}

export interface DestinationNatIntent {
  number: number;
  description?: string;
  inboundInterface?: string;
  protocol?: string;
  destination?: string;
  port?: string;
  translation: string;
  translationPort?: string;
  path: DocPath;
}

export interface NatBlock {
  source: SourceNatIntent[];
  destination: DestinationNatIntent[];
}

export interface NatRuleIntent {
  number: number;
  description: string;
  outboundInterface: string;
  source: string;
}

export interface PrefixListRuleIntent {
  number: number;
  action: 'permit' | 'deny';
  prefix: string;
  ge?: number;
  le?: number;
  description?: string;
}

export interface PrefixListIntent {
  name: string;
  description?: string;
  rules: PrefixListRuleIntent[];
  path: DocPath;
  origin?: Origin;
}

export interface RouteMapRuleIntent {
  number: number;
  action: 'permit' | 'deny';
  description?: string;
  matchPrefixList?: string;
  matchAsPath?: string;
  matchCommunityList?: string;
  metric?: number;
  prepend?: number[];
  localPreference?: number;
  weight?: number;
  community?: string;
}

export interface RouteMapIntent {
  name: string;
  description?: string;
  rules: RouteMapRuleIntent[];
  path: DocPath;
  origin?: Origin;
}

/** An as-path-list or a community-list: numbered regex rules. */
export interface RegexListIntent {
  name: string;
  description?: string;
  rules: { number: number; action: 'permit' | 'deny'; regex: string }[];
  path: DocPath;
}

/** What a neighbor and a peer-group can both say. */
export interface SessionOptions {
  remoteAs?: number;
  description?: string;
  updateSource?: string;
  ebgpMultihop?: number;
  password?: SecretRef;
  /** Per-neighbor timers where the peer expects others than the router's (AWS: 10/30). */
  timers?: { keepalive: number; holdtime: number };
  capabilityDynamic?: boolean;
  nexthopSelf?: boolean;
  softReconfiguration?: boolean;
  weight?: number;
  maximumPrefix?: number;
  prefixListImport?: string;
  prefixListExport?: string;
  routeMapImport?: string;
  routeMapExport?: string;
  /** BFD on the session (AWS VPC Route Server endpoints). */
  bfd?: boolean;
  /** Address families written for the session (`ipv4_unicast`, `ipv6_unicast`): the other family than its address's is carried too (IPv6 over IPv4, IPv4 over IPv6 with the extended next hop), with these options. */
  addressFamilies?: AfOptions[];
}

/** The options VyOS keeps under a session's `address-family` node. */
export type AfOptions = Pick<SessionOptions, 'nexthopSelf' | 'softReconfiguration' | 'weight' | 'maximumPrefix' | 'prefixListImport' | 'prefixListExport' | 'routeMapImport' | 'routeMapExport'> & {
  /** Where the topology writes it (`…ipv6_unicast`): what a diagnostic points at. */
  path?: DocPath;
  /** The family it names: the other one than the session's (its own is refused by the checks). */
  af: 'ipv4-unicast' | 'ipv6-unicast';
  /** Not carried: the release activates the family anyway (1.3 on an IPv6 session), so its routes are denied both ways. */
  denied?: boolean;
};

export interface NeighborIntent extends SessionOptions {
  address: string;
  kind: 'ebgp' | 'ibgp';
  peerGroup?: string;
  path?: DocPath;
  /** Route-maps the user wrote: the derived policy (role, default export) does not replace them. */
  pinned?: { import?: boolean; export?: boolean };
  /** A cloud tunnel made less preferred: the router's AS prepended this many times on its export. */
  tunnelPrepend?: number;
  /** What is at the other end of a derived eBGP session: a router of another site, a cloud gateway, or a VPC Route Server endpoint. */
  peer?: { kind: 'site'; site: string } | { kind: 'cloud' } | { kind: 'route-server' };
}

export interface PeerGroupIntent extends SessionOptions {
  name: string;
  path: DocPath;
}

export interface BgpIntent {
  asn: number;
  routerId?: string;
  keepalive?: number;
  holdtime?: number;
  neighbors: NeighborIntent[];
  peerGroups?: PeerGroupIntent[];
  networks: { prefix: string; routeMap?: string }[];
  /** `af` pins the address family (a dual-stack site's IPv6 map); absent: IPv4, and IPv6 too where the router has IPv6 routes of the kind. */
  redistribute?: { protocol: 'static' | 'connected'; routeMap?: string; af?: 'ipv6-unicast' }[];
}

export interface StaticRouteIntent {
  prefix: string;
  nextHop?: string;
  interface?: string;
  blackhole?: boolean;
  distance?: number;
}

/** A `set` line written verbatim in the topology (the escape hatch), rendered last. */
export interface ExtraLineIntent {
  line: string;
  path: DocPath;
}

export interface RouterIntent {
  name: string;
  /** The site and role of a router a site derives; absent for a router written only under `routers:`. */
  site?: string;
  role?: Role;
  release: Release;
  releasePath: DocPath;
  path: DocPath;
  hostName: string;
  ethernet: EthernetIntent[];
  loopbacks: LoopbackIntent[];
  dummies?: LoopbackIntent[];
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
  vrrp?: VrrpBlock;
  prefixLists: PrefixListIntent[];
  routeMaps: RouteMapIntent[];
  asPathLists?: RegexListIntent[];
  communityLists?: RegexListIntent[];
  bgp?: BgpIntent;
  staticRoutes: StaticRouteIntent[];
  nat?: NatBlock;
  extraLines?: ExtraLineIntent[];
  /** What the device needs outside its configuration before it works (its header says so). */
  notes?: string[];
}

/** The HA NAT design: a VyOS NAT instance masquerading its VPC out of the WAN. */
export interface NatNodeIntent {
  name: string;
  pair: string;
  zone: string;
  release: Release;
  releasePath: DocPath;
  path: DocPath;
  hostName: string;
  wan: { name: string; address: string; description?: Sourced<string> };
  gateway?: string;
  rule: NatRuleIntent;
  /** What the node needs outside its configuration before it works (its header says so). */
  notes?: string[];
}
