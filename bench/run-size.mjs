// One benchmark size in its own process, so peak RSS belongs to that size alone.
// Usage: node bench/run-size.mjs SITES [RUNS] [--warm-up K] [--validate]
//   --warm-up K  first render a 1,000-site topology K times (not timed): every
//                size then starts from the same warmed-up code, so what is left
//                is how the work grows with the size, not V8's warm-up
//   --validate   validate instead of render (the checks without any file)
import { syntheticTopology } from './synthetic.mjs';
import { render, validate } from '../dist/index.js';

const args = process.argv.slice(2);
const has = (name) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const value = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const warmUp = Number(value('--warm-up') ?? 0);
const run = has('--validate') ? validate : render;
const n = Number(args[0]);
const runs = Number(args[1] ?? 5);
const options = { file: 'synthetic.yaml', redact: true };
if (warmUp > 0) {
  const warm = syntheticTopology(1000);
  for (let i = 0; i < warmUp; i++) run(warm, options);
}
const text = syntheticTopology(n);
const times = [];
let files = 0;
let result;
for (let i = 0; i < runs; i++) {
  // One render's files at a time: peak RSS is what rendering this size takes, not two results held at once.
  result = undefined;
  const t0 = performance.now();
  result = run(text, options);
  times.push(performance.now() - t0);
  if (result.diagnostics.some((d) => d.severity === 'error')) throw new Error(`synthetic topology of ${n} sites is invalid: ${result.diagnostics[0].message}`);
  files = result.files?.length ?? 0;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Steady state: the renders after V8's warm-up (the first five), when there are more.
const steadyMs = runs > 6 ? median(times.slice(5)) : undefined;
process.stdout.write(JSON.stringify({ sites: n, routers: files, firstMs: times[0], medianMs: median(times), steadyMs, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
