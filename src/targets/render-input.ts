// What a deferred file is rendered from (`vygen diff`), and whether two such
// inputs render the same file: every value the template can read compared
// field by field, and a secret reference by the value it resolves to on its
// own side, so a key changed under the same name counts as a change. A
// present-but-undefined field differs from an absent one (strict templates
// tell them apart); Sets and Maps are compared by their items, in order.
//
// A comparison, not a fingerprint text made on each side: serializing each
// router's intent (JSON.stringify with a replacer) took 180 ms of a
// 1,000-site diff and left 4,000 strings to collect, and a walk that stops at
// the first difference allocates nothing but key lists (docs/performance.md).
// Only plain data may be declared the same: a function, symbol, bigint or
// class instance met on the way is an internal error.

type Secrets = ReadonlyMap<unknown, string>;

export interface RenderInput {
  /** Everything the template reads: the intent and the header. */
  value: unknown;
  /** The value, or the redaction placeholder, of every secret reference on this side. */
  secrets: Secrets;
}

export function sameRenderInput(a: RenderInput, b: RenderInput): boolean {
  return same(a.value, b.value, a.secrets, b.secrets);
}

function same(x: unknown, y: unknown, sx: Secrets, sy: Secrets): boolean {
  if (typeof x !== 'object' || x === null) {
    plain(x);
    return x === y && x === x; // NaN is never the same: both sides render
  }
  if (typeof y !== 'object' || y === null) return false;
  const secretX = sx.get(x);
  if (secretX !== sy.get(y)) return false;
  if (secretX !== undefined) return sameFields(x, y, sx, sy);
  if (Array.isArray(x)) return Array.isArray(y) && sameItems(x, y, sx, sy);
  if (Array.isArray(y)) return false;
  if (x instanceof Set) return y instanceof Set && x.size === y.size && sameItems([...x], [...y], sx, sy);
  if (x instanceof Map) return y instanceof Map && x.size === y.size && sameItems([...x], [...y], sx, sy);
  plainObject(x);
  plainObject(y);
  return sameFields(x, y, sx, sy);
}

function sameItems(x: readonly unknown[], y: readonly unknown[], sx: Secrets, sy: Secrets): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!same(x[i], y[i], sx, sy)) return false;
  return true;
}

function sameFields(x: object, y: object, sx: Secrets, sy: Secrets): boolean {
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  if (kx.length !== ky.length) return false;
  for (let i = 0; i < kx.length; i++) {
    const k = kx[i]!;
    if (k !== ky[i] || !same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], sx, sy)) return false;
  }
  return true;
}

function plain(v: unknown): void {
  const t = typeof v;
  if (t === 'function' || t === 'symbol' || t === 'bigint') throw new Error(`internal error: a template input holds a ${t}`);
}

function plainObject(o: object): void {
  const proto: unknown = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) {
    throw new Error(`internal error: a template input holds a ${(proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'class'} instance`);
  }
}
