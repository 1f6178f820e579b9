// npm run bench: validate+render time and peak RSS for synthetic topologies of
// 10, 100 and 1,000 sites x 2 routers (each site linked to two others), and the
// cold start of `vygen render` on the example beside `node -e 0`.
// Targets (issue 3): 1,000 sites < 1 s in-process, < 300 MB RSS, linear growth;
// cold start <= 3x node -e 0. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;

function run(args) {
  const r = spawnSync(node, args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

console.log('size (sites)  routers  first run  median of 5  per site   peak RSS');
let previous;
for (const n of [10, 100, 1000]) {
  const r = JSON.parse(run(['bench/run-size.mjs', String(n)]));
  const perSite = r.medianMs / n;
  console.log(
    `${String(n).padStart(12)}  ${String(r.routers).padStart(7)}  ${r.firstMs.toFixed(0).padStart(7)} ms  ${r.medianMs.toFixed(0).padStart(8)} ms  ${perSite.toFixed(2).padStart(6)} ms  ${r.maxRssMb.toFixed(0).padStart(5)} MB`,
  );
  previous = r;
}
const target = previous.medianMs < 1000 && previous.maxRssMb < 300;
console.log(`1,000 sites: ${previous.medianMs.toFixed(0)} ms, ${previous.maxRssMb.toFixed(0)} MB (target < 1000 ms, < 300 MB): ${target ? 'met' : 'NOT met'}`);

// Traffic control (issue 16): the same topologies with 99 roles holding every
// site, 880 rules and protection on every router. Each router lists every role
// network once (the default deny between roles), so the output grows with
// routers x role networks.
console.log('\nfirewall (sites)  roles  rules  without    with       peak RSS');
for (const n of [100, 1000]) {
  const r = JSON.parse(run(['bench/run-firewall.mjs', String(n)]));
  console.log(`${String(n).padStart(16)}  ${String(r.roles).padStart(5)}  ${String(r.rules).padStart(5)}  ${r.withoutMs.toFixed(0).padStart(5)} ms  ${r.withMs.toFixed(0).padStart(6)} ms  ${r.maxRssMb.toFixed(0).padStart(6)} MB`);
}

function median(args, times = 11) {
  const ms = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    run(args);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)];
}
const bare = median(['-e', '0']);
const cold = median(['dist/cli.js', 'render', 'examples/inter-region-vpn/topology.yaml', '--redact']);
console.log(`cold start: vygen render example ${cold.toFixed(0)} ms, node -e 0 ${bare.toFixed(0)} ms, ratio ${(cold / bare).toFixed(2)} (target <= 3)`);

// Limits (issue 8): hostile and huge input, each in its own process; the
// maximum accepted topologies and the refusals of larger ones.
console.log('\nlimit case                                 input      time      peak RSS  outcome');
for (const c of ['100000 sites', '10000 sites, 20000 links', '156 sites x 64 routers, 20000 links', '50 MB file (CLI)', '/dev/zero (CLI)', 'alias bomb', 'nesting 100000 deep']) {
  const r = JSON.parse(run(['bench/run-limit.mjs', c]));
  console.log(`${c.padEnd(41)}  ${String(r.input).slice(0, 9).padStart(9)}  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.maxRssMb.toFixed(0).padStart(6)} MB  ${r.outcome}`);
}

// Validation time against file size (issue 19): linear up to the 16 MiB
// limit. Before, ajv's uniqueItems over 160,000 spokes (1.5 MB) took 114 s.
console.log('\nvalidation                                  input       time   per MiB   peak RSS  outcome');
for (const [shape, arg] of [['spokes', 1], ['spokes', 2], ['spokes', 4], ['spokes', 8], ['spokes', 15.9], ['unknown-routers', '']]) {
  const r = JSON.parse(run(['bench/run-validate.mjs', shape, String(arg)]));
  const mib = r.bytes / (1 << 20);
  const label = shape === 'spokes' ? `hub spokes, ${arg} MiB` : '10,000 routers, 20,000 unknown in links';
  console.log(`${label.padEnd(41)}  ${mib.toFixed(1).padStart(5)} MiB  ${(r.ms / 1000).toFixed(1).padStart(5)} s  ${(r.ms / mib / 1000).toFixed(2).padStart(5)} s  ${r.maxRssMb.toFixed(0).padStart(6)} MB  ${r.first} (${r.diagnostics} diagnostics)`);
}

// Render at string-building speed (issue 17): the CLI, first and warm
// in-process renders, diff, re-render into identical files, cold start, 5,000
// sites and growth, each beside `node -e 0` with the load average.
console.log('\nissue 17 cases');
process.stdout.write(run(['bench/run-issue17.mjs']));
process.stdout.write(run(['bench/run-ansible.mjs']));
