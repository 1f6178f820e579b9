// Run as a child process: renders a topology and, when the secret stage reads
// its first environment variable (every check and intent built by then),
// takes a heap snapshot and says whether the parsed document is still in it.
// The document is found by a shape only it has: a site's `networks` mapping
// holding `connected` (the model keeps `connected` on the site itself).
// Usage: node dist-test/helpers/document-alive.js TOPOLOGY  -> JSON { alive }
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { render } from '../../dist/library.js';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

function documentInHeap(): boolean {
  const file = writeHeapSnapshot(join(tmpdir(), `vygen-document-alive-${process.pid}.heapsnapshot`));
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  rmSync(file);
  const m = s.snapshot.meta;
  const N = m.node_fields.length;
  const E = m.edge_fields.length;
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
  const property = (i: number, name: string): number => {
    for (let e = first[i]!; e < first[i + 1]!; e += E) {
      if (m.edge_types[0][s.edges[e + eType]!] === 'property' && s.strings[s.edges[e + eName]!] === name) return s.edges[e + eTo]! / N;
    }
    return -1;
  };
  for (let i = 0; i < count; i++) {
    const networks = property(i, 'networks');
    if (networks >= 0 && property(networks, 'connected') >= 0) return true;
  }
  return false;
}

let alive: boolean | undefined;
const env = new Proxy({} as Record<string, string>, {
  get(_target, name) {
    if (typeof name === 'string' && alive === undefined) alive = documentInHeap();
    return 'a-secret-value-for-the-test';
  },
});
const result = render(readFileSync(process.argv[2]!, 'utf8'), { file: 'topology.yaml', env });
if (result.files.length === 0) throw new Error(`nothing rendered: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
process.stdout.write(JSON.stringify({ alive }));
