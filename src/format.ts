// Diagnostics as text for people: `file:line:col: severity code: path: message`
// then what was expected, what was found and a hint, indented.
import type { Diagnostic } from './diagnostics.js';

export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.path ? `${d.path}: ` : ''}${d.message}`];
  if (d.expected !== undefined) lines.push(`    expected: ${d.expected}`);
  if (d.found !== undefined) lines.push(`    found:    ${d.found}`);
  if (d.hint !== undefined) lines.push(`    hint:     ${d.hint}`);
  return lines.join('\n');
}

export function formatDiagnostics(items: readonly Diagnostic[]): string {
  if (items.length === 0) return '';
  const errors = items.filter((d) => d.severity === 'error').length;
  const warnings = items.length - errors;
  const count = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${items.map(formatDiagnostic).join('\n')}\n${count(errors, 'error')}, ${count(warnings, 'warning')}\n`;
}
