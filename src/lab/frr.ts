// Router facts -> FRR configuration, following VyOS's own rendering of
// `protocols bgp`, `policy` and `protocols static` (vyos-1x
// data/templates/frr/bgpd.frr.j2, policy.frr.j2, staticd.frr.j2): VyOS runs
// FRR with the traditional profile and always writes `no bgp
// ebgp-requires-policy` (unless asked), `no bgp default ipv4-unicast`, `no
// bgp network import-check`, `no neighbor X enforce-first-as`, and an
// explicit `activate` per neighbor. A reference to a route-map or
// prefix-list that does not exist is refused, as VyOS's commit refuses it.
import { effective, type Bgp, type Neighbor, type RouterFacts } from './facts.js';

export class TranslateError extends Error {
  constructor(
    readonly router: string,
    readonly problems: string[],
  ) {
    super(`${router}: ${problems.join('; ')}`);
  }
}

export interface FrrConfig {
  bgpd: string;
  staticd: string;
}

function checkReferences(f: RouterFacts): string[] {
  const problems: string[] = [];
  const rm = (name: string | undefined, where: string) => {
    if (name !== undefined && !f.routeMaps.has(name)) problems.push(`route-map ${name} is referenced by ${where} but not defined (VyOS refuses the commit)`);
  };
  const pl = (name: string | undefined, where: string) => {
    if (name !== undefined && !f.prefixLists.has(name)) problems.push(`prefix-list ${name} is referenced by ${where} but not defined (VyOS refuses the commit)`);
  };
  const pl6 = (name: string | undefined, where: string) => {
    if (name !== undefined && !f.prefixLists6.has(name)) problems.push(`prefix-list6 ${name} is referenced by ${where} but not defined (VyOS refuses the commit)`);
  };
  for (const [name, rules] of f.routeMaps) for (const r of rules) pl(r.matchPrefixList, `route-map ${name} rule ${r.seq}`);
  for (const [name, rules] of f.routeMaps) for (const r of rules) pl6(r.matchPrefixList6, `route-map ${name} rule ${r.seq}`);
  for (const [kind, lists] of [['prefix-list', f.prefixLists], ['prefix-list6', f.prefixLists6]] as const)
    for (const [name, rules] of lists) for (const r of rules) if (r.prefix === undefined) problems.push(`${kind} ${name} rule ${r.seq} has no prefix`);
  const b = f.bgp;
  if (b) {
    for (const n of b.networks) rm(n.routeMap, `network ${n.prefix}`);
    for (const r of b.redistribute) rm(r.routeMap, `redistribute ${r.protocol}`);
    for (const n of b.networks6) rm(n.routeMap, `network ${n.prefix}`);
    for (const r of b.redistribute6) rm(r.routeMap, `ipv6 redistribute ${r.protocol}`);
    for (const n of [...b.peerGroups.values()].map((g) => ({ ...g, address: `peer-group ${g.address}` })).concat([...b.neighbors.values()])) {
      const group = n.address.startsWith('peer-group ');
      const who = group ? n.address : `neighbor ${n.address}`;
      if (!group && n.peerGroup !== undefined && !b.peerGroups.has(n.peerGroup)) problems.push(`neighbor ${n.address} names peer-group ${n.peerGroup}, which is not defined (VyOS refuses the commit)`);
      if (!group && effective(b, n).remoteAs === undefined) problems.push(`neighbor ${n.address} has no remote-as`);
      rm(n.routeMapIn, `${who} import`);
      rm(n.routeMapOut, `${who} export`);
      pl(n.prefixListIn, `${who} import`);
      pl(n.prefixListOut, `${who} export`);
      rm(n.v6?.routeMapIn, `${who} ipv6 import`);
      rm(n.v6?.routeMapOut, `${who} ipv6 export`);
      pl6(n.v6?.prefixListIn, `${who} ipv6 import`);
      pl6(n.v6?.prefixListOut, `${who} ipv6 export`);
    }
  }
  return problems;
}

function policyLines(f: RouterFacts): string[] {
  const out: string[] = [];
  for (const [ip, lists] of [['ip', f.prefixLists], ['ipv6', f.prefixLists6]] as const)
    for (const [name, rules] of lists) {
      for (const r of rules) out.push(`${ip} prefix-list ${name} seq ${r.seq} ${r.action} ${r.prefix}${r.ge !== undefined ? ` ge ${r.ge}` : ''}${r.le !== undefined ? ` le ${r.le}` : ''}`);
    }
  for (const [name, rules] of f.routeMaps) {
    for (const r of rules) {
      out.push(`route-map ${name} ${r.action} ${r.seq}`);
      if (r.matchPrefixList) out.push(` match ip address prefix-list ${r.matchPrefixList}`);
      if (r.matchPrefixList6) out.push(` match ipv6 address prefix-list ${r.matchPrefixList6}`);
      if (r.setMetric !== undefined) out.push(` set metric ${r.setMetric}`);
      if (r.setLocalPref !== undefined) out.push(` set local-preference ${r.setLocalPref}`);
      if (r.setPrepend !== undefined) out.push(` set as-path prepend ${r.setPrepend}`);
      out.push('exit');
    }
  }
  return out;
}

function bgpLines(b: Bgp, secret: (text: string) => string): string[] {
  const out = [`router bgp ${b.asn}`, ' no bgp ebgp-requires-policy', ' no bgp default ipv4-unicast', ' no bgp network import-check'];
  if (b.routerId) out.push(` bgp router-id ${b.routerId}`);
  if (b.logNeighborChanges) out.push(' bgp log-neighbor-changes');
  if (b.keepalive !== undefined && b.holdtime !== undefined) out.push(` timers bgp ${b.keepalive} ${b.holdtime}`);
  // VyOS writes the peer-groups first, then the neighbors (bgpd.frr.j2's bgp_neighbor macro for both).
  const peers = [...[...b.peerGroups.values()].map((n) => ({ n, group: true })), ...[...b.neighbors.values()].map((n) => ({ n, group: false }))];
  for (const { n, group } of peers) {
    if (group) out.push(` neighbor ${n.address} peer-group`);
    else if (n.peerGroup !== undefined) out.push(` neighbor ${n.address} peer-group ${n.peerGroup}`);
    if (n.remoteAs !== undefined) out.push(` neighbor ${n.address} remote-as ${n.remoteAs}`);
    if (n.capabilityDynamic) out.push(` neighbor ${n.address} capability dynamic`);
    if (n.extendedNexthop) out.push(` neighbor ${n.address} capability extended-nexthop`);
    if (n.description) out.push(` neighbor ${n.address} description ${n.description}`);
    if (n.ebgpMultihop !== undefined) out.push(` neighbor ${n.address} ebgp-multihop ${n.ebgpMultihop}`);
    if (n.password !== undefined) out.push(` neighbor ${n.address} password ${secret(n.password)}`);
    if (n.shutdown) out.push(` neighbor ${n.address} shutdown`);
    if (!group) out.push(` no neighbor ${n.address} enforce-first-as`);
    if (n.keepalive !== undefined && n.holdtime !== undefined) out.push(` neighbor ${n.address} timers ${n.keepalive} ${n.holdtime}`);
    if (n.updateSource) out.push(` neighbor ${n.address} update-source ${n.updateSource}`);
  }
  // VyOS writes one address-family block per family the neighbor has lines for.
  // A neighbor with no IPv6 lines keeps the IPv4 family (the lab's reading
  // of the IPv4-only renders); one with only IPv6 lines is IPv6 only.
  out.push(' address-family ipv4 unicast');
  for (const r of b.redistribute) out.push(`  redistribute ${r.protocol}${r.metric !== undefined ? ` metric ${r.metric}` : ''}${r.routeMap ? ` route-map ${r.routeMap}` : ''}`);
  for (const n of b.networks) out.push(`  network ${n.prefix}${n.routeMap ? ` route-map ${n.routeMap}` : ''}`);
  for (const { n, group } of peers) {
    // A member without address-family lines of its own is activated by its group.
    if (!inV4(b, n, group)) continue;
    afLines(out, n.address, n);
  }
  const six = peers.filter(({ n }) => n.v6 !== undefined);
  if (six.length > 0 || b.networks6.length > 0 || b.redistribute6.length > 0) {
    out.push(' exit-address-family', ' address-family ipv6 unicast');
    for (const r of b.redistribute6) out.push(`  redistribute ${r.protocol}${r.metric !== undefined ? ` metric ${r.metric}` : ''}${r.routeMap ? ` route-map ${r.routeMap}` : ''}`);
    for (const n of b.networks6) out.push(`  network ${n.prefix}${n.routeMap ? ` route-map ${n.routeMap}` : ''}`);
    for (const { n } of six) afLines(out, n.address, { ...n.v6!, nexthopSelf: n.v6!.nexthopSelf === true, softInbound: n.v6!.softInbound === true });
  }
  out.push(' exit-address-family', 'exit');
  return out;
}

/** Whether VyOS activates a neighbor (or a peer-group) in IPv4 unicast itself; a member without address-family lines of its own is activated by its group. */
// On 1.3 an IPv6 neighbor with a remote-as is activated in IPv4 too (an IPv4 one is anyway).
const inV4 = (b: Bgp, n: Neighbor, group: boolean) =>
  n.af === true || (b.activatesEveryRemoteAs === true && !group && n.remoteAs !== undefined && n.address.includes(':')) || (n.v6 === undefined && (group || n.peerGroup === undefined));

/**
 * The families a neighbor's session carries in FRR: those it is activated in,
 * and those its peer-group is (FRR binds a member in every family of its
 * group). The lab's checks follow each family over the sessions that carry it.
 */
export function familiesOf(b: Bgp, n: Neighbor): (4 | 6)[] {
  const g = n.peerGroup !== undefined ? b.peerGroups.get(n.peerGroup) : undefined;
  const out: (4 | 6)[] = [];
  if (inV4(b, n, false) || (g !== undefined && inV4(b, g, true))) out.push(4);
  if (n.v6 !== undefined || g?.v6 !== undefined) out.push(6);
  return out;
}

/** One neighbor's lines inside an address-family block, in vyos-1x's order. */
function afLines(out: string[], address: string, n: Pick<Neighbor, 'nexthopSelf' | 'routeMapOut' | 'routeMapIn' | 'prefixListOut' | 'prefixListIn' | 'softInbound' | 'maximumPrefix' | 'weight'>): void {
  if (n.nexthopSelf) out.push(`  neighbor ${address} next-hop-self`);
  if (n.routeMapOut) out.push(`  neighbor ${address} route-map ${n.routeMapOut} out`);
  if (n.routeMapIn) out.push(`  neighbor ${address} route-map ${n.routeMapIn} in`);
  if (n.prefixListOut) out.push(`  neighbor ${address} prefix-list ${n.prefixListOut} out`);
  if (n.prefixListIn) out.push(`  neighbor ${address} prefix-list ${n.prefixListIn} in`);
  if (n.softInbound) out.push(`  neighbor ${address} soft-reconfiguration inbound`);
  if (n.maximumPrefix !== undefined) out.push(`  neighbor ${address} maximum-prefix ${n.maximumPrefix}`);
  if (n.weight !== undefined) out.push(`  neighbor ${address} weight ${n.weight}`);
  out.push(`  neighbor ${address} activate`);
}

/** The key text of a `password` line: the lab never writes it, only a test secret in its place. */
const NO_SECRETS = (): string => {
  throw new Error('a BGP password needs a test secret');
};

export function translate(f: RouterFacts, logFile?: string, secret: (text: string) => string = NO_SECRETS): FrrConfig {
  const problems = checkReferences(f);
  if (problems.length > 0) throw new TranslateError(f.header.router, problems);
  const head = ['frr defaults traditional', `hostname ${f.hostname ?? f.header.router}`, ...(logFile ? [`log file ${logFile}`] : []), '!'];
  const bgpd = [...head, ...policyLines(f), ...(f.bgp ? bgpLines(f.bgp, secret) : []), ''].join('\n');
  const statics = f.statics.map((s) => `${s.prefix.includes(':') ? 'ipv6' : 'ip'} route ${s.prefix} ${s.blackhole ? 'blackhole' : (s.nextHop ?? s.iface)}${s.distance !== undefined ? ` ${s.distance}` : ''}`);
  const staticd = [...head, ...statics, ''].join('\n');
  return { bgpd, staticd };
}
