// What a topology gets when it says nothing. The IPsec defaults are a modern
// baseline both ends of a vygen link agree on; the examples that mirror the
// published designs set their own values explicitly.
import type { Dpd, EspProposal, IkeProposal } from './topology.js';
import { DEFAULT_RELEASE } from '../targets/vyos/dialects.js';

export const DEFAULTS = Object.freeze({
  vyos: DEFAULT_RELEASE,
  bgp: Object.freeze({ keepalive: 4, holdtime: 12 }),
  tunnelPool: '172.16.0.0/24',
  /** The path under every tunnel unless it says otherwise (an internet gateway's). */
  pathMtu: 1500,
  ike: Object.freeze<IkeProposal>({ keyExchange: 'ikev2', encryption: 'aes256', hash: 'sha256', dhGroup: 14, lifetime: 28800 }),
  esp: Object.freeze<EspProposal>({ encryption: 'aes256', hash: 'sha256', pfs: 14, lifetime: 3600, mode: 'tunnel' }),
  dpd: Object.freeze<Dpd>({ action: 'restart', interval: 15, timeout: 60 }),
  standby: Object.freeze({ prepend: 3, localPreference: 50 }),
  /** VRRP's plain-text authentication data is 8 bytes: VyOS refuses a longer password, keepalived cuts it. */
  vrrpPasswordMax: 8,
  vrrp: Object.freeze({ vrid: 10, advertiseInterval: 1, activePriority: 200, standbyPriority: 100 }),
  natHealthCheck: Object.freeze({ interval: 30, misses: 3, timeout: 2, rise: 3 }),
  /**
   * VRRP preempt delay of a site with an aws section, in seconds: a rebooted
   * active must not take the route tables back before its sessions are up.
   * IKE takes seconds (strongSwan retransmits its first message after 4, 7
   * and 13 s); the slow part is BGP: a connect tried before the tunnel was
   * up is retried only after FRR's ConnectRetry timer, 120 s. 180 s covers
   * both with a margin for the first updates.
   */
  cloudPreemptDelay: 180,
  /** The VRRP health check (BGP sessions up): every 5 s, 3 failures to fault. */
  vrrpHealthCheck: Object.freeze({ interval: 5, failureCount: 3 }),
  hubMesh: Object.freeze({ firstLinkId: 0, linksPerRegion: 32 }),
});

/**
 * What an AWS site-to-site VPN connection expects unless its downloaded
 * configuration says otherwise (AWS's site-to-site VPN documentation).
 */
export const AWS_VPN = Object.freeze({
  asn: 64512,
  /** A gateway accepts at most 100 routes from a customer gateway; vygen accepts as many from it. */
  maxPrefix: 100,
  mtu: 1436,
  /** AWS's recommended TCP MSS for its tunnels: the clamp never exceeds it. */
  mss: 1379,
  bgp: Object.freeze({ keepalive: 10, holdtime: 30 }),
  ike: Object.freeze<IkeProposal>({ keyExchange: 'ikev1', encryption: 'aes128', hash: 'sha1', dhGroup: 2, lifetime: 28800 }),
  esp: Object.freeze<EspProposal>({ encryption: 'aes128', hash: 'sha1', pfs: 2, lifetime: 3600, mode: 'tunnel' }),
  dpd: Object.freeze<Dpd>({ action: 'restart', interval: 15, timeout: 30 }),
});
