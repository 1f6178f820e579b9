// The dual-stack site checks: IPv6 router addresses are hosts, not reserved,
// not link-local; the site's IPv6 networks are networks and do not overlap
// another site's; static next hops lie on every router's IPv6 LAN; the IPv6
// tunnel pool holds every link's /127.
import type { Diagnostics } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { Topology } from '../../model/topology.js';
import { containsIp, isLinkLocal6, isUsableHostIp, overlapsIp, parseIp, reservedUse } from '../../net/ip.js';
import type { DualStack, Located6 } from './model.js';

export function checkDualStack(t: Topology, d: DualStack, diags: Diagnostics): void {
  for (const [name, r] of d.routers) {
    for (const a of [r.wan, r.lan, r.loopback]) if (a) checkAddress(`${a.prefix.text} of router ${shown(name)}`, a, diags);
    if (r.gateway && r.wan && !containsIp(r.wan.prefix, parseIp(r.gateway.address))) {
      diags.error('next-hop-unreachable', r.gateway.path, `IPv6 gateway ${r.gateway.address} of router ${shown(name)} is not on its IPv6 WAN subnet ${r.wan.prefix.network}`, { expected: `an address inside ${r.wan.prefix.network}`, found: r.gateway.address });
    }
    if (r.gateway && !r.wan) diags.error('missing-key', r.gateway.path, `router ${shown(name)} has an IPv6 gateway but no IPv6 WAN address`, { expected: 'ipv6.wan.address beside ipv6.wan.gateway', hint: 'add address: <the WAN interface\'s IPv6 address>/64' });
  }
  const all: { prefix: Located6; site: string }[] = [];
  const sites = new Map(t.sites.map((x) => [x.name, x] as const).reverse());
  for (const [siteName, s] of d.sites) {
    const site = sites.get(siteName);
    for (const c of [...s.connected, ...s.statics]) {
      all.push({ prefix: c, site: siteName });
      if (c.prefix.value !== c.prefix.first) {
        diags.error('not-a-network', c.path, `${c.prefix.text} has host bits set`, { expected: 'a network address (VyOS refuses host bits in a BGP network statement)', found: c.prefix.text, hint: `did you mean ${c.prefix.network}?` });
      }
    }
    for (const st of s.statics) {
      const hop = parseIp(st.via);
      for (const r of site?.routers ?? []) {
        const lan = d.routers.get(r.name)?.lan;
        if (lan && containsIp(lan.prefix, hop)) continue;
        diags.error('next-hop-unreachable', [...st.path, 'via'], `IPv6 next hop ${st.via} is not on an IPv6 LAN of router ${shown(r.name)}`, {
          expected: lan ? `an address inside ${lan.prefix.network}` : `ipv6.lan on router ${r.name}`,
          found: st.via,
          hint: 'every router of the site installs this static route; its next hop must be on their IPv6 LAN',
        });
      }
      if (isLinkLocal6(hop)) diags.error('link-local-address', [...st.path, 'via'], `IPv6 next hop ${st.via} is link-local (fe80::/10)`, { expected: 'a global or unique-local address on the LAN', found: st.via, hint: 'a link-local next hop needs its interface, which vygen does not write beside it' });
    }
  }
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      if (a.site === b.site || !overlapsIp(a.prefix.prefix, b.prefix.prefix)) continue;
      diags.error('announced-overlap', b.prefix.path, `${b.prefix.prefix.network} of site ${shown(b.site)} overlaps ${a.prefix.prefix.network} of site ${shown(a.site)}`, {
        expected: 'announced IPv6 networks that do not overlap between sites',
        found: b.prefix.prefix.network,
        hint: 'one site owns each network: fix the prefix',
      });
    }
  }
  if (d.pool) {
    const p = d.pool.prefix;
    const top = t.links.reduce((m, l) => Math.max(m, l.id), -1);
    if (p.length > 127 || (p.length < 127 && BigInt(top + 1) > 1n << BigInt(127 - p.length)) || (p.length === 127 && top > 0) || p.value !== p.first) {
      diags.error('tunnel-pool-too-small', d.pool.path, `tunnel_pool6 ${p.text} does not hold a /127 for link ${top}${p.value !== p.first ? ' (and has host bits set)' : ''}`, {
        expected: `an IPv6 network with room for ${top + 1} /127s, e.g. a /64`,
        found: p.text,
      });
    }
  }
}

function checkAddress(what: string, a: Located6, diags: Diagnostics): void {
  if (!isUsableHostIp(a.prefix)) diags.error('address-not-host', a.path, `${what} is the Subnet-Router anycast address of its subnet (RFC 4291), which is no host's`, { expected: `a host address of ${a.prefix.network}`, found: a.prefix.text });
  const reserved = reservedUse(a.prefix);
  if (reserved) diags.error('reserved-address', a.path, `${what} is in a reserved range: ${reserved}`, { expected: 'a global unicast or unique-local address', found: a.prefix.text });
  else if (isLinkLocal6(a.prefix)) diags.error('link-local-address', a.path, `${what} is link-local (fe80::/10): every interface has one already`, { expected: 'a global unicast or unique-local address', found: a.prefix.text });
}
