// A Graph as Mermaid (GitHub renders it in Markdown) or Graphviz DOT. Every
// name is escaped for the target syntax; the output depends only on the
// topology, in its order.
//
//   sites         a box (subgraph / cluster) per site, labelled with its AS
//   routers       name, role and release; standby routers dashed
//   tunnels       thick lines: the tunnel interface, MTU, and eBGP when it runs over it
//   BGP sessions  dotted: iBGP inside a site (eBGP not over a tunnel: plain)
//   cloud VPNs    a round node per connection, linked by its VTIs
//   LVS pairs     a box per pair: its directors (master, backup) and its VIPs
//                 with their virtual services; the master holds the VIP
import type { Graph, GraphLvsPair, GraphRouter, GraphTunnel, GraphCloudVpn } from './model.js';

export type GraphFormat = 'mermaid' | 'dot';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot'];

const PRINTABLE = /[^\x20-\x7e]/g;

const routerLabel = (r: GraphRouter) => [r.name, `${r.role}, VyOS ${r.release}`];
const tunnelLabel = (t: GraphTunnel) => `${t.interface}: GRE over IPsec, MTU ${t.mtu}${t.ebgp ? ', eBGP' : ''}`;
const sessionLabel = (kind: 'ebgp' | 'ibgp') => (kind === 'ebgp' ? 'eBGP' : 'iBGP');
const cloudLabel = (c: GraphCloudVpn) => [`cloud VPN ${c.name}`, `AS ${c.asn}`];
const cloudEdgeLabel = (c: GraphCloudVpn) => `${c.interfaces.join(', ')}: IPsec VTI${c.routing === 'bgp' ? ', eBGP' : ', static routes'}`;
const pairLabel = (p: GraphLvsPair) => `LVS pair ${p.name}, VRID ${p.vrid}`;
const directorLabel = (d: GraphLvsPair['directors'][number]) => [d.name, `${d.role}, priority ${d.priority}`];
const vipLabel = (v: GraphLvsPair['vips'][number]) => [`VIP ${v.address}`, ...v.services];

/** Mermaid `flowchart`. */
export function toMermaid(g: Graph): string {
  const esc = (s: string) => s.replace(PRINTABLE, '?').replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  const label = (lines: string[]) => `"${lines.map(esc).join('<br/>')}"`;
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const id = (prefix: string, name: string) => {
    const key = `${prefix}:${name}`;
    let v = ids.get(key);
    if (v) return v;
    const base = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
    v = base;
    for (let n = 2; taken.has(v); n++) v = `${base}_${n}`;
    taken.add(v);
    ids.set(key, v);
    return v;
  };
  const out = ['flowchart LR', `  %% vygen graph of ${esc(g.file)}`];
  const dashed: string[] = [];
  for (const s of g.sites) {
    out.push(`  subgraph ${id('site', s.name)}[${label([`${s.name}, AS ${s.asn}`])}]`);
    for (const r of s.routers) {
      out.push(`    ${id('r', r.name)}[${label(routerLabel(r))}]`);
      if (r.role === 'standby') dashed.push(id('r', r.name));
    }
    out.push('  end');
  }
  for (const t of g.tunnels) out.push(`  ${id('r', t.a)} ===|${label([tunnelLabel(t)])}| ${id('r', t.b)}`);
  for (const s of g.sessions) out.push(`  ${id('r', s.a)} ${s.kind === 'ibgp' ? '-.-' : '---'}|${label([sessionLabel(s.kind)])}| ${id('r', s.b)}`);
  for (const c of g.cloudVpns) {
    const node = id('vpn', `${c.router}-${c.name}`);
    out.push(`  ${node}([${label(cloudLabel(c))}])`);
    out.push(`  ${id('r', c.router)} ===|${label([cloudEdgeLabel(c)])}| ${node}`);
  }
  for (const p of g.lvsPairs) {
    out.push(`  subgraph ${id('lvs', p.name)}[${label([pairLabel(p)])}]`);
    for (const d of p.directors) {
      out.push(`    ${id('d', d.name)}[${label(directorLabel(d))}]`);
      if (d.role === 'backup') dashed.push(id('d', d.name));
    }
    p.vips.forEach((v, i) => out.push(`    ${id('vip', `${p.name}-${i}`)}([${label(vipLabel(v))}])`));
    out.push('  end');
    const [a, b] = p.directors;
    if (a && b) out.push(`  ${id('d', a.name)} -.-|"VRRP"| ${id('d', b.name)}`);
    for (let i = 0; i < p.vips.length; i++) {
      for (const d of p.directors) out.push(`  ${id('d', d.name)} ${d.role === 'master' ? '==>' : '-.->'} ${id('vip', `${p.name}-${i}`)}`);
    }
  }
  if (dashed.length > 0) {
    out.push('  classDef standby stroke-dasharray: 5 5');
    out.push(`  class ${dashed.join(',')} standby`);
  }
  return `${out.join('\n')}\n`;
}

/** Graphviz DOT (undirected). */
export function toDot(g: Graph): string {
  const q = (s: string) => `"${s.replace(PRINTABLE, '?').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const label = (lines: string[]) => `"${lines.map((l) => q(l).slice(1, -1)).join('\\n')}"`;
  const out = [`// vygen graph of ${g.file.replace(PRINTABLE, '?')}`, 'graph vygen {', '  graph [rankdir=LR];', '  node [shape=box, style=rounded];'];
  for (const s of g.sites) {
    out.push(`  subgraph ${q(`cluster_site_${s.name}`)} {`);
    out.push(`    label=${q(`${s.name}, AS ${s.asn}`)};`);
    for (const r of s.routers) out.push(`    ${q(r.name)} [label=${label(routerLabel(r))}${r.role === 'standby' ? ', style="rounded,dashed"' : ''}];`);
    out.push('  }');
  }
  for (const t of g.tunnels) out.push(`  ${q(t.a)} -- ${q(t.b)} [label=${q(tunnelLabel(t))}, penwidth=2];`);
  for (const s of g.sessions) out.push(`  ${q(s.a)} -- ${q(s.b)} [label=${q(sessionLabel(s.kind))}${s.kind === 'ibgp' ? ', style=dashed' : ''}];`);
  for (const c of g.cloudVpns) {
    const node = q(`vpn:${c.router}:${c.name}`);
    out.push(`  ${node} [label=${label(cloudLabel(c))}, shape=ellipse];`);
    out.push(`  ${q(c.router)} -- ${node} [label=${q(cloudEdgeLabel(c))}, penwidth=2];`);
  }
  for (const p of g.lvsPairs) {
    out.push(`  subgraph ${q(`cluster_lvs_${p.name}`)} {`);
    out.push(`    label=${q(pairLabel(p))};`);
    for (const d of p.directors) out.push(`    ${q(`lvs:${d.name}`)} [label=${label(directorLabel(d))}${d.role === 'backup' ? ', style="rounded,dashed"' : ''}];`);
    p.vips.forEach((v, i) => out.push(`    ${q(`vip:${p.name}:${i}`)} [label=${label(vipLabel(v))}, shape=ellipse];`));
    out.push('  }');
    const [a, b] = p.directors;
    if (a && b) out.push(`  ${q(`lvs:${a.name}`)} -- ${q(`lvs:${b.name}`)} [label="VRRP", style=dashed];`);
    for (let i = 0; i < p.vips.length; i++) {
      for (const d of p.directors) out.push(`  ${q(`lvs:${d.name}`)} -- ${q(`vip:${p.name}:${i}`)} [${d.role === 'master' ? 'penwidth=2' : 'style=dashed'}];`);
    }
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
