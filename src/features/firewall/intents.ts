// The finished router intents -> each router's firewall: the forward chain
// with the rules of the roles that have a network at the router, and the
// local chain (router protection) opened exactly for the sessions the other
// features derived (IPsec peers, GRE tunnels, BGP neighbors, VRRP, Serf).
import { shown, type Diagnostics } from '../../diagnostics.js';
import { parsePrefix, type Prefix } from '../../net/ipv4.js';
import type { RouterIntent } from '../../model/intent.js';
import type { Site } from '../../model/topology.js';
import type { FailoverIntent } from '../failover/model.js';
import { ROLE_DEFAULTS_FIRST } from './normalize.js';
import { aggregate } from './aggregate.js';
import type { RoleIndex } from './role-index.js';
import type { FirewallIntent, FirewallModel, FirewallRule, FwChainIntent, FwRole, FwRuleIntent } from './model.js';

// Not VYGEN-FORWARD: 1.3 refuses a rule-set name containing FORWARD, INPUT or OUTPUT.
export const FORWARD_CHAIN = 'VYGEN-ROLE-POLICY';
export const LOCAL_CHAIN = 'VYGEN-LOCAL';
const ALL_ROLES = 'VYGEN-ROLES';
const VRRP_MULTICAST = '224.0.0.18';

export function groupName(role: string): string {
  return `ROLE-${role.toUpperCase()}`;
}

/** Prefixes at the router: its site's networks and its interfaces' subnets. */
function localPrefixes(intent: RouterIntent, site: Site | undefined): Prefix[] {
  const out: Prefix[] = [];
  for (const c of site?.connected ?? []) out.push(c.prefix);
  for (const s of site?.statics ?? []) out.push(s.prefix);
  for (const e of intent.ethernet) {
    for (const a of [...e.addresses, ...(e.vifs ?? []).flatMap((v) => v.addresses)]) if (a !== 'dhcp') out.push(parsePrefix(a));
  }
  return out;
}

export function localRoles(fw: FirewallModel, index: RoleIndex, intent: RouterIntent, site: Site | undefined): FwRole[] {
  const here = new Set(localPrefixes(intent, site).flatMap((p) => index.touching(p)));
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

function forwardChain(fw: FirewallModel, local: readonly FwRole[]): FwChainIntent {
  const here = new Set(local.map((r) => r.name));
  const rules: FwRuleIntent[] = [...STATE_RULES, ...fw.rules.filter((r) => here.has(r.from) || here.has(r.to)).map(userRule)];
  for (const role of local) {
    const g = groupName(role.name);
    const n = ROLE_DEFAULTS_FIRST + role.index * 10;
    rules.push(
      { number: n, action: 'accept', description: `within role ${role.name}`, sourceNetworkGroup: g, destinationNetworkGroup: g },
      { number: n + 1, action: 'drop', description: `default deny from role ${role.name}`, sourceNetworkGroup: g, destinationNetworkGroup: ALL_ROLES },
      { number: n + 2, action: 'drop', description: `default deny to role ${role.name}`, sourceNetworkGroup: ALL_ROLES, destinationNetworkGroup: g },
    );
  }
  return { name: FORWARD_CHAIN, description: 'traffic between roles (vygen)', defaultAction: 'accept', defaultLog: false, rules };
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

function sessions(intent: RouterIntent, failovers: readonly FailoverIntent[]): Sessions {
  const groups = intent.vrrp?.groups ?? [];
  return {
    ipsec: unique((intent.ipsec?.peers ?? []).map((p) => p.remoteAddress)),
    gre: unique(intent.tunnels.map((t) => t.remote)),
    bgp: unique((intent.bgp?.neighbors ?? []).map((n) => n.address)),
    bfd: unique((intent.bgp?.neighbors ?? []).filter((n) => n.bfd).map((n) => n.address)),
    vrrp: unique(groups.flatMap((g) => g.unicast?.peers ?? [])),
    vrrpMulticast: groups.some((g) => !g.unicast),
    serf: unique(failovers.filter((f) => f.router === intent.name && f.serf).flatMap((f) => f.serf!.join)),
  };
}

function localChain(fw: FirewallModel, s: Sessions, groups: FirewallIntent['addressGroups']): FwChainIntent {
  const rules: FwRuleIntent[] = [...STATE_RULES];
  const from = (name: string, addresses: string[], description: string): string | undefined => {
    if (addresses.length === 0) return undefined;
    groups.push({ name, description, addresses });
    return name;
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
  if (s.vrrpMulticast) rules.push({ number: 51, action: 'accept', description: 'VRRP multicast', protocol: 'vrrp', destinationAddress: VRRP_MULTICAST });
  const serf = from('VYGEN-SERF-PEERS', s.serf, 'Serf agents of the site (vygen)');
  if (serf) rules.push({ number: 60, action: 'accept', description: 'Serf gossip from the site routers', protocol: 'tcp_udp', port: '7946', sourceAddressGroup: serf });
  if (fw.management !== undefined) {
    const g = groupName(fw.management);
    rules.push({ number: 70, action: 'accept', description: `SSH from role ${fw.management}`, protocol: 'tcp', port: '22', sourceNetworkGroup: g });
    rules.push({ number: 71, action: 'accept', description: `SNMP from role ${fw.management}`, protocol: 'udp', port: '161', sourceNetworkGroup: g });
  }
  rules.push({ number: 80, action: 'accept', description: 'ICMP, rate-limited', protocol: 'icmp', limitRate: `${fw.protection.icmpRate}/second` });
  return { name: LOCAL_CHAIN, description: 'traffic to the router (vygen)', defaultAction: 'drop', defaultLog: fw.protection.log, rules };
}

const allNetworks = new WeakMap<FirewallModel, string[]>();

/** Every role's networks, aggregated; the same list on every router, built once. */
function allRoleNetworks(fw: FirewallModel): string[] {
  let nets = allNetworks.get(fw);
  if (!nets) allNetworks.set(fw, (nets = aggregate(fw.roles.flatMap((r) => r.networks.map((n) => n.prefix)))));
  return nets;
}

export function buildFirewallIntent(fw: FirewallModel, index: RoleIndex, intent: RouterIntent, site: Site | undefined, failovers: readonly FailoverIntent[]): FirewallIntent | undefined {
  const local = localRoles(fw, index, intent, site);
  const protectedRouter = !fw.protection.except.has(intent.name);
  if (local.length === 0 && !protectedRouter) return undefined;
  const addressGroups: FirewallIntent['addressGroups'] = [];
  const forward = local.length ? forwardChain(fw, local) : undefined;
  const localChainIntent = protectedRouter ? localChain(fw, sessions(intent, failovers), addressGroups) : undefined;
  const used = new Set<string>();
  for (const chain of [forward, localChainIntent]) for (const r of chain?.rules ?? []) for (const g of [r.sourceNetworkGroup, r.destinationNetworkGroup]) if (g) used.add(g);
  const networkGroups = fw.roles
    .filter((r) => used.has(groupName(r.name)))
    .map((r) => ({ name: groupName(r.name), description: `role ${r.name} (vygen)`, networks: r.networks.map((n) => n.prefix.network) }));
  if (used.has(ALL_ROLES)) networkGroups.push({ name: ALL_ROLES, description: 'every role (vygen)', networks: allRoleNetworks(fw) });
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
    interfaces,
    forwardName: FORWARD_CHAIN,
    localName: LOCAL_CHAIN,
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
    ...intent.tunnels.map((t) => t.address),
    ...intent.vtis.flatMap((v) => (v.address ? [v.address] : [])),
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
