// One look at every daemon: zebra's selected routes, bgpd's table and
// sessions, as FRR's JSON.
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { LabError } from './exec.js';

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
  /** How long the session has been Established (FRR's peerUptimeMsec). */
  uptimeMs?: number;
  /** Prefixes received from the peer (FRR's pfxRcd). */
  received?: number;
}

export interface NodeView {
  routes: Map<string, RouteEntry>;
  bgp: Map<string, BgpPath[]>;
  peers: Map<string, PeerState>;
  /** The router-id bgpd runs with (configured, or the one FRR chose). */
  routerId?: string;
  /** Prefixes bgpd holds only paths of that it cannot use, with their next hops (unresolved: no route to the next hop). */
  unusable?: Map<string, { nexthop: string; peer?: string }[]>;
}

export type Snapshot = Map<string, NodeView>;

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

/** The next hops of the paths bgpd keeps but cannot use (not valid: the next hop does not resolve), per prefix. */
function parseUnusable(doc: Json, into: Map<string, { nexthop: string; peer?: string }[]>): void {
  for (const [prefix, paths] of Object.entries((doc.routes ?? {}) as Record<string, Json[]>)) {
    const hops = paths
      .filter((p) => p.valid !== true)
      .flatMap((p) => {
        const ip = ((p.nexthops as Json[] | undefined) ?? [])[0]?.ip;
        return typeof ip === 'string' ? [{ nexthop: ip, ...(typeof p.peerId === 'string' ? { peer: p.peerId } : {}) }] : [];
      });
    if (hops.length > 0) into.set(prefix, hops);
  }
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
    if (typeof p.peerUptimeMsec === 'number') s.uptimeMs = p.peerUptimeMsec;
    if (typeof p.pfxRcd === 'number') s.received = p.pfxRcd;
    out.set(addr, s);
  }
  return out;
}

/**
 * FRR's vty sockets, spoken to directly (a command ends in NUL, the answer in
 * three NULs and a status byte): what vtysh does, without a process per
 * question, so a look at 20 routers takes milliseconds instead of a second.
 */
export class Vty {
  private readonly sockets = new Map<string, Socket>();
  /** One question at a time per socket: answers carry no tag to tell them apart. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(private readonly runDir: (node: string) => string) {}

  private connect(node: string, daemon: string): Promise<Socket> {
    const key = `${node}/${daemon}`;
    const have = this.sockets.get(key);
    if (have && !have.destroyed) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const s = createConnection(join(this.runDir(node), `${daemon}.vty`));
      const fail = (e: Error) => reject(new LabError(`cannot reach ${daemon} of ${node}: ${e.message}`));
      s.once('error', fail);
      s.once('connect', () => {
        s.off('error', fail);
        s.on('error', () => s.destroy());
        this.sockets.set(key, s);
        resolve(s);
      });
    });
  }

  ask(node: string, daemon: 'zebra' | 'bgpd', command: string, timeoutMs = 10000): Promise<string> {
    const key = `${node}/${daemon}`;
    const turn = (this.queues.get(key) ?? Promise.resolve()).then(
      () => this.askNow(node, daemon, command, timeoutMs),
      () => this.askNow(node, daemon, command, timeoutMs),
    );
    this.queues.set(key, turn.catch(() => undefined));
    return turn;
  }

  private async askNow(node: string, daemon: string, command: string, timeoutMs: number): Promise<string> {
    if (this.closed) throw new LabError('the lab is down');
    const s = await this.connect(node, daemon);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (e?: Error, text?: string) => {
        clearTimeout(timer);
        s.off('data', onData);
        s.off('close', onClose);
        if (e) {
          s.destroy();
          reject(e);
        } else resolve(text!);
      };
      const onData = (d: Buffer) => {
        chunks.push(d);
        size += d.length;
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        const n = all.length;
        if (n >= 4 && all[n - 4] === 0 && all[n - 3] === 0 && all[n - 2] === 0) {
          if (all[n - 1] !== 0) done(new LabError(`${daemon} of ${node} refused "${command}": ${all.subarray(0, n - 4).toString().trim()}`));
          else done(undefined, all.subarray(0, n - 4).toString('utf8'));
        }
      };
      const onClose = () => done(new LabError(`${daemon} of ${node} closed its vty during "${command}"`));
      const timer = setTimeout(() => done(new LabError(`${daemon} of ${node} did not answer "${command}" within ${timeoutMs} ms`)), timeoutMs);
      s.on('data', onData);
      s.once('close', onClose);
      s.write(`${command}\0`);
    });
  }

  close(): void {
    this.closed = true;
    for (const s of this.sockets.values()) s.destroy();
    this.sockets.clear();
  }
}

export async function look(vty: Vty, nodes: string[], withBgpTable: boolean, ipv6 = false): Promise<Snapshot> {
  const views = await Promise.all(
    nodes.map(async (node) => {
      const none = Promise.resolve('{}');
      const [routes, summary, table, routes6, summary6, table6] = await Promise.all([
        vty.ask(node, 'zebra', 'show ip route json'),
        // A router without BGP (a VRRP pair only) has no instance to ask: bgpd refuses, and it has no
        // sessions; a router that should have some then shows them missing in the checks.
        vty.ask(node, 'bgpd', 'show bgp ipv4 unicast summary json').catch(() => '{}'),
        withBgpTable ? vty.ask(node, 'bgpd', 'show ip bgp json').catch(() => '{}') : none,
        // IPv6 has a table, a summary and a RIB of its own; prefixes of the two families never collide.
        // A speaker of the lab without IPv6 (a cloud gateway) may refuse the question: it then has
        // nothing to show, and whatever the checks expect of it is reported missing.
        ipv6 ? vty.ask(node, 'zebra', 'show ipv6 route json') : none,
        ipv6 ? vty.ask(node, 'bgpd', 'show bgp ipv6 unicast summary json').catch(() => '{}') : none,
        ipv6 && withBgpTable ? vty.ask(node, 'bgpd', 'show bgp ipv6 unicast json').catch(() => '{}') : none,
      ]);
      const doc = (text: string, what: string): Json => {
        try {
          return (text.trim() === '' ? {} : JSON.parse(text)) as Json;
        } catch {
          throw new LabError(`${node} answered "${what}" with something that is not JSON: ${text.slice(0, 200)}`);
        }
      };
      const sum = doc(summary, 'show bgp summary json');
      const af = ('ipv4Unicast' in sum ? sum.ipv4Unicast : sum) as Json | undefined;
      const sum6 = doc(summary6, 'show bgp ipv6 unicast summary json');
      const view: NodeView = {
        routes: new Map([...parseRoutes(doc(routes, 'show ip route json')), ...parseRoutes(doc(routes6, 'show ipv6 route json'))]),
        bgp: new Map([...parseBgp(doc(table, 'show ip bgp json')), ...parseBgp(doc(table6, 'show bgp ipv6 unicast json'))]),
        peers: new Map([...parsePeers({ ipv4Unicast: 'ipv4Unicast' in sum ? sum.ipv4Unicast : sum }), ...parsePeers({ ipv4Unicast: 'ipv6Unicast' in sum6 ? sum6.ipv6Unicast : sum6 })]),
      };
      const unusable = new Map<string, { nexthop: string; peer?: string }[]>();
      parseUnusable(doc(table, 'show ip bgp json'), unusable);
      parseUnusable(doc(table6, 'show bgp ipv6 unicast json'), unusable);
      if (unusable.size > 0) view.unusable = unusable;
      if (typeof af?.routerId === 'string') view.routerId = af.routerId;
      else if (typeof (sum6 as Json).routerId === 'string') view.routerId = String((sum6 as Json).routerId);
      return view;
    }),
  );
  return new Map(nodes.map((n, i) => [n, views[i]!]));
}
