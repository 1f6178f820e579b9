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
import { heapGraph } from './heap-graph.js';

function documentInHeap(): boolean {
  const file = writeHeapSnapshot(join(tmpdir(), `vygen-document-alive-${process.pid}.heapsnapshot`));
  const g = heapGraph(readFileSync(file, 'utf8'));
  rmSync(file);
  const property = (i: number, name: string): number => {
    const r = g.edgesOf(i);
    for (let e = r.from; e < r.to; e += r.step) if (g.edgeType(e) === 'property' && g.edgeName(e) === name) return g.target(e);
    return -1;
  };
  for (let i = 0; i < g.count; i++) {
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
