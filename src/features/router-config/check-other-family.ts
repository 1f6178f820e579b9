// A BGP session carrying the other address family (`ipv6_unicast` on an IPv4
// session, `ipv4_unicast` on an IPv6 one) is accepted only where the next hop
// its routes get is usable, as FRR (what VyOS runs) builds it:
//  * IPv6 over IPv4: FRR sends the IPv6 address of the interface the session
//    runs on (with its link-local one on a shared link). On a connected link
//    whose interface has an IPv6 address that resolves at the peer; from a
//    loopback or over several hops it is the loopback's address (or `::`),
//    which the peer reaches only through routes nothing checks, and with no
//    IPv6 address on the interface FRR sends its link-local address, which only
//    an FRR peer on that link takes.
//  * IPv4 over IPv6 (RFC 8950, `capability extended-nexthop`): FRR installs an
//    IPv4 route with an IPv6 next hop through `169.254.0.1 onlink`, whose
//    neighbour entry is the MAC it learns from the peer's router
//    advertisements, one per interface (zebra's 5549 support, FRR 7.5 to 10):
//    the peer must be on a connected link, and alone on it as such a peer.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { AfOptions, NeighborIntent, RouterIntent, SessionOptions } from '../../model/intent.js';
import { containsIp, familyOf, isLinkLocal6, parseIp, type Family } from '../../net/ip.js';
import type { ExplicitRouter } from './model.js';

const OTHER: Record<Family, AfOptions['af']> = { 4: 'ipv6-unicast', 6: 'ipv4-unicast' };
const KEY: Record<AfOptions['af'], string> = { 'ipv4-unicast': 'ipv4_unicast', 'ipv6-unicast': 'ipv6_unicast' };

interface Link {
  iface: string;
  addresses: string[];
}

/** The router's interfaces that can hold a session's link (loopbacks and dummies cannot). */
function links(intent: RouterIntent): Link[] {
  return [
    ...intent.ethernet.flatMap((e) => [{ iface: e.name, addresses: e.addresses }, ...(e.vifs ?? []).map((v) => ({ iface: `${e.name}.${v.id}`, addresses: v.addresses }))]),
    ...intent.tunnels.map((t) => ({ iface: t.name, addresses: [t.address, ...(t.moreAddresses ?? [])] })),
    ...intent.vtis.map((v) => ({ iface: v.name, addresses: [...(v.address ? [v.address] : []), ...(v.moreAddresses ?? [])] })),
  ].map((l) => ({ iface: l.iface, addresses: l.addresses.filter((a) => a !== '' && a !== 'dhcp') }));
}

/** The interface whose subnet holds `address` (the longest prefix, as the kernel routes). */
function linkOf(all: Link[], address: string): Link | undefined {
  const hop = parseIp(address);
  let best: { link: Link; length: number } | undefined;
  for (const l of all)
    for (const a of l.addresses) {
      const p = parseIp(a);
      if (p.family === hop.family && p.length < (p.family === 4 ? 32 : 128) && containsIp(p, hop) && (!best || p.length > best.length)) best = { link: l, length: p.length };
    }
  return best?.link;
}

export function checkOtherFamily(intent: RouterIntent, x: ExplicitRouter, diags: Diagnostics): void {
  const bgp = intent.bgp;
  const written = x.bgp;
  if (!bgp || !written) return;
  if (!bgp.neighbors.some((n) => n.addressFamilies) && !(bgp.peerGroups ?? []).some((g) => g.addressFamilies)) return;
  const groups = new Map((bgp.peerGroups ?? []).map((g) => [g.name, g]));
  const listFamily = new Map(intent.prefixLists.filter((p) => p.rules[0]).map((p) => [p.name, familyOf(p.rules[0]!.prefix)]));

  /** The family a written session is of: its address's, or its members' (IPv4 for a group without members, as it is rendered). */
  const ownFamily = (who: string, path: DocPath, s: SessionOptions, address?: string): Family | undefined => {
    if (address !== undefined) return familyOf(address);
    const fams = new Set(bgp.neighbors.filter((n) => n.peerGroup === who).map((n) => familyOf(n.address)));
    if (fams.size > 1 && s.addressFamilies) {
      diags.error('address-family-mismatch', s.addressFamilies[0]!.path ?? path, `peer-group ${shown(who)} has IPv4 and IPv6 members, so ${KEY[s.addressFamilies[0]!.af]} names no other family for all of them`, {
        expected: 'a peer-group of one family carrying the other one',
        hint: 'make a peer-group per family',
      });
      return undefined;
    }
    return fams.has(6) ? 6 : 4;
  };
  const blocks = (who: string, path: DocPath, s: SessionOptions, address?: string) => {
    if (!s.addressFamilies) return;
    const own = ownFamily(who, path, s, address);
    if (own === undefined) return;
    const what = address !== undefined ? `neighbor ${address}` : `peer-group ${shown(who)}`;
    for (const b of s.addressFamilies) {
      const bf: Family = b.af === 'ipv4-unicast' ? 4 : 6;
      if (bf === own) {
        diags.error('address-family-mismatch', b.path ?? path, `${what} is an IPv${own} session: ${KEY[b.af]} names its own family`, {
          expected: `${KEY[OTHER[own]]} (the other family), or the IPv${own} options on the session itself`,
          hint: 'move these options up to the session',
        });
        continue;
      }
      for (const [dir, name] of [['import', b.prefixListImport], ['export', b.prefixListExport]] as const) {
        const lf = name !== undefined ? listFamily.get(name) : undefined;
        if (lf !== undefined && lf !== bf) {
          diags.error('address-family-mismatch', [...(b.path ?? path), 'prefix_list', dir], `${what} carries IPv${bf} with ${dir} prefix-list ${shown(name!)}, which holds IPv${lf} prefixes`, {
            expected: `a prefix-list of IPv${bf} prefixes`,
            found: shown(name!),
            hint: 'each address family has its own prefix-lists',
          });
        }
      }
    }
  };
  for (const g of written.peerGroups ?? []) blocks(g.name, g.path, g);
  for (const n of written.neighbors) blocks(n.address, n.path!, n, n.address);

  const all = links(intent);
  const enheOn = new Map<string, string>();
  // A site's derived session keeps no path of its own: the written entry that extends it gives one.
  const writtenAt = new Map(written.neighbors.map((n) => [n.address, n.path!]));
  for (const n of bgp.neighbors) {
    const path = n.path ?? writtenAt.get(n.address);
    if (path === undefined) continue;
    const own = familyOf(n.address);
    const group = n.peerGroup !== undefined ? groups.get(n.peerGroup) : undefined;
    const carried = (s?: SessionOptions) => s?.addressFamilies?.find((b) => b.af === OTHER[own]);
    const block = carried(n) ?? carried(group);
    if (!block) continue;
    // What the diagnostic points at: the neighbor's own key, or the neighbor when its group carries the family.
    const at = carried(n)?.path ?? path;
    const via = carried(n) ? '' : ` (through its peer-group ${shown(group!.name)})`;
    const other = own === 4 ? 6 : 4;
    const link = linkOf(all, n.address);
    const multihop = n.ebgpMultihop ?? group?.ebgpMultihop;
    const source = n.updateSource ?? group?.updateSource;
    const fromElsewhere = source !== undefined && link !== undefined && !(source === link.iface || link.addresses.some((a) => a.split('/')[0] === source));
    if (!link || multihop !== undefined || fromElsewhere) {
      const why = !link ? `${n.address} is on no connected subnet of router ${shown(intent.name)}` : multihop !== undefined ? 'the session is eBGP multihop' : `the session starts from ${source}, not from ${link.iface}`;
      diags.error('unusable-next-hop', at, `neighbor ${n.address} carries IPv${other} over an IPv${own} session${via}, but ${why}: the next hop of its IPv${other} routes would not be usable`, {
        expected: `an IPv${own} neighbor on a link of the router (a connected subnet, no ebgp_multihop, no update_source elsewhere)`,
        hint:
          own === 4
            ? 'over several hops or from a loopback FRR sends the loopback\'s IPv6 address (or ::) as the next hop, which the peer reaches only through routes nothing checks: run an IPv6 session between IPv6 addresses instead'
            : 'FRR installs an IPv4 route with an IPv6 next hop through the interface it learned the peer on (RFC 8950, 169.254.0.1 onlink): run an IPv4 session for a peer that is not on a link of the router',
      });
      continue;
    }
    if (own === 4 && !link.addresses.some((a) => familyOf(a) === 6 && !isLinkLocal6(parseIp(a)))) {
      diags.error('unusable-next-hop', at, `neighbor ${n.address} carries IPv6 over an IPv4 session${via}, but ${link.iface}, the interface it runs on, has no IPv6 address: the IPv6 next hop FRR would send is ${link.iface}'s link-local address, which only an FRR peer on the link takes`, {
        expected: `an IPv6 address on ${link.iface} (and on the peer's interface, in the same subnet)`,
        // A site's tunnel gets its IPv6 address from the pool, and its IPv6 session with it.
        hint: intent.site !== undefined && intent.tunnels.some((t) => t.name === link.iface)
          ? `set defaults.tunnel_pool6: the link then gets an IPv6 address inside ${link.iface} and an IPv6 session of its own`
          : `add an IPv6 address to ${link.iface}, or run an IPv6 session`,
      });
    }
    if (own === 6) {
      const first = enheOn.get(link.iface);
      if (first !== undefined) {
        diags.error('unusable-next-hop', at, `neighbors ${first} and ${n.address} both carry IPv4 over IPv6 on ${link.iface}${via}: FRR installs such routes through 169.254.0.1 with one MAC per interface (the peer it last heard a router advertisement from), so one peer's IPv4 routes would be sent to the other`, {
          expected: 'one neighbor carrying IPv4 over IPv6 per interface (a point-to-point link)',
          hint: 'run IPv4 sessions on a shared LAN, or give each such peer a link of its own (a VLAN)',
        });
      } else enheOn.set(link.iface, n.address);
    }
  }
}

/**
 * Across routers: a family is exchanged only when both ends activate it (FRR
 * negotiates it in the OPEN), so a rendered peer that does not carry it back
 * leaves the session up and the family silently empty.
 */
export function checkOtherFamilyAcross(intents: readonly RouterIntent[], diags: Diagnostics): void {
  const carrying = intents.filter((i) => {
    if (!i.bgp) return false;
    const groups = groupsOf(i);
    return i.bgp.neighbors.some((n) => carriesOther(n, groups));
  });
  if (carrying.length === 0) return;
  const owner = new Map<string, { router: RouterIntent; link: Link }>();
  for (const i of intents) for (const l of links(i)) for (const a of l.addresses) owner.set(a.split('/')[0]!, { router: i, link: l });
  for (const i of carrying) {
    const groups = groupsOf(i);
    for (const n of i.bgp!.neighbors) {
      if (!carriesOther(n, groups)) continue;
      const peer = owner.get(n.address);
      if (!peer || peer.router === i || !peer.router.bgp) continue;
      const mine = links(i).flatMap((l) => l.addresses).find((a) => familyOf(a) === familyOf(n.address) && containsIp(parseIp(a), parseIp(n.address)))?.split('/')[0];
      const back = mine !== undefined ? peer.router.bgp.neighbors.find((b) => b.address === mine) : undefined;
      if (back && !carriesOther(back, groupsOf(peer.router))) {
        const other = familyOf(n.address) === 4 ? 'IPv6' : 'IPv4';
        diags.warn('family-not-carried', n.path ?? ['routers', i.name, 'bgp', 'neighbors', n.address], `router ${shown(i.name)} carries ${other} over its session to ${shown(peer.router.name)} (${n.address}), but ${shown(peer.router.name)} does not carry it on its session to ${mine}: the family is exchanged only when both ends activate it`, {
          at: 'key',
          expected: `${other === 'IPv6' ? 'ipv6_unicast' : 'ipv4_unicast'} on both ends`,
          hint: `add ${other === 'IPv6' ? 'ipv6_unicast' : 'ipv4_unicast'}: true to routers.${peer.router.name}.bgp.neighbors.${mine}`,
        });
      }
    }
  }
}

function groupsOf(i: RouterIntent): Map<string, SessionOptions> {
  return new Map((i.bgp?.peerGroups ?? []).map((g) => [g.name, g]));
}

/** Whether a neighbor (or its peer-group) carries the other family than its address's. */
export function carriesOther(n: NeighborIntent, groups: ReadonlyMap<string, SessionOptions>): boolean {
  const g = n.peerGroup !== undefined ? groups.get(n.peerGroup) : undefined;
  // Most sessions name no address family at all: their address is not parsed.
  if (!n.addressFamilies && !g?.addressFamilies) return false;
  const want = OTHER[familyOf(n.address)];
  return n.addressFamilies?.some((b) => b.af === want) === true || g?.addressFamilies?.some((b) => b.af === want) === true;
}
