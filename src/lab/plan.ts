// The lab network drawn from the routers' facts alone: one namespace per
// router; each GRE or VTI tunnel a veth pair carrying its inner addresses
// (paired by the shared subnet, since the machines have no GRE or xfrm); each
// subnet shared by routers' ethernet interfaces a bridge; a VTI or tunnel
// whose BGP neighbor is no rendered router leads to a cloud gateway, one
// namespace per gateway AS running bgpd and announcing a test VPC prefix.
import { parsePrefix, contains } from '../net/ipv4.js';
import type { RouterFacts } from './facts.js';
import { translate, type FrrConfig } from './frr.js';

export interface End {
  node: string;
  iface: string;
}

export interface Wire {
  /** `tokyo-a:tun0` of the first end: what `--fail` names. */
  id: string;
  kind: 'tunnel' | 'vti' | 'cloud';
  a: End;
  b: End;
}

export interface Lan {
  id: string;
  subnet: string;
  members: End[];
}

export interface NodeIface {
  name: string;
  addresses: string[];
  /** wire / lan id it is attached to, or 'solo' (a veth whose peer stays beside it), or 'lo'. */
  medium: string;
}

export interface LabNode {
  name: string;
  site: string;
  role: string;
  kind: 'router' | 'gateway';
  asn?: number;
  config: FrrConfig;
  ifaces: NodeIface[];
  facts?: RouterFacts;
}

/** One configured BGP neighbor statement, with the node that owns its address. */
export interface Adjacency {
  node: string;
  address: string;
  remoteAs?: number;
  peer?: string;
  /** The local address the peer should name, when the peer owns one on the same medium. */
  localAddress?: string;
  medium?: string;
  holdtime: number;
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
  /** Address -> node that owns it. */
  owner: Map<string, string>;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,40}$/;

/** Files that cannot make one lab (a name that is not plain, a router twice). */
export class PlanError extends Error {}
/** RFC 2544 benchmarking space: never a real VPC, never one of the routers' subnets. */
const VPC_BASE = [198, 18];

function holdOf(f: RouterFacts, address: string): number {
  const n = f.bgp?.neighbors.get(address);
  // FRR's traditional profile (VyOS's) holds 180 s when nothing is set.
  return n?.holdtime ?? f.bgp?.holdtime ?? 180;
}

function addr(cidr: string): string {
  return cidr.slice(0, cidr.indexOf('/'));
}

export function planLab(routers: RouterFacts[]): Plan {
  const problems: string[] = [];
  const nodes: LabNode[] = [];
  const owner = new Map<string, string>();
  for (const f of routers) {
    const h = f.header;
    if (!NAME.test(h.router)) throw new PlanError(`${f.file}: router name ${JSON.stringify(h.router)} in the header is not a plain name (letters, digits, '-')`);
    if (nodes.some((n) => n.name === h.router)) throw new PlanError(`${f.file}: router ${h.router} appears in two files`);
    const config = translate(f);
    const node: LabNode = { name: h.router, site: h.site, role: h.role, kind: 'router', config, ifaces: [], facts: f };
    if (f.bgp) node.asn = f.bgp.asn;
    nodes.push(node);
    for (const i of f.interfaces.values()) {
      node.ifaces.push({ name: i.name, addresses: [...i.addresses], medium: i.kind === 'loopback' ? 'lo' : 'solo' });
      for (const a of i.addresses) {
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
    for (const i of n.facts!.interfaces.values()) {
      const first = i.addresses[0];
      if (!first || i.kind === 'loopback') continue;
      const net = parsePrefix(first).network;
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
  const gatewayEnds: { end: End; net: string }[] = [];
  for (const [net, ends] of tunnelNets) {
    if (ends.length === 2) {
      const kind = byName.get(ends[0]!.node)!.facts!.interfaces.get(ends[0]!.iface)!.kind as 'tunnel' | 'vti';
      const w: Wire = { id: `${ends[0]!.node}:${ends[0]!.iface}`, kind, a: ends[0]!, b: ends[1]! };
      wires.push(w);
      setMedium(w.a, w.id);
      setMedium(w.b, w.id);
    } else if (ends.length === 1) gatewayEnds.push({ end: ends[0]!, net });
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
  for (const { end, net } of gatewayEnds) {
    const r = byName.get(end.node)!;
    const p = parsePrefix(net);
    const nb = [...(r.facts!.bgp?.neighbors.values() ?? [])].find((x) => contains(p, x.address) && !owner.has(x.address));
    if (!nb || nb.remoteAs === undefined) {
      problems.push(`${end.node}:${end.iface} (${net}) has no other end among the rendered routers and no BGP neighbor in it`);
      continue;
    }
    let gw = gateways.get(nb.remoteAs);
    if (!gw) {
      const k = gateways.size;
      gw = { name: `gw-as${nb.remoteAs}`, site: `cloud-as${nb.remoteAs}`, role: 'gateway', kind: 'gateway', asn: nb.remoteAs, config: { bgpd: '', staticd: '' }, ifaces: [] };
      gw.ifaces.push({ name: 'vpc0', addresses: [`${VPC_BASE[0]}.${VPC_BASE[1]}.${k}.1/24`], medium: 'solo' });
      gateways.set(nb.remoteAs, gw);
      nodes.push(gw);
      byName.set(gw.name, gw);
    }
    const gwIface = `c${gw.ifaces.length - 1}`;
    gw.ifaces.push({ name: gwIface, addresses: [`${nb.address}/${p.length}`], medium: '' });
    owner.set(nb.address, gw.name);
    const w: Wire = { id: `${end.node}:${end.iface}`, kind: 'cloud', a: end, b: { node: gw.name, iface: gwIface } };
    wires.push(w);
    setMedium(w.a, w.id);
    setMedium(w.b, w.id);
  }

  // Every configured neighbor, resolved to the node that owns its address.
  const adjacencies: Adjacency[] = [];
  const mediumOf = (node: string, address: string): string | undefined => {
    const n = byName.get(node)!;
    for (const i of n.ifaces) for (const a of i.addresses) if (i.medium !== 'lo' && contains(parsePrefix(a), address)) return i.medium;
    return undefined;
  };
  for (const n of nodes) {
    if (n.kind !== 'router' || !n.facts!.bgp) continue;
    for (const nb of n.facts!.bgp.neighbors.values()) {
      const peer = owner.get(nb.address);
      const adj: Adjacency = { node: n.name, address: nb.address, holdtime: holdOf(n.facts!, nb.address) };
      if (nb.remoteAs !== undefined) adj.remoteAs = nb.remoteAs;
      const medium = mediumOf(n.name, nb.address);
      if (medium) adj.medium = medium;
      if (peer) adj.peer = peer;
      for (const i of n.ifaces) for (const a of i.addresses) if (i.medium !== 'lo' && contains(parsePrefix(a), nb.address)) adj.localAddress = addr(a);
      adjacencies.push(adj);
    }
  }
  // The gateways' side of each cloud session, with the router's timers (AWS's 10/30).
  for (const gw of gateways.values()) {
    const lines: string[] = [];
    for (const i of gw.ifaces) {
      if (i.name === 'vpc0') continue;
      const w = wires.find((x) => x.b.node === gw.name && x.b.iface === i.name)!;
      const r = byName.get(w.a.node)!;
      const routerAddr = addr(r.facts!.interfaces.get(w.a.iface)!.addresses[0]!);
      const gwAddr = addr(i.addresses[0]!);
      const nb = r.facts!.bgp!.neighbors.get(gwAddr)!;
      lines.push(` neighbor ${routerAddr} remote-as ${r.asn}`, ` neighbor ${routerAddr} description ${r.name} ${w.a.iface}`);
      const ka = nb.keepalive ?? r.facts!.bgp!.keepalive;
      const hold = nb.holdtime ?? r.facts!.bgp!.holdtime;
      if (ka !== undefined && hold !== undefined) lines.push(` neighbor ${routerAddr} timers ${ka} ${hold}`);
      adjacencies.push({ node: gw.name, address: routerAddr, remoteAs: r.asn!, peer: r.name, localAddress: gwAddr, medium: w.id, holdtime: hold ?? 180 });
    }
    const vpc = gw.ifaces[0]!.addresses[0]!;
    const vpcNet = parsePrefix(vpc).network;
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
      ` bgp router-id ${addr(vpc)}`,
      ...lines,
      ' address-family ipv4 unicast',
      `  network ${vpcNet}`,
      ...gw.ifaces.filter((i) => i.name !== 'vpc0').map((i) => {
        const w = wires.find((x) => x.b.node === gw.name && x.b.iface === i.name)!;
        return `  neighbor ${addr(byName.get(w.a.node)!.facts!.interfaces.get(w.a.iface)!.addresses[0]!)} activate`;
      }),
      ' exit-address-family',
      'exit',
      '',
    ].join('\n');
    gw.config.staticd = 'frr defaults traditional\n!\n';
  }

  const origins = originsOf(nodes);
  return { nodes, wires, lans, adjacencies, origins, problems, owner };
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
      add(parsePrefix(n.ifaces[0]!.addresses[0]!).network, n);
      continue;
    }
    const f = n.facts!;
    const b = f.bgp;
    if (!b) continue;
    for (const net of b.networks) if (permits(f, net.routeMap, net.prefix)) add(net.prefix, n);
    for (const r of b.redistribute) {
      const candidates =
        r.protocol === 'static'
          ? f.statics.map((s) => s.prefix)
          : r.protocol === 'connected'
            ? [...f.interfaces.values()].flatMap((i) => i.addresses.map((a) => parsePrefix(a).network))
            : [];
      for (const p of candidates) if (permits(f, r.routeMap, p)) add(p, n);
    }
  }
  return [...bySite.values()].sort((a, b) => (a.site === b.site ? a.prefix.localeCompare(b.prefix) : a.site.localeCompare(b.site)));
}

/** A route-map's verdict on a prefix, as far as the lab reads route-maps (prefix-list matches). */
function permits(f: RouterFacts, routeMap: string | undefined, prefix: string): boolean {
  if (routeMap === undefined) return true;
  const rules = f.routeMaps.get(routeMap) ?? [];
  for (const r of rules) {
    if (r.matchPrefixList === undefined || listMatches(f, r.matchPrefixList, prefix)) return r.action === 'permit';
  }
  return false;
}

function listMatches(f: RouterFacts, name: string, prefix: string): boolean {
  const p = parsePrefix(prefix);
  for (const r of f.prefixLists.get(name) ?? []) {
    if (r.prefix === undefined) continue;
    const q = parsePrefix(r.prefix);
    const inside = p.first >= q.first && p.last <= q.last && p.length >= q.length;
    const ge = r.ge ?? (r.le !== undefined ? q.length : q.length);
    const le = r.le ?? (r.ge !== undefined ? 32 : q.length);
    if (inside && p.length >= ge && p.length <= le) return r.action === 'permit';
  }
  return false;
}
