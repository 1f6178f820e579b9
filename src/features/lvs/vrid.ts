// VRIDs of the pairs that do not pin one. A VRID is unique per layer-2
// segment: the lowest VRID that no reserved_vrids entry and no pinned vrid on
// the pair's segment holds, taken in file order. So adding a pair at the end
// never renumbers an existing one; a pair that must survive insertions above
// it pins its vrid. Collisions between pinned VRIDs are left to the checks
// (check-vrrp.ts), which name both places.
import type { Diagnostics } from '../../diagnostics.js';
import type { LvsPair, LvsSegment } from './model.js';

export const VRID_MIN = 1;
export const VRID_MAX = 255;

export function assignVrids(pairs: LvsPair[], diags: Diagnostics): void {
  const taken = new Map<LvsSegment, Set<number>>();
  const takenOn = (s: LvsSegment): Set<number> => {
    let set = taken.get(s);
    if (!set) {
      set = new Set(s.reserved.map((r) => r.value));
      taken.set(s, set);
    }
    return set;
  };
  for (const p of pairs) if (p.vridPath) takenOn(p.segment).add(p.vrid);
  for (const p of pairs) {
    if (p.vridPath) continue;
    const used = takenOn(p.segment);
    let vrid = VRID_MIN;
    while (vrid <= VRID_MAX && used.has(vrid)) vrid++;
    if (vrid > VRID_MAX) {
      diags.error('lvs-vrid-exhausted', p.path, `no free VRID left on segment ${p.segment.name} for LVS pair ${p.name}`, {
        at: 'key',
        expected: `a VRID from ${VRID_MIN} to ${VRID_MAX} not used on the segment`,
        found: `all ${VRID_MAX} VRIDs reserved or used`,
        hint: 'split the segment, or remove reserved_vrids that nothing uses any more',
      });
      continue;
    }
    used.add(vrid);
    p.vrid = vrid;
  }
}
