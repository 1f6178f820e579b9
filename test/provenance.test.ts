// Every diagnostic points at the line that chose the value, or, when the
// value was not written (a default, a derived name), names the key the user
// would write to change it: a message must never send a reader to a key that
// is not in the file without saying which key to add.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { render, type Diagnostic } from '../dist/index.js';
import { FIXTURES, ROOT } from './helpers/golden.js';

/** `sites["ap.tokyo"].routers[0].wan` -> ['sites', 'ap.tokyo', 'routers', '0', 'wan'] */
export function pathParts(path: string): string[] {
  const parts: string[] = [];
  for (const m of path.matchAll(/\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]|([^.[\]]+)/g)) {
    parts.push(m[1] !== undefined ? (JSON.parse(m[1]) as string) : (m[2] ?? m[3]!));
  }
  return parts;
}

function present(doc: unknown, parts: readonly string[]): boolean {
  let cur = doc;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return false;
    const k = Array.isArray(cur) ? Number(p) : p;
    if (!Object.prototype.hasOwnProperty.call(cur, k)) return false;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return true;
}

/** The diagnostics that point at an absent key without naming it. */
export function unplaced(doc: unknown, diags: readonly Diagnostic[]): string[] {
  return diags.flatMap((d) => {
    const parts = pathParts(d.path);
    if (parts.length === 0 || present(doc, parts)) return [];
    const key = parts[parts.length - 1]!;
    const said = `${d.message} ${d.expected ?? ''} ${d.hint ?? ''}`;
    return said.includes(key) ? [] : [`${d.code} at ${d.path}: ${d.message}`];
  });
}

const cases = [
  ...readdirSync(FIXTURES).filter((n) => existsSync(join(FIXTURES, n, 'topology.yaml'))).map((n) => `fixtures/${n}/topology.yaml`),
  ...readdirSync(join(ROOT, 'examples')).filter((n) => existsSync(join(ROOT, 'examples', n, 'topology.yaml'))).map((n) => `examples/${n}/topology.yaml`),
];

describe('provenance of diagnostics', () => {
  it('reads quoted and indexed paths', () => {
    expect(pathParts('sites["ap.tokyo"].routers[0].wan')).to.deep.equal(['sites', 'ap.tokyo', 'routers', '0', 'wan']);
  });

  it('every diagnostic of every fixture and example points at a written key, or names the key to write', () => {
    const found: string[] = [];
    for (const file of cases) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      let doc: unknown;
      try {
        doc = yaml.load(text);
      } catch {
        continue; // the YAML syntax fixtures: nothing to point into
      }
      const r = render(text, { file, redact: true });
      for (const u of unplaced(doc, r.diagnostics)) found.push(`${file}: ${u}`);
    }
    expect(found).to.deep.equal([]);
  });

  it('finds a planted diagnostic that points at an absent key and does not name it', () => {
    const doc = { sites: { tokyo: { asn: 65001 } } };
    const d = (path: string, hint: string): Diagnostic => ({ code: 'x', severity: 'error', message: 'refused', file: 'f', line: 1, col: 1, path, hint });
    expect(unplaced(doc, [d('sites.tokyo.asn', '')])).to.deep.equal([]);
    expect(unplaced(doc, [d('sites.tokyo.mtu', 'set mtu: 1400')])).to.deep.equal([]);
    expect(unplaced(doc, [d('sites.tokyo.mtu', 'lower it')])).to.deep.equal(['x at sites.tokyo.mtu: refused']);
  });
});
