// The text a render's input is fingerprinted by: every value the template can
// read, so equal fingerprints (with one release) render equal files. JSON
// alone would call a present-but-undefined field absent (strict templates tell
// them apart) and print a Set or a Map as {}, so those are spelled out; a
// secret reference is followed by the value it resolves to, so a key changed
// under the same name changes the fingerprint.
const UNDEFINED = '\u0000undefined';

export function fingerprint(input: unknown, secrets: ReadonlyMap<unknown, string> = new Map()): string {
  return JSON.stringify(input, function replacer(_key: string, value: unknown): unknown {
    if (value === undefined) return UNDEFINED;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') throw new Error(`internal error: a template input holds a ${typeof value}`);
      return value;
    }
    const secret = secrets.get(value);
    if (secret !== undefined) return { '\u0000secret': secret, ref: { ...value } };
    if (value instanceof Set) return { '\u0000set': [...value] };
    if (value instanceof Map) return { '\u0000map': [...value] };
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new Error(`internal error: a template input holds a ${proto?.constructor?.name ?? 'class'} instance`);
    return value;
  });
}
