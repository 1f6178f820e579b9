// npm run fuzz [-- --runs N] [--seed S] [--only TEXT] [--no-shrink]
//
// Runs the properties of test/fuzz/properties.ts (compiled to dist-test/)
// on N generated cases in total (default 10,000), shared between the
// properties by cost. Every case runs, failing or not, so the count of
// failing cases is exact; then each failing property runs again from the
// same seed, stops at its first failure and shrinks it, and the shrunk
// counterexample (its topology as YAML) is printed. Exit 1 when any failed.
import fc from 'fast-check';
import { PROPERTIES, property, runsFor } from '../dist-test/fuzz/properties.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const total = Number(option('--runs', '10000'));
const seed = Number(option('--seed', String(Date.now() % 2 ** 31)));
const only = option('--only', '');
const shrink = !args.includes('--no-shrink');
if (!Number.isInteger(total) || total < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S] [--only TEXT] [--no-shrink]');
  process.exit(2);
}

const firstLine = (e) => String(e?.message ?? e).split('\n')[0];
console.log(`vygen fuzz: ${total} cases, seed ${seed}${only ? `, properties matching "${only}"` : ''}`);
let cases = 0;
let failing = 0;
const failed = [];
for (const p of PROPERTIES.filter((q) => q.name.includes(only))) {
  const runs = runsFor(p, total);
  let count = 0;
  const kinds = new Map();
  const t0 = performance.now();
  // Counting pass: the check's failure is recorded, the case still "passes".
  fc.check(
    fc.property(p.arbitrary, (v) => {
      try {
        p.check(v);
      } catch (e) {
        count++;
        const k = firstLine(e).slice(0, 160);
        kinds.set(k, (kinds.get(k) ?? 0) + 1);
      }
      return true;
    }),
    { numRuns: runs, seed },
  );
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`${count === 0 ? 'ok  ' : 'FAIL'} ${p.name}: ${runs} cases, ${count} failing (${seconds} s)`);
  for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`       ${n} x ${k}`);
  cases += runs;
  failing += count;
  if (count > 0) failed.push({ p, runs });
}

for (const { p, runs } of failed) {
  console.log(`\n=== ${p.name}`);
  // Shrinking re-runs the check many times: bounded to 2 minutes per property (the best counterexample so far is kept).
  const d = fc.check(property(p), { numRuns: runs, seed, endOnFailure: !shrink, interruptAfterTimeLimit: 120000, markInterruptAsFailure: false });
  if (!d.failed) {
    console.log('(did not fail again from the same seed: a failure that depends on state outside the case)');
    continue;
  }
  console.log(`seed ${seed}, path ${d.counterexamplePath}: replay with fc.assert(property, { seed: ${seed}, path: "${d.counterexamplePath}" })`);
  console.log(shrink ? `counterexample shrunk in ${d.numShrinks} steps:` : 'first counterexample (not shrunk):');
  console.log(String(d.errorInstance?.message ?? d.error));
}
console.log(`\nvygen fuzz: ${cases} cases, ${failing} failing (seed ${seed})`);
console.log(`${cases - failing} passed, ${failing} failed`);
process.exit(failing === 0 ? 0 : 1);
