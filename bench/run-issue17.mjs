// The measurements of issue 17 (render at string-building speed), printed as
// one table; each case beside `node -e 0` as a ratio, with the load average
// when it was measured (the machine is shared). Prints, asserts nothing.
// Usage: node bench/run-issue17.mjs [--quick]  (--quick: 3 runs instead of 7, and 3 processes instead of 5
// for the in-process rows)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readdirSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticTopology } from './synthetic.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 7;
const work = mkdtempSync(join(tmpdir(), 'vygen-bench-'));
const big = join(work, 'big.yaml');
const bigChanged = join(work, 'big-changed.yaml');
const text = syntheticTopology(1000);
writeFileSync(big, text);
// One link differs: the last ring link of the active routers gains a GRE MTU
// (a valid change: an invalid one would time only the error report).
const changed = text.replace('  - { between: [s999-a, s0-a], ipsec: { psk: { env: PSK } } }', '  - { between: [s999-a, s0-a], gre: { mtu: 1400 }, ipsec: { psk: { env: PSK } } }');
if (changed === text) throw new Error('the diff case changed nothing');
writeFileSync(bigChanged, changed);
const big5000 = join(work, 'big5000.yaml');
writeFileSync(big5000, syntheticTopology(5000));

function spawn(args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(node, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, PSK: 'bench-secret' }, ...opts });
  const ms = performance.now() - t0;
  if (r.status !== 0 && !(opts.okStatus ?? []).includes(r.status)) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(args, opts) {
  const ms = [];
  for (let i = 0; i < runs; i++) ms.push(spawn(args, opts).ms);
  return median(ms);
}

const load = () => loadavg()[0].toFixed(2);
const rows = [];
const bare = timed(['-e', '0']);
const row = (what, ms, target, extra = '') => {
  rows.push({ what, ms, target, extra, load: load() });
  console.log(`${what.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms  ${(ms / bare).toFixed(1).padStart(5)}x  load ${load().padStart(5)}  target ${target}${extra ? `  ${extra}` : ''}`);
};
console.log(`node -e 0: ${bare.toFixed(0)} ms (median of ${runs}), load ${load()}\n`);

row('vygen render BIG.yaml > /dev/null (1,000 sites)', timed(['dist/cli.js', 'render', big, '--redact'], { stdio: ['ignore', 'ignore', 'pipe'] }), '<= 600 ms');

// Each in-process row is the median over several processes: one process's first render is a single sample,
// and on these shared machines five processes in a row gave first renders from 482 to 656 ms.
const processes = quick ? 3 : 5;
const across = (xs) => `${processes} processes: ${[...xs].sort((a, b) => a - b).map((x) => x.toFixed(0)).join(', ')}`;
const inproc = Array.from({ length: processes }, () => JSON.parse(spawn(['bench/run-size.mjs', '1000', String(runs)]).stdout));
row('first in-process validate+render (1,000 sites)', median(inproc.map((r) => r.firstMs)), '<= 500 ms', `median of ${across(inproc.map((r) => r.firstMs))}`);
row('warm in-process median (1,000 sites)', median(inproc.map((r) => r.medianMs)), '<= 250 ms', `median of ${runs} renders in one process, the first included; median of ${across(inproc.map((r) => r.medianMs))}`);
// The same process shape, twelve renders: what a render costs once V8 has optimized it (the target is judged on the row above).
const steady = Array.from({ length: processes }, () => JSON.parse(spawn(['bench/run-size.mjs', '1000', '12']).stdout));
row('  steady state: renders 6-12 of one process', median(steady.map((r) => r.steadyMs)), '(for comparison)', `median of ${across(steady.map((r) => r.steadyMs))}`);

const diffOut = spawn(['dist/cli.js', 'diff', big, bigChanged], { stdio: ['ignore', 'pipe', 'pipe'] });
if (!/set interfaces tunnel tun1998 mtu '1400'/.test(diffOut.stdout)) throw new Error('the diff case did not show the changed link');
row('vygen diff of two 1,000-site files, one link differs', timed(['dist/cli.js', 'diff', big, bigChanged]), '<= 1200 ms');

const out = join(work, 'out');
spawn(['dist/cli.js', 'render', big, '--redact', '-o', out]);
const validateMs = timed(['dist/cli.js', 'validate', big]);
const mtimes = () => new Map(readdirSync(out).map((f) => [f, statSync(join(out, f)).mtimeMs]));
const before = mtimes();
// Rendered in full and compared, every file found in place: the render records DIR (src/emit/render-record.ts).
const full = timed(['dist/cli.js', 'render', big, '--redact', '--no-reuse', '-o', out]);
const reusedRun = spawn(['dist/cli.js', 'render', big, '--redact', '-o', out], { stdio: ['ignore', 'pipe', 'pipe'] });
if (!/not rendered again/.test(reusedRun.stderr)) throw new Error(`the re-render was not taken from the record: ${reusedRun.stderr}`);
const rerender = timed(['dist/cli.js', 'render', big, '--redact', '-o', out]);
const after = mtimes();
const rewritten = [...before].filter(([f, m]) => after.get(f) !== m).length;
row('re-render, every file rendered and compared (--no-reuse)', full, '(for comparison)', `${rewritten} of ${before.size} files rewritten`);
row('re-render into a directory holding identical files', rerender, `<= validate (${validateMs.toFixed(0)} ms) + 20 %`, `${rewritten} of ${before.size} files rewritten`);

row('cold render of examples/inter-region-vpn', timed(['dist/cli.js', 'render', 'examples/inter-region-vpn/topology.yaml', '--redact']), '<= 2x node -e 0');

const sizes = {};
for (const n of [100, 1000, 2000, 3000, 5000]) sizes[n] = JSON.parse(spawn(['bench/run-size.mjs', String(n), '3']).stdout);
// Peak RSS of one render in its own process (later renders in one process inherit the heap the first grew).
const one = JSON.parse(spawn(['bench/run-size.mjs', '5000', '1']).stdout);
// The CLI renders each file as it writes it and lets it go (src/targets/deferred.ts): to stdout, and into a fresh -o DIR.
const cliPeak = (what, extra) => {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', node, 'dist/cli.js', 'render', big5000, '--redact', ...extra], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PSK: 'bench-secret' } });
  const ms = performance.now() - t0;
  return r.status === 0 ? `, CLI ${what} ${(Number(r.stderr.trim().split('\n').pop()) / 1024).toFixed(0)} MB in ${ms.toFixed(0)} ms` : '';
};
const cliRss = cliPeak('to stdout', []) + cliPeak('into a fresh -o DIR', ['-o', join(work, 'out5000')]);
row('5,000 sites in-process, median of 3 / peak RSS of one', sizes[5000].medianMs, '<= 250 MB RSS', `peak RSS ${one.maxRssMb.toFixed(0)} MB${cliRss}`);
const perSite = Object.entries(sizes).map(([n, r]) => `${n}: ${(r.medianMs / Number(n)).toFixed(3)} ms/site`);
const spread = Object.values(sizes).map((r, i) => r.medianMs / Number(Object.keys(sizes)[i]));
console.log(`growth 100 -> 5,000 sites (median per site, load ${load()}): ${perSite.join(', ')}; max/min ${(Math.max(...spread) / Math.min(...spread)).toFixed(2)} (target: linear within 10 %, i.e. <= 1.10)`);
// The same medians against the least-squares line a + b * sites: a fixed cost per render (a) makes small renders dearer per site without any growth faster than linear.
const pts = Object.entries(sizes).map(([n, r]) => [Number(n), r.medianMs]);
const mx = pts.reduce((s, [x]) => s + x, 0) / pts.length;
const my = pts.reduce((s, [, y]) => s + y, 0) / pts.length;
const b = pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / pts.reduce((s, [x]) => s + (x - mx) ** 2, 0);
const a = my - b * mx;
// Off the line in ms, and as a share of the size's own time (a share of the line's value explodes where the line passes near zero).
const off = pts.map(([x, y]) => `${x}: ${(y - (a + b * x)).toFixed(0)} ms (${(100 * (1 - (a + b * x) / y)).toFixed(1)} %)`);
console.log(`growth as a line: ${a.toFixed(0)} ms + ${b.toFixed(3)} ms/site; each size off the line by ${off.join(', ')}`);
// The same sizes after the code has warmed up (five 1,000-site renders first, in the same process): what
// is left is how the work grows with the size. Small renders are repeated more: a collection landing in one moves it.
const warmSizes = {};
for (const n of [100, 1000, 2000, 3000, 5000]) warmSizes[n] = JSON.parse(spawn(['bench/run-size.mjs', String(n), String(Math.max(5, Math.ceil(2000 / n))), '--warm-up', '5']).stdout);
const warmPerSite = Object.entries(warmSizes).map(([n, r]) => [n, r.medianMs / Number(n)]);
const warmSpread = warmPerSite.map(([, x]) => x);
console.log(`growth once warm (after five 1,000-site renders; load ${load()}): ${warmPerSite.map(([n, x]) => `${n}: ${x.toFixed(3)} ms/site`).join(', ')}; max/min ${(Math.max(...warmSpread) / Math.min(...warmSpread)).toFixed(2)}`);

// Where the 5,000-site peak comes from: validate alone (no file rendered), and what a render leaves alive.
const validated = JSON.parse(spawn(['bench/run-size.mjs', '5000', '1', '--validate']).stdout);
const memory = JSON.parse(spawn(['--expose-gc', 'bench/run-memory.mjs', '5000']).stdout);
const parts = Object.entries(memory.liveMb).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
console.log(`5,000 sites: validate alone peaks at ${validated.maxRssMb.toFixed(0)} MB RSS; live at the end of a render (MB, heap after a full collection): ${parts} (the document while the stages run)`);
rmSync(work, { recursive: true, force: true });
