// The BGP peers a router names that no rendered router is, modelled so the
// router's sessions can run:
//  * a gateway reached over address-less VTIs by static routes (eBGP
//    multihop to the gateway's BGP addresses, as to an Azure VPN gateway):
//    one namespace per BGP address (an instance of the gateway), each VTI a
//    veth to one instance, the instances of one gateway joined by their
//    virtual network (a bridge), which is the prefix they announce;
//  * a peer in one of the router's own LAN subnets (an HA partner that is not
//    in the topology, a VPC route server endpoint): a namespace on that LAN
//    running bgpd with the AS the router names, peering back, announcing
//    nothing (a route server does not originate; a partner's own routes are
//    not in the files).
// Either end's AS is the one the router names: the lab cannot know better,
// except where the router names two ASes for one gateway.
import { familyOf, inside, lengthOf, networkOf } from './addr.js';
import { parseIp } from '../net/ip.js';
import { format6 } from '../net/ipv6.js';
import { carve, contains, overlaps, parsePrefix, type Prefix } from '../net/ipv4.js';
import { effective, type Neighbor, type RouterFacts } from './facts.js';
import type { Lan, LabNode, Wire } from './network.js';

export interface Ctx {
  nodes: LabNode[];
  byName: Map<string, LabNode>;
  owner: Map<string, string>;
  wires: Wire[];
  lans: Lan[];
  problems: string[];
  notes: string[];
  secret: (text: string) => string;
  /** Prefixes a gateway may not take: every subnet, static route and network of the routers. */
  taken: Prefix[];
  /** The next 198.18.k.0/24 a gateway's network takes. */
  vpc: { next: number };
}

const HEAD = (name: string) => ['frr defaults traditional', `hostname ${name}`, '!'];

function addr(cidr: string): string {
  return cidr.slice(0, cidr.indexOf('/'));
}

/** IPv4 before IPv6, each in address order. */
function byAddress(a: string, b: string): number {
  const x = parseIp(a);
  const y = parseIp(b);
  if (x.family !== y.family) return x.family - y.family;
  return x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
}

/** A router-id for a modelled peer that has no IPv4 address to take one from (RFC 2544 space, as the lab's other test addresses). */
function testRouterId(ctx: Ctx): string {
  return `198.19.254.${ctx.nodes.length % 254 + 1}`;
}

function uniqueName(ctx: Ctx, want: string): string {
  if (!ctx.byName.has(want)) return want;
  for (let i = 2; ; i++) if (!ctx.byName.has(`${want}-${i}`)) return `${want}-${i}`;
}

function addNode(ctx: Ctx, n: LabNode): void {
  ctx.nodes.push(n);
  ctx.byName.set(n.name, n);
}

/** The address a router's session to `nb` starts from: its update-source (an address, or an interface's first address). */
export function sourceAddress(nb: Neighbor, labAddress: (iface: string) => string | undefined): string | undefined {
  const u = nb.updateSource;
  if (u === undefined) return undefined;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(u)) return u;
  return labAddress(u);
}

/** The rendered routers that speak BGP. */
function routersOf(ctx: Ctx): LabNode[] {
  return ctx.nodes.filter((n) => n.kind === 'router' && n.facts?.bgp);
}

function ifaceAddress(ctx: Ctx, node: string, iface: string): string | undefined {
  const a = ctx.byName.get(node)?.ifaces.find((i) => i.name === iface)?.addresses[0];
  return a === undefined ? undefined : addr(a);
}

function connected(n: LabNode, address: string): boolean {
  return n.ifaces.some((i) => i.medium !== 'lo' && i.addresses.some((a) => inside(a, address)));
}

function isOutside(ctx: Ctx, address: string): boolean {
  const o = ctx.owner.get(address);
  return o === undefined || ctx.byName.get(o)!.kind !== 'router';
}

/** A prefix for a gateway's network that the router's import policy lets in: 198.18.k.0/24, or the first free one its import prefix-list permits. */
function vpcPrefix(ctx: Ctx, accepts: (p: string) => boolean, permitted: Permitted[]): Prefix {
  const free = (p: Prefix) => !ctx.taken.some((t) => overlaps(t, p));
  const test = parsePrefix(`198.18.${ctx.vpc.next}.0/24`);
  if (free(test) && accepts(test.network)) {
    ctx.vpc.next++;
    return test;
  }
  for (const q of permitted) {
    for (let i = 0; i < 256; i++) {
      const p = carve(q.net, q.length, i);
      if (!p) break;
      if (free(p) && accepts(p.network)) return p;
    }
  }
  ctx.vpc.next++;
  return test;
}

/** A permit rule of an import prefix-list: its prefix, and the length (near /24) a test prefix inside it may have. */
export interface Permitted {
  net: Prefix;
  length: number;
}

interface Candidate {
  router: LabNode;
  nb: Neighbor;
  ifaces: string[];
}

/**
 * Gateways behind address-less VTIs: a neighbor on no connected subnet,
 * reached by static routes over tunnel interfaces with no other end among
 * the routers. One gateway per group of such neighbors sharing tunnels.
 */
export function multihopGateways(ctx: Ctx, accepts: (r: RouterFacts, nb: Neighbor, prefix: string) => boolean, permitted: (r: RouterFacts, nb: Neighbor) => Permitted[]): void {
  for (const r of routersOf(ctx)) {
    const f = r.facts!;
    const cands: Candidate[] = [];
    for (const raw of f.bgp!.neighbors.values()) {
      const nb = effective(f.bgp!, raw);
      // The peers modelled outside the topology speak IPv4 (docs/lab.md).
      if (familyOf(nb.address) === 6 || !isOutside(ctx, nb.address) || connected(r, nb.address) || nb.remoteAs === undefined) continue;
      const routes = f.statics.filter((s) => s.iface !== undefined && inside(s.prefix, nb.address));
      const longest = Math.max(-1, ...routes.map((s) => parsePrefix(s.prefix).length));
      const ifaces = [
        ...new Set(
          routes
            .filter((s) => parsePrefix(s.prefix).length === longest)
            .map((s) => s.iface!)
            .filter((i) => {
              const x = r.ifaces.find((y) => y.name === i);
              const kind = f.interfaces.get(i)?.kind;
              return x !== undefined && (kind === 'vti' || kind === 'tunnel') && x.addresses.length === 0 && (x.medium === 'solo' || ctx.wires.some((w) => w.id === x.medium && w.kind === 'cloud' && w.a.node === r.name));
            }),
        ),
      ].sort();
      if (ifaces.length > 0) cands.push({ router: r, nb, ifaces });
    }
    // Neighbors sharing a tunnel are instances of one gateway.
    const groups: Candidate[][] = [];
    for (const c of cands) {
      const joined = groups.filter((g) => g.some((x) => x.ifaces.some((i) => c.ifaces.includes(i))));
      const merged = [c, ...joined.flat()];
      for (const g of joined) groups.splice(groups.indexOf(g), 1);
      groups.push(merged);
    }
    for (const g of groups) {
      g.sort((a, b) => byAddress(a.nb.address, b.nb.address));
      gateway(ctx, r, g, accepts, permitted);
    }
  }
}

function gateway(ctx: Ctx, r: LabNode, g: Candidate[], accepts: (r: RouterFacts, nb: Neighbor, prefix: string) => boolean, permitted: (r: RouterFacts, nb: Neighbor) => Permitted[]): void {
  const f = r.facts!;
  // One gateway has one AS: the one most of its neighbors name (the lowest address's on a tie).
  const count = new Map<number, number>();
  for (const c of g) count.set(c.nb.remoteAs!, (count.get(c.nb.remoteAs!) ?? 0) + 1);
  const asn = [...count].sort((a, b) => b[1] - a[1])[0]![0];
  if (count.size > 1) {
    const named = g.map((c) => `AS ${c.nb.remoteAs} at ${c.nb.address}`).join(', ');
    ctx.problems.push(`${r.name} names one gateway (the instances behind ${[...new Set(g.flatMap((c) => c.ifaces))].join(', ')}) with two ASes: ${named}; the lab runs it as AS ${asn}`);
  }
  const ifaces = [...new Set(g.flatMap((c) => c.ifaces))].sort();
  const source = (nb: Neighbor) => sourceAddress(nb, (i) => ifaceAddress(ctx, r.name, i));
  const first = g[0]!.nb;
  const vnet = vpcPrefix(
    ctx,
    (p) => g.every((c) => accepts(f, c.nb, p)),
    permitted(f, first),
  );
  ctx.taken.push(vnet);
  const base = `gw-as${asn}`;
  const instances = g.map((c, k) => {
    const existing = ctx.owner.get(c.nb.address);
    if (existing && ctx.byName.get(existing)!.kind === 'gateway') return ctx.byName.get(existing)!;
    const name = uniqueName(ctx, g.length === 1 ? base : `${base}-${k + 1}`);
    const n: LabNode = { name, site: `cloud-as${asn}`, role: 'gateway', kind: 'gateway', asn, config: { bgpd: '', staticd: '' }, ifaces: [], sysctls: [] };
    n.ifaces.push({ name: 'lo', addresses: [`${c.nb.address}/32`], medium: 'lo' });
    n.ifaces.push({ name: 'vpc0', addresses: [`${carve(vnet, 32, k + 1)!.address}/${vnet.length}`], medium: 'solo' });
    addNode(ctx, n);
    ctx.owner.set(c.nb.address, name);
    ctx.owner.set(addr(n.ifaces[1]!.addresses[0]!), name);
    return n;
  });
  if (instances.length > 1) {
    const lan: Lan = { id: `vnet${ctx.lans.length}`, subnet: vnet.network, members: instances.map((n) => ({ node: n.name, iface: 'vpc0' })) };
    ctx.lans.push(lan);
    for (const n of instances) n.ifaces.find((i) => i.name === 'vpc0')!.medium = lan.id;
  }
  // Tunnel k ends at instance k (mod the instances): the static routes send
  // each address over every tunnel, and an instance forwards what is not its
  // own over the virtual network, as the gateway does.
  const ends = new Map<string, string[]>();
  ifaces.forEach((iface, k) => {
    const inst = instances[k % instances.length]!;
    const end = `c${inst.ifaces.filter((i) => /^c\d+$/.test(i.name)).length}`;
    inst.ifaces.push({ name: end, addresses: [], medium: '' });
    const w: Wire = { id: `${r.name}:${iface}`, kind: 'cloud', a: { node: r.name, iface }, b: { node: inst.name, iface: end } };
    ctx.wires.push(w);
    r.ifaces.find((i) => i.name === iface)!.medium = w.id;
    inst.ifaces.find((i) => i.name === end)!.medium = w.id;
    // What arrives for another instance's address is answered for it (a VTI has no ARP).
    inst.sysctls!.push(`net.ipv4.conf.${end}.proxy_arp=1`);
    ends.set(inst.name, [...(ends.get(inst.name) ?? []), end]);
  });
  const vnetAddr = (n: LabNode) => addr(n.ifaces.find((i) => i.name === 'vpc0')!.addresses[0]!);
  instances.forEach((inst, k) => {
    const c = g[k]!;
    const src = source(c.nb);
    const statics: string[] = [];
    const mine = ends.get(inst.name) ?? [];
    if (src === undefined) ctx.problems.push(`${r.name}: neighbor ${c.nb.address} is reached over ${c.ifaces.join(', ')}, which have no address, and names no update-source: the session would start from whatever address the kernel picks`);
    else {
      for (const e of mine) statics.push(`ip route ${src}/32 ${e}`);
      for (const o of instances) if (o !== inst) statics.push(`ip route ${src}/32 ${vnetAddr(o)} ${mine.length > 0 ? 20 : 1}`);
    }
    for (const o of instances) if (o !== inst) statics.push(`ip route ${addr(o.ifaces[0]!.addresses[0]!)}/32 ${vnetAddr(o)}`);
    const lines: string[] = [];
    if (src !== undefined) {
      const ka = c.nb.keepalive ?? f.bgp!.keepalive;
      const hold = c.nb.holdtime ?? f.bgp!.holdtime;
      lines.push(` neighbor ${src} remote-as ${f.bgp!.asn}`, ` neighbor ${src} description ${r.name} (multihop)`);
      if (f.bgp!.asn !== asn) lines.push(` neighbor ${src} ebgp-multihop ${c.nb.ebgpMultihop ?? 2}`);
      lines.push(` neighbor ${src} update-source ${c.nb.address}`);
      if (ka !== undefined && hold !== undefined) lines.push(` neighbor ${src} timers ${ka} ${hold}`);
      if (c.nb.password !== undefined) lines.push(` neighbor ${src} password ${ctx.secret(c.nb.password)}`);
    }
    inst.config.bgpd = bgpdOf(inst, lines, src === undefined ? [] : [src], [vnet.network]);
    inst.config.staticd = [...HEAD(inst.name), ...statics, ''].join('\n');
  });
}

/**
 * A modelled peer's bgpd: each neighbor activated, and each network announced, in its own family's block;
 * `alsoIpv6`: IPv4 neighbors that carry IPv6 routes too (a VPC route server learns a dual-stack VPC's so).
 */
function bgpdOf(n: LabNode, neighborLines: string[], activate: string[], networks: string[], routerId?: string, alsoIpv6: string[] = []): string {
  const block = (family: 4 | 6, name: string) => {
    const nets = networks.filter((p) => familyOf(p) === family);
    const peers = [...activate.filter((a) => familyOf(a) === family), ...(family === 6 ? alsoIpv6 : [])];
    if (family === 6 && nets.length + peers.length === 0) return [];
    return [` address-family ${name} unicast`, ...nets.map((p) => `  network ${p}`), ...peers.map((a) => `  neighbor ${a} activate`), ' exit-address-family'];
  };
  return [
    ...HEAD(n.name),
    `router bgp ${n.asn}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp default ipv4-unicast',
    ' no bgp network import-check',
    ` bgp router-id ${routerId ?? addr(n.ifaces[0]!.addresses[0]!)}`,
    ...neighborLines,
    ...block(4, 'ipv4'),
    ...block(6, 'ipv6'),
    'exit',
    '',
  ].join('\n');
}

/**
 * Peers in a router's own LAN subnet that no rendered router is: one
 * namespace per address on that LAN (a bridge), peering back with every
 * router that names it. An eBGP peer waits for the router to connect, as a
 * VPC route server does.
 */
export function lanPeers(ctx: Ctx): void {
  const wanted = new Map<string, { asn: number; routers: { r: LabNode; nb: Neighbor; iface: string; local: string }[] }>();
  for (const r of routersOf(ctx)) {
    const f = r.facts!;
    for (const raw of f.bgp!.neighbors.values()) {
      const nb = effective(f.bgp!, raw);
      if (ctx.owner.has(nb.address) || nb.remoteAs === undefined) continue;
      const i = r.ifaces.find((x) => x.medium !== 'lo' && f.interfaces.get(x.name)?.kind === 'ethernet' && x.addresses.some((a) => inside(a, nb.address)));
      if (!i) continue;
      const own = addr(i.addresses.find((a) => inside(a, nb.address))!);
      const local = sourceAddress(nb, (x) => ifaceAddress(ctx, r.name, x)) ?? own;
      const w = wanted.get(nb.address) ?? { asn: nb.remoteAs, routers: [] };
      w.routers.push({ r, nb, iface: i.name, local });
      wanted.set(nb.address, w);
    }
  }
  const byAs = new Map<number, string[]>();
  for (const [a, w] of wanted) byAs.set(w.asn, [...(byAs.get(w.asn) ?? []), a]);
  for (const [address, w] of [...wanted].sort((x, y) => byAddress(x[0], y[0]))) {
    const same = byAs.get(w.asn)!.sort(byAddress);
    const name = uniqueName(ctx, same.length === 1 ? `peer-as${w.asn}` : `peer-as${w.asn}-${same.indexOf(address) + 1}`);
    const first = w.routers[0]!;
    const own = first.r.ifaces.find((i) => i.name === first.iface)!.addresses.find((a) => inside(a, address))!;
    const subnet = { length: lengthOf(own), network: networkOf(own) };
    const ibgp = first.r.asn === w.asn;
    const n: LabNode = { name, site: ibgp ? first.r.site : `peer-as${w.asn}`, role: 'peer', kind: 'peer', asn: w.asn, config: { bgpd: '', staticd: '' }, ifaces: [], sysctls: [] };
    n.ifaces.push({ name: 'lan0', addresses: [`${address}/${subnet.length}`], medium: '' });
    addNode(ctx, n);
    ctx.owner.set(address, name);
    // The router's interface may be on a LAN already (its first address's subnet): an IPv6 peer joins that one.
    let lan = ctx.lans.find((l) => l.members.some((m) => m.node === first.r.name && m.iface === first.iface)) ?? ctx.lans.find((l) => l.subnet === subnet.network);
    if (!lan) {
      lan = { id: `lan${ctx.lans.length}`, subnet: subnet.network, members: [] };
      ctx.lans.push(lan);
    }
    for (const x of w.routers) {
      if (!lan.members.some((m) => m.node === x.r.name && m.iface === x.iface)) lan.members.push({ node: x.r.name, iface: x.iface });
      x.r.ifaces.find((i) => i.name === x.iface)!.medium = lan.id;
    }
    lan.members.push({ node: name, iface: 'lan0' });
    n.ifaces[0]!.medium = lan.id;
    const lines: string[] = [];
    const activate: string[] = [];
    for (const x of w.routers) {
      const f = x.r.facts!;
      const ka = x.nb.keepalive ?? f.bgp!.keepalive;
      const hold = x.nb.holdtime ?? f.bgp!.holdtime;
      lines.push(` neighbor ${x.local} remote-as ${f.bgp!.asn}`, ` neighbor ${x.local} description ${x.r.name} ${x.iface}`);
      if (!ibgp) lines.push(` neighbor ${x.local} passive`);
      if (x.nb.ebgpMultihop !== undefined) lines.push(` neighbor ${x.local} ebgp-multihop ${x.nb.ebgpMultihop}`);
      if (ka !== undefined && hold !== undefined) lines.push(` neighbor ${x.local} timers ${ka} ${hold}`);
      if (x.nb.password !== undefined) lines.push(` neighbor ${x.local} password ${ctx.secret(x.nb.password)}`);
      activate.push(x.local);
    }
    // IPv6 over this IPv4 session: the routers' IPv6 LAN address is the next hop, so the peer reaches it on the LAN.
    // An eBGP peer on a dual-stack LAN with no IPv6 session of its AS (a VPC route server endpoint: its peers
    // are IPv4) expects the IPv6 routes over this session, whether or not the router sends them: the checks
    // then follow its IPv6 routes too, and a router that leaves the family out is named.
    const dualStack = (x: (typeof w.routers)[number]) => x.r.ifaces.find((i) => i.name === x.iface)!.addresses.some((a) => familyOf(a) === 6);
    const separate6 = w.routers.some((x) => [...x.r.facts!.bgp!.neighbors.values()].some((nb) => familyOf(nb.address) === 6 && nb.remoteAs === w.asn));
    const six = w.routers.filter((x) => familyOf(x.local) === 4 && (x.nb.v6 !== undefined || (!ibgp && !separate6 && dualStack(x))));
    const onLink6 = [...new Set(six.flatMap((x) => x.r.ifaces.find((i) => i.name === x.iface)!.addresses.filter((a) => familyOf(a) === 6).map(networkOf)))];
    n.config.bgpd = bgpdOf(n, lines, activate, [], familyOf(address) === 6 ? testRouterId(ctx) : undefined, six.map((x) => x.local));
    // An address of its own there (as the endpoint's ENI would have in a dual-stack subnet): the LAN is connected, as over IPv4.
    for (const p of onLink6) {
      const net = parseIp(p);
      let k = 0x100n;
      while (ctx.owner.has(format6(net.first + k))) k++;
      const own6 = format6(net.first + k);
      n.ifaces[0]!.addresses.push(`${own6}/${net.length}`);
      ctx.owner.set(own6, name);
    }
    n.config.staticd = [...HEAD(name), ''].join('\n');
    ctx.notes.push(`${name} (${address}, AS ${w.asn}) is no rendered router: ${ibgp ? `${w.routers.map((x) => x.r.name).join(', ')}'s iBGP partner` : 'an eBGP peer on the LAN (as a VPC route server endpoint: it waits for the router to connect)'}, modelled from ${w.routers.map((x) => x.r.name).join(', ')}'s configuration, announcing nothing`);
  }
}
