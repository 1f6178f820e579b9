// Cloud VPN connections (AWS site-to-site VPN) a router terminates, attached to Router.
import type { DocPath } from '../../diagnostics.js';
import type { Prefix } from '../../net/ipv4.js';
import type { IpsecSettings, SecretRef } from '../../model/topology.js';

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

declare module '../../model/topology.js' {
  interface Router {
    /** Set by the cloud-vpn feature's normalize step for every router of a site. */
    vpnConnections?: VpnConnection[];
  }
}
