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
const sorted = [...times].sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ sites: n, routers: files, firstMs: times[0], medianMs: sorted[Math.floor(runs / 2)], maxRssMb: process.resourceUsage().maxRSS / 1024 }));
