// Run as a child process: validates a topology and reports how many of the
// array slots that its model and intents keep are unused room (V8 gives an
// array grown by push room for 17 items, one built by a spread for 20; the
// model and the intents keep tens of thousands of lists of one to six), and
// how many of the strings they keep are still trees of their pieces (V8's
// cons strings, src/model/flat.ts). Read from a heap snapshot: the elements
// store's size against the array's items, and each string's node type.
// Usage: node dist-test/helpers/list-slack.js TOPOLOGY  -> JSON { slots, unused, worst, strings, cons }
import { readFileSync } from 'node:fs';
import { getHeapSnapshot } from 'node:v8';
import { validate } from '../../dist/library.js';
import { heapGraph } from './heap-graph.js';

const PROBE = '__vygenListSlackProbe';
const result = validate(readFileSync(process.argv[2]!, 'utf8'), { file: 'topology.yaml', redact: true });
if (!result.model || !result.intents) throw new Error('the topology did not validate');
(globalThis as Record<string, unknown>)[PROBE] = { model: result.model, intents: result.intents };

const chunks: Buffer[] = [];
const stream = getHeapSnapshot();
stream.on('data', (c: Buffer) => chunks.push(c));
stream.on('end', () => {
  const g = heapGraph(Buffer.concat(chunks).toString('utf8'));
  const flattened = (i: number) => {
    const r = g.edgesOf(i);
    for (let e = r.from; e < r.to; e += r.step) if (g.edgeName(e) === 'second') return g.nodeName(g.target(e)) === '';
    return false;
  };
  // The probe: a property of some global object.
  let probe = -1;
  for (let e = 0; e < g.allEdges.to && probe < 0; e += g.allEdges.step) if (g.edgeType(e) === 'property' && g.edgeName(e) === PROBE) probe = g.target(e);
  if (probe < 0) throw new Error('the probe is not in the snapshot');
  const seen = new Uint8Array(g.count);
  const stack = [probe];
  let slots = 0;
  let unused = 0;
  let worst = { unused: 0, items: 0, capacity: 0 };
  let strings = 0;
  let cons = 0;
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen[i]) continue;
    seen[i] = 1;
    const type = g.nodeType(i);
    if (type === 'string' || type === 'sliced string' || type === 'concatenated string') {
      strings++;
      // A flattened cons string is kept as a node holding the flat copy and
      // an empty second half until the next scavenge drops it.
      if (type === 'concatenated string' && !flattened(i)) cons++;
      continue; // a cons string's pieces are its internal edges: not kept strings of their own
    }
    const isArray = type === 'object' && g.nodeName(i) === 'Array';
    let items = 0;
    let store = -1;
    const r = g.edgesOf(i);
    for (let e = r.from; e < r.to; e += r.step) {
      const t = g.edgeType(e);
      if (t === 'property' || t === 'element') stack.push(g.target(e));
      if (t === 'element') items++;
      if (isArray && t === 'internal' && g.edgeName(e) === 'elements') store = g.target(e);
    }
    if (!isArray || store < 0) continue;
    const capacity = Math.max(items, (g.selfSize(store) - 16) / 8); // a FixedArray: map, length, then 8-byte slots
    slots += capacity;
    unused += capacity - items;
    if (capacity - items > worst.unused) worst = { unused: capacity - items, items, capacity };
  }
  process.stdout.write(JSON.stringify({ slots, unused, worst, strings, cons }));
});
