// What the intents derive and what the user wrote for the same router merge
// into one intent. An element is matched by its identity (an interface by
// name, a neighbor by address, a list by name); a leaf set on both sides to
// different values, or an element defined twice where it cannot be extended,
// is a contradiction reported at both lines. A written value replaces a value
// vygen only defaulted (origin 'default'), never one it derived.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { formatPath, shown } from '../../diagnostics.js';
import type { NeighborIntent, RouterIntent, SessionOptions } from '../../model/intent.js';
import type { ExplicitRouter } from './model.js';

export function standaloneIntent(x: ExplicitRouter): RouterIntent {
  return {
    name: x.name,
    release: x.release,
    releasePath: x.releasePath,
    path: x.path,
    hostName: x.name,
    ethernet: [],
    loopbacks: [],
    tunnels: [],
    vtis: [],
    prefixLists: [],
    routeMaps: [],
    staticRoutes: [],
  };
}

class Merger {
  constructor(
    private readonly intent: RouterIntent,
    private readonly diags: Diagnostics,
  ) {}

  /** Two values for one leaf: an error at the written line, naming the line (or derivation) of the other. */
  conflict(what: string, written: DocPath, other: DocPath | undefined, a: unknown, b: unknown): void {
    this.diags.error('config-conflict', written, `${what} of router ${shown(this.intent.name)} is set twice: ${shown(String(b))} here, ${shown(String(a))} ${other ? `at ${formatPath(other)}` : 'by vygen'}`, {
      expected: 'one value per setting of a router',
      found: shown(String(b)),
      hint: other && other[0] !== 'routers' ? `vygen derives it from ${formatPath(other)}; change it there, or remove it here` : 'remove one of the two',
    });
    if (other && other[0] === 'routers') {
      this.diags.error('config-conflict', other, `${what} of router ${shown(this.intent.name)} is also set at ${formatPath(written)}`, { expected: 'one value per setting of a router', found: shown(String(a)) });
    }
  }

  twice(what: string, written: DocPath, other: DocPath | undefined): void {
    this.diags.error('config-defined-twice', written, `${what} of router ${shown(this.intent.name)} is already ${other ? `defined at ${formatPath(other)}` : 'derived by vygen'}`, {
      at: 'key',
      expected: `a ${what.split(' ')[0]} defined once`,
      hint: other && other[0] !== 'routers' ? `vygen derives it from ${formatPath(other)}; choose another name here` : 'choose another name, or remove one of them',
    });
  }

  /** Leaf by leaf: absent on one side takes the other; equal values agree. */
  leaves<T extends object>(what: string, target: T, written: Partial<T>, writtenPath: DocPath, targetPath: DocPath | undefined, keys: readonly (keyof T & string)[]): void {
    for (const k of keys) {
      const b = written[k];
      if (b === undefined) continue;
      const a = target[k];
      const origin = (a as { origin?: string } | undefined)?.origin;
      if (a === undefined || origin === 'default') {
        (target as Record<string, unknown>)[k] = b;
        continue;
      }
      const same = JSON.stringify(valueOf(a)) === JSON.stringify(valueOf(b));
      if (!same) this.conflict(`${what} ${k}`, pathOf(b) ?? writtenPath, pathOf(a) ?? targetPath, valueOf(a), valueOf(b));
    }
  }
}

const valueOf = (v: unknown) => (v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v);
const pathOf = (v: unknown): DocPath | undefined => (v && typeof v === 'object' && 'path' in v ? (v as { path: DocPath }).path : undefined);

function addresses(m: Merger, what: string, into: string[], add: readonly string[], path: DocPath, otherPath: DocPath | undefined): void {
  for (const a of add) {
    if (into.includes(a)) m.twice(`${what} address ${a}`, path, otherPath);
    else into.push(a);
  }
}

const SESSION_KEYS: (keyof SessionOptions & string)[] = [
  'remoteAs', 'description', 'updateSource', 'ebgpMultihop', 'password', 'timers', 'capabilityDynamic', 'nexthopSelf',
  'softReconfiguration', 'weight', 'maximumPrefix', 'prefixListImport', 'prefixListExport', 'addressFamilies',
];

export function mergeExplicit(intent: RouterIntent, x: ExplicitRouter, diags: Diagnostics): void {
  const m = new Merger(intent, diags);
  if (x.hostName) intent.hostName = x.hostName.value;
  for (const e of x.ethernet) {
    const have = intent.ethernet.find((i) => i.name === e.name);
    if (!have) {
      const { path: _p, ...rest } = e;
      intent.ethernet.push(rest);
      continue;
    }
    addresses(m, `interface ${e.name}`, have.addresses, e.addresses, [...e.path, 'address'], intent.path);
    m.leaves(`interface ${e.name}`, have, e, e.path, undefined, ['description', 'mtu']);
    for (const v of e.vifs ?? []) {
      have.vifs ??= [];
      if (have.vifs.some((o) => o.id === v.id)) m.twice(`vif ${e.name}.${v.id}`, [...e.path, 'vif', String(v.id)], undefined);
      else have.vifs.push(v);
    }
  }
  intent.ethernet.sort((a, b) => naturalCompare(a.name, b.name));
  const loopbacksLike = (key: 'loopbacks' | 'dummies') => {
    for (const l of x[key]) {
      const list = (intent[key] ??= []);
      const have = list.find((i) => i.name === l.name);
      const { path: _p, ...rest } = l;
      if (!have) list.push(rest);
      else {
        addresses(m, `interface ${l.name}`, have.addresses, l.addresses, [...l.path, 'address'], intent.path);
        m.leaves(`interface ${l.name}`, have, l, l.path, undefined, ['description']);
      }
    }
  };
  loopbacksLike('loopbacks');
  loopbacksLike('dummies');
  for (const t of x.tunnels) {
    if (intent.tunnels.some((o) => o.name === t.name)) m.twice(`tunnel ${t.name}`, t.path, undefined);
    else intent.tunnels.push(t);
  }
  for (const v of x.vtis) {
    const have = intent.vtis.find((o) => o.name === v.name);
    if (!have) {
      const { path: _p, ...rest } = v;
      intent.vtis.push(rest);
      continue;
    }
    m.leaves(`interface ${v.name}`, have, v, v.path, undefined, ['address', 'moreAddresses', 'description', 'mtu', 'adjustMss']);
  }
  intent.vtis.sort((a, b) => naturalCompare(a.name, b.name));

  for (const s of x.staticRoutes) {
    const { path, announce: _a, ...route } = s;
    if (intent.staticRoutes.some((o) => JSON.stringify(o) === JSON.stringify(route))) m.twice(`static route ${s.prefix}`, path, undefined);
    else intent.staticRoutes.push(route);
  }

  const byName = <T extends { name: string; path?: DocPath }>(what: string, into: T[], add: readonly T[]) => {
    for (const a of add) {
      const have = into.find((o) => o.name === a.name);
      if (have) m.twice(`${what} ${a.name}`, a.path ?? x.path, have.path);
      else into.push(a);
    }
  };
  byName('prefix-list', intent.prefixLists, x.prefixLists);
  byName('route-map', intent.routeMaps, x.routeMaps);
  if (x.asPathLists.length) byName('as-path-list', (intent.asPathLists ??= []), x.asPathLists);
  if (x.communityLists.length) byName('community-list', (intent.communityLists ??= []), x.communityLists);

  if (x.bgp) mergeBgp(m, intent, x, diags);

  if (x.ipsec) {
    const w = x.ipsec;
    if (!intent.ipsec) intent.ipsec = { interface: w.interface ?? '', disableRouteAutoinstall: false, ikeGroups: [], espGroups: [], peers: [] };
    const ip = intent.ipsec;
    if (w.interface !== undefined && ip.interface !== '' && ip.interface !== w.interface) m.conflict('IPsec interface', [...w.path, 'interface'], undefined, ip.interface, w.interface);
    if (ip.interface === '' && w.interface !== undefined) ip.interface = w.interface;
    const autoinstall = w.disableRouteAutoinstall ?? (w.peers.some((p) => p.vti !== undefined) || ip.disableRouteAutoinstall);
    ip.disableRouteAutoinstall = autoinstall;
    byName('IKE group', ip.ikeGroups, w.ikeGroups);
    byName('ESP group', ip.espGroups, w.espGroups);
    byName('IPsec peer', ip.peers, w.peers);
    ip.ikeGroups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    ip.espGroups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  if (x.vrrp) {
    intent.vrrp ??= { groups: [], syncGroups: [] };
    const groups = intent.vrrp.groups.map((g) => ({ ...g, name: g.group }));
    for (const g of x.vrrp.groups) {
      const have = groups.find((o) => o.name === g.group);
      if (have) m.twice(`VRRP group ${g.group}`, g.path, have.path);
      else intent.vrrp.groups.push(g);
    }
    byName('VRRP sync-group', intent.vrrp.syncGroups, x.vrrp.syncGroups);
  }

  if (x.nat) {
    intent.nat ??= { source: [], destination: [] };
    for (const [kind, into, add] of [['source', intent.nat.source, x.nat.source], ['destination', intent.nat.destination, x.nat.destination]] as const) {
      for (const r of add) {
        const have = (into as { number: number; path: DocPath }[]).find((o) => o.number === r.number);
        if (have) m.twice(`${kind} NAT rule ${r.number}`, [...r.path, 'rule'], have.path);
        else (into as unknown[]).push(r);
      }
      (into as { number: number }[]).sort((a, b) => a.number - b.number);
    }
  }
  // A static route written with `announce` is announced by a network statement.
  for (const s of x.staticRoutes) {
    if (!s.announce) continue;
    if (!intent.bgp) {
      diags.error('announce-without-bgp', [...s.path, 'announce'], `router ${shown(x.name)} announces ${s.prefix} but runs no BGP`, { expected: 'a bgp section (or a site) on the router', hint: 'remove announce, or add bgp: { asn: ... }' });
    } else if (!intent.bgp.networks.some((n) => n.prefix === s.prefix)) intent.bgp.networks.push({ prefix: s.prefix });
  }
  if (x.extraLines.length) intent.extraLines = [...(intent.extraLines ?? []), ...x.extraLines];
}

function mergeBgp(m: Merger, intent: RouterIntent, x: ExplicitRouter, diags: Diagnostics): void {
  const w = x.bgp!;
  if (!intent.bgp) {
    if (w.asn === undefined) {
      diags.error('missing-key', w.path, `router ${shown(x.name)} has BGP but no AS number`, { at: 'key', expected: 'bgp.asn (a router in no site has no site AS to take)', hint: 'add asn: 65000' });
      return;
    }
    intent.bgp = { asn: w.asn, neighbors: [], networks: [] };
  } else if (w.asn !== undefined && w.asn !== intent.bgp.asn) {
    m.conflict('BGP AS number', [...w.path, 'asn'], intent.site !== undefined ? ['sites', intent.site, 'asn'] : undefined, intent.bgp.asn, w.asn);
  }
  const bgp = intent.bgp;
  m.leaves('BGP', bgp, w, w.path, undefined, ['routerId', 'keepalive', 'holdtime']);
  for (const g of w.peerGroups ?? []) {
    bgp.peerGroups ??= [];
    if (bgp.peerGroups.some((o) => o.name === g.name)) m.twice(`peer-group ${g.name}`, g.path, undefined);
    else bgp.peerGroups.push(g);
  }
  for (const n of w.neighbors) {
    const have = bgp.neighbors.find((o) => o.address === n.address);
    if (!have) {
      // A written neighbor in the router's own AS is iBGP.
      const remoteAs = n.remoteAs ?? w.peerGroups?.find((g) => g.name === n.peerGroup)?.remoteAs;
      bgp.neighbors.push({ ...n, kind: remoteAs === bgp.asn ? 'ibgp' : 'ebgp', pinned: { import: true, export: true } });
      continue;
    }
    mergeNeighbor(m, have, n);
  }
  for (const net of w.networks) {
    const have = bgp.networks.find((o) => o.prefix === net.prefix);
    if (!have) bgp.networks.push(net);
    else if (have.routeMap !== net.routeMap) m.conflict(`network ${net.prefix} route-map`, [...w.path, 'networks'], undefined, have.routeMap ?? 'none', net.routeMap ?? 'none');
  }
  for (const r of w.redistribute ?? []) {
    bgp.redistribute ??= [];
    const have = bgp.redistribute.find((o) => o.protocol === r.protocol);
    if (!have) bgp.redistribute.push(r);
    else if (have.routeMap !== r.routeMap) m.conflict(`redistribute ${r.protocol} route-map`, [...w.path, 'redistribute', r.protocol], undefined, have.routeMap ?? 'none', r.routeMap ?? 'none');
  }
}

/** A written neighbor on a derived session: its leaves must agree, except route-maps, which replace the derived policy. */
function mergeNeighbor(m: Merger, have: NeighborIntent, n: NeighborIntent): void {
  m.leaves(`neighbor ${n.address}`, have, n, n.path!, undefined, SESSION_KEYS);
  if (n.peerGroup !== undefined) have.peerGroup = n.peerGroup;
  if (n.routeMapImport !== undefined) {
    have.routeMapImport = n.routeMapImport;
    have.pinned = { ...have.pinned, import: true };
  }
  if (n.routeMapExport !== undefined) {
    have.routeMapExport = n.routeMapExport;
    have.pinned = { ...have.pinned, export: true };
  }
}

/** eth2 after eth1, eth10 after eth9. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}
