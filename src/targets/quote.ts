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
// No '|': VyOS's shell would read it as a pipe in a pasted line.
// A leading ':' is IPv6 (::/0, ::1), no word a shell or VyOS reads specially.
const BARE = /^[A-Za-z0-9:][A-Za-z0-9._:/@+-]*$/;

/** A VyOS value, single-quoted as `show configuration commands` prints it. */
export function singleQuoted(value: unknown): string {
  if (value === undefined || value === null) throw new UnsafeValueError('missing value', value);
  const s = String(value);
  if (UNQUOTABLE.test(s)) throw new UnsafeValueError('value', s);
  return `'${s}'`;
}

/** A word emitted without quotes (tag values: interface names, addresses, numbers). */
export function bare(value: unknown): string {
  if (value === undefined || value === null) throw new UnsafeValueError('missing word', value);
  const s = String(value);
  if (!BARE.test(s)) throw new UnsafeValueError('word', s);
  return s;
}

// keepalived.conf: words are split on blanks; '{' '}' open and close blocks,
// '"' quotes, '#' and '!' start comments, '$' substitutes parameters, and '@'
// or '~' at the start of a word are conditionals and sequences. A value is
// emitted only if it is a plain word of a closed set of characters.
const KEEPALIVED_WORD = /^[A-Za-z0-9._/-][A-Za-z0-9._/:@%+=,?&*^~-]*$/;

/** A keepalived.conf value: an address, number, interface, path or name. */
export function keepalivedWord(value: unknown): string {
  const s = String(value);
  if (!KEEPALIVED_WORD.test(s)) throw new UnsafeValueError('keepalived word', s);
  return s;
}

/** Whether a secret can be written as a keepalived word (auth_pass). */
export function isKeepalivedWord(value: string): boolean {
  return KEEPALIVED_WORD.test(value);
}

/**
 * A POSIX sh word in single quotes: nothing inside is special to the shell.
 * A single quote is written as '\'' (close, escaped quote, reopen). Control
 * characters are refused: they have no business in a generated script.
 */
export function shellQuoted(value: unknown): string {
  const s = String(value);
  if (/[\u0000-\u001f\u007f]/.test(s)) throw new UnsafeValueError('shell word', s);
  return `'${s.replace(/'/g, "'\\''")}'`;
}

// sysctl.conf lines are `key = value`; keys are dotted names, values here are numbers.
const SYSCTL_KEY = /^[a-z0-9_]+(\.[A-Za-z0-9_/-]+)+$/;
const SYSCTL_VALUE = /^[0-9]+$/;

export function sysctlKey(value: unknown): string {
  const s = String(value);
  if (!SYSCTL_KEY.test(s)) throw new UnsafeValueError('sysctl key', s);
  return s;
}

export function sysctlValue(value: unknown): string {
  const s = String(value);
  if (!SYSCTL_VALUE.test(s)) throw new UnsafeValueError('sysctl value', s);
  return s;
}

/**
 * The longest text of a comment line, in characters (= bytes: comments are
 * ASCII). A file name of 4,096 characters (a secret file's, the topology's)
 * must not make a keepalived.conf comment longer than the 1,023 bytes
 * keepalived reads per line: the rest would be parsed as a line of its own.
 */
export const MAX_COMMENT_CHARS = 400;

/** `text` cut to MAX_COMMENT_CHARS, the cut marked with "...". */
export function cutComment(text: string): string {
  return text.length <= MAX_COMMENT_CHARS ? text : `${text.slice(0, MAX_COMMENT_CHARS - 3)}...`;
}

/** Text for a comment line (`# ...`) of any generated file: printable ASCII, no '$', at most MAX_COMMENT_CHARS. */
export function commentText(value: unknown): string {
  return cutComment(String(value).replace(/[^\x20-\x7e]|\$/g, '?'));
}

// systemd unit values: '%' starts a specifier, '$' an expansion, '\' an
// escape, quotes and ';' split ExecStart= words. A value is emitted only if it
// is plain text of a closed set of characters.
const UNIT_TEXT = /^[A-Za-z0-9._,:/()+@=-]+( [A-Za-z0-9._,:/()+@=-]+)*$/;

/** A value of a systemd unit setting (Description=, ExecStart= with a plain path). */
export function unitText(value: unknown): string {
  const s = String(value);
  if (!UNIT_TEXT.test(s)) throw new UnsafeValueError('systemd unit value', s);
  return s;
}
