// node scripts/fuzz-check.mjs --vyos-check PATH [--runs N] [--seed S] [--keepalived PATH] [--keep DIR]
//
// Generated output is checked by the real tools (CI, when ../shared exists):
// N fuzzed valid topologies (test/fuzz/topology.ts, compiled to dist-test/)
// are rendered, every .vyos file goes through `vyos-check --commit --release R`
// for the release its header names, and every keepalived.conf through
// `keepalived -t` (the wrapper of test/helpers/lvs.ts). A finding prints the
// file, the tool's complaint and the topology that produced it; exit 1.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { render } from '../dist/index.js';
import { topology } from '../dist-test/fuzz/topology.js';
import { dump } from '../dist-test/fuzz/mutate.js';
import { keepalivedCheck } from '../dist-test/helpers/lvs.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const runs = Number(option('--runs', '300'));
const seed = Number(option('--seed', String(Date.now() % 2 ** 31)));
const vyosCheck = option('--vyos-check', '');
const keepalived = option('--keepalived', '');
const keep = option('--keep', '');
if (!vyosCheck || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: node scripts/fuzz-check.mjs --vyos-check PATH [--runs N] [--seed S] [--keepalived PATH] [--keep DIR]');
  process.exit(2);
}

const work = keep || mkdtempSync(join(tmpdir(), 'vygen-fuzz-check-'));
const topologies = fc.sample(fc.gen().map((g) => topology(g)), { numRuns: runs, seed });
const byRelease = new Map();
const keepalivedFiles = [];
const source = new Map(); // file -> topology text
let files = 0;
topologies.forEach((doc, i) => {
  const text = dump(doc);
  const dir = join(work, `case-${String(i).padStart(4, '0')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'topology.yaml'), text);
  const result = render(text, { file: 'topology.yaml', redact: true });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    console.error(`case ${i}: a generated topology was refused (run npm run fuzz):\n${errors.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('\n')}\n${text}`);
    process.exit(1);
  }
  for (const f of result.files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
    source.set(p, text);
    files++;
    if (f.path.endsWith('.vyos')) {
      const release = /VyOS (1\.\d+)/.exec(f.content.split('\n')[0] ?? '')?.[1];
      if (!release) {
        console.error(`${p}: header names no VyOS release`);
        process.exit(1);
      }
      byRelease.set(release, [...(byRelease.get(release) ?? []), p]);
    } else if (f.path.endsWith('.keepalived.conf')) keepalivedFiles.push(p);
  }
});
console.log(`fuzz-check: ${runs} topologies (seed ${seed}), ${files} files in ${work}`);

let findings = 0;
const kinds = new Map();
const report = (file, what, complaint) => {
  findings++;
  // Kinds of finding: the complaint without its numbers, names and paths.
  const kind = complaint.replace(/'[^']*'|"[^"]*"|\/\S+|\d+(\.\d+)*/g, '_').replace(/peer \S+/, 'peer _').slice(0, 200);
  const first = !kinds.has(kind);
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  if (first && kinds.size <= 5) console.log(`\n${what}\n--- topology of ${file} ---\n${source.get(file)}`);
};
for (const [release, list] of [...byRelease].sort()) {
  // In batches: one argv must stay short.
  for (let i = 0; i < list.length; i += 200) {
    const batch = list.slice(i, i + 200);
    const r = spawnSync(vyosCheck, ['--commit', '--json', '--release', release, ...batch], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error) {
      console.error(`cannot run ${vyosCheck}: ${r.error.message}`);
      process.exit(2);
    }
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('{'));
    for (const l of lines) {
      const f = JSON.parse(l);
      if (f.kind !== 'error') continue;
      report(f.file, `vyos-check ${release}: ${f.file}:${f.line}:${f.col}: ${f.message}\n    ${f.text ?? ''}`, `vyos-check: ${f.message}`);
    }
    if (r.status !== 0 && !lines.some((l) => JSON.parse(l).kind === 'error')) {
      report(batch[0], `vyos-check ${release} exited ${r.status}: ${r.stderr || r.stdout.split('\n').slice(-3).join('\n')}`, `vyos-check exited ${r.status}`);
    }
  }
  console.log(`vyos-check --commit --release ${release}: ${list.length} files`);
}
if (keepalived) {
  for (const p of keepalivedFiles) {
    const v = keepalivedCheck(keepalived, p, dirname(p), 'check');
    if (!v.ok) report(p, `keepalived -t ${p}: ${v.reason}`, `keepalived: ${v.reason.split('\n').slice(0, 3).join(' ')}`);
  }
  console.log(`keepalived -t: ${keepalivedFiles.length} files`);
} else console.log('keepalived not given: keepalived.conf files not checked');

if (!keep) rmSync(work, { recursive: true, force: true });
for (const [kind, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${n} x ${kind}`);
console.log(`fuzz-check: ${findings} finding${findings === 1 ? '' : 's'} of ${kinds.size} kind${kinds.size === 1 ? '' : 's'}${kinds.size > 5 ? ' (the first of 5 kinds shown)' : ''}`);
process.exit(findings === 0 ? 0 : 1);
