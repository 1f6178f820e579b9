// Instructions, not milliseconds: each case run under valgrind's callgrind,
// which counts the instructions the process executes (all its threads). The
// count stays within about 2 % from run to run whatever else the machine
// does, where wall time on these shared 2-core machines moved by a quarter
// and more between consecutive runs (docs/performance.md, the tenth round).
// So a change of a few per cent of a cold start is seen in a few runs
// instead of dozens of alternating timed ones. It is not time: a cache miss or a collector thread
// waiting costs time and no instructions. Prints, asserts nothing; needs
// valgrind (Debian's package).
// Usage: node bench/run-instructions.mjs [--big] [--growth [--warm]] [--one-thread] [--runs N]  (N: 3 unless given)
//   --big: also the 1,000-site CLI render (about a minute a run)
//   --growth: the CLI rendering 100, 1,000, 2,000, 3,000 and 5,000 sites, and
//     what each site adds between two sizes (about a quarter of an hour a
//     run): the work grows linearly when every step adds the same per site.
//     It leaves out what only time shows (cache misses and page faults in a
//     larger heap), and the fixed cost of a start, which makes wall time per
//     site dearer for a small topology without any growth faster than linear.
//   --growth --warm: the same for one in-process render after three
//     1,000-site renders (bench/run-size.mjs), the shape of the warm growth
//     row of bench/run-issue17.mjs (about an hour a run). Its counts include
//     writing the synthetic topology's text, a small part that grows linearly.
//   --one-thread: every process with V8's own threads off (`--single-threaded`:
//     the collector and the compiler on the main thread). Two runs then
//     usually agree to 0.1 % (the collector's threads are what moves the
//     count otherwise), which is what an A/B of one change needs; but a few
//     allocations more or less can move a full collection and the count by
//     about 2 %, so compare the lower of several runs. It is not the process
//     users run (the flag also makes V8 refuse the code caches).
//     Not `--predictable`, which repeats as well but changes more of what V8
//     does: it counted 148 M instructions for a walk over the parsed 1,000-site
//     document that `--single-threaded` counts at 50 M.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticTopology } from './synthetic.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = process.argv.indexOf('--runs');
const runs = at > 0 ? Number(process.argv[at + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1) {
  console.error('run-instructions: --runs takes a whole number of runs, 1 or more');
  process.exit(2);
}
if (spawnSync('valgrind', ['--version']).error) {
  console.log('valgrind is not installed (apt-get install valgrind): no instruction counts');
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'vygen-ir-'));
const v8Flags = process.argv.includes('--one-thread') ? ['--single-threaded'] : [];

/** The instructions of one run of `node ARGS`, in millions. */
function instructions(args) {
  const log = join(work, 'callgrind.log');
  const r = spawnSync('valgrind', ['--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null', `--log-file=${log}`, process.execPath, ...v8Flags, ...args], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, PSK: 'bench-secret' },
  });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} under valgrind exited with ${r.status}`);
  const refs = /I\s+refs:\s+([\d,]+)/.exec(readFileSync(log, 'utf8'));
  if (!refs) throw new Error('valgrind printed no instruction count');
  return Number(refs[1].replaceAll(',', '')) / 1e6;
}

function row(what, args, base) {
  const counts = Array.from({ length: runs }, () => instructions(args)).sort((a, b) => a - b);
  const half = Math.floor(counts.length / 2);
  const mid = counts.length % 2 === 1 ? counts[half] : (counts[half - 1] + counts[half]) / 2;
  const ratio = base ? `  ${(mid / base).toFixed(2)}x node -e 0, ${(mid - base).toFixed(0)} M above it` : '';
  console.log(`${what.padEnd(58)} ${mid.toFixed(0).padStart(7)} M instructions (runs: ${counts.map((c) => c.toFixed(0)).join(', ')})${ratio}`);
  return mid;
}

function growth(warm) {
  const sizes = [100, 1000, 2000, 3000, 5000];
  const counts = sizes.map((n) => {
    if (warm) return row(`one render of ${n.toLocaleString('en')} sites after three of 1,000`, ['bench/run-size.mjs', String(n), '1', '--warm-up', '3'], undefined);
    const file = join(work, `growth-${n}.yaml`);
    writeFileSync(file, syntheticTopology(n));
    return row(`vygen render (${n.toLocaleString('en')} sites) > /dev/null`, ['dist/cli.js', 'render', file, '--redact'], undefined);
  });
  // What a process does whatever the size (its start, a warm-up) is in both counts of a step, and cancels.
  const steps = sizes.slice(1).map((n, i) => ({ from: sizes[i], to: n, perSite: ((counts[i + 1] - counts[i]) * 1e3) / (n - sizes[i]) }));
  for (const s of steps) console.log(`  each site from ${s.from.toLocaleString('en')} to ${s.to.toLocaleString('en')} sites: ${s.perSite.toFixed(0)} K instructions`);
  const per = steps.map((s) => s.perSite);
  console.log(`  max/min of what a site adds: ${(Math.max(...per) / Math.min(...per)).toFixed(3)} (within 10 %: <= 1.10; a later step that adds less per site is growth slower than linear, not faster)`);
}

try {
  console.log(`instructions under callgrind, median of ${runs} runs each${v8Flags.length ? ', node --single-threaded' : ''}`);
  const base = row('node -e 0', ['-e', '0']);
  row('cold render of examples/inter-region-vpn', ['dist/cli.js', 'render', 'examples/inter-region-vpn/topology.yaml', '--redact'], base);
  if (process.argv.includes('--big')) {
    const big = join(work, 'big.yaml');
    writeFileSync(big, syntheticTopology(1000));
    row('vygen render BIG.yaml > /dev/null (1,000 sites)', ['dist/cli.js', 'render', big], base);
  }
  if (process.argv.includes('--growth')) growth(process.argv.includes('--warm'));
} finally {
  rmSync(work, { recursive: true, force: true });
}
