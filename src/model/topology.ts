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

// Features attach their parts to Site and Router by module augmentation from
// their own folders (src/features/vrrp/model.ts: Site.vrrp; failover: Site.aws
// and Router.aws; cloud-vpn: Router.vpnConnections).
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
  routers: Router[];
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
  /** What a link without its own ike/esp/dpd gets: defaults.ipsec over the built-in proposals. */
  ipsecDefaults: IpsecSettings;
}
