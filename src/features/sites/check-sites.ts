// Checks on what iBGP inside a site needs: a LAN on every router of a site
// with several, one LAN subnet, sane timers.
import type { Diagnostics } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { Topology } from '../../model/topology.js';

export function checkSites(t: Topology, diags: Diagnostics): void {
  for (const s of t.sites) {
    if (s.routers.length < 2) continue;
    for (const r of s.routers) {
      if (r.lan) continue;
      diags.error('ibgp-needs-lan', r.path, `router ${shown(r.name)} shares site ${shown(s.name)} with other routers but has no lan`, {
        at: 'key',
        expected: 'a lan interface: iBGP between the routers of a site runs over it',
        hint: 'add lan: { interface: eth1, address: 10.0.1.2/24 }',
      });
    }
    const lans = new Set(s.routers.filter((r) => r.lan).map((r) => r.lan!.prefix.network));
    if (lans.size > 1) {
      const r = s.routers.find((x) => x.lan && x.lan.prefix.network !== s.routers.find((y) => y.lan)!.lan!.prefix.network)!;
      diags.error('lan-mismatch', [...r.lan!.path, 'address'], `routers of site ${shown(s.name)} are on different LAN subnets (${[...lans].join(', ')})`, {
        expected: 'one LAN subnet shared by the routers of a site',
        found: r.lan!.prefix.network,
        hint: 'iBGP and the standby role assume the routers share the LAN',
      });
    }
  }
  const { keepalive, holdtime } = t.bgp;
  if (holdtime !== 0 && holdtime < 3 * keepalive) {
    diags.error('bgp-timers', ['defaults', 'bgp', 'holdtime'], `holdtime ${holdtime} is less than three keepalives (${keepalive} s)`, {
      expected: `0 (no holdtime) or at least ${3 * keepalive}`,
      found: String(holdtime),
      hint: 'a session drops after one lost keepalive otherwise; the inter-region design uses keepalive 4 / holdtime 12',
    });
  }
}
