// VRRP ids are unique per layer-2 segment across everything that speaks VRRP
// on it: a VyOS site's LAN group and the LVS pairs of the same subnet.
// keepalived and VyOS both accept a clash and then flap the address.
import type { Diagnostics } from '../../diagnostics.js';
import type { Model } from '../feature.js';
import { overlaps } from '../../net/ipv4.js';

export function checkVridSegments(model: Model, diags: Diagnostics): void {
  const t = model.topology;
  const lvs = model.lvs;
  for (const site of t.sites) {
    const v = site.vrrp;
    const lan = site.routers.find((r) => r.lan)?.lan;
    if (!v || !lan) continue;
    for (const pair of lvs.pairs) {
      if (pair.vrid !== v.vrid || !overlaps(pair.segment.network, lan.prefix)) continue;
      diags.error('vrid-conflict', pair.vridPath ?? pair.path, `LVS pair ${pair.name} uses VRID ${pair.vrid}, the VRID of site ${site.name}'s VRRP group on the same LAN ${lan.prefix.network}`, {
        ...(pair.vridPath ? {} : { at: 'key' as const }),
        expected: 'one VRID per VRRP group on a segment',
        found: String(pair.vrid),
        hint: pair.vridPath ? 'pin another vrid on one of them' : `vygen assigned it; list ${v.vrid} in the segment's reserved_vrids or pin another vrid`,
      });
    }
  }
}
