// One benchmark size in its own process, so peak RSS belongs to that size alone.
import { syntheticTopology } from './synthetic.mjs';
import { render } from '../dist/index.js';

const n = Number(process.argv[2]);
const runs = Number(process.argv[3] ?? 5);
const text = syntheticTopology(n);
const times = [];
let files = 0;
let result;
for (let i = 0; i < runs; i++) {
  // One render's files at a time: peak RSS is what rendering this size takes, not two results held at once.
  result = undefined;
  const t0 = performance.now();
  result = render(text, { file: 'synthetic.yaml', redact: true });
  times.push(performance.now() - t0);
  if (result.diagnostics.some((d) => d.severity === 'error')) throw new Error(`synthetic topology of ${n} sites is invalid: ${result.diagnostics[0].message}`);
  files = result.files.length;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Steady state: the renders after V8's warm-up (the first five), when there are more.
const steadyMs = runs > 6 ? median(times.slice(5)) : undefined;
process.stdout.write(JSON.stringify({ sites: n, routers: files, firstMs: times[0], medianMs: median(times), steadyMs, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
