// Helpers for features that add to a router's intent, so that two features
// adding IPsec peers or BGP sessions to the same router share one IPsec block
// and one group per name.
import type { EspGroupIntent, IkeGroupIntent, PeerIntent, RouterIntent } from './intent.js';
import type { IpsecSettings } from './topology.js';

export function ipsecOf(intent: RouterIntent, iface: string): NonNullable<RouterIntent['ipsec']> {
  intent.ipsec ??= { interface: iface, disableRouteAutoinstall: false, ikeGroups: [], espGroups: [], peers: [] };
  return intent.ipsec;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** An IKE and an ESP group for these settings under these names (the first settings given a name keep it). */
export function ipsecGroups(intent: RouterIntent, iface: string, settings: IpsecSettings, ikeName: string, espName: string): { ikeGroup: string; espGroup: string } {
  const ipsec = ipsecOf(intent, iface);
  if (!ipsec.ikeGroups.some((g) => g.name === ikeName)) {
    const g: IkeGroupIntent = { name: ikeName, proposal: settings.ike, dpd: settings.dpd, path: settings.paths.ike, dpdPath: settings.paths.dpd };
    ipsec.ikeGroups.push(g);
    ipsec.ikeGroups.sort(byName);
  }
  if (!ipsec.espGroups.some((g) => g.name === espName)) {
    const g: EspGroupIntent = { name: espName, proposal: settings.esp, path: settings.paths.esp };
    ipsec.espGroups.push(g);
    ipsec.espGroups.sort(byName);
  }
  return { ikeGroup: ikeName, espGroup: espName };
}

export function addPeer(intent: RouterIntent, iface: string, peer: PeerIntent): void {
  ipsecOf(intent, iface).peers.push(peer);
}
