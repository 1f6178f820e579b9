// A Graph as Mermaid (GitHub renders it in Markdown) or Graphviz DOT. Every
// name is escaped for the target syntax; the output depends only on the
// topology, in its order.
import type { Graph, GraphRouter } from './model.js';

export type GraphFormat = 'mermaid' | 'dot';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot'];

const PRINTABLE = /[^\x20-\x7e]/g;

function routerLabel(r: GraphRouter): string[] {
  return [r.name, `${r.role}, VyOS ${r.release}`];
}

function tunnelLabel(t: Graph['tunnels'][number]): string {
  return `${t.interface}: GRE over IPsec, MTU ${t.mtu}${t.ebgp ? ', eBGP' : ''}`;
}

const sessionLabel = (kind: 'ebgp' | 'ibgp') => (kind === 'ebgp' ? 'eBGP' : 'iBGP');

/** Mermaid `flowchart`: a subgraph per site, thick edges for tunnels, dotted for iBGP; standby routers dashed. */
export function toMermaid(g: Graph): string {
  const esc = (s: string) =>
    s.replace(PRINTABLE, '?').replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
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
  const standby: string[] = [];
  for (const s of g.sites) {
    out.push(`  subgraph ${id('site', s.name)}["${esc(s.name)}, AS ${s.asn}"]`);
    for (const r of s.routers) {
      out.push(`    ${id('r', r.name)}["${routerLabel(r).map(esc).join('<br/>')}"]`);
      if (r.role === 'standby') standby.push(id('r', r.name));
    }
    out.push('  end');
  }
  for (const t of g.tunnels) out.push(`  ${id('r', t.a)} ===|"${esc(tunnelLabel(t))}"| ${id('r', t.b)}`);
  for (const s of g.sessions) out.push(`  ${id('r', s.a)} ${s.kind === 'ibgp' ? '-.-' : '---'}|"${sessionLabel(s.kind)}"| ${id('r', s.b)}`);
  if (standby.length > 0) {
    out.push('  classDef standby stroke-dasharray: 5 5');
    out.push(`  class ${standby.join(',')} standby`);
  }
  return `${out.join('\n')}\n`;
}

/** Graphviz DOT: a cluster per site, bold edges for tunnels, dashed for iBGP; standby routers dashed. */
export function toDot(g: Graph): string {
  const q = (s: string) => `"${s.replace(PRINTABLE, '?').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const out = [
    `// vygen graph of ${g.file.replace(PRINTABLE, '?')}`,
    'graph vygen {',
    '  graph [rankdir=LR];',
    '  node [shape=box, style=rounded];',
  ];
  for (const s of g.sites) {
    out.push(`  subgraph ${q(`cluster_${s.name}`)} {`);
    out.push(`    label=${q(`${s.name}, AS ${s.asn}`)};`);
    for (const r of s.routers) {
      const label = routerLabel(r).map((l) => q(l).slice(1, -1)).join('\\n');
      out.push(`    ${q(r.name)} [label="${label}"${r.role === 'standby' ? ', style="rounded,dashed"' : ''}];`);
    }
    out.push('  }');
  }
  for (const t of g.tunnels) out.push(`  ${q(t.a)} -- ${q(t.b)} [label=${q(tunnelLabel(t))}, penwidth=2];`);
  for (const s of g.sessions) out.push(`  ${q(s.a)} -- ${q(s.b)} [label=${q(sessionLabel(s.kind))}${s.kind === 'ibgp' ? ', style=dashed' : ''}];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
