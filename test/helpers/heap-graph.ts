// A V8 heap snapshot read as a graph, for the tests that look at what a
// render keeps alive (list-slack.ts, document-alive.ts): node i's edges are
// the range edgesOf(i); each edge has a type, a name and a target node.
interface Snapshot {
  snapshot: { meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapGraph {
  count: number;
  /** Node i's edges, as offsets for the edge accessors. */
  edgesOf(i: number): { from: number; to: number; step: number };
  nodeType(i: number): string;
  /** A string's value, an object's constructor name. */
  nodeName(i: number): string;
  selfSize(i: number): number;
  edgeType(e: number): string;
  edgeName(e: number): string;
  target(e: number): number;
  /** Every edge offset of the snapshot, for a search over all of them. */
  allEdges: { to: number; step: number };
}

export function heapGraph(json: string): HeapGraph {
  const s = JSON.parse(json) as Snapshot;
  const m = s.snapshot.meta;
  const N = m.node_fields.length;
  const E = m.edge_fields.length;
  const nType = m.node_fields.indexOf('type');
  const nName = m.node_fields.indexOf('name');
  const nSize = m.node_fields.indexOf('self_size');
  const nEdges = m.node_fields.indexOf('edge_count');
  const eType = m.edge_fields.indexOf('type');
  const eName = m.edge_fields.indexOf('name_or_index');
  const eTo = m.edge_fields.indexOf('to_node');
  const count = s.nodes.length / N;
  const first = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    first[i] = e;
    e += s.nodes[i * N + nEdges]! * E;
  }
  first[count] = s.edges.length;
  return {
    count,
    edgesOf: (i) => ({ from: first[i]!, to: first[i + 1]!, step: E }),
    nodeType: (i) => m.node_types[0][s.nodes[i * N + nType]!]!,
    nodeName: (i) => s.strings[s.nodes[i * N + nName]!]!,
    selfSize: (i) => s.nodes[i * N + nSize]!,
    edgeType: (e) => m.edge_types[0][s.edges[e + eType]!]!,
    edgeName: (e) => String(s.strings[s.edges[e + eName]!]),
    target: (e) => s.edges[e + eTo]! / N,
    allEdges: { to: s.edges.length, step: E },
  };
}
