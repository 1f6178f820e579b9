// The notes that say which checks did not run and where, one line each,
// after the errors: a clean second run must not surprise anyone who fixed
// every error the first one showed.
import type { Diagnostic, DocPath, Locator } from '../diagnostics.js';
import { formatPath } from '../diagnostics.js';
import type { Withheld } from './pass-diagnostics.js';

export const NOT_CHECKED = 'not-checked';

/** More notes than this are summed up in one. */
const MAX_NOTES = 50;

export interface LeftOut {
  unit: DocPath;
  /** The last stage that ran for this part (-1: the schema only). */
  ranUpTo: number;
  /** The part with errors it names, when it has none of its own. */
  needs?: DocPath;
}

export interface NotRunInput {
  locator: Locator;
  /** The checks of each stage, in order: ['reference'], ['address', 'session', 'cloud'], ... */
  stages: readonly (readonly string[])[];
  leftOut: readonly LeftOut[];
  /** The first stage that ran for no part (stages.length: every stage ran). */
  stoppedAt: number;
  withheld: readonly Withheld[];
}

export function notRunNotes({ locator, stages, leftOut, stoppedAt, withheld }: NotRunInput): Diagnostic[] {
  const note = (path: DocPath, message: string): Diagnostic => {
    const { line, col } = locator.locate(path, 'key');
    return { code: NOT_CHECKED, severity: 'note', message, file: locator.file, line, col, path: formatPath(path) };
  };
  const checks = (from: number, to: number) => listed(stages.slice(Math.max(0, from), to).flat());
  const out: Diagnostic[] = [];
  for (const part of leftOut) {
    if (part.ranUpTo + 1 >= stoppedAt) continue;
    const why = part.needs ? `it depends on ${formatPath(part.needs)}, which has errors` : 'fix the errors above';
    out.push(note(part.unit, `${checks(part.ranUpTo + 1, stoppedAt)} checks did not run: ${why}`));
  }
  for (const w of withheld) out.push(note(w.path, `the ${w.code} check did not run: it looks at the whole topology, and parts of it have errors above`));
  out.sort((a, b) => a.line - b.line || a.col - b.col || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  if (out.length > MAX_NOTES) {
    const rest = out.length - (MAX_NOTES - 1);
    out.splice(MAX_NOTES - 1, rest, note([], `checks did not run in ${rest.toLocaleString('en')} more parts of the topology: fix the errors above`));
  }
  if (stoppedAt < stages.length) out.push(note([], `${checks(stoppedAt, stages.length)} checks did not run: fix the errors above`));
  return out;
}

/** `a, b and c` */
export function listed(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
