// `--format json`: what validate, render and diff report, for bots and
// editors. One JSON document on stdout, always with the same keys: absent
// optional values are null, so a consumer never tests for a missing key.
import type { Diagnostic } from '../diagnostics.js';

export const JSON_FORMAT_VERSION = 1;

export interface DiagnosticJson {
  code: string;
  severity: 'error' | 'warning' | 'note';
  message: string;
  file: string;
  line: number;
  col: number;
  path: string;
  hint: string | null;
  expected: string | null;
  found: string | null;
}

export function diagnosticJson(d: Diagnostic): DiagnosticJson {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    line: d.line,
    col: d.col,
    path: d.path,
    hint: d.hint ?? null,
    expected: d.expected ?? null,
    found: d.found ?? null,
  };
}

export function jsonReport(command: string, ok: boolean, diagnostics: readonly Diagnostic[], rest: Record<string, unknown> = {}): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return `${JSON.stringify(
    {
      vygen: JSON_FORMAT_VERSION,
      command,
      ok,
      errors,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      diagnostics: diagnostics.map(diagnosticJson),
      ...rest,
    },
    null,
    2,
  )}\n`;
}
