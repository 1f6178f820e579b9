// The properties vygen must hold for any topology, checked with fast-check by
// test/fuzz.test.ts (a few hundred cases on every `npm test`) and by
// scripts/fuzz.mjs (`npm run fuzz -- --runs 10000`). Each check throws with
// the topology (YAML) in its message, so a shrunk counterexample can be
// pasted into a file and rendered by hand.
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render, validate, type Diagnostic, type PipelineResult } from '../../dist/index.js';
import { ROOT } from '../helpers/golden.js';
import { dump, mutateDoc, mutateText, type Mutation } from './mutate.js';
import { secretEnv, topology, type Doc } from './topology.js';

export interface FuzzProperty<T = any> {
  name: string;
  /** This property's share of the cases asked for in total (expensive ones get fewer). */
  share: number;
  arbitrary: fc.Arbitrary<T>;
  /** Throws when the property does not hold for the value. */
  check: (value: T) => void;
}

function prop<T>(name: string, share: number, arbitrary: fc.Arbitrary<T>, check: (value: T) => void): FuzzProperty<T> {
  return { name, share, arbitrary, check };
}

/** The fast-check property of one of PROPERTIES. */
export function property<T>(p: FuzzProperty<T>): fc.IPropertyWithHooks<[T]> {
  return fc.property(p.arbitrary, (v) => p.check(v));
}

const FILE = 'fuzz/topology.yaml';

function fail(what: string, text: string, extra = ''): never {
  throw new Error(`${what}${extra ? `\n${extra}` : ''}\n--- topology (${FILE}) ---\n${text.length > 20000 ? `${text.slice(0, 20000)}\n… (${text.length} characters)` : text}`);
}

const errorsOf = (r: PipelineResult) => r.diagnostics.filter((d) => d.severity === 'error');
const show = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.line}:${d.col} ${d.severity} ${d.code}: ${d.path}: ${d.message}`).join('\n');
const filesOf = (r: PipelineResult) => new Map(r.files.map((f) => [f.path, f.content]));

function renderValid(text: string): PipelineResult {
  let r: PipelineResult;
  try {
    r = render(text, { file: FILE, redact: true });
  } catch (e) {
    fail(`render threw on a valid topology: ${(e as Error).stack ?? String(e)}`, text);
  }
  if (errorsOf(r).length > 0) fail('a valid topology was refused', text, show(errorsOf(r)));
  return r;
}

/** Every router, VyOS NAT node and LVS director gets its file; no path twice. */
function checkComplete(doc: Doc, r: PipelineResult, text: string): void {
  const paths = r.files.map((f) => f.path);
  if (new Set(paths).size !== paths.length) fail('two files with one path', text, paths.join('\n'));
  const expected: string[] = [];
  for (const s of Object.values<any>(doc.sites ?? {})) for (const name of Object.keys(s.routers)) expected.push(`${name}.vyos`);
  for (const p of Object.values<any>(doc.nat_pairs ?? {})) for (const [name, n] of Object.entries<any>(p.nodes)) expected.push(n.target === 'linux' ? `${name}.nat.sh` : `${name}.vyos`);
  for (const p of Object.values<any>(doc.lvs?.pairs ?? {})) for (const n of p.nodes) expected.push(`${n.name}.keepalived.conf`);
  const missing = expected.filter((p) => !paths.includes(p));
  if (missing.length > 0) fail(`files missing: ${missing.join(', ')}`, text);
  for (const f of r.files) if (f.content === '' || !f.content.endsWith('\n')) fail(`${f.path} is empty or lacks its final newline`, text);
}

// --- 1 and 2: a valid topology renders, the same bytes every time, whatever the YAML style

const valid = fc.gen().map((g) => topology(g));

const renders = (doc: Doc) => {
  const text = dump(doc);
  const first = renderValid(text);
  checkComplete(doc, first, text);
  const again = renderValid(text);
  // JSON is YAML in flow style: the same document written another way.
  const flow = renderValid(JSON.stringify(doc, null, 1));
  for (const [label, other] of [['a second render', again], ['the same topology written as JSON', flow]] as const) {
    if (JSON.stringify(other.files) !== JSON.stringify(first.files)) {
      const a = filesOf(first);
      const b = filesOf(other);
      const differs = [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p));
      fail(`${label} gave different files: ${differs.join(', ') || '(order)'}`, text);
    }
  }
};

// --- 3: the order of keys in a mapping means nothing

/** A copy with every mapping's keys in a shuffled order (arrays keep theirs). */
export function shuffleKeys(doc: unknown, seed: number): unknown {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries.map(([k, x]) => [k, walk(x)]));
  };
  return walk(doc);
}

const reordered = fc.gen().map((g) => {
  const doc = topology(g);
  return { doc, shuffled: shuffleKeys(doc, g(fc.integer, { min: 1, max: 2 ** 31 - 1 })) as Doc };
});

const keyOrder = ({ doc, shuffled }: { doc: Doc; shuffled: Doc }) => {
  const text = dump(doc);
  const a = filesOf(renderValid(text));
  const shuffledText = dump(shuffled);
  const b = filesOf(renderValid(shuffledText));
  const differs = [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p));
  if (differs.length > 0) {
    const p = differs[0]!;
    fail(`reordering mapping keys changed ${differs.join(', ')}`, text, `--- ${p} before ---\n${a.get(p) ?? '(none)'}\n--- ${p} after ---\n${b.get(p) ?? '(none)'}\n--- reordered topology ---\n${shuffledText}`);
  }
};

// --- 4: adding a site changes no existing line except where it must

/** `a` is `b` with lines added (the lines of `a` appear in `b`, in order). */
function isSubsequence(a: string[], b: string[]): boolean {
  let i = 0;
  for (const line of b) if (i < a.length && a[i] === line) i++;
  return i === a.length;
}

const withNewSite = fc.gen().map((g) => {
  const doc = topology(g);
  const added: Doc = structuredClone(doc);
  const routers = Object.values<any>(doc.sites ?? {}).flatMap((s) => Object.keys(s.routers));
  const taken = new Set([...routers, ...Object.keys(doc.sites ?? {})].map((n) => n.toLowerCase()));
  let name = 'zz-added';
  while (taken.has(name) || taken.has(`${name}-r`)) name += '0';
  const router = `${name}-r`;
  added.sites = { ...(added.sites ?? {}) };
  added.sites[name] = {
    asn: 65500,
    networks: { connected: ['10.60.1.0/24'] },
    routers: {
      [router]: {
        role: g(fc.constantFrom, 'active', 'standby'),
        wan: { interface: 'eth0', address: '198.18.60.10/24', gateway: '198.18.60.1' },
        lan: { interface: 'eth1', address: '10.60.1.2/24' },
        loopback: '10.255.60.1',
      },
    },
  };
  const to = routers.length > 0 && g(fc.boolean) ? g(fc.constantFrom, ...routers) : undefined;
  if (to) added.links = [...(added.links ?? []), { between: g(fc.boolean) ? [to, router] : [router, to], ipsec: { psk: { env: 'VYGEN_PSK_ADDED' } } }];
  return { doc, added, linkedTo: to };
});

const addSite = ({ doc, added, linkedTo }: { doc: Doc; added: Doc; linkedTo: string | undefined }) => {
  const text = dump(doc);
  const before = filesOf(renderValid(text));
  const addedText = dump(added);
  const after = filesOf(renderValid(addedText));
  for (const [path, old] of before) {
    const now = after.get(path);
    if (now === old) continue;
    // Where it must: the router the new link reaches (and its VRRP health check, one more session), and failover and scale-up scripts
    // whose destinations default to what the other sites announce.
    // and the security groups of the linked router's site, which gain the new peer's IPsec rules.
    if (now !== undefined && path.endsWith('.security-groups.json')) {
      const rules = (t: string) => JSON.parse(t).Nodes as Record<string, { IpPermissions: unknown[] }>;
      const [was, is] = [rules(old), rules(now)];
      const kept = Object.keys(was).every((n) => is[n] && isSubsequence(was[n]!.IpPermissions.map((r) => JSON.stringify(r)), is[n]!.IpPermissions.map((r) => JSON.stringify(r))));
      if (!kept) fail(`adding a site lost or changed security-group rules: ${path}`, text, `--- ${path} after ---\n${now}\n--- topology with the site ---\n${addedText}`);
      continue;
    }
    const may = path === `${linkedTo}.vyos` || path === `${linkedTo}.vrrp-health.sh` || path.endsWith('.failover.sh') || path.endsWith('.scale-up.sh');
    const why = now === undefined ? 'disappeared' : !may ? 'changed' : !isSubsequence(old.split('\n'), now.split('\n')) ? 'lost or changed lines' : '';
    if (why) fail(`adding site ${Object.keys(added.sites).pop()} ${linkedTo ? `linked to ${linkedTo} ` : ''}${why}: ${path}`, text, `--- ${path} after ---\n${now ?? '(none)'}\n--- topology with the site ---\n${addedText}`);
  }
};

// --- 5: a mutated topology gives diagnostics, never an exception

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

interface Mutated {
  text: string;
  mutations: Mutation[];
  env: Record<string, string>;
}

/** Secrets whose values must never be shown; some of them invalid on purpose. */
const SECRET_VALUES = ['Sekr1t-Value-A', "Sekr1tB'quote", 'Sekr1tC\nset x', 'Sekr1tD;reboot', 'Sk1tE6'];

const mutated = fc.gen().map((g): Mutated => {
  let doc = topology(g);
  const mutations: Mutation[] = [];
  const count = g(fc.integer, { min: 1, max: 3 });
  for (let i = 0; i < count; i++) {
    const m = mutateDoc(g, doc);
    doc = m.doc;
    mutations.push(m.mutation);
  }
  let text = dump(doc);
  if (g(fc.boolean)) {
    const m = mutateText(g, text);
    text = m.text;
    mutations.push(m.mutation);
  }
  const env: Record<string, string> = {};
  // Only names an environment can hold (a mutation may have made others).
  for (const k of Object.keys(secretEnv(doc))) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) env[k] = g(fc.constantFrom, ...SECRET_VALUES);
  return { text, mutations, env };
});

function checkDiagnostics(ds: readonly Diagnostic[], text: string, env: Record<string, string>, what: string): void {
  const lines = text.split('\n').length;
  for (const d of ds) {
    const fields = [d.code, d.message, d.path, d.file, d.expected ?? '', d.found ?? '', d.hint ?? ''];
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(d.code)) fail(`${what}: diagnostic code ${JSON.stringify(d.code)}`, text, show([d]));
    if (d.line < 1 || d.col < 1 || d.line > lines + 1) fail(`${what}: diagnostic at ${d.line}:${d.col} outside the file (${lines} lines)`, text, show([d]));
    if (fields.some((f) => CONTROL.test(f))) fail(`${what}: a diagnostic holds a raw control character`, text, JSON.stringify(d));
    if (fields.some((f) => f.length > 4000)) fail(`${what}: a diagnostic field of more than 4000 characters`, text, `${d.code} ${d.path}`);
    for (const v of new Set(Object.values(env))) {
      const visible = v.replace(/[^\x21-\x7e]+/g, ' ').split(' ').filter((s) => s.length >= 6);
      if (visible.some((s) => fields.some((f) => f.includes(s)))) fail(`${what}: a secret value is shown in a diagnostic`, text, JSON.stringify(d));
    }
  }
}

const neverThrows = ({ text, env }: Mutated) => {
  for (const [what, run] of [
    ['render --redact', () => render(text, { file: FILE, redact: true })],
    ['render with secrets', () => render(text, { file: FILE, env })],
    ['validate', () => validate(text, { file: FILE })],
  ] as const) {
    let r: PipelineResult;
    try {
      r = run();
    } catch (e) {
      fail(`${what} threw: ${(e as Error).stack ?? String(e)}`, text);
    }
    checkDiagnostics(r.diagnostics, text, env, what);
    if (errorsOf(r).length > 0 && r.files.length > 0) fail(`${what}: files despite errors`, text, show(errorsOf(r)));
    if (what === 'render with secrets') {
      // Secrets reach only the lines that hold them, never a comment or a file name.
      for (const f of r.files) {
        for (const v of new Set(Object.values(env))) {
          if (f.path.includes(v)) fail(`${what}: a secret in a file name`, text, f.path);
          for (const line of f.content.split('\n')) if (line.startsWith('#') && line.includes(v)) fail(`${what}: a secret in a comment of ${f.path}`, text, line);
        }
      }
    }
  }
};

// --- 5 (CLI): exit code 0, 1 or 2, no stack trace, nothing half-written

const CLI = join(ROOT, 'dist', 'cli.js');

const cliExitCodes = ([{ text, env }, command]: [Mutated, string]) => {
  const dir = mkdtempSync(join(tmpdir(), 'vygen-fuzz-'));
  try {
    const file = join(dir, 'topology.yaml');
    writeFileSync(file, text);
    const out = join(dir, 'out');
    const args =
      command === 'render-o' ? ['render', file, '-o', out] : command === 'render' ? ['render', file, '--redact'] : command === 'validate' ? ['validate', file] : ['render', file, '--redact', '--format', 'json'];
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60000 });
    const said = `vygen ${args.join(' ')} exited ${r.status} (signal ${r.signal})\n--- stderr ---\n${r.stderr.slice(0, 4000)}`;
    if (r.status !== 0 && r.status !== 1 && r.status !== 2) fail('exit code not 0, 1 or 2', text, said);
    if (/\n\s+at /.test(r.stderr)) fail('a stack trace on stderr', text, said);
    if (r.status === 1 && command !== 'render-json' && !/ error [a-z-]+: /.test(r.stderr)) fail('exit 1 without an error diagnostic', text, said);
    if (command === 'render-json') JSON.parse(r.stdout);
    if (command === 'render-o') {
      const written = readdirSync(dir).filter((n) => n !== 'topology.yaml');
      if (r.status !== 0 && written.length > 0) fail(`exit ${r.status} but ${written.join(', ')} left beside the topology`, text, said);
      for (const v of new Set(Object.values(env))) if (r.stderr.includes(v)) fail('a secret on stderr', text, said);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export const PROPERTIES: FuzzProperty[] = [
  prop('a valid topology renders, identically every time', 0.25, valid, renders),
  prop('reordering mapping keys changes no file', 0.2, reordered, keyOrder),
  prop('adding a site changes no existing line except where it must', 0.2, withNewSite, addSite),
  prop('a mutated topology gives diagnostics, never an exception', 0.33, mutated, neverThrows),
  prop('the CLI exits 0, 1 or 2 on a mutated topology, without a stack trace', 0.02, fc.tuple(mutated, fc.constantFrom('render-o', 'render', 'validate', 'render-json')), cliExitCodes),
];

/** Runs for one property when `total` runs are asked for (at least 1). */
export function runsFor(p: FuzzProperty, total: number): number {
  return Math.max(1, Math.round(total * p.share));
}
