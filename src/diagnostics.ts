// The one error type of vygen. Every problem a user can cause is a Diagnostic
// that points at the line of the topology to edit; stages collect them and the
// pipeline stops between stages, so a user sees every problem of a stage at once.

/** A note says what vygen did not check (a part with errors was left out); it never fails a run. */
export type Severity = 'error' | 'warning' | 'note';

/** A path inside the topology document: keys and list indexes. */
export type DocPath = readonly (string | number)[];

export interface Diagnostic {
  /** Stable identifier, documented in the README (e.g. `unknown-router`). */
  code: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  col: number;
  /** Human form of the topology path (`links[0].between[1]`), '' for the whole file. */
  path: string;
  expected?: string;
  found?: string;
  hint?: string;
}

/** Where a topology path is in the source; filled in by the loader. */
export interface Locator {
  readonly file: string;
  locate(path: DocPath, what?: 'key' | 'value'): { line: number; col: number };
}

export interface Problem {
  code: string;
  message: string;
  path: DocPath;
  severity?: Severity;
  expected?: string;
  found?: string;
  hint?: string;
  /** Point at the key rather than at its value (unknown keys, duplicate names). */
  at?: 'key' | 'value';
}

export function formatPath(path: DocPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]{1,80}$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${shown(seg)}]`;
  }
  return out;
}

/** Collects the problems of one stage, each resolved to a source position. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];
  constructor(private readonly locator: Locator) {}

  private readonly seen = new Set<string>();
  /** Set once MAX_DIAGNOSTICS were reported: stands for every problem not kept. */
  private overflow: Diagnostic | undefined;

  report(p: Problem): void {
    if (this.items.length >= MAX_DIAGNOSTICS) {
      this.overflowed(p.severity ?? 'error');
      return;
    }
    const { line, col } = this.locator.locate(p.path, p.at ?? 'value');
    const d: Diagnostic = {
      code: p.code,
      severity: p.severity ?? 'error',
      message: p.message,
      file: this.locator.file,
      line,
      col,
      path: formatPath(p.path),
    };
    if (p.expected !== undefined) d.expected = p.expected;
    if (p.found !== undefined) d.found = p.found;
    if (p.hint !== undefined) d.hint = p.hint;
    this.adopt(d);
  }

  /** Keeps a diagnostic found by another collector (a later pass over part of the topology). */
  adopt(d: Diagnostic): void {
    if (this.items.length >= MAX_DIAGNOSTICS) {
      this.overflowed(d.severity === 'error' ? 'error' : 'warning');
      return;
    }
    // Routers sharing a default share its problem: say it once.
    const key = `${d.code}\u0000${d.line}:${d.col}\u0000${d.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(d);
  }

  error(code: string, path: DocPath, message: string, extra: Omit<Problem, 'code' | 'path' | 'message'> = {}): void {
    this.report({ ...extra, code, path, message });
  }

  warn(code: string, path: DocPath, message: string, extra: Omit<Problem, 'code' | 'path' | 'message' | 'severity'> = {}): void {
    this.report({ ...extra, code, path, message, severity: 'warning' });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  /** No further diagnostic will be kept: a loop reporting one per item may stop composing them. */
  get full(): boolean {
    return this.overflow !== undefined;
  }

  /**
   * A file with hundreds of thousands of mistakes (a generated one) would
   * cost gigabytes of diagnostics nobody reads: past MAX_DIAGNOSTICS one
   * diagnostic says so, an error if any problem left out is one.
   */
  private overflowed(severity: Severity): void {
    if (!this.overflow) {
      const { line, col } = this.locator.locate([], 'key');
      this.overflow = {
        code: 'too-many-problems',
        severity,
        message: `more than ${MAX_DIAGNOSTICS.toLocaleString('en')} problems: only the first ${MAX_DIAGNOSTICS.toLocaleString('en')} found are shown`,
        file: this.locator.file,
        line,
        col,
        path: '',
        hint: 'fix these and run again',
      };
      this.items.push(this.overflow);
    } else if (severity === 'error') this.overflow.severity = 'error';
  }
}

/** The most diagnostics one run reports (then `too-many-problems`). */
export const MAX_DIAGNOSTICS = 1000;

export function hasErrors(items: readonly Diagnostic[]): boolean {
  return items.some((d) => d.severity === 'error');
}

/** File order, then line, then column: the order a user edits in. */
export function sortDiagnostics(items: readonly Diagnostic[]): Diagnostic[] {
  return [...items].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.col - b.col ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** A value shown back to the user in a message: quoted, control characters escaped, bounded. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const cut = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  // Strings are shown quoted with escapes, so a newline or a control character
  // in the input is visible instead of breaking the message.
  // JSON.stringify leaves DEL, C1 controls (NEL among them), the Unicode line
  // and paragraph separators and the bidirectional overrides as they are: each
  // could break a message's line or make it read differently (found by the fuzzer).
  return typeof value === 'string' ? JSON.stringify(cut).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
}

const INVISIBLE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `path` and then `keys`, as an array of exactly that length. Paths are kept
 * in the model and the intents by the ten thousand: a spread `[...path, key]`
 * reserves room for 20 keys where a path holds 3 to 6 (docs/performance.md,
 * the fifteenth round).
 */
export function subPath(path: DocPath, ...keys: readonly (string | number)[]): DocPath {
  return path.concat(keys);
}
