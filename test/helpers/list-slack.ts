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

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const PROBE = '__vygenListSlackProbe';
const result = validate(readFileSync(process.argv[2]!, 'utf8'), { file: 'topology.yaml', redact: true });
if (!result.model || !result.intents) throw new Error('the topology did not validate');
(globalThis as Record<string, unknown>)[PROBE] = { model: result.model, intents: result.intents };

const chunks: Buffer[] = [];
const stream = getHeapSnapshot();
stream.on('data', (c: Buffer) => chunks.push(c));
stream.on('end', () => {
  const s = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Snapshot;
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
  const edgeType = (e: number) => m.edge_types[0][s.edges[e + eType]!]!;
  const edgeName = (e: number) => s.strings[s.edges[e + eName]!];
  const target = (e: number) => s.edges[e + eTo]! / N;
  const flattened = (i: number) => {
    for (let e = first[i]!; e < first[i + 1]!; e += E) if (edgeName(e) === 'second') return s.strings[s.nodes[target(e) * N + nName]!] === '';
    return false;
  };
  // The probe: a property of some global object.
  let probe = -1;
  for (let e = 0; e < s.edges.length && probe < 0; e += E) if (edgeType(e) === 'property' && edgeName(e) === PROBE) probe = target(e);
  if (probe < 0) throw new Error('the probe is not in the snapshot');
  const seen = new Uint8Array(count);
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
    const type = m.node_types[0][s.nodes[i * N + nType]!];
    if (type === 'string' || type === 'sliced string' || type === 'concatenated string') {
      strings++;
      // A flattened cons string is kept as a node holding the flat copy and
      // an empty second half until the next scavenge drops it.
      if (type === 'concatenated string' && !flattened(i)) cons++;
      continue; // a cons string's pieces are its internal edges: not kept strings of their own
    }
    const isArray = type === 'object' && s.strings[s.nodes[i * N + nName]!] === 'Array';
    let items = 0;
    let store = -1;
    for (let e = first[i]!; e < first[i + 1]!; e += E) {
      const t = edgeType(e);
      if (t === 'property' || t === 'element') stack.push(target(e));
      if (t === 'element') items++;
      if (isArray && t === 'internal' && edgeName(e) === 'elements') store = target(e);
    }
    if (!isArray || store < 0) continue;
    const capacity = Math.max(items, (s.nodes[store * N + nSize]! - 16) / 8); // a FixedArray: map, length, then 8-byte slots
    slots += capacity;
    unused += capacity - items;
    if (capacity - items > worst.unused) worst = { unused: capacity - items, items, capacity };
  }
  process.stdout.write(JSON.stringify({ slots, unused, worst, strings, cons }));
});
