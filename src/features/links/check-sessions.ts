// Checks on what the BGP and tunnel derivation needs: distinct ASNs across a
// link, one link per router pair, a LAN where a site needs iBGP, sane timers.
import type { Diagnostics } from '../../diagnostics.js';
import { formatPath, shown } from '../../diagnostics.js';
import type { Link, Topology } from '../../model/topology.js';

/** A key of a written link, or the hub-mesh entry that generated the link. */
const at = (link: Link, key: string) => (link.path[0] === 'links' ? [...link.path, key] : link.path);

export function checkSessions(t: Topology, diags: Diagnostics): void {
  const siteOf = new Map(t.sites.map((s) => [s.name, s]));
  const pairs = new Map<string, string>();
  for (const link of t.links) {
    const [a, b] = link.ends.map((n) => t.routers.get(n)!);
    const sa = siteOf.get(a!.site)!;
    const sb = siteOf.get(b!.site)!;
    if (sa.asn === sb.asn) {
      diags.error('same-asn-linked', at(link, 'between'), `sites ${shown(sa.name)} and ${shown(sb.name)} are linked but both use AS ${sa.asn}`, {
        expected: 'a different ASN per site (eBGP runs over every link)',
        found: String(sa.asn),
        hint: `give ${sb.name} its own private ASN (64512-65534 or 4200000000-4294967294) at sites.${sb.name}.asn`,
      });
    }
    const key = [...link.ends].sort().join('\u0000');
    const first = pairs.get(key);
    if (first !== undefined) {
      diags.error('duplicate-link', at(link, 'between'), `routers ${shown(link.ends[0])} and ${shown(link.ends[1])} are already linked by ${first}`, {
        expected: 'one link per pair of routers',
        found: `[${link.ends.join(', ')}]`,
        hint: 'VyOS refuses two keyless GRE tunnels between the same endpoints; remove the duplicate',
      });
    } else pairs.set(key, formatPath(link.path));
  }
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
      hint: 'a session drops after one lost keepalive otherwise; seed 000 uses keepalive 4 / holdtime 12',
    });
  }
}
