// The finished router intents -> each router's firewall: the forward chain
// with the rules of the roles that have a network at the router, and the
// local chain (router protection) opened exactly for the sessions the other
// features derived (IPsec peers, GRE tunnels, BGP neighbors, VRRP, Serf).
import { shown, type Diagnostics } from '../../diagnostics.js';
import { familyOf, parseIp, type IpPrefix } from '../../net/ip.js';
import { parsePrefix, type Prefix } from '../../net/ipv4.js';
import type { RouterIntent } from '../../model/intent.js';
import type { Site } from '../../model/topology.js';
import type { FailoverIntent } from '../failover/model.js';
import { ROLE_DEFAULTS_FIRST } from './normalize.js';
import { aggregate, aggregate6 } from './aggregate.js';
import type { Site6 } from '../dual-stack/model.js';
import type { RoleIndex } from './role-index.js';
import type { FirewallIntent, FirewallModel, FirewallRule, FwChainIntent, FwRole, FwRuleIntent } from './model.js';

// Not VYGEN-FORWARD: 1.3 refuses a rule-set name containing FORWARD, INPUT or OUTPUT.
export const FORWARD_CHAIN = 'VYGEN-ROLE-POLICY';
export const LOCAL_CHAIN = 'VYGEN-LOCAL';
// Own names for the IPv6 rule sets and groups: 1.3 keeps every group in one
// namespace (ipset), and a diff reads clearer with the family in the name.
export const FORWARD_CHAIN6 = 'VYGEN-ROLE-POLICY6';
export const LOCAL_CHAIN6 = 'VYGEN-LOCAL6';
const ALL_ROLES = 'VYGEN-ROLES';
const ALL_ROLES6 = 'VYGEN-ROLES6';
const VRRP_MULTICAST = '224.0.0.18';
const VRRP_MULTICAST6 = 'ff02::12';
/** The /etc/protocols name: both 1.3 and 1.4+ take it. */
const ICMPV6 = 'ipv6-icmp';

export function groupName(role: string): string {
  return `ROLE-${role.toUpperCase()}`;
}

/** R6-, not ROLE6-: a role name of 26 characters must still fit 1.3's 31 for a group name. */
export function groupName6(role: string): string {
  return `R6-${role.toUpperCase()}`;
}

const ethernetAddresses = (intent: RouterIntent): string[] =>
  intent.ethernet.flatMap((e) => [...e.addresses, ...(e.vifs ?? []).flatMap((v) => v.addresses)]).filter((a) => a !== 'dhcp');

/** Prefixes at the router: its site's networks and its interfaces' subnets. */
function localPrefixes(intent: RouterIntent, site: Site | undefined): Prefix[] {
  const out: Prefix[] = [];
  for (const c of site?.connected ?? []) out.push(c.prefix);
  for (const s of site?.statics ?? []) out.push(s.prefix);
  for (const a of ethernetAddresses(intent)) if (familyOf(a) === 4) out.push(parsePrefix(a));
  return out;
}

function localPrefixes6(intent: RouterIntent, site6: Site6 | undefined): IpPrefix[] {
  return [
    ...(site6?.connected ?? []).map((c) => c.prefix),
    ...(site6?.statics ?? []).map((s) => s.prefix),
    ...ethernetAddresses(intent).filter((a) => familyOf(a) === 6).map(parseIp),
  ];
}

/** Whether the router has an IPv6 address at all: only then does it get IPv6 rule sets. */
export function hasIpv6(intent: RouterIntent): boolean {
  const all = [
    ...ethernetAddresses(intent),
    ...intent.loopbacks.flatMap((l) => l.addresses),
    ...intent.tunnels.flatMap((t) => [t.address, ...(t.moreAddresses ?? [])]),
    ...intent.vtis.flatMap((v) => [...(v.address ? [v.address] : []), ...(v.moreAddresses ?? [])]),
  ];
  return all.some((a) => familyOf(a) === 6);
}

export function localRoles(fw: FirewallModel, index: RoleIndex, intent: RouterIntent, site: Site | undefined): FwRole[] {
  const here = new Set(localPrefixes(intent, site).flatMap((p) => index.touching(p)));
  return fw.roles.filter((r) => here.has(r));
}

function localRoles6(fw: FirewallModel, index: RoleIndex, intent: RouterIntent, site6: Site6 | undefined): FwRole[] {
  const here = new Set(localPrefixes6(intent, site6).flatMap((p) => index.touching6(p)));
  return fw.roles.filter((r) => here.has(r));
}

function userRule(r: FirewallRule): FwRuleIntent {
  return {
    number: r.number,
    action: r.action,
    ...(r.description !== undefined ? { description: r.description } : {}),
    ...(r.protocol !== 'any' ? { protocol: r.protocol } : {}),
    ...(r.ports.length ? { port: r.ports.join(',') } : {}),
    sourceNetworkGroup: groupName(r.from),
    destinationNetworkGroup: groupName(r.to),
  };
}

const STATE_RULES: FwRuleIntent[] = [
  { number: 1, action: 'accept', description: 'return traffic', states: ['established', 'related'] },
  { number: 2, action: 'drop', description: 'invalid packets', states: ['invalid'] },
];

/** Per role at the router: accept within it, drop to and from every other role (numbers pinned by the role's index). */
function roleDefaults(local: readonly FwRole[], group: (role: string) => string, all: string): FwRuleIntent[] {
  return local.flatMap((role) => {
    const g = group(role.name);
    const n = ROLE_DEFAULTS_FIRST + role.index * 10;
    return [
      { number: n, action: 'accept', description: `within role ${role.name}`, sourceNetworkGroup: g, destinationNetworkGroup: g },
      { number: n + 1, action: 'drop', description: `default deny from role ${role.name}`, sourceNetworkGroup: g, destinationNetworkGroup: all },
      { number: n + 2, action: 'drop', description: `default deny to role ${role.name}`, sourceNetworkGroup: all, destinationNetworkGroup: g },
    ];
  });
}

function forwardChain(fw: FirewallModel, local: readonly FwRole[]): FwChainIntent {
  const here = new Set(local.map((r) => r.name));
  const rules: FwRuleIntent[] = [...STATE_RULES, ...fw.rules.filter((r) => here.has(r.from) || here.has(r.to)).map(userRule)];
  rules.push(...roleDefaults(local, groupName, ALL_ROLES));
  return { name: FORWARD_CHAIN, description: 'traffic between roles (vygen)', defaultAction: 'accept', defaultLog: false, rules };
}

/**
 * The IPv6 policy: the same rules, between the roles' IPv6 networks. A rule
 * applies in IPv6 where both its roles hold IPv6 networks (a role without any
 * has nothing to match) and one of them is at the router. Packet-too-big is
 * let through whatever the roles: a router on the path sends it from its own
 * address, and without it a role's hosts lose path MTU discovery (IPv6 routers
 * do not fragment). It comes before the drop of `invalid`: a packet-too-big
 * about a flow this router has no conntrack entry for (the other router of a
 * pair carried its start) is `invalid`, not `related`.
 */
function forwardChain6(fw: FirewallModel, local: readonly FwRole[]): FwChainIntent {
  const here = new Set(local.map((r) => r.name));
  const v6 = new Set(fw.roles.filter((r) => r.networks6.length).map((r) => r.name));
  const rules: FwRuleIntent[] = [
    STATE_RULES[0]!,
    { number: 2, action: 'accept', description: 'ICMPv6 packet too big (path MTU)', protocol: ICMPV6, icmpv6Type: 2 },
    { ...STATE_RULES[1]!, number: 3 },
    ...fw.rules
      .filter((r) => v6.has(r.from) && v6.has(r.to) && (here.has(r.from) || here.has(r.to)))
      .map((r) => ({ ...userRule(r), sourceNetworkGroup: groupName6(r.from), destinationNetworkGroup: groupName6(r.to) })),
  ];
  rules.push(...roleDefaults(local, groupName6, ALL_ROLES6));
  return { name: FORWARD_CHAIN6, ipv6: true, description: 'IPv6 traffic between roles (vygen)', defaultAction: 'accept', defaultLog: false, rules };
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

interface Sessions {
  ipsec: string[];
  gre: string[];
  bgp: string[];
  bfd: string[];
  vrrp: string[];
  vrrpMulticast: boolean;
  serf: string[];
}

/** The router's sessions of one family (a peer's address says its family; a VRRP group's first address says the group's). */
function sessions(intent: RouterIntent, failovers: readonly FailoverIntent[], family: 4 | 6): Sessions {
  const groups = (intent.vrrp?.groups ?? []).filter((g) => (g.addresses[0] !== undefined ? familyOf(g.addresses[0]) : 4) === family);
  const of = (values: Iterable<string>) => unique([...values].filter((a) => familyOf(a) === family));
  return {
    ipsec: of((intent.ipsec?.peers ?? []).map((p) => p.remoteAddress)),
    gre: of(intent.tunnels.map((t) => t.remote)),
    bgp: of((intent.bgp?.neighbors ?? []).map((n) => n.address)),
    bfd: of((intent.bgp?.neighbors ?? []).filter((n) => n.bfd).map((n) => n.address)),
    vrrp: of(groups.flatMap((g) => g.unicast?.peers ?? [])),
    vrrpMulticast: groups.some((g) => !g.unicast),
    serf: of(failovers.filter((f) => f.router === intent.name && f.serf).flatMap((f) => f.serf!.join)),
  };
}

function localChain(fw: FirewallModel, s: Sessions, groups: FirewallIntent['addressGroups'], family: 4 | 6 = 4): FwChainIntent {
  const v6 = family === 6;
  const rules: FwRuleIntent[] = [...STATE_RULES];
  const from = (name: string, addresses: string[], description: string): string | undefined => {
    if (addresses.length === 0) return undefined;
    const g = v6 ? `${name}6` : name;
    groups.push({ name: g, description: v6 ? `${description.replace(/ \(vygen\)$/, '')}, IPv6 (vygen)` : description, addresses, ...(v6 ? { ipv6: true as const } : {}) });
    return g;
  };
  const ipsec = from('VYGEN-IPSEC-PEERS', s.ipsec, 'IPsec peers (vygen)');
  if (ipsec) {
    rules.push({ number: 10, action: 'accept', description: 'IKE and NAT-T from IPsec peers', protocol: 'udp', port: '500,4500', sourceAddressGroup: ipsec });
    rules.push({ number: 20, action: 'accept', description: 'ESP from IPsec peers', protocol: 'esp', sourceAddressGroup: ipsec });
  }
  const gre = from('VYGEN-GRE-PEERS', s.gre, 'GRE tunnel endpoints (vygen)');
  if (gre) rules.push({ number: 30, action: 'accept', description: 'GRE from tunnel endpoints, inside IPsec', protocol: 'gre', sourceAddressGroup: gre, matchIpsec: true });
  const bgp = from('VYGEN-BGP-PEERS', s.bgp, 'BGP neighbors (vygen)');
  if (bgp) rules.push({ number: 40, action: 'accept', description: 'BGP from neighbors', protocol: 'tcp', port: '179', sourceAddressGroup: bgp });
  const bfd = from('VYGEN-BFD-PEERS', s.bfd, 'BFD peers (vygen)');
  if (bfd) rules.push({ number: 41, action: 'accept', description: 'BFD from neighbors', protocol: 'udp', port: '3784,3785', sourceAddressGroup: bfd });
  const vrrp = from('VYGEN-VRRP-PEERS', s.vrrp, 'VRRP unicast peers (vygen)');
  if (vrrp) rules.push({ number: 50, action: 'accept', description: 'VRRP from unicast peers', protocol: 'vrrp', sourceAddressGroup: vrrp });
  if (s.vrrpMulticast) rules.push({ number: 51, action: 'accept', description: 'VRRP multicast', protocol: 'vrrp', destinationAddress: v6 ? VRRP_MULTICAST6 : VRRP_MULTICAST });
  const serf = from('VYGEN-SERF-PEERS', s.serf, 'Serf agents of the site (vygen)');
  if (serf) rules.push({ number: 60, action: 'accept', description: 'Serf gossip from the site routers', protocol: 'tcp_udp', port: '7946', sourceAddressGroup: serf });
  const management = fw.management !== undefined && (!v6 || fw.roles.some((r) => r.name === fw.management && r.networks6.length)) ? fw.management : undefined;
  if (management !== undefined) {
    const g = v6 ? groupName6(management) : groupName(management);
    rules.push({ number: 70, action: 'accept', description: `SSH from role ${management}`, protocol: 'tcp', port: '22', sourceNetworkGroup: g });
    rules.push({ number: 71, action: 'accept', description: `SNMP from role ${management}`, protocol: 'udp', port: '161', sourceNetworkGroup: g });
  }
  if (!v6) {
    rules.push({ number: 80, action: 'accept', description: 'ICMP, rate-limited', protocol: 'icmp', limitRate: `${fw.protection.icmpRate}/second` });
    return { name: LOCAL_CHAIN, description: 'traffic to the router (vygen)', defaultAction: 'drop', defaultLog: fw.protection.log, rules };
  }
  rules.push({ number: 80, action: 'accept', description: 'ICMPv6 echo request, rate-limited', protocol: ICMPV6, icmpv6Type: 128, limitRate: `${fw.protection.icmpRate}/second` });
  ICMPV6_ESSENTIALS.forEach(([type, what], i) => rules.push({ number: 81 + i, action: 'accept', description: `ICMPv6 ${what}`, protocol: ICMPV6, icmpv6Type: type }));
  return { name: LOCAL_CHAIN6, ipv6: true, description: 'IPv6 traffic to the router (vygen)', defaultAction: 'drop', defaultLog: fw.protection.log, rules };
}

/**
 * What IPv6 cannot work without (RFC 4890 4.4.1): error messages (path MTU
 * discovery needs packet-too-big: no router fragments), neighbour discovery,
 * which replaces ARP (dropping it cuts every IPv6 session), and multicast
 * listener discovery (a switch snooping MLD stops sending the router the
 * VRRP multicast group ff02::12 when the router stops answering its queries).
 * Neighbour and listener discovery are `untracked` to conntrack, so the drop
 * of `invalid` before them does not take them.
 */
const ICMPV6_ESSENTIALS: readonly [number, string][] = [
  [1, 'destination unreachable'],
  [2, 'packet too big (path MTU)'],
  [3, 'time exceeded'],
  [4, 'parameter problem'],
  [130, 'multicast listener query'],
  [131, 'multicast listener report'],
  [132, 'multicast listener done'],
  [133, 'router solicitation'],
  [134, 'router advertisement'],
  [135, 'neighbor solicitation'],
  [136, 'neighbor advertisement'],
  [143, 'multicast listener report v2'],
];

const allNetworks = new WeakMap<FirewallModel, string[]>();

/** Every role's networks, aggregated; the same list on every router, built once. */
function allRoleNetworks(fw: FirewallModel): string[] {
  let nets = allNetworks.get(fw);
  if (!nets) allNetworks.set(fw, (nets = aggregate(fw.roles.flatMap((r) => r.networks.map((n) => n.prefix)))));
  return nets;
}

const allNetworks6 = new WeakMap<FirewallModel, string[]>();

function allRoleNetworks6(fw: FirewallModel): string[] {
  let nets = allNetworks6.get(fw);
  if (!nets) allNetworks6.set(fw, (nets = aggregate6(fw.roles.flatMap((r) => r.networks6.map((n) => n.prefix)))));
  return nets;
}

export function buildFirewallIntent(fw: FirewallModel, index: RoleIndex, intent: RouterIntent, site: Site | undefined, failovers: readonly FailoverIntent[], site6?: Site6): FirewallIntent | undefined {
  const local = localRoles(fw, index, intent, site);
  const ipv6 = hasIpv6(intent);
  const local6 = ipv6 ? localRoles6(fw, index, intent, site6) : [];
  const protectedRouter = !fw.protection.except.has(intent.name);
  if (local.length === 0 && local6.length === 0 && !protectedRouter) return undefined;
  const addressGroups: FirewallIntent['addressGroups'] = [];
  const forward = local.length ? forwardChain(fw, local) : undefined;
  const localChainIntent = protectedRouter ? localChain(fw, sessions(intent, failovers, 4), addressGroups) : undefined;
  const forward6 = local6.length ? forwardChain6(fw, local6) : undefined;
  const localChain6 = protectedRouter && ipv6 ? localChain(fw, sessions(intent, failovers, 6), addressGroups, 6) : undefined;
  const used = new Set<string>();
  for (const chain of [forward, localChainIntent, forward6, localChain6]) for (const r of chain?.rules ?? []) for (const g of [r.sourceNetworkGroup, r.destinationNetworkGroup]) if (g) used.add(g);
  const networkGroups: FirewallIntent['networkGroups'] = fw.roles
    .filter((r) => used.has(groupName(r.name)))
    .map((r) => ({ name: groupName(r.name), description: `role ${r.name} (vygen)`, networks: r.networks.map((n) => n.prefix.network) }));
  if (used.has(ALL_ROLES)) networkGroups.push({ name: ALL_ROLES, description: 'every role (vygen)', networks: allRoleNetworks(fw) });
  for (const r of fw.roles) {
    if (used.has(groupName6(r.name))) networkGroups.push({ name: groupName6(r.name), description: `role ${r.name}, IPv6 (vygen)`, networks: r.networks6.map((n) => n.prefix.network), ipv6: true });
  }
  if (used.has(ALL_ROLES6)) networkGroups.push({ name: ALL_ROLES6, description: 'every role, IPv6 (vygen)', networks: allRoleNetworks6(fw), ipv6: true });
  const interfaces: FirewallIntent['interfaces'] = [
    ...intent.ethernet.flatMap((e) => [{ type: 'ethernet' as const, name: e.name }, ...(e.vifs ?? []).map((v) => ({ type: 'ethernet' as const, name: e.name, vif: v.id }))]),
    ...intent.tunnels.map((t) => ({ type: 'tunnel' as const, name: t.name })),
    ...intent.vtis.map((v) => ({ type: 'vti' as const, name: v.name })),
  ];
  return {
    networkGroups,
    addressGroups,
    ...(forward ? { forward } : {}),
    ...(localChainIntent ? { local: localChainIntent } : {}),
    ...(forward6 ? { forward6 } : {}),
    ...(localChain6 ? { local6: localChain6 } : {}),
    interfaces,
    forwardName: FORWARD_CHAIN,
    localName: LOCAL_CHAIN,
    ...(ipv6 ? { forwardName6: FORWARD_CHAIN6, localName6: LOCAL_CHAIN6 } : {}),
  };
}

/** Whether `rule` can match a packet of `protocol` to `port`. */
function ruleMatches(rule: FirewallRule, protocol: string, port?: number): boolean {
  if (rule.protocol !== 'any' && rule.protocol !== protocol && !(rule.protocol === 'tcp_udp' && (protocol === 'tcp' || protocol === 'udp'))) return false;
  if (rule.ports.length === 0 || port === undefined) return true;
  return rule.ports.some((p) => {
    const [lo, hi] = p.split('-').map(Number) as [number, number | undefined];
    return port >= lo && port <= (hi ?? lo);
  });
}

/**
 * A deny between a role holding a router's address and a role holding one of
 * its peers would cut the router's own session wherever the traffic is
 * forwarded (and says the opposite of what the topology derives): refused.
 */
/** The drop and reject rules by their pair of roles ("from to"). */
export function deniesByPair(fw: FirewallModel): Map<string, FirewallRule[]> {
  const m = new Map<string, FirewallRule[]>();
  for (const r of fw.rules) if (r.action !== 'accept') m.set(`${r.from} ${r.to}`, [...(m.get(`${r.from} ${r.to}`) ?? []), r]);
  return m;
}

export function checkOwnSessions(denies: ReadonlyMap<string, FirewallRule[]>, index: RoleIndex, intent: RouterIntent, diags: Diagnostics, reported: Set<number>): void {
  if (denies.size === 0) return;
  const own = [
    ...intent.ethernet.flatMap((e) => [...e.addresses, ...(e.vifs ?? []).flatMap((v) => v.addresses)]),
    ...intent.loopbacks.flatMap((l) => l.addresses),
    ...intent.tunnels.flatMap((t) => [t.address, ...(t.moreAddresses ?? [])]),
    ...intent.vtis.flatMap((v) => [...(v.address ? [v.address] : []), ...(v.moreAddresses ?? [])]),
    // The public address a peer sees (an Elastic IP is no interface address).
    ...(intent.ipsec?.peers ?? []).flatMap((p) => (p.localId && /^\d+\.\d+\.\d+\.\d+$/.test(p.localId) ? [p.localId] : [])),
  ].filter((a) => a !== 'dhcp').map((a) => a.split('/')[0]!);
  const peers: { address: string; what: string; protocol: string; port?: number }[] = [
    ...(intent.bgp?.neighbors ?? []).map((n) => ({ address: n.address, what: 'BGP neighbor', protocol: 'tcp', port: 179 })),
    ...(intent.ipsec?.peers ?? []).flatMap((p) => [
      { address: p.remoteAddress, what: 'IKE peer', protocol: 'udp', port: 500 },
      { address: p.remoteAddress, what: 'IPsec peer (NAT-T)', protocol: 'udp', port: 4500 },
      { address: p.remoteAddress, what: 'IPsec peer (ESP)', protocol: 'esp' },
    ]),
    ...intent.tunnels.map((t) => ({ address: t.remote, what: 'GRE tunnel endpoint', protocol: 'gre' })),
    ...(intent.vrrp?.groups ?? []).flatMap((g) => (g.unicast?.peers ?? []).map((a) => ({ address: a, what: 'VRRP peer', protocol: 'vrrp' }))),
  ];
  // Roles are disjoint: each address is in one role at most.
  const ownRoles = new Set(own.flatMap((o) => index.roleOf(o)?.name ?? []));
  for (const p of peers) {
    const peerRole = index.roleOf(p.address)?.name;
    if (peerRole === undefined) continue;
    for (const ownRole of ownRoles) {
      // One diagnostic per rule: the first router it would cut is example enough.
      const rule = [...(denies.get(`${peerRole} ${ownRole}`) ?? []), ...(denies.get(`${ownRole} ${peerRole}`) ?? [])]
        .find((r) => !reported.has(r.number) && ruleMatches(r, p.protocol, p.port));
      if (!rule) continue;
      reported.add(rule.number);
      diags.error('firewall-cuts-session', rule.path, `rule ${rule.number} (${rule.action} ${rule.from} -> ${rule.to}) would cut router ${shown(intent.name)}'s session with its ${p.what} ${p.address}`, {
        expected: "a policy that leaves the routers' own sessions (BGP, IKE, ESP, GRE, VRRP) alone",
        found: `${p.address} in role ${shown(peerRole)}`,
        hint: 'narrow the role so it holds no router or peer address, or limit the rule to the protocol and ports it means',
      });
    }
  }
}
