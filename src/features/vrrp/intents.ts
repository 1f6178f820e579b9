// A site's VRRP group on each router's LAN: priority from the role, unicast to
// the other routers' LAN addresses unless the site asks for multicast.
import type { VrrpBlock } from '../../model/intent.js';
import type { Router, Site } from '../../model/topology.js';
import { DEFAULTS } from '../../model/defaults.js';

export function vrrpIntent(site: Site, r: Router): VrrpBlock {
  const v = site.vrrp!;
  const peers = site.routers.filter((o) => o.name !== r.name && o.lan).map((o) => o.lan!.prefix.address);
  const group = `${site.name.toUpperCase()}-LAN`;
  const syncGroup = `SG-${site.name.toUpperCase()}`;
  return {
    groups: [{
    group,
    syncGroup,
    interface: r.lan!.name,
    vrid: v.vrid,
    addresses: [v.address.text],
    priority: r.role === 'active' ? DEFAULTS.vrrp.activePriority : DEFAULTS.vrrp.standbyPriority,
    advertiseInterval: v.advertiseInterval,
    preempt: v.preempt,
    path: v.path,
    ...(v.unicast ? { unicast: { source: r.lan!.prefix.address, peers } } : {}),
    ...(v.preemptDelay !== undefined ? { preemptDelay: v.preemptDelay } : {}),
    ...(v.password ? { password: v.password } : {}),
    }],
    syncGroups: [{ name: syncGroup, members: [group], transitionScripts: {}, path: v.path }],
  };
}
