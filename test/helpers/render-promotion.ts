// Run as a child process: renders each topology's files on read, again and
// again, and reports how many bytes the scavenges moved into the old
// generation per file rendered. A file's render is garbage once its text is
// handed over, so next to nothing should outlive two scavenges; on Node 20
// `{ ...base, newKey: v }` made 4.5 % of what a render allocates do so
// (src/model/extend.ts). Read from V8's own account of each collection
// (v8.GCProfiler: the old generation before and after every scavenge).
// Usage: node dist-test/helpers/render-promotion.js TOPOLOGY[@RELEASE]...
//   -> JSON [{ topology, release, renders, scavenges, promotedPerRender, chunks }]
//   (promotedPerRender: the median over chunks of a thousand renders)
import { readFileSync } from 'node:fs';
import { GCProfiler } from 'node:v8';
import { render, releaseContent, type File, type Release } from '../../dist/index.js';

interface Space {
  spaceName: string;
  spaceUsedSize: number;
}
interface Collection {
  gcType: string;
  beforeGC: { heapSpaceStatistics: Space[] };
  afterGC: { heapSpaceStatistics: Space[] };
}

const OLD = ['old_space', 'large_object_space'];
const oldBytes = (spaces: Space[]) => spaces.filter((s) => OLD.includes(s.spaceName)).reduce((n, s) => n + s.spaceUsedSize, 0);

/** Renders every file, and again, until at least `count` renders were made; returns how many. */
function renderAtLeast(files: File[], count: number): number {
  let n = 0;
  while (n < count) {
    for (const f of files) {
      if (f.content.length === 0) throw new Error(`${f.path} rendered empty`);
      releaseContent(f);
    }
    n += files.length;
  }
  return n;
}

const report = process.argv.slice(2).map((arg) => {
  const [topology, release] = arg.split('@') as [string, Release | undefined];
  const result = render(readFileSync(topology, 'utf8'), { file: topology, redact: true, renderOnRead: true, ...(release ? { release } : {}) });
  if (result.diagnostics.some((d) => d.severity === 'error')) throw new Error(`${topology} does not render: ${result.diagnostics[0]!.message}`);
  const files = result.files.filter((f) => f.kind === 'vyos');
  // Past V8's warm-up first: the first thousand renders of a topology or release left up to 700 bytes each.
  renderAtLeast(files, 1000);
  let renders = 0;
  let scavenges = 0;
  // Promoted bytes per render, a thousand renders at a time; the figure is their median, so that one chunk
  // (a full collection's sweeping, V8 still optimizing) does not make it: one run in a suite's gave 2,263.
  const chunks: number[] = [];
  while (scavenges < 6 || chunks.length < 5) {
    const profiler = new GCProfiler();
    profiler.start();
    const n = renderAtLeast(files, 1000);
    let promoted = 0;
    for (const c of (profiler.stop() as { statistics: Collection[] }).statistics) {
      if (c.gcType !== 'Scavenge') continue;
      scavenges++;
      promoted += oldBytes(c.afterGC.heapSpaceStatistics) - oldBytes(c.beforeGC.heapSpaceStatistics);
    }
    renders += n;
    chunks.push(promoted / n);
  }
  const sorted = [...chunks].sort((a, b) => a - b);
  return { topology, release: release ?? 'as written', renders, scavenges, promotedPerRender: Math.round(sorted[Math.floor(sorted.length / 2)]!), chunks: chunks.map(Math.round) };
});
process.stdout.write(JSON.stringify(report));
