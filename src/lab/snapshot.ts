// One look at every daemon: zebra's selected routes, bgpd's table and
// sessions, through vtysh's JSON (one vtysh per node per look).
import { LabError, mapLimit, run } from './exec.js';

export interface RouteEntry {
  protocol: string;
  nexthops: { ip?: string; iface?: string }[];
}

export interface BgpPath {
  best: boolean;
  reason?: string;
  locPrf: number;
  weight: number;
  med: number;
  path: string;
  origin: string;
  internal: boolean;
  nexthop?: string;
  peerId?: string;
}

export interface PeerState {
  state: string;
  remoteAs?: number;
  holdtime?: number;
}

export interface NodeView {
  routes: Map<string, RouteEntry>;
  bgp: Map<string, BgpPath[]>;
  peers: Map<string, PeerState>;
}

export type Snapshot = Map<string, NodeView>;

/** vtysh prints one JSON document per command, back to back. */
export function splitDocuments(text: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) docs.push(JSON.parse(text.slice(start, i + 1)));
  }
  return docs;
}

type Json = Record<string, unknown>;

function parseRoutes(doc: Json): Map<string, RouteEntry> {
  const out = new Map<string, RouteEntry>();
  for (const [prefix, entries] of Object.entries(doc)) {
    const sel = (entries as Json[]).find((e) => e.selected === true);
    if (!sel) continue;
    const nh = ((sel.nexthops as Json[] | undefined) ?? [])
      .filter((n) => n.active === true)
      .map((n) => ({ ...(typeof n.ip === 'string' ? { ip: n.ip } : {}), ...(typeof n.interfaceName === 'string' ? { iface: n.interfaceName } : {}) }));
    out.set(prefix, { protocol: String(sel.protocol), nexthops: nh });
  }
  return out;
}

function parseBgp(doc: Json): Map<string, BgpPath[]> {
  const out = new Map<string, BgpPath[]>();
  const routes = (doc.routes ?? {}) as Record<string, Json[]>;
  for (const [prefix, paths] of Object.entries(routes)) {
    out.set(
      prefix,
      paths
        .filter((p) => p.valid === true)
        .map((p) => {
          const nh = ((p.nexthops as Json[] | undefined) ?? [])[0];
          const best = p.bestpath as Json | undefined;
          const path: BgpPath = {
            best: best?.overall === true || p.bestpath === true,
            locPrf: typeof p.locPrf === 'number' ? p.locPrf : 100,
            weight: typeof p.weight === 'number' ? p.weight : 0,
            med: typeof p.metric === 'number' ? p.metric : 0,
            path: typeof p.path === 'string' ? p.path : '',
            origin: String(p.origin ?? ''),
            internal: p.pathFrom === 'internal',
          };
          if (typeof best?.selectionReason === 'string') path.reason = best.selectionReason;
          if (typeof p.selectionReason === 'string') path.reason = p.selectionReason;
          if (nh && typeof nh.ip === 'string') path.nexthop = nh.ip;
          if (typeof p.peerId === 'string') path.peerId = p.peerId;
          return path;
        }),
    );
  }
  return out;
}

function parsePeers(doc: Json): Map<string, PeerState> {
  const out = new Map<string, PeerState>();
  const peers = ((doc.ipv4Unicast as Json | undefined)?.peers ?? {}) as Record<string, Json>;
  for (const [addr, p] of Object.entries(peers)) {
    const s: PeerState = { state: String(p.state) };
    if (typeof p.remoteAs === 'number') s.remoteAs = p.remoteAs;
    out.set(addr, s);
  }
  return out;
}

export async function look(nsOf: (node: string) => string, nodes: string[]): Promise<Snapshot> {
  const views = await mapLimit(nodes, 8, async (node) => {
    const text = await run('vtysh', ['-N', nsOf(node), '-c', 'show ip route json', '-c', 'show ip bgp json', '-c', 'show bgp ipv4 unicast summary json'], { timeoutMs: 20000 });
    const docs = splitDocuments(text) as Json[];
    if (docs.length !== 3) throw new LabError(`vtysh on ${node} answered ${docs.length} JSON documents, not 3: ${text.slice(0, 200)}`);
    const summary = docs[2]!;
    return { routes: parseRoutes(docs[0]!), bgp: parseBgp(docs[1]!), peers: parsePeers('ipv4Unicast' in summary ? summary : { ipv4Unicast: summary }) } satisfies NodeView;
  });
  return new Map(nodes.map((n, i) => [n, views[i]!]));
}
