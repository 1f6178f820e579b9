// A small path-vector model of the BGP vygen's intents configure, for tests
// of the derived policy only (the routing lab runs the real daemon): sessions
// between intents, route-maps with prefix-list matches, AS-path prepend and
// local-preference, iBGP split horizon, best path by local-preference, AS-path
// length, eBGP over iBGP, then the lowest neighbor address.
import type { RouterIntent } from '../../dist/index.js';

type Intent = RouterIntent;
export interface Route {
  prefix: string;
  asPath: number[];
  localPref: number;
  /** Routers the route was learned through, nearest first. */
  via: string[];
  ibgp: boolean;
  from: string;
}

interface Session {
  a: string;
  b: string;
  /** The neighbor statement on a for b, and on b for a. */
  onA: NonNullable<Intent['bgp']>['neighbors'][number];
  onB: NonNullable<Intent['bgp']>['neighbors'][number];
}

function addressesOf(i: Intent): string[] {
  return [
    ...i.ethernet.flatMap((e) => e.addresses),
    ...i.tunnels.map((t) => t.address),
    ...i.vtis.flatMap((v) => (v.address ? [v.address] : [])),
  ].map((a) => a.split('/')[0]!);
}

function sessions(intents: readonly Intent[], down: ReadonlySet<string>): Session[] {
  const owner = new Map<string, string>();
  for (const i of intents) for (const a of addressesOf(i)) owner.set(a, i.name);
  const byName = new Map(intents.map((i) => [i.name, i]));
  const out: Session[] = [];
  for (const i of intents) {
    if (down.has(i.name)) continue;
    for (const n of i.bgp?.neighbors ?? []) {
      const peer = owner.get(n.address);
      if (!peer || down.has(peer) || peer < i.name) continue;
      const back = byName.get(peer)!.bgp?.neighbors.find((m) => owner.get(m.address) === i.name);
      if (back) out.push({ a: i.name, b: peer, onA: n, onB: back });
    }
  }
  return out;
}

function applyMap(intent: Intent, name: string | undefined, r: Route): Route | undefined {
  if (!name) return r;
  const map = intent.routeMaps.find((m) => m.name === name);
  if (!map) throw new Error(`${intent.name}: route-map ${name} is not defined`);
  for (const rule of [...map.rules].sort((x, y) => x.number - y.number)) {
    if (rule.matchPrefixList) {
      const pl = intent.prefixLists.find((p) => p.name === rule.matchPrefixList);
      if (!pl) throw new Error(`${intent.name}: prefix-list ${rule.matchPrefixList} is not defined`);
      const hit = [...pl.rules].sort((x, y) => x.number - y.number).find((p) => p.prefix === r.prefix);
      if (!hit || hit.action === 'deny') continue;
    }
    if (rule.action === 'deny') return undefined;
    return { ...r, asPath: [...(rule.prepend ?? []), ...r.asPath], localPref: rule.localPreference ?? r.localPref };
  }
  return undefined;
}

const better = (x: Route, y: Route) =>
  x.localPref !== y.localPref ? x.localPref > y.localPref : x.asPath.length !== y.asPath.length ? x.asPath.length < y.asPath.length : x.ibgp !== y.ibgp ? !x.ibgp : x.from < y.from;

/** Best route to every prefix on every router that is up, once the model has converged. */
export function converge(intents: readonly Intent[], down: ReadonlySet<string> = new Set()): Map<string, Map<string, Route>> {
  const byName = new Map(intents.map((i) => [i.name, i]));
  const best = new Map<string, Map<string, Route>>();
  for (const i of intents) {
    if (down.has(i.name) || !i.bgp) continue;
    const own = new Map<string, Route>();
    for (const n of i.bgp.networks) own.set(n.prefix, { prefix: n.prefix, asPath: [], localPref: 100, via: [], ibgp: false, from: '' });
    best.set(i.name, own);
  }
  const links = sessions(intents, down);
  for (let round = 0; round < 100; round++) {
    let changed = false;
    for (const s of links) {
      for (const [from, to, out, inn] of [[s.a, s.b, s.onA, s.onB], [s.b, s.a, s.onB, s.onA]] as const) {
        const fi = byName.get(from)!;
        const ti = byName.get(to)!;
        for (const r of best.get(from)!.values()) {
          if (out.kind === 'ibgp' && r.ibgp) continue; // split horizon
          const ebgp = out.kind === 'ebgp';
          const sent = applyMap(fi, out.routeMapExport, { ...r, asPath: ebgp ? [fi.bgp!.asn, ...r.asPath] : r.asPath, localPref: ebgp ? 100 : r.localPref });
          if (!sent) continue;
          if (ebgp && sent.asPath.includes(ti.bgp!.asn)) continue;
          const got = applyMap(ti, inn.routeMapImport, { ...sent, ibgp: !ebgp, from: inn.address, via: [from, ...r.via] });
          if (!got || got.via.includes(to)) continue;
          const table = best.get(to)!;
          const cur = table.get(got.prefix);
          if (cur && cur.from === got.from && JSON.stringify(cur) === JSON.stringify(got)) continue;
          if (!cur || better(got, cur) || cur.from === got.from) {
            table.set(got.prefix, got);
            changed = true;
          }
        }
      }
    }
    if (!changed) return best;
  }
  throw new Error('the BGP model did not converge in 100 rounds');
}
