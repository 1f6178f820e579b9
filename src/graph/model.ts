// A topology as a picture: sites with their routers and roles, the GRE-over-
// IPsec tunnel of every link, the BGP sessions (eBGP over a tunnel, iBGP inside
// a site), cloud VPN connections, and the LVS pairs with their VIPs. Built
// from the same model the renderer uses, so the picture shows what will be
// configured.
import type { TopologyModel } from '../inspect.js';
import type { Release, Role } from '../model/topology.js';

export interface GraphRouter {
  name: string;
  role: Role;
  release: Release;
}

export interface GraphSite {
  name: string;
  asn: number;
  routers: GraphRouter[];
}

export interface GraphTunnel {
  /** The link's first and second end. */
  a: string;
  b: string;
  /** Tunnel interface on both ends (`tun0`). */
  interface: string;
  mtu: number;
  /** eBGP runs over this tunnel. */
  ebgp: boolean;
}

export interface GraphSession {
  a: string;
  b: string;
  kind: 'ebgp' | 'ibgp';
}

/** A cloud VPN connection (AWS site-to-site VPN) a router terminates. */
export interface GraphCloudVpn {
  router: string;
  name: string;
  asn: number;
  routing: 'bgp' | 'static';
  interfaces: string[];
}

export interface GraphLvsPair {
  name: string;
  vrid: number;
  directors: { name: string; role: 'master' | 'backup'; priority: number }[];
  vips: { address: string; services: string[] }[];
}

export interface Graph {
  file: string;
  sites: GraphSite[];
  tunnels: GraphTunnel[];
  /** BGP sessions that no tunnel edge already carries. */
  sessions: GraphSession[];
  cloudVpns: GraphCloudVpn[];
  lvsPairs: GraphLvsPair[];
}

const host = (cidr: string) => cidr.split('/')[0] ?? cidr;
const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

export function buildGraph({ model, intents: all }: TopologyModel): Graph {
  const { topology, lvs } = model;
  const intents = all.routers;
  const owner = new Map<string, string>();
  for (const i of intents) {
    for (const e of i.ethernet) for (const a of e.addresses) owner.set(host(a), i.name);
    for (const t of i.tunnels) owner.set(host(t.address), i.name);
    for (const l of i.loopbacks) for (const a of l.addresses) owner.set(host(a), i.name);
  }
  const sessions = new Map<string, GraphSession>();
  for (const i of intents) {
    for (const n of i.bgp?.neighbors ?? []) {
      const other = owner.get(n.address);
      if (other === undefined || other === i.name) continue; // a cloud peer: drawn with its VPN connection
      const key = pairKey(i.name, other);
      if (!sessions.has(key)) sessions.set(key, { a: i.name, b: other, kind: n.kind });
    }
  }
  // Each link's tunnel as the first end's intent configures it (its remote is
  // the second end's loopback).
  const intentOf = new Map(intents.map((i) => [i.name, i]));
  const used = new Set<object>();
  const tunnels: GraphTunnel[] = [];
  for (const link of topology.links) {
    const [a, b] = link.ends;
    const remote = topology.routers.get(b)?.loopback;
    const tunnel = intentOf.get(a)?.tunnels.find((t) => t.remote === remote && !used.has(t));
    if (!tunnel) continue;
    used.add(tunnel);
    const key = pairKey(a, b);
    const ebgp = sessions.get(key)?.kind === 'ebgp';
    if (ebgp) sessions.delete(key);
    tunnels.push({ a, b, interface: tunnel.name, mtu: tunnel.mtu.value, ebgp });
  }
  const cloudVpns: GraphCloudVpn[] = [];
  for (const s of topology.sites) {
    for (const r of s.routers) {
      for (const c of r.vpnConnections ?? []) {
        cloudVpns.push({ router: r.name, name: c.name, asn: c.asn, routing: c.routing, interfaces: c.tunnels.map((t) => t.vti) });
      }
    }
  }
  return {
    file: topology.file,
    sites: topology.sites.map((s) => ({ name: s.name, asn: s.asn, routers: s.routers.map((r) => ({ name: r.name, role: r.role, release: r.release })) })),
    tunnels,
    sessions: [...sessions.values()],
    cloudVpns,
    lvsPairs: lvs.pairs.flatMap((p) =>
      p.instances.map((i) => ({
        name: i.name === p.name ? p.name : `${p.name} ${i.name}`,
        vrid: i.vrid,
        directors: i.nodes.map((n) => ({ name: n.name, role: n.role, priority: n.priority })),
        vips: i.vips.map((v) => ({
          address: v.address,
          services: p.virtualServers
            .filter((vs) => vs.id.kind === 'address' && vs.id.address === v.address)
            .map((vs) => `${vs.protocol} ${vs.id.kind === 'address' ? vs.id.port : ''} ${vs.lbAlgo}/${vs.lbKind}, ${vs.realServers.length} real server${vs.realServers.length === 1 ? '' : 's'}`),
        })),
      })),
    ),
  };
}
