// Once every feature's policy has run, a router intent is final, and each
// list the features grew item by item is copied at its length. V8 gives an
// array grown by push room for 17 items and one built by a spread room for
// 20, where a router's list holds one to four: at 10,000 routers that room
// was a sixth of what the model and the intents keep alive through the render
// (docs/performance.md, the fifteenth round). Only lists a router owns are
// named: one shared with the model (its paths) would be copied, not shrunk.
import type { RouterIntent } from './intent.js';

type ListKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends readonly unknown[] ? K : never }[keyof T];

const ROUTER_LISTS = ['ethernet', 'loopbacks', 'dummies', 'tunnels', 'vtis', 'prefixLists', 'routeMaps', 'asPathLists', 'communityLists', 'staticRoutes', 'extraLines', 'notes'] as const satisfies readonly ListKeys<RouterIntent>[];
const IPSEC_LISTS = ['ikeGroups', 'espGroups', 'peers'] as const satisfies readonly ListKeys<NonNullable<RouterIntent['ipsec']>>[];
const BGP_LISTS = ['neighbors', 'peerGroups', 'networks', 'redistribute'] as const satisfies readonly ListKeys<NonNullable<RouterIntent['bgp']>>[];

function exact(o: object, keys: readonly string[]): void {
  const rec = o as Record<string, unknown[] | undefined>;
  for (const k of keys) {
    const list = rec[k];
    if (list !== undefined) rec[k] = list.slice();
  }
}

export function settleLists(intent: RouterIntent): void {
  exact(intent, ROUTER_LISTS);
  // A policy's rules: a map's are written as a literal with spread parts.
  for (const lists of [intent.prefixLists, intent.routeMaps, intent.asPathLists, intent.communityLists]) for (const l of lists ?? []) exact(l, ['rules']);
  if (intent.ipsec) exact(intent.ipsec, IPSEC_LISTS);
  if (intent.bgp) exact(intent.bgp, BGP_LISTS);
}
