// The normalized topology: every default applied, every derived value
// (tunnel numbers, inner addresses) computed, and every object carrying the
// document path it came from, so later checks can still point at a line.
import type { DocPath } from '../diagnostics.js';
import type { Prefix } from '../net/ipv4.js';

// The releases are defined by the dialect table, the one place that knows them.
export type { Release } from '../targets/vyos/dialects.js';
export { RELEASES } from '../targets/vyos/dialects.js';
import type { Release } from '../targets/vyos/dialects.js';
export type Role = 'active' | 'standby';

export interface SecretRef {
  kind: 'env' | 'file';
  /** Variable name or file path as written in the topology. */
  name: string;
  path: DocPath;
}

export interface IkeProposal {
  keyExchange: 'ikev1' | 'ikev2';
  encryption: string;
  hash: string;
  dhGroup: number;
  lifetime: number;
}

export interface EspProposal {
  encryption: string;
  hash: string;
  pfs: number | 'disable' | 'enable';
  lifetime: number;
  mode: 'tunnel' | 'transport';
}

export interface Dpd {
  action: 'restart' | 'clear' | 'trap';
  interval: number;
  timeout: number;
}

export interface IpsecSettings {
  ike: IkeProposal;
  esp: EspProposal;
  dpd: Dpd;
  /** Where each setting came from, for diagnostics about values a release refuses. */
  paths: { ike: DocPath; esp: DocPath; dpd: DocPath };
}

export interface Interface {
  name: string;
  prefix: Prefix;
  description?: string;
  path: DocPath;
}

export interface Wan extends Interface {
  /** The address peers reach this router at (Elastic IP), or the WAN address. */
  publicAddress: string;
  gateway?: string;
}

export interface VpnTunnel {
  /** VTI interface on this router: pinned, or vti<n> numbered per router in list order. */
  vti: string;
  /** Pinned IPsec peer name and description; preference among the connection's tunnels. */
  peer?: string;
  description?: string;
  weight?: number;
  prepend?: number;
  outside: string;
  inside: Prefix;
  psk: SecretRef;
  path: DocPath;
}

/** A cloud VPN connection (AWS site-to-site VPN) terminated on one router. */
export interface VpnConnection {
  name: string;
  ikeGroup: string;
  espGroup: string;
  /** Largest VTI MTU that fits the path under the connection's IPsec; whether NAT-T is in use. */
  fitMtu: number;
  natT: boolean;
  /** The MTU was written in the topology (else AWS's 1436). */
  mtuWritten: boolean;
  asn: number;
  routing: 'bgp' | 'static';
  staticPrefixes: { prefix: Prefix; path: DocPath }[];
  mtu: number;
  bgp: { keepalive: number; holdtime: number };
  ipsec: IpsecSettings;
  tunnels: VpnTunnel[];
  path: DocPath;
}

export interface Router {
  name: string;
  site: string;
  role: Role;
  release: Release;
  /** Path of the setting that chose the release, for release diagnostics. */
  releasePath: DocPath;
  wan: Wan;
  lan?: Interface;
  loopback: string;
  /** The EC2 instance, and its network interfaces when it has a lan (two interfaces: AWS then refuses --instance-id). */
  aws?: { instanceId: string; lanEni?: string; wanEni?: string };
  vpnConnections: VpnConnection[];
  path: DocPath;
}

export interface StaticNetwork {
  prefix: Prefix;
  via: string;
  distance?: number;
  path: DocPath;
}

export interface Site {
  name: string;
  asn: number;
  /**
   * Set by a feature that makes the site a transit (the hub mesh: a hub
   * announces its spokes' networks too, and gives its spokes every route).
   */
  transit?: { originates: string[]; fullTableTo: string[] };
  connected: { prefix: Prefix; path: DocPath }[];
  statics: StaticNetwork[];
  /** Announced prefixes marked as deliberate more-specifics of another site's network. */
  moreSpecifics: { prefix: Prefix; path: DocPath }[];
  standby: { prepend: number; localPreference: number };
  aws?: AwsSite;
  vrrp?: Vrrp;
  routers: Router[];
  path: DocPath;
}

export type FailoverTrigger = 'vrrp' | 'serf' | 'none';

export interface AwsSite {
  region: string;
  routeTables: string[];
  /** Explicit destinations; when empty, every network the other sites announce. */
  destinations: string[];
  eip?: string;
  failover: FailoverTrigger;
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
  path: DocPath;
}

export interface NatNode {
  name: string;
  pair: string;
  target: 'vyos' | 'linux';
  release: Release;
  releasePath: DocPath;
  zone: string;
  instanceId: string;
  wan: Wan;
  routeTables: string[];
  path: DocPath;
}

export interface NatPair {
  name: string;
  region: string;
  vpcCidr: Prefix;
  healthCheck: { interval: number; misses: number; timeout: number };
  nodes: [NatNode, NatNode];
  path: DocPath;
}

export interface Link {
  /** Position in the `links` list. */
  index: number;
  /** Stable number: tunnel interface tun<id>, the id-th /30 of the pool. */
  id: number;
  ends: [string, string];
  description?: string;
  psk: SecretRef;
  ipsec: IpsecSettings;
  mtu: number;
  mtuPath: DocPath;
  /** The largest GRE MTU whose packets fit a 1500-byte path under this link's IPsec (NAT-T included). */
  fitMtu: number;
  /** One end is behind NAT (its public address is not its WAN address): ESP rides in UDP 4500. */
  natT: boolean;
  /** The /30 between the two ends; ends[0] takes the first host, ends[1] the second. */
  inner?: Prefix;
  path: DocPath;
}

export interface Topology {
  file: string;
  sites: Site[];
  routers: Map<string, Router>;
  links: Link[];
  bgp: { keepalive: number; holdtime: number };
  tunnelPool: Prefix;
  natPairs: NatPair[];
  /** What a link without its own ike/esp/dpd gets: defaults.ipsec over the built-in proposals. */
  ipsecDefaults: IpsecSettings;
}
