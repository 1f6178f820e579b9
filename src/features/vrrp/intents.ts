// A site's VRRP group on each router's LAN: priority from the role, unicast to
// the other routers' LAN addresses unless the site asks for multicast. A
// dual-stack LAN with vrrp.ipv6 gets a second group <SITE>-LAN6 (VyOS refuses
// both families in one group; keepalived runs an instance over one family),
// sending from the routers' IPv6 LAN addresses, in the same sync-group so the
// two addresses move together.
import type { VrrpBlock, VrrpIntent } from '../../model/intent.js';
import type { DocPath } from '../../diagnostics.js';
import type { Router, SecretRef, Site } from '../../model/topology.js';
import { DEFAULTS } from '../../model/defaults.js';
import type { DualStack } from '../dual-stack/model.js';

export function vrrpIntent(site: Site, r: Router, d: DualStack): VrrpBlock {
  const v = site.vrrp!;
  const peers = site.routers.filter((o) => o.name !== r.name && o.lan).map((o) => o.lan!.prefix.address);
  const group = `${site.name.toUpperCase()}-LAN`;
  const syncGroup = `SG-${site.name.toUpperCase()}`;
  const priority = r.role === 'active' ? DEFAULTS.vrrp.activePriority : DEFAULTS.vrrp.standbyPriority;
  // One builder for both families: the intents keep the IPv4 group's key order of before.
  const make = (name: string, vrid: number, address: string, path: DocPath, source: string, to: string[], password?: SecretRef): VrrpIntent => ({
    group: name,
    syncGroup,
    interface: r.lan!.name,
    vrid,
    addresses: [address],
    priority,
    advertiseInterval: v.advertiseInterval,
    preempt: v.preempt,
    path,
    ...(v.unicast ? { unicast: { source, peers: to } } : {}),
    ...(v.preemptDelay !== undefined ? { preemptDelay: v.preemptDelay } : {}),
    ...(password ? { password } : {}),
  });
  const groups = [make(group, v.vrid, v.address.text, v.path, r.lan!.prefix.address, peers, v.password)];
  const lan6 = d.routers.get(r.name)?.lan;
  if (v.ipv6 && lan6) {
    const peers6 = site.routers.filter((o) => o.name !== r.name).flatMap((o) => { const l = d.routers.get(o.name)?.lan; return l ? [l.prefix.address] : []; });
    // No password: keepalived runs IPv6 instances as VRRPv3, which has no authentication (`keepalived -t` fails on one).
    groups.push(make(`${group}6`, v.ipv6.vrid, v.ipv6.address.text, v.ipv6.path, lan6.prefix.address, peers6));
  }
  return { groups, syncGroups: [{ name: syncGroup, members: groups.map((g) => g.group), transitionScripts: {}, path: v.path }] };
}
