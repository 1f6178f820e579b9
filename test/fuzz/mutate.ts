// Mutations of valid topologies: what a typo, a bad merge, a hostile pull
// request or a corrupted file makes of one. Each mutation is drawn with
// fast-check (so failures shrink) and applied to a copy of the document or
// to its YAML text.
import fc from 'fast-check';
import yaml from 'js-yaml';
import type { Doc } from './topology.js';

type Gen = fc.GeneratorValue;
type Path = (string | number)[];

/** Values that break quoting, commands, parsers and terminals. */
export const HOSTILE_STRINGS: readonly string[] = [
  "a'b",
  'a"b',
  'line\nset system login user evil',
  'cr\rset x',
  'semi; reboot',
  'and && reboot',
  'pipe | sh',
  '$(reboot)',
  '`reboot`',
  'nul\u0000x',
  'sep\u2028set x',
  'nel\u0085x',
  'tab\tx',
  'back\\slash',
  '#comment',
  '{ } ! @include x',
  '%s%n%x',
  '\u202eevil',
  '\u009b31m',
  '\u001b[2J',
  '../../etc/passwd',
  '/dev/null',
  '',
  ' ',
  'x'.repeat(10000),
];

/** Map keys that are properties of every JavaScript object. */
export const PROTO_KEYS: readonly string[] = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

const NUMBERS: readonly unknown[] = [-1, 0, 1, 3, 255, 256, 65535, 65536, 2 ** 31, 2 ** 32, 2 ** 53 + 2, -(2 ** 53), 1.5, 1e308, Number.POSITIVE_INFINITY, Number.NaN];

/** Every path of the document: object keys and array indexes, depth first. */
export function paths(doc: unknown): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, p: Path) => {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([...p, i]), walk(x, [...p, i])));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.push([...p, k]), walk(x, [...p, k]));
  };
  walk(doc, []);
  return out;
}

function get(doc: unknown, p: Path): unknown {
  let v: any = doc;
  for (const s of p) v = v?.[s];
  return v;
}

function parentOf(doc: unknown, p: Path): any {
  return get(doc, p.slice(0, -1));
}

/** Every string in the document that names something (a map key or a name value). */
function namesIn(doc: unknown): string[] {
  const out = new Set<string>();
  for (const p of paths(doc)) {
    const last = p[p.length - 1];
    if (typeof last === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(last)) out.add(last);
    const v = get(doc, p);
    if (typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v)) out.add(v);
  }
  return [...out].sort();
}

function anyValue(g: Gen): unknown {
  return g(() => fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom(...NUMBERS), fc.constant(null), fc.boolean(), fc.jsonValue({ maxDepth: 2 }), fc.constant({}), fc.constant([])));
}

export type Mutation = { kind: string; at: string };

/** Applies one drawn mutation to a copy of `doc`; returns the copy and what was done. */
export function mutateDoc(g: Gen, doc: Doc): { doc: Doc; mutation: Mutation } {
  const copy: Doc = structuredClone(doc);
  const all = paths(copy);
  if (all.length === 0) return { doc: { vygen: 2 }, mutation: { kind: 'version', at: 'vygen' } };
  const p = g(fc.constantFrom, ...all);
  const at = p.join('.');
  const parent = parentOf(copy, p);
  const key = p[p.length - 1]!;
  const value = get(copy, p);
  const kind = g(fc.constantFrom, 'delete', 'replace', 'hostile', 'number', 'rename-key', 'proto-key', 'reference', 'copy-sibling', 'duplicate', 'wrap', 'deep');
  switch (kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'replace':
      parent[key] = anyValue(g);
      break;
    case 'hostile': {
      const h = g(fc.constantFrom, ...HOSTILE_STRINGS);
      parent[key] = typeof value === 'string' && g(fc.boolean) ? `${value}${h}` : h;
      break;
    }
    case 'number':
      parent[key] = g(fc.constantFrom, ...NUMBERS);
      break;
    case 'rename-key':
    case 'proto-key': {
      if (Array.isArray(parent)) {
        parent[key as number] = { [g(fc.constantFrom, ...PROTO_KEYS)]: value };
        break;
      }
      const names = namesIn(copy);
      const to = kind === 'proto-key' ? g(fc.constantFrom, ...PROTO_KEYS) : g(() => fc.oneof(fc.constantFrom(...(names.length > 0 ? names : ['x'])), fc.constantFrom(...HOSTILE_STRINGS)));
      // Rebuild the mapping so the renamed key keeps its place (and __proto__ is an own key).
      const entries = Object.entries(parent).map(([k, v]) => (k === key ? [to, v] : [k, v]) as [string, unknown]);
      for (const k of Object.keys(parent)) delete parent[k];
      for (const [k, v] of entries) Object.defineProperty(parent, k, { value: v, enumerable: true, writable: true, configurable: true });
      break;
    }
    case 'reference': {
      // Point a name at another name of the topology: links, hubs, spokes, VIPs...
      const names = namesIn(copy);
      if (names.length > 0) parent[key] = g(fc.constantFrom, ...names);
      break;
    }
    case 'copy-sibling': {
      // Give this value the value of the same key elsewhere: duplicate addresses, names, ids.
      const same = all.filter((q) => q[q.length - 1] === key && q.join('.') !== at);
      if (same.length > 0) parent[key] = structuredClone(get(copy, g(fc.constantFrom, ...same)));
      break;
    }
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(value));
      else if (Array.isArray(value) && value.length > 0) value.push(structuredClone(value[0]));
      else parent[key] = [value, value];
      break;
    case 'wrap':
      parent[key] = g(fc.boolean) ? [value] : { value };
      break;
    case 'deep': {
      let v: unknown = value;
      for (let i = 0; i < g(fc.integer, { min: 2, max: 80 }); i++) v = [v];
      parent[key] = v;
      break;
    }
  }
  return { doc: copy, mutation: { kind, at } };
}

/** Damage to the file itself rather than to the document. */
export function mutateText(g: Gen, text: string): { text: string; mutation: Mutation } {
  const kind = g(fc.constantFrom, 'truncate', 'insert', 'delete-line', 'duplicate-line', 'indent', 'alias', 'tab', 'bytes', 'bom', 'crlf');
  const lines = text.split('\n');
  const pos = g(fc.integer, { min: 0, max: Math.max(0, text.length - 1) });
  const line = g(fc.integer, { min: 0, max: Math.max(0, lines.length - 1) });
  let out = text;
  switch (kind) {
    case 'truncate':
      out = text.slice(0, pos);
      break;
    case 'insert':
      out = text.slice(0, pos) + g(fc.constantFrom, ':', '- ', '{', '}', '[', ']', '"', "'", '&a ', '*a', '!!binary ', '!!js/function ', '? ', '|', '>', '%YAML 1.1\n', '---\n', '...\n', '\n', '#') + text.slice(pos);
      break;
    case 'delete-line':
      lines.splice(line, 1);
      out = lines.join('\n');
      break;
    case 'duplicate-line':
      lines.splice(line, 0, lines[line] ?? '');
      out = lines.join('\n');
      break;
    case 'indent':
      lines[line] = `${' '.repeat(g(fc.integer, { min: 1, max: 3 }))}${lines[line] ?? ''}`;
      out = lines.join('\n');
      break;
    case 'alias':
      // An anchor on one node and a merge or alias of it elsewhere.
      lines[line] = (lines[line] ?? '').replace(/: (.+)$/, ': &x $1');
      out = `${lines.join('\n')}\nextra: *x\n`;
      break;
    case 'tab':
      lines[line] = `\t${lines[line] ?? ''}`;
      out = lines.join('\n');
      break;
    case 'bytes':
      out = text.slice(0, pos) + g(fc.constantFrom, '\u0000', '\ufffd', '\u0007', '\u001b', '\ud800', '\u2028') + text.slice(pos);
      break;
    case 'bom':
      out = `\ufeff${text}`;
      break;
    case 'crlf':
      out = text.replace(/\n/g, '\r\n');
      break;
  }
  return { text: out, mutation: { kind, at: kind === 'truncate' || kind === 'insert' || kind === 'bytes' ? `offset ${pos}` : `line ${line + 1}` } };
}

export function dump(doc: Doc): string {
  return yaml.dump(doc, { lineWidth: 200, noRefs: true });
}
