// Rendered VyOS set lines -> what one router is, as the lab needs it. The lab
// reads file text only (never vygen's model), so a directory of hand-edited
// files is checked exactly as written. Both release path shapes are read
// (1.3 `protocols bgp ASN ...`, 1.4+ `protocols bgp system-as ASN`); FRR's
// meaning is the same. Every line is either understood or returned as
// untranslated, never dropped.
import { parseCommands, ConfigError } from '../index.js';
import { canonical as canonicalIp } from './addr.js';

export interface Header {
  router: string;
  site: string;
  role: string;
  release: string;
}

export interface Iface {
  name: string;
  kind: 'ethernet' | 'loopback' | 'tunnel' | 'vti' | 'dummy';
  addresses: string[];
  /** `address dhcp`: the lab gives the interface an address of its own (see plan). */
  dhcp?: boolean;
  /** Lines read but carried by the lab's veth instead (encapsulation, endpoints, MTU, description). */
}

/** A neighbor's `address-family ipv6-unicast` settings (the IPv4 ones are the neighbor's own fields). */
export interface Af6 {
  nexthopSelf?: boolean;
  softInbound?: boolean;
  routeMapIn?: string;
  routeMapOut?: string;
  prefixListIn?: string;
  prefixListOut?: string;
  maximumPrefix?: number;
  weight?: number;
}

export interface Neighbor {
  address: string;
  remoteAs?: number;
  description?: string;
  keepalive?: number;
  holdtime?: number;
  nexthopSelf: boolean;
  softInbound: boolean;
  routeMapIn?: string;
  routeMapOut?: string;
  prefixListIn?: string;
  prefixListOut?: string;
  shutdown: boolean;
  ebgpMultihop?: number;
  updateSource?: string;
  maximumPrefix?: number;
  weight?: number;
  /** BFD on the session: read, not run (the lab starts no bfdd; BFD only shortens detection). */
  bfd?: boolean;
  /** `neighbor X peer-group G`: G's settings apply where the neighbor sets none. */
  peerGroup?: string;
  /** TCP MD5 key text; the lab runs a test secret in its place. */
  password?: string;
  capabilityDynamic?: boolean;
  /** `capability extended-nexthop` (RFC 8950): IPv4 routes over an IPv6 session get an IPv6 next hop. */
  extendedNexthop?: boolean;
  /** An `address-family ipv4-unicast` line was read (VyOS activates a peer-group member only then, or through its group). */
  af?: boolean;
  /** `address-family ipv6-unicast` lines: VyOS activates the neighbor in FRR's IPv6 unicast family. */
  v6?: Af6;
}

export interface PrefixRule {
  seq: number;
  action: 'permit' | 'deny';
  prefix?: string;
  ge?: number;
  le?: number;
}

export interface RouteMapRule {
  seq: number;
  action: 'permit' | 'deny';
  matchPrefixList?: string;
  /** `match ipv6 address prefix-list`: a `prefix-list6` name. */
  matchPrefixList6?: string;
  setMetric?: string;
  setLocalPref?: number;
  setPrepend?: string;
}

export interface StaticRoute {
  prefix: string;
  nextHop?: string;
  iface?: string;
  distance?: number;
  blackhole?: boolean;
}

export interface Bgp {
  asn: number;
  routerId?: string;
  logNeighborChanges: boolean;
  keepalive?: number;
  holdtime?: number;
  neighbors: Map<string, Neighbor>;
  /** `peer-group G ...`: the same settings as a neighbor's, keyed by the group's name. */
  peerGroups: Map<string, Neighbor>;
  networks: { prefix: string; routeMap?: string }[];
  redistribute: { protocol: string; routeMap?: string; metric?: number }[];
  /** `address-family ipv6-unicast` network and redistribute lines. */
  networks6: { prefix: string; routeMap?: string }[];
  /** VyOS 1.3 (vyatta-cfg-quagga) activates every neighbor with a remote-as in IPv4 unicast, whatever its family. */
  activatesEveryRemoteAs?: boolean;
  redistribute6: { protocol: string; routeMap?: string; metric?: number }[];
}

export interface Line {
  line: number;
  text: string;
}

export interface RouterFacts {
  file: string;
  header: Header;
  hostname?: string;
  interfaces: Map<string, Iface>;
  bgp?: Bgp;
  prefixLists: Map<string, PrefixRule[]>;
  /** `policy prefix-list6`: FRR's `ipv6 prefix-list`, a name space of its own. */
  prefixLists6: Map<string, PrefixRule[]>;
  routeMaps: Map<string, RouteMapRule[]>;
  statics: StaticRoute[];
  /** `vpn ipsec` lines, kept for the IPsec translation. */
  ipsec: { path: string[]; value?: string; line: number }[];
  /** `high-availability vrrp` lines, kept for the VRRP lab. */
  vrrp: { path: string[]; value?: string; line: number }[];
  untranslated: Line[];
}

export class FactsError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

// A site router names its site and role; a router written only under
// `routers:` names neither: it is then a site of its own, and active.
const HEADER = /^# vygen: router (\S+)(?: \(site (\S+), (\S+)\))? -- VyOS (\S+)/;

export function parseHeader(file: string, text: string): Header {
  const first = text.split('\n', 1)[0] ?? '';
  const m = HEADER.exec(first);
  if (!m) throw new FactsError(file, 1, 'line 1 is not a vygen router header (# vygen: router NAME [(site SITE, ROLE)] -- VyOS R)');
  return { router: m[1]!, site: m[2] ?? m[1]!, role: m[3] ?? 'active', release: m[4]! };
}

function int(file: string, line: number, v: string | undefined, what: string): number {
  if (v === undefined || !/^\d+$/.test(v)) throw new FactsError(file, line, `${what}: expected a number, found ${JSON.stringify(v)}`);
  return Number(v);
}

export function readFacts(file: string, text: string): RouterFacts {
  const header = parseHeader(file, text);
  let commands;
  try {
    commands = parseCommands(text);
  } catch (e) {
    if (e instanceof ConfigError) throw new FactsError(file, (e as ConfigError & { line?: number }).line ?? 0, e.message);
    throw e;
  }
  const lines = text.split('\n');
  const f: RouterFacts = { file, header, interfaces: new Map(), prefixLists: new Map(), prefixLists6: new Map(), routeMaps: new Map(), statics: [], ipsec: [], vrrp: [], untranslated: [] };
  for (const c of commands) {
    const w = c.value === undefined ? c.path : [...c.path, c.value];
    const ok = c.op === 'set' && understand(f, w, c.line);
    if (!ok) f.untranslated.push({ line: c.line, text: masked((lines[c.line - 1] ?? '').trim()) });
  }
  return f;
}

/** A report may be posted anywhere: a key or password in an untranslated line is not shown. */
function masked(text: string): string {
  return /\b(secret|pre-shared-secret|password|key)\b/.test(text) ? text.replace(/'[^']*'\s*$/, "'<hidden>'") : text;
}

/**
 * An address or prefix as FRR prints it (RFC 5952 for IPv6), so the lab's
 * keys meet FRR's answers; a hand-edited value that is no address stops the
 * translation with its line instead of reaching FRR.
 */
function canonicalAt(file: string, line: number, text: string): string {
  if (!text.includes(':')) return text;
  try {
    if (/^[0-9a-f:.]+(\/\d{1,3})?$/i.test(text)) return canonicalIp(text);
  } catch {
    /* reported below */
  }
  throw new FactsError(file, line, `${JSON.stringify(text)} is not an IPv6 address or prefix`);
}

/** An interface address of either family, as VyOS writes it (IPv6 must be the schema's: hex groups and colons). */
function address(text: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(text) || /^[0-9a-f:]*:[0-9a-f:.]*\/\d{1,3}$/i.test(text);
}

function iface(f: RouterFacts, kind: Iface['kind'], name: string): Iface {
  let i = f.interfaces.get(name);
  if (!i) {
    i = { name, kind, addresses: [] };
    f.interfaces.set(name, i);
  }
  return i;
}

function neighbor(b: Bgp, address: string): Neighbor {
  let n = b.neighbors.get(address);
  if (!n) {
    n = { address, nexthopSelf: false, softInbound: false, shutdown: false };
    b.neighbors.set(address, n);
  }
  return n;
}

function peerGroup(b: Bgp, name: string): Neighbor {
  let g = b.peerGroups.get(name);
  if (!g) {
    g = { address: name, nexthopSelf: false, softInbound: false, shutdown: false };
    b.peerGroups.set(name, g);
  }
  return g;
}

/** A neighbor's settings with its peer-group's filled in where it sets none (FRR's inheritance). */
export function effective(b: Bgp, nb: Neighbor): Neighbor {
  const g = nb.peerGroup !== undefined ? b.peerGroups.get(nb.peerGroup) : undefined;
  if (!g) return nb;
  const out: Neighbor = { ...g, ...Object.fromEntries(Object.entries(nb).filter(([, v]) => v !== undefined && v !== false)), address: nb.address } as Neighbor;
  if (g.v6 || nb.v6) out.v6 = { ...g.v6, ...Object.fromEntries(Object.entries(nb.v6 ?? {}).filter(([, v]) => v !== undefined && v !== false)) };
  return out;
}

function ruleOf<T extends { seq: number }>(m: Map<string, T[]>, name: string, seq: number, make: () => T): T {
  let list = m.get(name);
  if (!list) m.set(name, (list = []));
  let r = list.find((x) => x.seq === seq);
  if (!r) {
    r = make();
    list.push(r);
    list.sort((a, b) => a.seq - b.seq);
  }
  return r;
}

/** True when the line is understood (and recorded); false lists it as untranslated. */
function understand(f: RouterFacts, w: string[], line: number): boolean {
  const [a, b, c, d, e, g] = w;
  // Words reach FRR's configuration and `ip` commands: a hand-edited value
  // with a blank or FRR's comment characters is listed, never passed on
  // (a description is FRR's rest-of-line text and may hold anything but a newline).
  // An AS-path prepend is a list of AS numbers, checked where it is read.
  const freeText = w[w.length - 2] === 'description' || w[w.length - 2] === 'as-path-prepend' || w[w.length - 2] === 'prepend';
  if (w.some((x, i) => (!freeText || i < w.length - 1) && /[\s!#]/.test(x))) return false;
  if (a === 'system' && b === 'host-name' && c !== undefined && w.length === 3) {
    f.hostname = c;
    return true;
  }
  if (a === 'interfaces') {
    const kind = ({ ethernet: 'ethernet', loopback: 'loopback', tunnel: 'tunnel', vti: 'vti', dummy: 'dummy' } as const)[b as string];
    // Linux interface names: at most 15 characters, and plain.
    if (!kind || c === undefined || !/^[a-z][a-z0-9]{0,14}$/.test(c)) return false;
    // A VLAN (`vif N`) is Linux's `eth1.N`, as on VyOS: one more interface on its own segment in the lab.
    if (kind === 'ethernet' && d === 'vif' && e !== undefined && /^\d{1,4}$/.test(e) && `${c}.${e}`.length <= 15) {
      const v = iface(f, 'ethernet', `${c}.${e}`);
      const [, , , , , k, x] = w;
      if (w.length === 5) return true;
      if (k === 'address' && x !== undefined && w.length === 7 && address(x)) return Boolean(v.addresses.push(canonicalAt(f.file, line, x)));
      return w.length === 7 && k === 'description';
    }
    const i = iface(f, kind, c);
    if (w.length === 3) return true;
    if (d === 'address' && e === 'dhcp' && w.length === 5 && kind === 'ethernet') return (i.dhcp = true);
    if (d === 'address' && e !== undefined && w.length === 5) {
      if (!address(e)) return false;
      i.addresses.push(canonicalAt(f.file, line, e));
      return true;
    }
    if (w.length === 5 && d === 'description') return true;
    // The lab carries a tunnel's inner addresses on a veth pair: its outer
    // endpoints, encapsulation and MTU are read and stand for that pair.
    if (kind === 'tunnel' && w.length === 5 && ['encapsulation', 'remote', 'source-address', 'mtu'].includes(d!)) return true;
    if (kind === 'vti' && w.length === 5 && d === 'mtu') return true;
    // The TCP MSS clamp acts on the path the veth stands for (no fragmentation in the lab).
    if ((kind === 'tunnel' || kind === 'vti') && w.length === 6 && d === 'ip' && e === 'adjust-mss') return true;
    return false;
  }
  // 1.3 clamps the MSS in the firewall's per-interface options: as above.
  if (a === 'firewall' && b === 'options' && w[2] === 'interface' && w[4] === 'adjust-mss' && w.length === 6) return true;
  if (a === 'vpn' && b === 'ipsec') {
    // Kept for the IPsec lab; still listed as untranslated, because the BGP
    // lab carries the tunnel on a plain veth pair.
    f.ipsec.push({ path: w.slice(2, -1), value: w[w.length - 1], line });
    return false;
  }
  if (a === 'high-availability' && b === 'vrrp') {
    // Kept for the VRRP lab; listed as untranslated unless keepalived runs them.
    f.vrrp.push({ path: w.slice(2, -1), value: w[w.length - 1], line });
    return false;
  }
  if (a === 'policy') return policy(f, w.slice(1), line);
  if (a === 'protocols' && b === 'bgp') {
    // 1.3 puts the AS in every path; 1.4+ says it once as system-as.
    let rest = w.slice(2);
    if (c !== undefined && /^\d+$/.test(c)) {
      bgpOf(f, Number(c), line);
      rest = w.slice(3);
    } else if (c === 'system-as' && d !== undefined && w.length === 4) {
      bgpOf(f, int(f.file, line, d, 'system-as'), line);
      return true;
    }
    return bgp(f, rest, line);
  }
  if (a === 'protocols' && b === 'static') {
    // 1.4: route P next-hop A [distance D] | route P interface I [distance D]
    // 1.3: interface-route P next-hop-interface I [distance D]
    // IPv6 alike: route6 and 1.3's interface-route6; the prefix's family says which FRR writes.
    const six = c === 'route6' || c === 'interface-route6';
    if (six !== (d !== undefined && d.includes(':'))) return false;
    const cc = six ? c!.slice(0, -1) : c;
    if (cc === 'route' && d !== undefined && e === 'blackhole' && (w.length === 5 || (w.length === 7 && g === 'distance'))) {
      f.statics.push({ prefix: canonicalAt(f.file, line, d), blackhole: true, ...(w.length === 7 ? { distance: int(f.file, line, w[6], 'distance') } : {}) });
      return true;
    }
    if ((cc === 'route' || cc === 'interface-route') && d !== undefined) {
      const c = cc;
      const prefix = canonicalAt(f.file, line, d);
      const what = e;
      const target = g !== undefined && e === 'next-hop' ? canonicalAt(f.file, line, g) : g;
      const tail = w.slice(6);
      if (tail.length === 1 || tail.length > 2 || target === undefined) return false;
      const distance = tail[0] === 'distance' ? int(f.file, line, tail[1], 'distance') : undefined;
      if (tail.length === 2 && tail[0] !== 'distance') return false;
      const route = (pick: (s: StaticRoute) => boolean, make: () => StaticRoute) => {
        let s = f.statics.find(pick);
        if (!s) f.statics.push((s = make()));
        if (distance !== undefined) s.distance = distance;
        return true;
      };
      if (c === 'route' && what === 'next-hop') return route((s) => s.prefix === prefix && s.nextHop === target, () => ({ prefix, nextHop: target }));
      if ((c === 'route' && what === 'interface') || (c === 'interface-route' && what === 'next-hop-interface'))
        return route((s) => s.prefix === prefix && s.iface === target, () => ({ prefix, iface: target }));
    }
    return false;
  }
  return false;
}

function bgpOf(f: RouterFacts, asn: number, line: number): Bgp {
  if (f.bgp && f.bgp.asn !== asn) throw new FactsError(f.file, line, `a second BGP AS ${asn} (the router already has AS ${f.bgp.asn})`);
  if (!f.bgp) {
    f.bgp = { asn, logNeighborChanges: false, neighbors: new Map(), peerGroups: new Map(), networks: [], redistribute: [], networks6: [], redistribute6: [] };
    if (f.header.release === '1.3') f.bgp.activatesEveryRemoteAs = true;
  }
  return f.bgp;
}

function bgp(f: RouterFacts, w: string[], line: number): boolean {
  const b = f.bgp;
  if (!b) return false;
  const [a, x, y, z, u, v, t] = w;
  const n = w.length;
  if (a === 'parameters' && x === 'log-neighbor-changes' && n === 2) return (b.logNeighborChanges = true);
  if (a === 'parameters' && x === 'router-id' && n === 3) return Boolean((b.routerId = y));
  if (a === 'timers' && n === 3 && (x === 'keepalive' || x === 'holdtime')) {
    b[x] = int(f.file, line, y, `timers ${x}`);
    return true;
  }
  if (a === 'address-family' && (x === 'ipv4-unicast' || x === 'ipv6-unicast')) {
    const six = x === 'ipv6-unicast';
    const networks = six ? b.networks6 : b.networks;
    const redistribute = six ? b.redistribute6 : b.redistribute;
    if (y === 'network' && z !== undefined && z.includes(':') === six && (n === 4 || (n === 6 && u === 'route-map'))) {
      networks.push(n === 6 ? { prefix: canonicalAt(f.file, line, z), routeMap: v! } : { prefix: canonicalAt(f.file, line, z) });
      return true;
    }
    if (y === 'redistribute' && z !== undefined && (n === 4 || (n === 6 && (u === 'route-map' || u === 'metric')))) {
      const r = redistribute.find((q) => q.protocol === z) ?? (redistribute.push({ protocol: z }), redistribute[redistribute.length - 1]!);
      if (u === 'route-map') r.routeMap = v!;
      if (u === 'metric') r.metric = int(f.file, line, v, 'redistribute metric');
      return true;
    }
    return false;
  }
  if ((a === 'neighbor' || a === 'peer-group') && x !== undefined) {
    const nb = a === 'neighbor' ? neighbor(b, canonicalAt(f.file, line, x)) : peerGroup(b, x);
    if (a === 'neighbor' && y === 'peer-group' && z !== undefined && n === 4) return Boolean((nb.peerGroup = z));
    if (y === 'password' && z !== undefined && n === 4) return Boolean((nb.password = z));
    if (y === 'capability' && z === 'dynamic' && n === 4) return (nb.capabilityDynamic = true);
    if (y === 'capability' && z === 'extended-nexthop' && n === 4) return (nb.extendedNexthop = true);
    if (y === 'remote-as' && n === 4) {
      nb.remoteAs = int(f.file, line, z, 'remote-as');
      return true;
    }
    if (y === 'description' && n === 4) return Boolean((nb.description = z)) || true;
    if (y === 'shutdown' && n === 3) return (nb.shutdown = true);
    if (y === 'bfd' && n === 3) return (nb.bfd = true);
    if (y === 'ebgp-multihop' && n === 4) return Boolean((nb.ebgpMultihop = int(f.file, line, z, 'ebgp-multihop')));
    if (y === 'update-source' && n === 4) return Boolean((nb.updateSource = z));
    if (y === 'timers' && n === 5 && (z === 'keepalive' || z === 'holdtime')) {
      nb[z] = int(f.file, line, u, `neighbor timers ${z}`);
      return true;
    }
    if (y === 'address-family' && z === 'ipv6-unicast') {
      const s = (nb.v6 ??= {});
      if (n === 4) return true;
      // 1.3's per-family peer-group: FRR has one peer-group per neighbor, the same as `neighbor X peer-group G`.
      if (a === 'neighbor' && u === 'peer-group' && v !== undefined && n === 6) {
        if (nb.peerGroup !== undefined && nb.peerGroup !== v) return false;
        return Boolean((nb.peerGroup = v));
      }
      if (u === 'nexthop-self' && n === 5) return (s.nexthopSelf = true);
      if (u === 'soft-reconfiguration' && v === 'inbound' && n === 6) return (s.softInbound = true);
      if (u === 'maximum-prefix' && n === 6) return Boolean((s.maximumPrefix = int(f.file, line, v, 'maximum-prefix')));
      if (u === 'weight' && n === 6) return Boolean((s.weight = int(f.file, line, v, 'weight'))) || true;
      if ((u === 'route-map' || u === 'prefix-list') && (v === 'import' || v === 'export') && t !== undefined && n === 7) {
        if (u === 'route-map') s[v === 'import' ? 'routeMapIn' : 'routeMapOut'] = t;
        else s[v === 'import' ? 'prefixListIn' : 'prefixListOut'] = t;
        return true;
      }
      return false;
    }
    if (y === 'address-family' && z === 'ipv4-unicast') {
      nb.af = true;
      if (n === 4) return true;
      if (u === 'nexthop-self' && n === 5) return (nb.nexthopSelf = true);
      if (u === 'soft-reconfiguration' && v === 'inbound' && n === 6) return (nb.softInbound = true);
      if (u === 'maximum-prefix' && n === 6) return Boolean((nb.maximumPrefix = int(f.file, line, v, 'maximum-prefix')));
      if (u === 'weight' && n === 6) return Boolean((nb.weight = int(f.file, line, v, 'weight'))) || true;
      if ((u === 'route-map' || u === 'prefix-list') && (v === 'import' || v === 'export') && t !== undefined && n === 7) {
        if (u === 'route-map') nb[v === 'import' ? 'routeMapIn' : 'routeMapOut'] = t;
        else nb[v === 'import' ? 'prefixListIn' : 'prefixListOut'] = t;
        return true;
      }
    }
    return false;
  }
  return false;
}

function policy(f: RouterFacts, w: string[], line: number): boolean {
  const [kind, name, , seqText] = w;
  const map = kind === 'prefix-list' ? f.prefixLists : kind === 'prefix-list6' ? f.prefixLists6 : kind === 'route-map' ? f.routeMaps : undefined;
  const had = new Map([...(map ?? new Map<string, { seq: number }[]>())].map(([k, v]) => [k, v.length]));
  const ok = policyLine(f, w, line);
  // A line not understood leaves no trace: no rule, no route-map made up from it.
  if (!ok && map && name !== undefined) {
    const before = had.get(name);
    if (before === undefined) map.delete(name);
    else if (map.get(name)!.length > before) map.set(name, map.get(name)!.filter((r) => r.seq !== Number(seqText)) as never);
  }
  return ok;
}

function policyLine(f: RouterFacts, w: string[], line: number): boolean {
  const [kind, name, rule, seqText, key, ...rest] = w;
  if (name === undefined) return false;
  // A list's own description: a comment, as in FRR.
  if ((kind === 'prefix-list' || kind === 'prefix-list6' || kind === 'route-map') && rule === 'description' && w.length === 4) return true;
  if ((kind === 'prefix-list' || kind === 'prefix-list6') && rule === 'rule' && key !== undefined) {
    const r = ruleOf(kind === 'prefix-list' ? f.prefixLists : f.prefixLists6, name, int(f.file, line, seqText, 'prefix-list rule'), () => ({ seq: Number(seqText), action: 'permit' as const }));
    if (rest.length !== 1) return false;
    const v = rest[0]!;
    if (key === 'action' && (v === 'permit' || v === 'deny')) return Boolean((r.action = v));
    // Each list holds its own family only, as VyOS's commit checks.
    if (key === 'prefix') return v.includes(':') === (kind === 'prefix-list6') && Boolean((r.prefix = canonicalAt(f.file, line, v)));
    if (key === 'ge' || key === 'le') return Boolean((r[key] = int(f.file, line, v, key)));
    if (key === 'description') return true;
    return false;
  }
  if (kind === 'route-map' && rule === 'rule' && key !== undefined) {
    const r = ruleOf(f.routeMaps, name, int(f.file, line, seqText, 'route-map rule'), () => ({ seq: Number(seqText), action: 'permit' as const }));
    const s = rest.join(' ');
    if (key === 'action' && (s === 'permit' || s === 'deny')) return Boolean((r.action = s));
    if (key === 'description') return true;
    if (key === 'match' && rest.length === 4 && rest[0] === 'ip' && rest[1] === 'address' && rest[2] === 'prefix-list') return Boolean((r.matchPrefixList = rest[3]));
    if (key === 'match' && rest.length === 4 && rest[0] === 'ipv6' && rest[1] === 'address' && rest[2] === 'prefix-list') return Boolean((r.matchPrefixList6 = rest[3]));
    if (key === 'set') {
      // 1.3: set as-path-prepend 'A A'; 1.4+: set as-path prepend 'A A'
      if (rest[0] === 'metric' && rest.length === 2) return Boolean((r.setMetric = rest[1]));
      if (rest[0] === 'local-preference' && rest.length === 2) return Boolean((r.setLocalPref = int(f.file, line, rest[1], 'local-preference')));
      const asns = (v: string | undefined) => v !== undefined && /^\d+( \d+)*$/.test(v);
      if (rest[0] === 'as-path-prepend' && rest.length === 2 && asns(rest[1])) return Boolean((r.setPrepend = rest[1]));
      if (rest[0] === 'as-path' && rest[1] === 'prepend' && rest.length === 3 && asns(rest[2])) return Boolean((r.setPrepend = rest[2]));
    }
    return false;
  }
  return false;
}
