// VRRP ids are unique per layer-2 segment across everything that speaks VRRP
// on it: a VyOS site's LAN group and the LVS instances of the same subnet.
// keepalived and VyOS both accept a clash and then flap the address. An
// assigned VRID never clashes (the allocator, src/features/lvs/vrid.ts, saw
// the sites first); a pinned one may.
import type { Diagnostics } from '../../diagnostics.js';
import type { Model } from '../feature.js';
import { overlapsIp, parseIp } from '../../net/ip.js';

export function checkVridSegments(model: Model, diags: Diagnostics): void {
  const t = model.topology;
  const lvs = model.lvs;
  for (const site of t.sites) {
    const v = site.vrrp;
    const lan = site.routers.find((r) => r.lan)?.lan;
    if (!v || !lan) continue;
    // The IPv6 group's segment is its address's subnet: the IPv6 LAN (checked against each router's).
    const groups = [{ vrid: v.vrid, network: parseIp(lan.prefix.text), what: 'VRRP group' }, ...(v.ipv6 ? [{ vrid: v.ipv6.vrid, network: v.ipv6.address, what: 'IPv6 VRRP group' }] : [])];
    for (const inst of lvs.instances) {
      const g = groups.find((x) => inst.vrid === x.vrid && overlapsIp(inst.segment.network, x.network));
      if (!g) continue;
      if (!inst.vridPath) throw new Error(`internal error: VRID ${inst.vrid} of ${inst.name} was assigned over site ${site.name}'s`);
      diags.error('vrid-conflict', inst.vridPath, `${inst.label} uses VRID ${inst.vrid}, the VRID of site ${site.name}'s ${g.what} on the same LAN ${g.network.network}`, {
        expected: 'one VRID per VRRP group on a segment',
        found: String(inst.vrid),
        hint: 'pin another vrid on one of them, or remove this vrid to let vygen choose a free one',
      });
    }
  }
}
