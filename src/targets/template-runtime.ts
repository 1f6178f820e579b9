// What the templates compiled by template-compiler.ts call at render time.
// Each function reproduces one piece of the Handlebars 4.7 runtime that
// vygen's templates rely on (strict lookups, the prototype guard, #if's idea
// of empty, #each's frames, partial indentation), so the compiled function
// returns exactly what Handlebars would; test/template-compiler.test.ts
// compares the two on every fixture.

/** The `this` of a helper called where the context is null, as in Handlebars. */
export const nullContext: object = Object.seal({});

const hasOwn = Object.prototype.hasOwnProperty;

/** Handlebars' lookupProperty: own properties only (a prototype's own `constructor` excluded). */
export function p(parent: any, name: string): unknown {
  const v = parent[name];
  if (v == null) return v;
  if (hasOwn.call(parent, name) && !(name === 'constructor' && typeof v === 'function' && parent === v.prototype)) return v;
  return undefined;
}

/** Strict mode's terminal lookup: a missing field is an error, not an empty string. */
export function s(parent: any, name: string, loc: string): unknown {
  if (!parent || !(name in parent)) notDefined(parent, name, loc);
  return p(parent, name);
}

export function notDefined(parent: unknown, name: string, loc: string): never {
  throw new Error(`"${name}" not defined in ${parent} - ${loc}`);
}

const ARGS_ONLY = new WeakSet<object>();

/**
 * Marks a helper that reads only its arguments (neither `this` nor Handlebars'
 * options): the compiled templates call it directly, with no options object
 * per call. Handlebars calls it as any helper; the result is the same.
 */
export function argsOnly<F extends (...args: any[]) => unknown>(f: F): F {
  ARGS_ONLY.add(f);
  return f;
}

export function isArgsOnly(f: unknown): boolean {
  return typeof f === 'function' && ARGS_ONLY.has(f);
}

/** #if's test: false, 0, "", null, undefined and [] are false. */
export function truthy(v: unknown, self: unknown): boolean {
  if (typeof v === 'function') v = v.call(self);
  return !!v && !(Array.isArray(v) && v.length === 0);
}

/** #with's test (0 counts as a value). */
export function present(v: unknown): boolean {
  return !((!v && v !== 0) || (Array.isArray(v) && v.length === 0));
}

export interface Frame {
  [key: string]: unknown;
  _parent?: Frame;
}

export function initData(context: unknown, data: Frame | undefined): Frame {
  if (!data || !('root' in data)) {
    data = data ? frame(data) : {};
    data.root = context;
  }
  return data;
}

export function frame(data: Frame): Frame {
  const f: Frame = Object.assign({}, data);
  f._parent = data;
  return f;
}

/**
 * #each's frame: what frame() makes of a frame initData() or #each made
 * (root, key, index, first, last, _parent; #each sets the four before its
 * body runs), built with one shape instead of copied property by property.
 */
export function eachFrame(data: Frame): Frame {
  return { root: data.root, key: undefined, index: 0, first: false, last: false, _parent: data };
}

/** `@../index`: the frame `depth` levels up. */
export function dataAt(data: Frame, depth: number): Frame {
  while (data && depth--) data = data._parent!;
  return data;
}

/** What #each iterates: an array as is, any other iterable copied into one; null for a plain object. */
export function list(v: any): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object' && v[Symbol.iterator]) return Array.from(v as Iterable<unknown>);
  return null;
}

/** The context of a block run on `this`: Handlebars hands a helper the null context for null. */
export function self(c: unknown): unknown {
  return c != null ? c : nullContext;
}

export interface Depths {
  v: unknown;
  u: Depths | undefined;
}

/** Handlebars' depth stack: a block's context is pushed unless it equals (==) the one on top. */
export function push(c: unknown, d: Depths): Depths {
  // eslint-disable-next-line eqeqeq
  return c != d.v && !(c === nullContext && d.v === null) ? { v: c, u: d } : d;
}

export function up(d: Depths, n: number): unknown {
  let at: Depths | undefined = d;
  while (n--) at = at!.u;
  return at!.v;
}

export type Compiled = (context: unknown, data?: Frame) => string;

/** The partial of that name, with Handlebars' error where there is none (a compiled call site keeps what it found). */
export function findPartial(partials: Readonly<Record<string, Compiled>>, name: string): Compiled {
  const fn = hasOwn.call(partials, name) ? partials[name] : undefined;
  if (!fn) throw new Error(`The partial ${name} could not be found`);
  return fn;
}

/** A standalone partial's output, each line after `indent` (the whitespace before its `{{> name}}`), as Handlebars indents it. */
export function indented(result: string, indent: string): string {
  const lines = result.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i] && i + 1 === lines.length) break;
    lines[i] = indent + lines[i];
  }
  return lines.join('\n');
}

/** The hash of every helper call: the compiled templates refuse hash arguments. */
export const noHash: Readonly<Record<string, never>> = Object.freeze({});

/** `{{name}}` where name may be a helper or a field: a function is called, as a helper would be. */
export function ambiguous(h: unknown, self: unknown, name: string, data: Frame, loc: string): unknown {
  return typeof h === 'function' ? h.call(self, { name, hash: noHash, data, loc }) : h;
}

/** A field holding a function is called on the context (Handlebars' lambdas). */
export function lambda(v: unknown, context: unknown): unknown {
  return typeof v === 'function' ? v.call(context) : v;
}

/** Block helpers the compiled templates implement themselves (and Handlebars built-ins they do not). */
export const RESERVED_HELPERS = ['if', 'unless', 'each', 'with', 'log', 'lookup', 'helperMissing', 'blockHelperMissing'] as const;

/** A template helper of a reserved name would change what Handlebars renders, not what the compiled template does. */
export function checkHelpers(helpers: object): void {
  for (const name of RESERVED_HELPERS) {
    if (hasOwn.call(helpers, name)) throw new Error(`internal error: a template helper may not be named ${name}: the compiled templates implement it themselves`);
  }
}
