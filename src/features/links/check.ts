// Checks on what the link derivation needs: distinct ASNs across a link, one
// link per router pair, a WAN gateway towards the peers.
import type { Diagnostics } from '../../diagnostics.js';
import { formatPath, shown } from '../../diagnostics.js';
import type { Link, Topology } from '../../model/topology.js';
import { DEFAULTS } from '../../model/defaults.js';
import { TCP_IP_HEADERS } from '../../net/esp.js';

/** A key of a written link, or the hub-mesh entry that generated the link. */
const at = (link: Link, key: string) => (link.path[0] === 'links' ? [...link.path, key] : link.path);

export function checkLinks(t: Topology, diags: Diagnostics): void {
  const siteOf = new Map(t.sites.map((s) => [s.name, s]));
  // Each pair of routers, to the first link between them (named only when a second one is found).
  const pairs = new Map<string, Link>();
  for (const link of t.links) {
    const [ea, eb] = link.ends;
    const sa = siteOf.get(t.routers.get(ea)!.site)!;
    const sb = siteOf.get(t.routers.get(eb)!.site)!;
    if (sa.asn === sb.asn) {
      diags.error('same-asn-linked', at(link, 'between'), `sites ${shown(sa.name)} and ${shown(sb.name)} are linked but both use AS ${sa.asn}`, {
        expected: 'a different ASN per site (eBGP runs over every link)',
        found: String(sa.asn),
        hint: `give ${sb.name} its own private ASN (64512-65534 or 4200000000-4294967294) at sites.${sb.name}.asn`,
      });
    }
    const key = ea < eb ? `${ea}\u0000${eb}` : `${eb}\u0000${ea}`;
    const first = pairs.get(key);
    if (first !== undefined) {
      diags.error('duplicate-link', at(link, 'between'), `routers ${shown(ea)} and ${shown(eb)} are already linked by ${formatPath(first.path)}`, {
        expected: 'one link per pair of routers',
        found: `[${link.ends.join(', ')}]`,
        hint: 'VyOS refuses two keyless GRE tunnels between the same endpoints; remove the duplicate',
      });
    } else pairs.set(key, link);
  }
  for (const link of t.links) {
    if (link.mtu <= link.fitMtu) continue;
    const e = link.ipsec.esp;
    diags.warn('mtu-exceeds-path', link.mtuPath, `GRE MTU ${link.mtu} does not fit a ${DEFAULTS.pathMtu}-byte path under ${e.encryption}/${e.hash} ESP${link.natT ? ' with NAT-T (UDP 4500)' : ''}: at most ${link.fitMtu} does`, {
      expected: `a GRE MTU of at most ${link.fitMtu}, or leave it out (vygen then uses ${link.fitMtu})`,
      found: String(link.mtu),
      hint: `full-size packets would need fragmenting or PMTUD, which security groups often break; the MSS clamp follows the path (${link.fitMtu - TCP_IP_HEADERS})`,
    });
  }
  // A link needs a way out of the WAN towards the peer.
  for (const name of new Set(t.links.flatMap((l) => (l.inner ? l.ends : [])))) {
    const r = t.routers.get(name)!;
    if (r.wan.gateway) continue;
    diags.warn('no-route-to-peers', [...r.wan.path], `router ${r.name} has VPN links but no WAN gateway`, {
      at: 'key',
      expected: 'wan.gateway, so that IPsec packets to the peers leave through the WAN',
      hint: 'add gateway: <the WAN subnet\'s router> unless another default route exists on the router',
    });
  }
}
