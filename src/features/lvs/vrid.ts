// VRIDs of the LVS instances that do not pin one. A VRID is unique per layer-2
// segment, and the allocator sees every VRRP user of a segment before it
// assigns anything: the segment's reserved_vrids, the VRRP groups of the VyOS
// sites whose LAN is on the segment, and every pinned vrid. An unpinned
// instance then takes the lowest VRID none of them holds, in file order. So
// adding an instance at the end never renumbers an existing one; one that
// must survive insertions above it pins its vrid. Collisions between pinned
// VRIDs are left to the checks (src/validate/lvs-vrrp.ts and
// src/validate/vrid-segments.ts), which name both places.
import type { Diagnostics } from '../../diagnostics.js';
import type { LvsInstance, LvsSegment } from './model.js';
import type { Topology } from '../../model/topology.js';
import { overlapsIp as overlaps, parseIp, type IpPrefix as Prefix } from '../../net/ip.js';

export const VRID_MIN = 1;
export const VRID_MAX = 255;

/** A VRRP group outside the `lvs` key: a site's VyOS routers on their LAN. */
export interface VrrpUser {
  network: Prefix;
  vrid: number;
  /** "site tokyo's VRRP group", for messages. */
  what: string;
}

export function siteVrrpUsers(t: Topology): VrrpUser[] {
  const out: VrrpUser[] = [];
  for (const site of t.sites) {
    const lan = site.routers.find((r) => r.lan)?.lan;
    if (site.vrrp && lan) out.push({ network: parseIp(lan.prefix.text), vrid: site.vrrp.vrid, what: `site ${site.name}'s VRRP group` });
    if (site.vrrp?.ipv6 && lan) out.push({ network: site.vrrp.ipv6.address, vrid: site.vrrp.ipv6.vrid, what: `site ${site.name}'s IPv6 VRRP group` });
  }
  return out;
}

export function assignVrids(instances: LvsInstance[], others: readonly VrrpUser[], diags: Diagnostics): void {
  const taken = new Map<LvsSegment, Set<number>>();
  const takenOn = (s: LvsSegment): Set<number> => {
    let set = taken.get(s);
    if (!set) {
      set = new Set(s.reserved.map((r) => r.value));
      for (const o of others) if (overlaps(o.network, s.network)) set.add(o.vrid);
      taken.set(s, set);
    }
    return set;
  };
  for (const i of instances) if (i.vridPath) takenOn(i.segment).add(i.vrid);
  for (const i of instances) {
    if (i.vridPath) continue;
    const used = takenOn(i.segment);
    let vrid = VRID_MIN;
    while (vrid <= VRID_MAX && used.has(vrid)) vrid++;
    if (vrid > VRID_MAX) {
      diags.error('lvs-vrid-exhausted', i.path, `no free VRID left on segment ${i.segment.name} for VRRP instance ${i.name}`, {
        at: 'key',
        expected: `a VRID from ${VRID_MIN} to ${VRID_MAX} not used on the segment`,
        found: `all ${VRID_MAX} VRIDs reserved or used`,
        hint: 'split the segment, or remove reserved_vrids that nothing uses any more',
      });
      continue;
    }
    used.add(vrid);
    i.vrid = vrid;
  }
}
