// Failures, one at a time: each active router down (all its interfaces shut:
// its tunnel peers lose carrier at once, its LAN peers behind the bridge only
// notice when the hold time runs out, as on a real LAN), then each inter-site
// link down (both ends shut, which FRR's fast external failover sees at
// once). After each: settle, check, repair, wait for the baseline again.
import type { Failure } from './checks.js';
import type { End, Plan } from './plan.js';

export interface Scenario {
  name: string;
  kind: 'router' | 'link';
  failure: Failure;
  ends: End[];
  /** Seconds the reroute may take: the longest negotiated hold time of a session that loses its peer. */
  bound: number;
  /** Seconds a passing look must wait for: a multihop session notices a lost tunnel only when its next keepalive has to take another one. */
  observe: number;
}

function negotiatedHold(plan: Plan, node: string, peer: string | undefined, medium: string | undefined): number {
  const mine = plan.adjacencies.find((a) => a.node === node && a.peer === peer && a.medium === medium);
  const theirs = plan.adjacencies.find((a) => a.node === peer && a.peer === node && a.medium === medium);
  const holds = [mine?.holdtime, theirs?.holdtime].filter((x): x is number => x !== undefined);
  return holds.length > 0 ? Math.min(...holds) : 0;
}

export function routerDown(plan: Plan, name: string): Scenario {
  const n = plan.nodes.find((x) => x.name === name)!;
  const ends = n.ifaces.filter((i) => i.medium !== 'lo').map((i) => ({ node: n.name, iface: i.name }));
  const bound = Math.max(0, ...plan.adjacencies.filter((a) => a.node === name).map((a) => negotiatedHold(plan, name, a.peer, a.medium)));
  return { name, kind: 'router', failure: { nodes: new Set([name]), media: new Set() }, ends, bound, observe: 0 };
}

export function linkDown(plan: Plan, id: string): Scenario {
  const w = plan.wires.find((x) => x.id === id)!;
  const bound = Math.max(0, ...plan.adjacencies.filter((a) => a.medium === id || a.over?.includes(id)).map((a) => negotiatedHold(plan, a.node, a.peer, a.medium)));
  const label = `${w.a.node}:${w.a.iface}—${w.b.node}:${w.b.iface}`;
  const routed = plan.adjacencies.filter((a) => a.over?.includes(id));
  const observe = Math.max(0, ...routed.map((a) => Math.ceil(a.holdtime / 3) + 1));
  return { name: label, kind: 'link', failure: { nodes: new Set(), media: new Set([id]) }, ends: [w.a, w.b], bound, observe };
}

export function defaultScenarios(plan: Plan): Scenario[] {
  const site = new Map(plan.nodes.map((n) => [n.name, n.site]));
  const routers = plan.nodes.filter((n) => n.kind === 'router' && n.role === 'active').map((n) => routerDown(plan, n.name));
  const links = plan.wires.filter((w) => site.get(w.a.node) !== site.get(w.b.node)).map((w) => linkDown(plan, w.id));
  return [...routers, ...links];
}

export class UnknownTarget extends Error {}

/** `--fail NAME`: a router, one end of a link (`tokyo-a:tun0`), or the link between two routers (`tokyo-a--osaka-a`) when there is one. */
export function namedScenario(plan: Plan, name: string): Scenario {
  if (plan.nodes.some((n) => n.name === name)) return routerDown(plan, name);
  const byEnd = plan.wires.find((w) => `${w.a.node}:${w.a.iface}` === name || `${w.b.node}:${w.b.iface}` === name);
  if (byEnd) return linkDown(plan, byEnd.id);
  const pair = /^(.+)--(.+)$/.exec(name);
  if (pair) {
    const ws = plan.wires.filter((w) => (w.a.node === pair[1] && w.b.node === pair[2]) || (w.a.node === pair[2] && w.b.node === pair[1]));
    if (ws.length === 1) return linkDown(plan, ws[0]!.id);
    if (ws.length > 1) throw new UnknownTarget(`--fail ${name}: ${ws.length} links join them; name one end: ${ws.map((w) => w.id).join(', ')}`);
  }
  const routers = plan.nodes.map((n) => n.name).join(', ');
  const links = plan.wires.map((w) => w.id).join(', ');
  throw new UnknownTarget(`--fail ${name}: no such router or link\n  routers: ${routers}\n  links:   ${links}`);
}
