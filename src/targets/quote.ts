// The last line of defence against injection: every value that reaches a
// generated file passes through one of these. The topology was validated
// already, so a refusal here is a bug in vygen, reported as such.

export class UnsafeValueError extends Error {
  constructor(what: string, value: unknown) {
    super(`internal error: refusing to emit ${what} ${JSON.stringify(String(value)).slice(0, 60)}`);
  }
}

// Single quotes end a quoted word; control and line-separator characters end a command.
const UNQUOTABLE = /['\\\u0000-\u001f\u007f\u0085\u2028\u2029]/;
// Tag values are emitted bare, as VyOS shows them: a closed set of characters.
const BARE = /^[A-Za-z0-9][A-Za-z0-9._:/@|+-]*$/;

/** A VyOS value, single-quoted as `show configuration commands` prints it. */
export function singleQuoted(value: unknown): string {
  const s = String(value);
  if (UNQUOTABLE.test(s)) throw new UnsafeValueError('value', s);
  return `'${s}'`;
}

/** A word emitted without quotes (tag values: interface names, addresses, numbers). */
export function bare(value: unknown): string {
  const s = String(value);
  if (!BARE.test(s)) throw new UnsafeValueError('word', s);
  return s;
}
