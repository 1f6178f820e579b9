// What stays alive at the end of one render, part by part: the heap after a
// full collection with the result held, then again as each part of it is let
// go. Peak RSS is V8's heap growth applied to this live data, so a lower peak
// needs less of it. Run with --expose-gc (run-issue17.mjs does).
// Usage: node --expose-gc bench/run-memory.mjs [SITES]
import { syntheticTopology } from './synthetic.mjs';
import { render } from '../dist/index.js';
import { loadYaml } from '../dist/load/yaml-source.js';

if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
const n = Number(process.argv[2] ?? 5000);
const text = syntheticTopology(n);
const live = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
};

const base = live();
// The parsed document is not in the result; it is alive while the stages run.
let parsed = loadYaml(text, 'synthetic.yaml');
const doc = live() - base;
parsed = undefined;

let result = render(text, { file: 'synthetic.yaml', redact: true });
const parts = {};
let before = live();
const drop = (name, clear) => {
  clear();
  const now = live();
  parts[name] = before - now;
  before = now;
};
const chars = result.files.reduce((s, f) => s + f.content.length, 0);
drop('files', () => { result.files = []; });
// The intents point into the model, so what they free is theirs alone; the model comes after.
drop('intents', () => { result.intents = undefined; result.secretUses = undefined; });
drop('model', () => { result.model = undefined; });
result = undefined;
const round = (x) => Math.round(x * 10) / 10;
process.stdout.write(JSON.stringify({ sites: n, fileMChars: round(chars / 1048576), liveMb: { doc: round(doc), ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, round(v)])) } }));
