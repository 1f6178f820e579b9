// What the lab asserts about one snapshot: sessions Established (named by
// both ends, with the configured cause when not), every announced prefix
// reached from every other site over the data-plane next hops zebra
// installed, by a path that crosses no more sites than the surviving links
// need and no more standby links than necessary, and never preferred over
// a standby's path only by a tie-breaker (age, router-id).
import { effective } from './facts.js';
import type { Plan, LabNode } from './plan.js';
import type { BgpPath, NodeView, Snapshot } from './snapshot.js';

export interface Failure {
  nodes: Set<string>;
  media: Set<string>;
}

export const NO_FAILURE: Failure = { nodes: new Set(), media: new Set() };

export interface SessionRow {
  router: string;
  neighbor: string;
  peer: string;
  state: string;
}

export interface RouteRow {
  router: string;
  prefix: string;
  via: string[];
}

export interface Verdict {
  sessions: SessionRow[];
  routes: RouteRow[];
  problems: string[];
  /** Selected next hops and session states: two equal fingerprints in a row mean the lab has settled. */
  fingerprint: string;
  /** The router-id each node runs with. */
  routerIds: Map<string, string>;
}

const TIE_BREAKERS = new Set(['Older Path', 'Router ID', 'Neighbor IP', 'Cluster length', 'Originator ID']);

function activeLike(n: LabNode): boolean {
  return n.role === 'active' || n.kind === 'gateway' || n.kind === 'peer';
}

interface Edge {
  to: string;
  medium: string;
}

/** The sessions carrying one address family: an IPv6 prefix travels over the sessions that carry IPv6 (IPv6 ones, and IPv4 ones carrying IPv6 too). */
function graphOf(plan: Plan, failure: Failure, six: boolean): Map<string, Edge[]> {
  const g = new Map<string, Edge[]>(plan.nodes.map((n) => [n.name, []]));
  const family = six ? 6 : 4;
  for (const a of plan.adjacencies) {
    if (!a.families.includes(family)) continue;
    if (!a.peer || failure.nodes.has(a.node) || failure.nodes.has(a.peer) || carriedBy(a, failure) === undefined) continue;
    // A session needs both ends configured toward each other, each carrying the family (FRR negotiates it).
    const back = plan.adjacencies.some((b) => b.node === a.peer && b.peer === a.node && b.address.includes(':') === a.address.includes(':') && b.families.includes(family) && (b.medium === a.medium || (b.over !== undefined && a.over !== undefined)));
    if (back) g.get(a.node)!.push({ to: a.peer, medium: carriedBy(a, failure)! });
  }
  return g;
}

/** The medium a session runs over while `failure` lasts: its link, or one of a multihop session's tunnels; undefined when none is left. */
function carriedBy(a: Plan['adjacencies'][number], failure: Failure): string | undefined {
  if (a.medium !== undefined) return failure.media.has(a.medium) ? undefined : a.medium;
  return a.over?.find((m) => !failure.media.has(m));
}

type Cost = [number, number];
const less = (a: Cost, b: Cost) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

function hopCost(x: LabNode, y: LabNode): Cost {
  if (x.site === y.site) return [0, 0];
  // A peer on a router's LAN (a VPC route server endpoint, an HA partner) reaches the standby over that
  // LAN, not over a standby link: when the active's own path is through the standby, the route server
  // pointing the VPC straight at the standby (BGP's third-party next hop) is the shorter way, not a detour.
  if (x.kind === 'peer' || y.kind === 'peer') return [1, 0];
  return [1, activeLike(x) && activeLike(y) ? 0 : 1];
}

/** Lowest (sites crossed, standby links used) from `from` to any node of `site`. */
function bestCost(plan: Plan, g: Map<string, Edge[]>, from: string, site: string): Cost | undefined {
  const byName = new Map(plan.nodes.map((n) => [n.name, n]));
  const dist = new Map<string, Cost>([[from, [0, 0]]]);
  const open = new Set([from]);
  while (open.size > 0) {
    let u = '';
    for (const n of open) if (u === '' || less(dist.get(n)!, dist.get(u)!)) u = n;
    open.delete(u);
    if (byName.get(u)!.site === site) return dist.get(u);
    for (const e of g.get(u) ?? []) {
      const c = hopCost(byName.get(u)!, byName.get(e.to)!);
      const d: Cost = [dist.get(u)![0] + c[0], dist.get(u)![1] + c[1]];
      const old = dist.get(e.to);
      if (!old || less(d, old)) {
        dist.set(e.to, d);
        open.add(e.to);
      }
    }
  }
  return undefined;
}

/** The paths `node`'s bgpd holds for `prefix`, best first: each one's neighbour, local preference and AS path. */
function heldPaths(plan: Plan, view: NodeView | undefined, node: string, prefix: string): string {
  const neighbour = (address: string | undefined) => (address === undefined ? 'an unknown neighbour' : (plan.owner.get(address) ?? address));
  const paths = [...(view?.bgp.get(prefix) ?? [])].sort((a, b) => Number(b.best) - Number(a.best));
  // A path bgpd keeps but cannot use (its next hop does not resolve) is no candidate at all: said apart.
  const unusable = (view?.unusable?.get(prefix) ?? []).map((u) => `from ${neighbour(u.peer)} with next hop ${u.nexthop}, which ${node} cannot resolve`);
  const cannot = unusable.length > 0 ? `; it cannot use ${unusable.length === 1 ? 'one more' : `${unusable.length} more`}: ${unusable.join('; ')}` : '';
  if (paths.length === 0) return `${node}'s bgpd holds no path to ${prefix} it can use${cannot}`;
  const one = (p: BgpPath) => `${p.best ? 'best ' : ''}from ${neighbour(p.peerId ?? p.nexthop)} (${p.internal ? 'iBGP' : 'eBGP'}, local-pref ${p.locPrf}, AS path ${p.path || 'empty'}${p.best && p.reason ? `, chosen by ${p.reason}` : ''})`;
  return `${node}'s bgpd holds ${paths.length === 1 ? 'one path' : `${paths.length} paths`}: ${paths.map(one).join('; ')}${cannot}`;
}

/**
 * The chooser's partners in its own site: the path over fewer standby links
 * usually comes from one of them, so their session with the chooser and what
 * they hold say whether it was never learned, never sent, or refused. Nothing
 * here changes by itself from one look to the next (no uptime): the lab waits
 * for a failing verdict's text to stay the same before it reports it.
 */
function partnersHeld(plan: Plan, snap: Snapshot, node: string, prefix: string): string[] {
  const site = plan.nodes.find((n) => n.name === node)!.site;
  const peers = snap.get(node)?.peers;
  return plan.nodes
    .filter((n) => n.kind === 'router' && n.site === site && n.name !== node)
    .map((n) => {
      const a = plan.adjacencies.find((x) => x.node === node && x.peer === n.name);
      const s = a ? peers?.get(a.address) : undefined;
      const session = !a ? `no session with ${n.name}` : !s ? `no state for its session with ${n.name}` : `its session with ${n.name} ${s.state}${s.received !== undefined ? `, ${s.received} prefix${s.received === 1 ? '' : 'es'} received` : ''}`;
      return `${session}; ${heldPaths(plan, snap.get(n.name), n.name, prefix)}`;
    });
}

function diagnoseSession(plan: Plan, node: string, address: string): string {
  const byName = new Map(plan.nodes.map((n) => [n.name, n]));
  const a = plan.adjacencies.find((x) => x.node === node && x.address === address)!;
  const me = byName.get(node)!;
  if (!a.peer) return `no router or gateway in the lab has address ${address}`;
  const peer = byName.get(a.peer)!;
  const why: string[] = [];
  if (a.remoteAs !== undefined && peer.asn !== undefined && a.remoteAs !== peer.asn) why.push(`${node} expects AS ${a.remoteAs} at ${address}, but ${peer.name} is AS ${peer.asn}`);
  const back = plan.adjacencies.find((x) => x.node === peer.name && x.address === a.localAddress);
  if (!back) why.push(`${peer.name} has no neighbor ${a.localAddress ?? `address of ${node}`}`);
  else if (back.remoteAs !== undefined && me.asn !== undefined && back.remoteAs !== me.asn) why.push(`${peer.name} expects AS ${back.remoteAs} at ${back.address}, but ${node} is AS ${me.asn}`);
  const fams = (f: (4 | 6)[]) => f.map((x) => `IPv${x}`).join(' and ') || 'no family';
  if (back && !a.families.some((f) => back.families.includes(f))) why.push(`${node} activates the session in ${fams(a.families)}, ${peer.name} in ${fams(back.families)}: no address family in common, which FRR refuses`);
  const raw = me.facts?.bgp?.neighbors.get(address);
  const nb = raw && effective(me.facts!.bgp!, raw);
  if (nb?.shutdown) why.push(`${node} has neighbor ${address} shut down`);
  const group = nb?.peerGroup !== undefined ? ` nor its peer-group ${nb.peerGroup}` : '';
  if (nb && a.medium === undefined && nb.remoteAs !== me.asn && nb.ebgpMultihop === undefined) why.push(`${address} is on no connected subnet of ${node}, and neither the neighbor${group} sets ebgp-multihop (FRR does not connect to an eBGP peer that is not directly connected)`);
  if (nb && a.medium === undefined && nb.updateSource === undefined) why.push(`${node} names no update-source for ${address}${group ? ` (nor its peer-group ${nb.peerGroup})` : ''}: the session starts from an address ${peer.name} does not expect`);
  return why.length > 0 ? why.join('; ') : 'both ends agree on addresses and AS numbers';
}

export function evaluate(plan: Plan, snap: Snapshot, failure: Failure): Verdict {
  const problems: string[] = [];
  const byName = new Map(plan.nodes.map((n) => [n.name, n]));
  const up = (n: string) => !failure.nodes.has(n);
  const fp: string[] = [];

  const sessions: SessionRow[] = [];
  for (const a of plan.adjacencies) {
    if (!up(a.node)) continue;
    const state = snap.get(a.node)?.peers.get(a.address)?.state ?? 'absent';
    sessions.push({ router: a.node, neighbor: a.address, peer: a.peer ?? '?', state });
    fp.push(`${a.node}>${a.address}=${state}`);
    const excused = (a.peer !== undefined && !up(a.peer)) || ((a.medium !== undefined || a.over !== undefined) && carriedBy(a, failure) === undefined);
    if (a.overRoute && a.over) {
      // Which tunnels carry the session's static route: a repaired tunnel counts once zebra uses it again.
      const want = a.over.map((m, i) => (failure.media.has(m) ? undefined : a.overRoute!.ifaces[i])).filter((x): x is string => x !== undefined).sort();
      const have = [...new Set((snap.get(a.node)?.routes.get(a.overRoute.prefix)?.nexthops ?? []).map((h) => h.iface).filter((x): x is string => x !== undefined))].sort();
      fp.push(`${a.node}>${a.overRoute.prefix}@${have.join(',')}`);
      if (want.join(',') !== have.join(',')) problems.push(`${a.node} routes ${a.overRoute.prefix} (its neighbor ${a.address}) over ${have.length > 0 ? have.join(', ') : 'nothing'}, not ${want.join(', ') || 'nothing'}`);
    }
    if (state !== 'Established' && !excused) problems.push(`session ${a.node} → ${a.peer ?? '?'} (${a.address}) is ${state}: ${diagnoseSession(plan, a.node, a.address)}`);
  }

  const graphs = [graphOf(plan, failure, false), graphOf(plan, failure, true)] as const;
  const routes: RouteRow[] = [];
  for (const o of plan.origins) {
    // A prefix whose every announcer is down is gone, not unreachable.
    if (o.nodes.every((n) => !up(n))) continue;
    for (const src of plan.nodes) {
      if (src.site === o.site || !up(src.name)) continue;
      // Clouds are not each other's transit: a gateway need reach only the routers' sites.
      if (src.kind === 'gateway' && o.nodes.every((n) => byName.get(n)!.kind === 'gateway')) continue;
      // A peer outside the topology has no path of its own: it learns only from the routers that name it.
      if (src.kind === 'peer' && plan.adjacencies.filter((a) => a.node === src.name && a.peer !== undefined).every((a) => !up(a.peer!))) continue;
      // A modelled peer speaks the families the routers named it with: one with IPv6 sessions only has no IPv4 routes to check.
      if (src.kind !== 'router' && !plan.adjacencies.some((a) => a.node === src.name && a.families.includes(o.prefix.includes(':') ? 6 : 4))) continue;
      const via = [src.name];
      let here = src.name;
      let problem: string | undefined;
      for (let hops = 0; byName.get(here)!.site !== o.site; hops++) {
        let r = snap.get(here)?.routes.get(o.prefix);
        // A route server endpoint sits in the subnet it is told about: what it would write into the route table is its BGP best path.
        if (r?.protocol === 'connected' && byName.get(here)!.kind === 'peer') {
          const best = snap.get(here)?.bgp.get(o.prefix)?.find((p) => p.best);
          r = best?.nexthop ? { protocol: 'bgp', nexthops: [{ ip: best.nexthop }] } : undefined;
        }
        if (!r) {
          // bgpd has the route, but with a next hop it cannot reach: what an unusable next hop looks like.
          const hop = snap.get(here)?.unusable?.get(o.prefix)?.[0];
          const from = hop?.peer !== undefined ? plan.owner.get(hop.peer) : undefined;
          problem = hop
            ? `${here} has no route to ${o.prefix} (${o.site}): its BGP path${from ? ` from ${from}` : ''} has next hop ${hop.nexthop}, which ${here} cannot resolve`
            : `${here} has no route to ${o.prefix} (${o.site})`;
          break;
        }
        const nh = r.nexthops.find((n) => n.ip !== undefined);
        if (r.protocol !== 'bgp' || !nh) {
          problem = `${here} routes ${o.prefix} (${o.site}) by ${r.protocol}${nh ? ` via ${nh.ip}` : ''}, not over BGP to ${o.site}`;
          break;
        }
        const next = plan.owner.get(nh.ip!);
        if (!next) {
          problem = `${here} sends ${o.prefix} to ${nh.ip}, which is no router of the lab`;
          break;
        }
        if (via.includes(next) || hops > 64) {
          problem = `${o.prefix} loops: ${[...via, next].join(' → ')}`;
          break;
        }
        via.push(next);
        here = next;
      }
      routes.push({ router: src.name, prefix: o.prefix, via });
      fp.push(`${o.prefix}@${src.name}:${via.join(',')}`);
      if (problem) {
        problems.push(`${src.name} does not reach ${o.prefix} (${o.site}): ${problem}`);
        continue;
      }
      const best = bestCost(plan, graphs[o.prefix.includes(':') ? 1 : 0], src.name, o.site);
      let cost: Cost = [0, 0];
      const standbyHops: string[] = [];
      for (let i = 1; i < via.length; i++) {
        const c = hopCost(byName.get(via[i - 1]!)!, byName.get(via[i]!)!);
        cost = [cost[0] + c[0], cost[1] + c[1]];
        if (c[1] > 0) standbyHops.push(`${via[i - 1]}—${via[i]}`);
      }
      const path = via.join(' → ');
      if (best && cost[0] > best[0]) {
        const sites = [...new Set(via.map((v) => byName.get(v)!.site))];
        const third = sites.filter((s) => s !== src.site && s !== o.site);
        problems.push(`${src.name} reaches ${o.prefix} (${o.site}) through ${path}: crosses ${cost[0]} site borders where ${best[0]} suffice (transit through ${third.join(', ')})`);
      } else if (best && cost[1] > best[1]) {
        // Where the path took its first standby link is where BGP chose it: what that bgpd held says why.
        const chooser = standbyHops[0]!.split('—')[0]!;
        const said = [heldPaths(plan, snap.get(chooser), chooser, o.prefix), ...partnersHeld(plan, snap, chooser, o.prefix)].join('; ');
        problems.push(`${src.name} reaches ${o.prefix} (${o.site}) through ${path}: uses the standby link${standbyHops.length > 1 ? 's' : ''} ${standbyHops.join(', ')} although a path over fewer standby links is up (${said})`);
      }
    }
  }

  // A best path chosen only by a tie-breaker over a standby's path means the
  // standby's prepend or local-preference is not doing its work.
  for (const n of plan.nodes) {
    if (!up(n.name)) continue;
    const view = snap.get(n.name);
    if (!view) continue;
    for (const o of plan.origins) {
      if (o.site === n.site) continue;
      const paths = view.bgp.get(o.prefix) ?? [];
      const best = paths.find((p) => p.best);
      if (!best || best.reason === undefined || !TIE_BREAKERS.has(best.reason)) continue;
      const key = (p: typeof best) => `${p.weight}/${p.locPrf}/${p.path.split(' ').filter(Boolean).length}/${p.origin}/${p.med}`;
      const tied = paths.filter((p) => key(p) === key(best));
      const from = (p: typeof best) => (p.nexthop ? plan.owner.get(p.nexthop) : undefined);
      const bestNode = from(best);
      const others = [...new Set(tied.map(from).filter((x): x is string => x !== undefined && x !== bestNode))];
      const roles = new Set([bestNode, ...others].filter((x): x is string => x !== undefined).map((x) => activeLike(byName.get(x)!)));
      if (others.length > 0 && roles.size > 1) {
        problems.push(`${n.name} prefers ${bestNode} over ${others.join(', ')} for ${o.prefix} (${o.site}) only by "${best.reason}": the paths through the active and the standby router are equally good`);
      }
    }
  }
  problems.push(...routerIdProblems(plan, snap, up));
  const routerIds = new Map([...snap].filter(([, v]) => v.routerId !== undefined).map(([k, v]) => [k, v.routerId!]));
  return { sessions, routes, problems, fingerprint: fp.join('\n'), routerIds };
}

/**
 * A router that sets no router-id runs with the one FRR chose (the highest
 * interface address that is not a loopback's or link-local, loopbacks
 * first): none at all (0.0.0.0) keeps every session down, and two speakers
 * with one id refuse each other's sessions.
 */
function routerIdProblems(plan: Plan, snap: Snapshot, up: (n: string) => boolean): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const n of plan.nodes) {
    const id = snap.get(n.name)?.routerId;
    if (!up(n.name) || id === undefined || n.asn === undefined) continue;
    const chosen = n.kind === 'router' && !n.facts?.bgp?.routerId;
    if (id === '0.0.0.0') problems.push(`${n.name} has no router-id: it sets none and FRR found no address to take one from (only link-local or no addresses); set protocols bgp parameters router-id`);
    else if (seen.has(id)) problems.push(`${seen.get(id)} and ${n.name} both run with router-id ${id}${chosen ? ` (${n.name} sets none: FRR chose it)` : ''}: BGP refuses a session between two speakers with one id`);
    else seen.set(id, n.name);
  }
  return problems;
}
