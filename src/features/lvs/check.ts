// The checks of LVS pairs: what keepalived accepts silently but production
// does not. Each file checks one area; this one runs them all (so a user sees
// every problem at once) and the naming rules shared with the routers.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { formatPath, shown } from '../../diagnostics.js';
import type { LvsTopology } from './model.js';
import type { Topology } from '../../model/topology.js';
import { checkScripts } from './check-scripts.js';
import { checkVirtualServers } from './check-virtual-servers.js';
import { checkVrrp } from './check-vrrp.js';
import { checkLvsFamilies } from './check-families.js';

export function checkLvs(lvs: LvsTopology, topology: Topology, diags: Diagnostics): void {
  checkDirectorNames(lvs, topology, diags);
  checkVrrp(lvs, diags);
  checkVirtualServers(lvs, diags);
  checkScripts(lvs, diags);
  checkTrackScripts(lvs, diags);
  checkLvsFamilies(lvs, diags);
}

/** A director's keepalived.conf holds one vrrp_script per name: instances sharing a name share its definition. */
function checkTrackScripts(lvs: LvsTopology, diags: Diagnostics): void {
  for (const p of lvs.pairs) {
    const seen = new Map<string, { text: string; path: DocPath }>();
    for (const i of p.instances) {
      for (const t of i.trackScripts) {
        const text = JSON.stringify([t.script.value, t.interval, t.timeout, t.weight, t.fall, t.rise]);
        const first = seen.get(t.name);
        if (first && first.text !== text) {
          diags.error('lvs-track-script-conflict', t.path, `vrrp_script ${t.name} is defined twice, differently`, {
            at: 'key',
            expected: `the same definition as at ${formatPath(first.path)}, or another name`,
            found: 'a different script or timing',
            hint: 'both instances run on the same directors, whose keepalived.conf holds one vrrp_script of each name',
          });
        } else if (!first) seen.set(t.name, { text, path: t.path });
      }
    }
  }
}

/** A director's name names its files: unique among directors, distinct from the routers. */
function checkDirectorNames(lvs: LvsTopology, topology: Topology, diags: Diagnostics): void {
  const seen = new Map<string, DocPath>();
  for (const p of lvs.pairs) {
    for (const n of p.nodes) {
      const path = [...n.path, 'name'];
      const first = seen.get(n.name);
      const router = topology.routers.get(n.name);
      if (first || router) {
        diags.error('lvs-duplicate-node', path, `director name ${shown(n.name)} is already used`, {
          expected: 'director names unique across the topology, and distinct from router names (they name the output files)',
          found: `${shown(n.name)}, also at ${formatPath(first ?? router!.path)}`,
          hint: 'one director runs one pair in vygen; rename one of them',
        });
        continue;
      }
      seen.set(n.name, path);
    }
  }
}
