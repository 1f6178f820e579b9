// Diagnostics as text for people: `file:line:col: severity code: path: message`
// then what was expected, what was found and a hint, indented.
//
// Given the topology's text (`sources`), each diagnostic also shows its source
// line with a caret under the column; with `color`, severities, the caret and
// the labels are coloured (the CLI turns that on for a terminal, off for
// NO_COLOR and --no-color). Without options the text is plain and stable:
// the error goldens are written with it.
import pc from 'picocolors';
import type { Diagnostic } from './diagnostics.js';
import { printable } from './emit/printable.js';

export interface FormatOptions {
  /** The text of each file diagnostics may name, by the name they use. */
  sources?: ReadonlyMap<string, string>;
  color?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const c = pc.createColors(options.color === true);
  const sev = d.severity === 'error' ? c.bold(c.red(d.severity)) : d.severity === 'note' ? c.bold(c.cyan(d.severity)) : c.bold(c.yellow(d.severity));
  const lines = [`${c.bold(`${printable(d.file)}:${d.line}:${d.col}:`)} ${sev} ${c.bold(d.code)}: ${d.path ? `${d.path}: ` : ''}${d.message}`];
  const text = options.sources?.get(d.file);
  // A note says where checks did not run: one line, no excerpt between the errors' ones.
  if (text !== undefined && d.severity !== 'note') lines.push(...sourceExcerpt(text, d, c));
  if (d.expected !== undefined) lines.push(`    ${c.dim('expected:')} ${d.expected}`);
  if (d.found !== undefined) lines.push(`    ${c.dim('found:   ')} ${d.found}`);
  if (d.hint !== undefined) lines.push(`    ${c.cyan('hint:    ')} ${d.hint}`);
  return lines.join('\n');
}

export function formatDiagnostics(items: readonly Diagnostic[], options: FormatOptions = {}): string {
  if (items.length === 0) return '';
  const c = pc.createColors(options.color === true);
  const errors = items.filter((d) => d.severity === 'error').length;
  const warnings = items.filter((d) => d.severity === 'warning').length;
  const notes = items.length - errors - warnings;
  const count = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  // Notes are counted only when there are some: a run without them reads as it always did.
  const summary = `${errors > 0 ? c.red(count(errors, 'error')) : count(errors, 'error')}, ${warnings > 0 ? c.yellow(count(warnings, 'warning')) : count(warnings, 'warning')}${notes > 0 ? `, ${c.cyan(count(notes, 'note'))}` : ''}`;
  return `${items.map((d) => formatDiagnostic(d, options)).join('\n')}\n${summary}\n`;
}

const WINDOW = 100;

/**
 * `   12 |   - between: [tokyo-a, osaka-b]` and a caret under the column. The
 * line is shown as printable text (control characters as `?`, a tab as one
 * blank, so the caret stays under its character); a long line is cut to a
 * window around the column.
 */
function sourceExcerpt(text: string, d: Diagnostic, c: Colors): string[] {
  if (d.line < 1) return [];
  let start = 0;
  for (let n = 1; n < d.line; n++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return [];
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  let line = text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
  line = line.replace(/\t/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  let col = Math.max(1, Math.min(d.col, line.length + 1));
  if (line.length > WINDOW) {
    const from = Math.max(0, Math.min(col - 1 - WINDOW / 2, line.length - WINDOW));
    const cut = `${from > 0 ? '…' : ''}${line.slice(from, from + WINDOW)}${from + WINDOW < line.length ? '…' : ''}`;
    col = col - from + (from > 0 ? 1 : 0);
    line = cut;
  }
  const gutter = String(d.line);
  const bar = c.dim('|');
  const caret = d.severity === 'error' ? c.red('^') : d.severity === 'note' ? c.cyan('^') : c.yellow('^');
  return [`    ${c.dim(gutter)} ${bar} ${line}`, `    ${' '.repeat(gutter.length)} ${bar} ${' '.repeat(col - 1)}${caret}`];
}
