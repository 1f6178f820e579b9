// Dual-stack checks of the per-router layer: values that must be of one
// address family (a route and its next hop, a prefix-list's rules, a BGP
// session and its filters, an IPsec peer's two ends, a VRRP group), prefix
// lengths within the family's range, and IPv6 link-local addresses where
// only a global one works (a link-local address means nothing without the
// interface it is on, and vygen writes none beside it).
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { RouterIntent, SessionOptions } from '../../model/intent.js';
import { familyOf, isLinkLocal6, maxLength, parseIp, type Family } from '../../net/ip.js';
import { DIALECTS } from '../../targets/vyos/dialects.js';
import type { ExplicitRouter } from './model.js';

const v = (f: Family) => `IPv${f}`;

export function checkFamilies(intent: RouterIntent, x: ExplicitRouter, diags: Diagnostics): void {
  const mismatch = (path: DocPath, message: string, expected: string, found: string, hint?: string) =>
    diags.error('address-family-mismatch', path, message, { expected, found, ...(hint ? { hint } : {}) });
  /** `what` names the value with the address in it: "next hop fe80::1 of ::/0". */
  const linkLocal = (path: DocPath, what: string, a: string, hint: string) => {
    if (familyOf(a) === 6 && isLinkLocal6(parseIp(a))) {
      diags.error('link-local-address', path, `${what} is an IPv6 link-local address (fe80::/10)`, { expected: 'a global or unique-local IPv6 address', found: a, hint });
    }
  };

  if (!DIALECTS[intent.release].supports.vtiIpv6) {
    for (const t of x.vtis) {
      const a = [t.address, ...(t.moreAddresses ?? [])].find((s) => s !== undefined && familyOf(s) === 6);
      if (a === undefined) continue;
      diags.error('unsupported-value', [...t.path, 'address'], `VyOS ${intent.release} has no IPv6 address on a VTI (${t.name}: ${a})`, {
        expected: 'IPv4 addresses on a VTI (VyOS 1.3), IPv6 from 1.4',
        found: a,
        hint: `run IPv6 over a GRE tunnel on 1.3, or render for 1.4 or later (the release is chosen at ${x.releasePath.length > 0 ? x.releasePath.join('.') : 'defaults.vyos'})`,
      });
    }
  }
  for (const r of x.staticRoutes) {
    if (r.nextHop === undefined) continue;
    const p = [...r.path, 'next_hop'];
    if (familyOf(r.nextHop) !== familyOf(r.prefix)) {
      mismatch(p, `next hop ${r.nextHop} of ${r.prefix} is of the other address family`, `an ${v(familyOf(r.prefix))} next hop for an ${v(familyOf(r.prefix))} route`, r.nextHop, 'write the IPv4 and IPv6 routes as two static_routes entries');
    } else linkLocal(p, `next hop ${r.nextHop} of ${r.prefix}`, r.nextHop, 'a link-local next hop needs its interface, which vygen does not write beside it: use the neighbor\'s global address, or interface: to route through a point-to-point link');
  }

  const listFamily = new Map<string, Family>();
  for (const pl of x.prefixLists) {
    const first = pl.rules[0];
    if (!first) continue;
    const family = familyOf(first.prefix);
    listFamily.set(pl.name, family);
    pl.rules.forEach((rule, i) => {
      const p = [...pl.path, 'rules', i];
      if (familyOf(rule.prefix) !== family) {
        mismatch([...p, 'prefix'], `prefix-list ${shown(pl.name)} mixes IPv4 and IPv6 prefixes (${first.prefix} and ${rule.prefix})`, `${v(family)} prefixes only, like its first rule`, rule.prefix, 'VyOS keeps IPv6 prefixes in a separate prefix-list6: write a second list for them');
        return;
      }
      const max = maxLength(family);
      for (const [k, n] of [['ge', rule.ge], ['le', rule.le]] as const) {
        if (n !== undefined && n > max) {
          diags.error('prefix-length-range', [...p, k], `${k} ${n} of prefix-list ${shown(pl.name)} rule ${rule.number} is longer than an ${v(family)} prefix can be`, { expected: `0 to ${max}`, found: String(n) });
        }
      }
    });
  }
  for (const p of intent.prefixLists) if (!listFamily.has(p.name) && p.rules[0]) listFamily.set(p.name, familyOf(p.rules[0].prefix));

  const bgp = x.bgp;
  if (bgp && intent.bgp) {
    const members = new Map<string, Set<Family>>();
    for (const n of intent.bgp.neighbors) {
      if (n.peerGroup === undefined) continue;
      const set = members.get(n.peerGroup) ?? new Set<Family>();
      set.add(familyOf(n.address));
      members.set(n.peerGroup, set);
    }
    const filters = (s: SessionOptions, path: DocPath, family: Family, who: string) => {
      for (const [dir, name] of [['import', s.prefixListImport], ['export', s.prefixListExport]] as const) {
        const lf = name !== undefined ? listFamily.get(name) : undefined;
        if (lf !== undefined && lf !== family) {
          mismatch([...path, 'prefix_list', dir], `${who} carries ${v(family)} but its ${dir} prefix-list ${shown(name!)} holds ${v(lf)} prefixes`, `a prefix-list of ${v(family)} prefixes`, shown(name!), 'each address family has its own prefix-lists');
        }
      }
      if (s.updateSource !== undefined && /:|^\d+\./.test(s.updateSource) && familyOf(s.updateSource) !== family) {
        mismatch([...path, 'update_source'], `${who} carries ${v(family)} but its update-source ${s.updateSource} is ${v(familyOf(s.updateSource))}`, `an ${v(family)} source address or an interface`, s.updateSource);
      }
    };
    for (const g of bgp.peerGroups ?? []) {
      const fams = [...(members.get(g.name) ?? [])];
      if (fams.length > 1 && (g.prefixListImport ?? g.prefixListExport ?? g.updateSource) !== undefined) {
        diags.error('address-family-mismatch', g.path, `peer-group ${shown(g.name)} has IPv4 and IPv6 members but filters of one family`, {
          at: 'key',
          expected: 'the members of a peer-group with prefix-lists or an update-source of one address family',
          hint: 'make a peer-group per family',
        });
      } else if (fams.length === 1) filters(g, g.path, fams[0]!, `peer-group ${shown(g.name)}`);
    }
    const seen = new Map<string, DocPath>();
    for (const n of bgp.neighbors) {
      const first = seen.get(n.address);
      if (first) {
        diags.error('duplicate-address', n.path!, `neighbor ${n.address} is written twice (also at ${first[first.length - 1]})`, {
          at: 'key',
          expected: 'each neighbor once',
          found: String(n.path![n.path!.length - 1]),
          hint: 'the two keys are the same address in RFC 5952 form; merge the two entries',
        });
      }
      seen.set(n.address, n.path!);
      const family = familyOf(n.address);
      filters(n, n.path!, family, `neighbor ${n.address}`);
      linkLocal(n.path!, `neighbor ${n.address}`, n.address, 'a session to a link-local address needs its interface (BGP unnumbered), which vygen does not write: use the neighbor\'s global address');
      if (n.updateSource !== undefined && familyOf(n.updateSource) === 6 && n.updateSource.includes(':')) linkLocal([...n.path!, 'update_source'], `update-source ${n.updateSource} of neighbor ${n.address}`, n.updateSource, 'use a global address of the router, or the interface name');
    }
    bgp.networks.forEach((net, i) => {
      if (familyOf(net.prefix) === 6 && isLinkLocal6(parseIp(net.prefix))) {
        diags.error('link-local-address', [...bgp.path, 'networks', i], `network ${net.prefix} is IPv6 link-local (fe80::/10), which no router forwards`, { expected: 'a global or unique-local IPv6 network', found: net.prefix });
      }
    });
  }

  if (x.ipsec) {
    for (const p of x.ipsec.peers) {
      if (p.localAddress !== '' && familyOf(p.localAddress) !== familyOf(p.remoteAddress)) {
        mismatch([...p.path, 'local_address'], `IPsec peer ${shown(p.name)} has local address ${p.localAddress} and remote address ${p.remoteAddress}: IKE runs over one family`, `an ${v(familyOf(p.remoteAddress))} local address`, p.localAddress);
      }
      linkLocal([...p.path, 'remote_address'], `remote address ${p.remoteAddress} of IPsec peer ${shown(p.name)}`, p.remoteAddress, 'IKE needs a routable address of the peer');
    }
  }

  for (const g of x.vrrp?.groups ?? []) {
    const first = g.addresses[0];
    if (first === undefined) continue;
    const family = familyOf(first);
    g.addresses.forEach((a, i) => {
      if (familyOf(a) !== family) {
        mismatch([...g.path, 'address', ...(g.addresses.length > 1 ? [i] : [])], `VRRP group ${g.group} mixes IPv4 and IPv6 addresses (${first} and ${a})`, `${v(family)} addresses only, like its first`, a, 'a VRRP instance advertises one family (RFC 5798): make a second group with its own vrid for the IPv6 addresses');
      }
    });
    const u = g.unicast;
    if (u && u.source !== '' && familyOf(u.source) !== family) {
      mismatch([...g.path, 'hello_source_address'], `VRRP group ${g.group} advertises ${v(family)} but its hello-source-address ${u.source} is ${v(familyOf(u.source))}`, `an ${v(family)} address of the router on ${g.interface}`, u.source);
    }
    (u?.peers ?? []).forEach((peer, i) => {
      if (familyOf(peer) !== family) mismatch([...g.path, 'peers', i], `VRRP group ${g.group} advertises ${v(family)} but its peer ${peer} is ${v(familyOf(peer))}`, `an ${v(family)} address of the other router`, peer);
    });
    // keepalived runs an IPv6 instance as VRRPv3, which has no authentication: it ignores the password (and `keepalived -t` fails).
    if (family === 6 && g.password) {
      diags.warn('vrrp-ipv6-password', [...g.path, 'password'], `VRRP group ${g.group} is IPv6 (VRRPv3, RFC 5798), which has no authentication: keepalived ignores its password`, { expected: 'no password on an IPv6 group', hint: 'remove it; keep the password on the IPv4 group' });
    }
  }
}
