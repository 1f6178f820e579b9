// Schema stage: the document against schemas/topology.schema.json (ajv, 2020-12).
// ajv reports what failed in schema terms; this file turns each failure into a
// diagnostic a network engineer can act on: the key to fix, what was expected,
// and a "did you mean" where a name was mistyped.
import type { ErrorObject } from 'ajv';
import type { Diagnostics, DocPath } from '../diagnostics.js';
import { shown } from '../diagnostics.js';
import { topologyValidator, type SchemaNode } from './schema-validator.js';
import { suggest } from '../suggest.js';

/** The topology format this vygen reads (`vygen: 1`). */
export const FORMAT_VERSION = 1;

export function checkSchema(document: unknown, diags: Diagnostics): void {
  // A file for a newer format fails the schema in ways that only follow from
  // that: the one thing to say is that this vygen is too old for it.
  const version = document !== null && typeof document === 'object' ? (document as { vygen?: unknown }).vygen : undefined;
  if (typeof version === 'number' && Number.isInteger(version) && version > FORMAT_VERSION) {
    diags.error('format-too-new', ['vygen'], `this topology is written for a newer vygen (format ${version}; this vygen reads format ${FORMAT_VERSION})`, {
      expected: `vygen: ${FORMAT_VERSION}`,
      found: `vygen: ${version}`,
      hint: 'upgrade vygen (npm install vygen@latest), or use the vygen version the topology was written for',
    });
    return;
  }
  const validate = topologyValidator();
  if (validate(document)) return;
  for (const e of selectErrors(validate.errors ?? [])) report(e, document, diags);
}

/** Keys whose value is a secret reference ({ env } or { file }). */
const SECRET_KEYS = new Set(['psk', 'password', 'auth_pass']);

function toPath(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function valueAt(document: unknown, path: DocPath): unknown {
  let cur: unknown = document;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/**
 * A failing `oneOf` makes ajv report every branch's errors. Keep the branch
 * that got furthest into the data (a secret written `{ env: "bad name" }` is
 * about `env`, not about a missing `file`); if none got past the value itself,
 * keep the `oneOf` error alone so the message says what the choices are.
 */
function selectErrors(errors: ErrorObject[]): ErrorObject[] {
  // Errors by every instance path at or above them, so each oneOf looks only
  // at the errors of its own value: linear in the errors (one oneOf per bad
  // secret of 20,000 links made a scan of every error per oneOf quadratic).
  const under = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    for (let p = e.instancePath; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const list = under.get(p);
      if (list) list.push(e);
      else under.set(p, [e]);
      if (p === '') break;
    }
  }
  const removed = new Set<ErrorObject>();
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  for (const one of errors) {
    if (one.keyword !== 'oneOf') continue;
    const prefix = `${one.schemaPath.slice(0, -'/oneOf'.length)}/oneOf/`;
    // The same schema is used at many places of the document: a branch error
    // belongs to this oneOf only if it is at or below this oneOf's value.
    const inside = (under.get(one.instancePath) ?? []).filter((e) => !removed.has(e) && e.schemaPath.startsWith(prefix));
    const deeper = inside.filter((e) => depth(e) > depth(one) || e.keyword === 'additionalProperties');
    const branchOf = (e: ErrorObject) => e.schemaPath.slice(prefix.length).split('/')[0];
    const best = deeper.length > 0 ? branchOf(deeper.sort((x, y) => depth(y) - depth(x))[0]!) : undefined;
    if (best !== undefined && !removed.has(one)) removed.add(one);
    for (const e of inside) if (best === undefined || branchOf(e) !== best) removed.add(e);
  }
  const kept = errors.filter((e) => !removed.has(e));
  // `if`/`then` and `anyOf` wrappers only repeat what their branches said.
  return kept.filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'propertyNames');
}

function report(e: ErrorObject, document: unknown, diags: Diagnostics): void {
  const path = toPath(e.instancePath);
  const badName = (e as ErrorObject & { propertyName?: string }).propertyName;
  if (badName !== undefined) {
    const schemaOfName = e.parentSchema as SchemaNode | undefined;
    diags.error('invalid-name', [...path, badName], `invalid name ${shown(badName)}`, {
      at: 'key',
      expected: schemaOfName?.description ?? 'a name allowed by the schema',
      found: shown(badName),
      hint: 'names become host names, file names and parts of VyOS identifiers; rename it',
    });
    return;
  }
  const value = valueAt(document, path);
  const schema = e.parentSchema as SchemaNode | undefined;
  const describe = schema?.description ? ` (${schema.description})` : '';
  // A secret reference that is not a name may be the key itself, pasted into
  // the wrong place: it is never shown (found by the fuzzer's secret check).
  const last = path[path.length - 1];
  if ((last === 'env' || last === 'file') && SECRET_KEYS.has(String(path[path.length - 2])) && value !== undefined && value !== null && typeof value !== 'object') {
    diags.error('invalid-value', path, `invalid ${last === 'env' ? 'environment variable name' : 'secret file path'} (not shown: it may be the secret itself)`, {
      expected: schema?.description ?? 'a name',
      found: `a ${typeof value} of ${String(value).length} characters (not shown)`,
      hint: last === 'env' ? 'give the name of the variable that holds the key (letters, digits and _), not the key' : 'give the path of the file that holds the key, not the key',
    });
    return;
  }
  // Lists a real network keeps short: past the cap, it is not a network vygen renders.
  if (e.keyword === 'maxItems' && Number((e.params as { limit: number }).limit) > 2) {
    const limit = Number((e.params as { limit: number }).limit);
    const found = Array.isArray(value) ? value.length : 0;
    diags.error('topology-too-large', path, `${found.toLocaleString('en')} items, more than vygen accepts here (${limit.toLocaleString('en')})`, {
      at: 'key',
      expected: `at most ${limit.toLocaleString('en')} items`,
      found: found.toLocaleString('en'),
      hint: 'split the network into several topologies, each rendered on its own',
    });
    return;
  }
  switch (e.keyword) {
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      const item = Array.isArray(value) ? (value as unknown[])[j] : undefined;
      diags.error('duplicate-item', [...path, j], `${shown(item)} is listed twice`, {
        expected: 'each item once',
        found: `${shown(item)}, also item ${i + 1} of the list`,
        hint: 'remove one of them',
      });
      return;
    }
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(schema?.properties ?? {});
      const guess = suggest(key, allowed);
      diags.error('unknown-key', [...path, key], `unknown key ${shown(key)}`, {
        at: 'key',
        expected: allowed.length > 0 ? `one of: ${allowed.join(', ')}` : 'no keys here',
        found: shown(key),
        hint: guess ? `did you mean ${shown(guess)}?` : 'remove it, or check the README for where this setting belongs',
      });
      return;
    }
    case 'required': {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      const sub = schema?.properties?.[key];
      diags.error('missing-key', path, `${shown(key)} is required here`, {
        at: 'key',
        expected: `a key ${shown(key)}${sub?.description ? `: ${sub.description}` : ''}`,
        hint: `add ${key}: ...`,
      });
      return;
    }
    case 'oneOf': {
      const isSecret = schema?.oneOf?.some((b) => b.properties?.env !== undefined);
      if (isSecret && value !== null && typeof value !== 'object') {
        diags.error('literal-secret', path, 'a secret is written into the topology itself', {
          expected: '{ env: NAME } or { file: PATH }',
          found: 'a literal value (not shown)',
          hint: 'the topology is committed and reviewed; put the key in an environment variable (psk: { env: VYGEN_PSK_X }) or a file readable only by you (psk: { file: secrets/x.psk })',
        });
        return;
      }
      diags.error('invalid-value', path, isSecret ? 'invalid secret reference' : `invalid value ${shown(value)}`, {
        expected: isSecret ? '{ env: NAME } or { file: PATH }' : (schema?.description ?? 'one of the documented forms'),
        // A list or mapping in a secret's place may hold the key: its keys at most are shown.
        found: isSecret ? (Array.isArray(value) ? 'a list (not shown)' : value === null ? 'nothing' : `a mapping with keys ${Object.keys(value as object).map((k) => shown(k)).join(', ') || '(none)'}`) : shown(value),
      });
      return;
    }
    case 'enum':
    case 'const': {
      const allowed = (e.keyword === 'enum' ? (e.params as { allowedValues: unknown[] }).allowedValues : [(e.params as { allowedValue: unknown }).allowedValue]).map(String);
      const guess = typeof value === 'string' ? suggest(value, allowed) : undefined;
      diags.error('invalid-value', path, `invalid value ${shown(value)}`, {
        expected: `one of: ${allowed.map((a) => shown(a)).join(', ')}`,
        found: shown(value),
        ...(guess ? { hint: `did you mean ${shown(guess)}?` } : {}),
      });
      return;
    }
    case 'type': {
      const t = (e.params as { type: string | string[] }).type;
      diags.error('wrong-type', path, `expected ${Array.isArray(t) ? t.join(' or ') : t}, found ${typeName(value)}`, {
        expected: `${Array.isArray(t) ? t.join(' or ') : t}${describe}`,
        found: shown(value),
        ...(t === 'object' && typeof value === 'string' ? { hint: 'this takes nested keys, indented on the following lines' } : {}),
        ...(t === 'integer' && typeof value === 'string' && /^\d+$/.test(value) ? { hint: 'write the number without quotes' } : {}),
        ...(t === 'string' && typeof value === 'number' ? { hint: 'quote the value, e.g. "1.4"' } : {}),
      });
      return;
    }
    default: {
      // ajv's own wording ("must match pattern ^…$") says nothing to a network engineer.
      const why = e.keyword === 'pattern' ? '' : `: ${e.message ?? 'does not match the schema'}`;
      diags.error('invalid-value', path, `invalid value ${shown(value)}${why}`, {
        expected: expectation(e, schema),
        found: shown(value),
        ...(e.keyword === 'pattern' && schema?.pattern?.includes("'") ? { hint: 'quotes, backslashes and control characters cannot be used in router configuration text' } : {}),
      });
    }
  }
}

function expectation(e: ErrorObject, schema: SchemaNode | undefined): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'minimum':
    case 'maximum':
      return `a number from ${schema?.minimum ?? '-'} to ${schema?.maximum ?? '-'}`;
    case 'minItems':
    case 'maxItems':
      return schema?.minItems === schema?.maxItems ? `exactly ${schema?.minItems} items` : `${schema?.minItems ?? 0} to ${schema?.maxItems ?? 'any number of'} items`;
    case 'maxLength':
      return `at most ${String(p.limit)} characters`;
    case 'minLength':
      return `at least ${String(p.limit)} characters`;
    case 'pattern':
      return schema?.patternErrorMessage?.replace(/^Expected /, '').replace(/\.$/, '') ?? schema?.description ?? 'a value allowed by the schema';
    default:
      return schema?.description ?? e.message ?? 'a value allowed by the schema';
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}
