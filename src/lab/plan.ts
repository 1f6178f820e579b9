// The lab network drawn from the routers' facts alone: one namespace per
// router; each GRE or VTI tunnel a veth pair carrying its inner addresses
// (paired by the shared subnet, since the machines have no GRE or xfrm); each
// subnet shared by routers' ethernet interfaces a bridge; a VTI or tunnel
// whose BGP neighbor is no rendered router leads to a cloud gateway, one
// namespace per gateway AS running bgpd and announcing a test VPC prefix.
import { parsePrefix, contains, type Prefix } from '../net/ipv4.js';
import { effective, type Neighbor, type RouterFacts } from './facts.js';
import { canonical, familyOf, inside, lengthOf, networkOf } from './addr.js';
import { parseIp } from '../net/ip.js';
import { familiesOf, translate } from './frr.js';
import { testSecrets } from './ipsec.js';
import { lanPeers, multihopGateways, sourceAddress, type Ctx, type Permitted } from './outside.js';

export type { End, Wire, Lan, NodeIface, LabNode } from './network.js';
import type { End, Lan, LabNode, Wire } from './network.js';

/** One configured BGP neighbor statement, with the node that owns its address. */
export interface Adjacency {
  node: string;
  address: string;
  remoteAs?: number;
  peer?: string;
  /** The local address the peer should name, when the peer owns one on the same medium. */
  localAddress?: string;
  medium?: string;
  /** A multihop session's media: the tunnels its static routes use; it survives while one is up. */
  over?: string[];
  /** For a multihop session of a router: the static route carrying it, and the interface of each medium in `over`. */
  overRoute?: { prefix: string; ifaces: string[] };
  holdtime: number;
  /** The address families the session carries (a session of one family may carry the other too). */
  families: (4 | 6)[];
}

export interface Origin {
  prefix: string;
  site: string;
  nodes: string[];
}

export interface Plan {
  nodes: LabNode[];
  wires: Wire[];
  lans: Lan[];
  adjacencies: Adjacency[];
  origins: Origin[];
  problems: string[];
  /** What the lab made up to run the files (a DHCP interface's address, a peer outside the topology). */
  notes: string[];
  /** Defects of the files that do not stop the lab from running (they fail it once it ran). */
  findings: string[];
  /** Address -> node that owns it. */
  owner: Map<string, string>;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,40}$/;

/** Files that cannot make one lab (a name that is not plain, a router twice). */
export class PlanError extends Error {}
/** RFC 2544 benchmarking space: never a real VPC, never one of the routers' subnets. */
const VPC_BASE = [198, 18];

function holdOf(f: RouterFacts, address: string): number {
  const raw = f.bgp?.neighbors.get(address);
  const n = raw && effective(f.bgp!, raw);
  // FRR's traditional profile (VyOS's) holds 180 s when nothing is set.
  return n?.holdtime ?? f.bgp?.holdtime ?? 180;
}

function addr(cidr: string): string {
  return cidr.slice(0, cidr.indexOf('/'));
}

/**
 * A DHCP interface's address in the lab: the IPsec local-address the router
 * names on it (VyOS's own lines say what the lease is expected to be), in
 * the length of a network the router announces containing it; else a test
 * address. FRR takes the router-id from it when none is set, as on the router.
 */
function dhcpAddress(f: RouterFacts, iface: string, k: number): { address: string; why: string } {
  const onIt = f.ipsec.some((l) => l.path.join(' ') === 'interface' && l.value === iface);
  const local = onIt ? f.ipsec.find((l) => l.path[0] === 'site-to-site' && l.path[1] === 'peer' && l.path[3] === 'local-address' && /^\d+\.\d+\.\d+\.\d+$/.test(l.value ?? ''))?.value : undefined;
  if (local) {
    const nets = (f.bgp?.networks ?? []).map((n) => parsePrefix(n.prefix)).filter((p) => contains(p, local) && p.length < 32);
    const len = nets.length > 0 ? Math.max(...nets.map((p) => p.length)) : 32;
    return { address: `${local}/${len}`, why: `the IPsec local-address on ${iface}` };
  }
  return { address: `198.19.${k}.2/24`, why: 'a test address' };
}

export function planLab(routers: RouterFacts[], secret: (text: string) => string = testSecrets()): Plan {
  const problems: string[] = [];
  const notes: string[] = [];
  const findings: string[] = [];
  const nodes: LabNode[] = [];
  const owner = new Map<string, string>();
  for (const f of routers) {
    const h = f.header;
    if (!NAME.test(h.router)) throw new PlanError(`${f.file}: router name ${JSON.stringify(h.router)} in the header is not a plain name (letters, digits, '-')`);
    if (nodes.some((n) => n.name === h.router)) throw new PlanError(`${f.file}: router ${h.router} appears in two files`);
    const config = translate(f, undefined, secret);
    const node: LabNode = { name: h.router, site: h.site, role: h.role, kind: 'router', config, ifaces: [], facts: f };
    if (f.bgp) node.asn = f.bgp.asn;
    nodes.push(node);
    for (const i of f.interfaces.values()) {
      const addresses = [...i.addresses];
      if (i.dhcp && addresses.length === 0) {
        const d = dhcpAddress(f, i.name, nodes.length - 1);
        addresses.push(d.address);
        notes.push(`${h.router} ${i.name} is \`address dhcp\`: the lab gives it ${d.address} (${d.why})`);
      }
      node.ifaces.push({ name: i.name, addresses, medium: i.kind === 'loopback' ? 'lo' : 'solo' });
      for (const a of addresses) {
        const prev = owner.get(addr(a));
        if (prev && prev !== h.router) problems.push(`address ${addr(a)} is on both ${prev} and ${h.router}`);
        owner.set(addr(a), h.router);
      }
    }
  }
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const wires: Wire[] = [];
  const lans: Lan[] = [];

  // Tunnels and VTIs pair by the subnet of their inner address.
  const tunnelNets = new Map<string, End[]>();
  const lanNets = new Map<string, End[]>();
  for (const n of nodes) {
    for (const fi of n.facts!.interfaces.values()) {
      const i = { ...fi, addresses: n.ifaces.find((x) => x.name === fi.name)!.addresses };
      const first = i.addresses[0];
      if (!first || i.kind === 'loopback') continue;
      const net = networkOf(first);
      const map = i.kind === 'tunnel' || i.kind === 'vti' ? tunnelNets : lanNets;
      const list = map.get(net) ?? [];
      list.push({ node: n.name, iface: i.name });
      map.set(net, list);
    }
  }
  const setMedium = (e: End, medium: string) => {
    const i = byName.get(e.node)!.ifaces.find((x) => x.name === e.iface)!;
    i.medium = medium;
  };
  const gatewayEnds: { end: End }[] = [];
  for (const [net, ends] of tunnelNets) {
    if (ends.length === 2) {
      const kind = byName.get(ends[0]!.node)!.facts!.interfaces.get(ends[0]!.iface)!.kind as 'tunnel' | 'vti';
      const w: Wire = { id: `${ends[0]!.node}:${ends[0]!.iface}`, kind, a: ends[0]!, b: ends[1]! };
      wires.push(w);
      setMedium(w.a, w.id);
      setMedium(w.b, w.id);
    } else if (ends.length === 1) gatewayEnds.push({ end: ends[0]! });
    else problems.push(`tunnel subnet ${net} is on ${ends.length} interfaces (${ends.map((e) => `${e.node}:${e.iface}`).join(', ')}); a tunnel has two ends`);
  }
  let lanCount = 0;
  for (const [net, ends] of lanNets) {
    if (ends.length < 2) continue;
    const l: Lan = { id: `lan${lanCount++}`, subnet: net, members: ends };
    lans.push(l);
    for (const e of ends) setMedium(e, l.id);
  }

  // Cloud gateways: a neighbor no rendered router owns, inside a tunnel
  // subnet only this router has. One gateway per AS: the VPN connections of
  // one virtual private gateway share its AS and choose among each other.
  const gateways = new Map<number, LabNode>();
  let vpcUsed = 0;
  // A gateway speaks each family it has a session of: it announces a test
  // network of that family (IPv6 from 2001:2::/48, RFC 5180's benchmarking
  // space), and runs with an IPv4 router-id of the VPC space either way.
  const gatewayIds = new Map<LabNode, number>();
  for (const { end } of gatewayEnds) {
    const r = byName.get(end.node)!;
    const nets = r.ifaces.find((i) => i.name === end.iface)!.addresses.map(networkOf);
    const nbs = [...(r.facts!.bgp?.neighbors.values() ?? [])].map((x) => effective(r.facts!.bgp!, x)).filter((x) => nets.some((net) => inside(net, x.address)) && !owner.has(x.address) && x.remoteAs !== undefined);
    const nb = nbs[0];
    if (!nb) {
      problems.push(`${end.node}:${end.iface} (${nets.join(', ')}) has no other end among the rendered routers and no BGP neighbor in it`);
      continue;
    }
    let gw = gateways.get(nb.remoteAs!);
    if (!gw) {
      const k = gateways.size;
      gw = { name: `gw-as${nb.remoteAs}`, site: `cloud-as${nb.remoteAs}`, role: 'gateway', kind: 'gateway', asn: nb.remoteAs!, config: { bgpd: '', staticd: '' }, ifaces: [] };
      gw.ifaces.push({ name: 'vpc0', addresses: [], medium: 'solo' });
      gatewayIds.set(gw, k);
      vpcUsed = k + 1;
      gateways.set(nb.remoteAs!, gw);
      nodes.push(gw);
      byName.set(gw.name, gw);
    }
    const k = gatewayIds.get(gw)!;
    const vpc0 = gw.ifaces[0]!;
    const gwIface = `c${gw.ifaces.length - 1}`;
    const mine = nbs.filter((x) => x.remoteAs === nb.remoteAs);
    gw.ifaces.push({ name: gwIface, addresses: mine.map((x) => `${x.address}/${lengthOf(nets.find((net) => inside(net, x.address))!)}`), medium: '' });
    for (const x of mine) {
      owner.set(x.address, gw.name);
      const vpc = familyOf(x.address) === 4 ? `${VPC_BASE[0]}.${VPC_BASE[1]}.${k}.1/24` : canonical(`2001:2:0:${k.toString(16)}::1/64`);
      if (!vpc0.addresses.includes(vpc)) vpc0.addresses.push(vpc);
    }
    const w: Wire = { id: `${end.node}:${end.iface}`, kind: 'cloud', a: end, b: { node: gw.name, iface: gwIface } };
    wires.push(w);
    setMedium(w.a, w.id);
    setMedium(w.b, w.id);
  }

  const taken: Prefix[] = [];
  // The test networks the lab makes up are IPv4: only IPv4 space can be taken from them.
  for (const n of nodes) {
    for (const i of n.ifaces) for (const a of i.addresses) if (familyOf(a) === 4) taken.push(parsePrefix(parsePrefix(a).network));
    for (const s of n.facts?.statics ?? []) if (s.prefix !== '0.0.0.0/0' && familyOf(s.prefix) === 4) taken.push(parsePrefix(s.prefix));
    for (const x of n.facts?.bgp?.networks ?? []) taken.push(parsePrefix(x.prefix));
  }
  const ctx: Ctx = { nodes, byName, owner, wires, lans, problems: findings, notes, secret, taken, vpc: { next: vpcUsed } };
  multihopGateways(ctx, importAccepts, importPermits);
  lanPeers(ctx);

  // Every configured neighbor, resolved to the node that owns its address.
  const adjacencies: Adjacency[] = [];
  // The connected subnet that holds an address: the longest, as the kernel routes (a /30 tunnel inside a /16 LAN).
  const connectedTo = (node: string, address: string): { medium: string; local: string } | undefined => {
    let best: { medium: string; local: string; length: number } | undefined;
    for (const i of byName.get(node)!.ifaces)
      for (const a of i.addresses) {
        const length = lengthOf(a);
        if (i.medium !== 'lo' && inside(a, address) && (!best || length > best.length)) best = { medium: i.medium, local: addr(a), length };
      }
    return best;
  };
  const mediumOf = (node: string, address: string): string | undefined => connectedTo(node, address)?.medium;
  for (const n of nodes) {
    if (n.kind !== 'router' || !n.facts!.bgp) continue;
    for (const raw of n.facts!.bgp.neighbors.values()) {
      const nb = effective(n.facts!.bgp, raw);
      const peer = owner.get(nb.address);
      const adj: Adjacency = { node: n.name, address: nb.address, holdtime: holdOf(n.facts!, nb.address), families: familiesOf(n.facts!.bgp, raw) };
      if (nb.remoteAs !== undefined) adj.remoteAs = nb.remoteAs;
      const medium = mediumOf(n.name, nb.address);
      if (medium) adj.medium = medium;
      else {
        const over = routedOver(n, nb.address, wires);
        if (over.length > 0) {
          adj.over = over.map((o) => o.medium);
          adj.overRoute = { prefix: over[0]!.prefix, ifaces: over.map((o) => o.iface) };
        }
      }
      if (peer) adj.peer = peer;
      const local = connectedTo(n.name, nb.address)?.local;
      if (local !== undefined) adj.localAddress = local;
      const src = sourceAddress(nb, (i) => n.ifaces.find((x) => x.name === i)?.addresses[0]?.replace(/\/.*/, ''));
      if (src !== undefined) adj.localAddress = src;
      adjacencies.push(adj);
    }
  }
  // The modelled peers' side: every neighbor line of their configuration.
  for (const n of nodes) {
    if (n.kind === 'router' || gateways.get(n.asn!) === n) continue;
    for (const m of n.config.bgpd.matchAll(/^ neighbor (\S+) remote-as (\d+)$/gm)) {
      const address = m[1]!;
      const peer = owner.get(address);
      const r = peer ? byName.get(peer) : undefined;
      const theirs = r?.facts?.bgp ? [...r.facts.bgp.neighbors.values()].map((x) => effective(r.facts!.bgp!, x)).find((x) => owner.get(x.address) === n.name) : undefined;
      const adj: Adjacency = { node: n.name, address, remoteAs: Number(m[2]), holdtime: theirs?.holdtime ?? r?.facts?.bgp?.holdtime ?? 180, families: activatedIn(n.config.bgpd, address) };
      if (peer) adj.peer = peer;
      const medium = mediumOf(n.name, address);
      if (medium) adj.medium = medium;
      else {
        const over = n.ifaces.filter((i) => /^c\d+$/.test(i.name)).map((i) => i.medium);
        if (over.length > 0) adj.over = over;
      }
      const own = /^ neighbor \S+ update-source (\S+)$/m.exec(n.config.bgpd.split('\n').filter((l) => l.startsWith(` neighbor ${address} `)).join('\n'));
      adj.localAddress = own ? own[1]! : n.ifaces.filter((i) => i.medium !== 'lo').flatMap((i) => i.addresses).find((a) => inside(a, address))?.replace(/\/.*/, '');
      adjacencies.push(adj);
    }
  }
  // The gateways' side of each cloud session, with the router's timers (AWS's 10/30).
  for (const gw of gateways.values()) {
    const lines: string[] = [];
    const activate: string[] = [];
    for (const i of gw.ifaces) {
      if (i.name === 'vpc0') continue;
      const w = wires.find((x) => x.b.node === gw.name && x.b.iface === i.name)!;
      const r = byName.get(w.a.node)!;
      for (const gwCidr of i.addresses) {
        const gwAddr = addr(gwCidr);
        const routerAddr = addr(r.facts!.interfaces.get(w.a.iface)!.addresses.find((a) => inside(a, gwAddr))!);
        const nb = effective(r.facts!.bgp!, r.facts!.bgp!.neighbors.get(gwAddr)!);
        lines.push(` neighbor ${routerAddr} remote-as ${r.asn}`, ` neighbor ${routerAddr} description ${r.name} ${w.a.iface}`);
        const ka = nb.keepalive ?? r.facts!.bgp!.keepalive;
        const hold = nb.holdtime ?? r.facts!.bgp!.holdtime;
        if (ka !== undefined && hold !== undefined) lines.push(` neighbor ${routerAddr} timers ${ka} ${hold}`);
        activate.push(routerAddr);
        adjacencies.push({ node: gw.name, address: routerAddr, remoteAs: r.asn!, peer: r.name, localAddress: gwAddr, medium: w.id, holdtime: hold ?? 180, families: [familyOf(gwAddr)] });
      }
    }
    const vpcs = gw.ifaces[0]!.addresses;
    const block = (family: 4 | 6, name: string) => {
      const nets = vpcs.filter((v) => familyOf(v) === family).map(networkOf);
      const peers = activate.filter((a) => familyOf(a) === family);
      return nets.length + peers.length === 0 ? [] : [` address-family ${name} unicast`, ...nets.map((n) => `  network ${n}`), ...peers.map((a) => `  neighbor ${a} activate`), ' exit-address-family'];
    };
    // AWS chooses among customer-gateway paths by longest prefix, then the
    // shortest AS path, then MED among paths from one AS: FRR's own order
    // for these attributes, so the gateway runs FRR's defaults.
    gw.config.bgpd = [
      'frr defaults traditional',
      `hostname ${gw.name}`,
      '!',
      `router bgp ${gw.asn}`,
      ' no bgp ebgp-requires-policy',
      ' no bgp default ipv4-unicast',
      ' no bgp network import-check',
      ` bgp router-id ${VPC_BASE[0]}.${VPC_BASE[1]}.${gatewayIds.get(gw)!}.1`,
      ...lines,
      ...block(4, 'ipv4'),
      ...block(6, 'ipv6'),
      'exit',
      '',
    ].join('\n');
    gw.config.staticd = 'frr defaults traditional\n!\n';
  }

  const origins = originsOf(nodes);
  return { nodes, wires, lans, adjacencies, origins, problems, notes, findings, owner };
}

/** The tunnels whose static routes carry a multihop session to `address` (the longest matching routes). */
function routedOver(n: LabNode, address: string, wires: Wire[]): { medium: string; iface: string; prefix: string }[] {
  const routes = (n.facts?.statics ?? []).filter((s) => s.iface !== undefined && inside(s.prefix, address));
  const longest = Math.max(-1, ...routes.map((s) => lengthOf(s.prefix)));
  const out: { medium: string; iface: string; prefix: string }[] = [];
  for (const s of routes.filter((x) => lengthOf(x.prefix) === longest)) {
    const medium = n.ifaces.find((i) => i.name === s.iface)?.medium;
    if (medium !== undefined && wires.some((w) => w.id === medium) && !out.some((o) => o.medium === medium)) out.push({ medium, iface: s.iface!, prefix: networkOf(s.prefix) });
  }
  return out.sort((a, b) => a.medium.localeCompare(b.medium));
}

/** Whether a router's import policy toward `nb` (its prefix-list and route-map in) lets `prefix` in. */
function importAccepts(f: RouterFacts, nb: Neighbor, prefix: string): boolean {
  if (nb.prefixListIn !== undefined && !listMatches(f, nb.prefixListIn, prefix)) return false;
  return permits(f, nb.routeMapIn, prefix);
}

/** The permit rules of the import prefix-list toward `nb`, each with a test length near /24 that it allows. */
function importPermits(f: RouterFacts, nb: Neighbor): Permitted[] {
  if (nb.prefixListIn === undefined) return [];
  return (f.prefixLists.get(nb.prefixListIn) ?? [])
    .filter((r) => r.action === 'permit' && r.prefix !== undefined)
    .map((r) => {
      const net = parsePrefix(parsePrefix(r.prefix!).network);
      const lo = r.ge ?? net.length;
      const hi = r.le ?? (r.ge !== undefined ? 32 : net.length);
      return { net, length: Math.min(hi, Math.max(lo, 24)) };
    });
}

/** What each node announces: its network statements, and the static or connected routes its redistribution lets through. */
function originsOf(nodes: LabNode[]): Origin[] {
  const bySite = new Map<string, Origin>();
  const add = (prefix: string, n: LabNode) => {
    const key = `${prefix} ${n.site}`;
    const o = bySite.get(key) ?? { prefix, site: n.site, nodes: [] };
    if (!o.nodes.includes(n.name)) o.nodes.push(n.name);
    bySite.set(key, o);
  };
  for (const n of nodes) {
    if (n.kind === 'gateway') {
      for (const a of n.ifaces.find((i) => i.name === 'vpc0')!.addresses) add(networkOf(a), n);
      continue;
    }
    if (n.kind === 'peer') continue;
    const f = n.facts!;
    const b = f.bgp;
    if (!b) continue;
    // Each family's block redistributes that family's routes only.
    for (const [family, networks, redistribute] of [[4, b.networks, b.redistribute], [6, b.networks6, b.redistribute6]] as const) {
      for (const net of networks) if (permits(f, net.routeMap, net.prefix)) add(net.prefix, n);
      for (const r of redistribute) {
        const candidates =
          r.protocol === 'static'
            ? f.statics.map((s) => s.prefix)
            : r.protocol === 'connected'
              ? [...f.interfaces.values()].flatMap((i) => i.addresses.map((a) => networkOf(a)))
              : [];
        for (const p of candidates) if (familyOf(p) === family && permits(f, r.routeMap, p)) add(p, n);
      }
    }
  }
  return [...bySite.values()].sort((a, b) => (a.site === b.site ? a.prefix.localeCompare(b.prefix) : a.site.localeCompare(b.site)));
}

/** A route-map's verdict on a prefix, as far as the lab reads route-maps (prefix-list matches). */
function permits(f: RouterFacts, routeMap: string | undefined, prefix: string): boolean {
  if (routeMap === undefined) return true;
  const rules = f.routeMaps.get(routeMap) ?? [];
  const six = familyOf(prefix) === 6;
  for (const r of rules) {
    // FRR's `match ip address` never matches an IPv6 route, nor `match ipv6 address` an IPv4 one.
    const list = six ? r.matchPrefixList6 : r.matchPrefixList;
    const other = six ? r.matchPrefixList : r.matchPrefixList6;
    if (list === undefined && other !== undefined) continue;
    if (list === undefined || listMatches(f, list, prefix)) return r.action === 'permit';
  }
  return false;
}

function listMatches(f: RouterFacts, name: string, prefix: string): boolean {
  const p = parseIp(prefix);
  const max = p.family === 6 ? 128 : 32;
  for (const r of (p.family === 6 ? f.prefixLists6 : f.prefixLists).get(name) ?? []) {
    if (r.prefix === undefined) continue;
    const q = parseIp(r.prefix);
    const within = p.first >= q.first && p.last <= q.last && p.length >= q.length;
    const ge = r.ge ?? q.length;
    const le = r.le ?? (r.ge !== undefined ? max : q.length);
    if (within && p.length >= ge && p.length <= le) return r.action === 'permit';
  }
  return false;
}

/** The families a modelled peer's bgpd activates a neighbor in (a route server endpoint learns IPv6 over its IPv4 sessions). */
function activatedIn(bgpd: string, address: string): (4 | 6)[] {
  const families: (4 | 6)[] = [];
  for (const block of bgpd.matchAll(/^ address-family (ipv4|ipv6) unicast\n((?: {2}.*\n)*) exit-address-family$/gm)) {
    if (block[2]!.split('\n').includes(`  neighbor ${address} activate`)) families.push(block[1] === 'ipv4' ? 4 : 6);
  }
  return families.length > 0 ? families : [familyOf(address)];
}
