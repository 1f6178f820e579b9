// Shared by the lab tests: the examples rendered through the library API (as
// `vygen lab TOPOLOGY` does), planted defects as edits of the rendered text,
// and the rule that the lab tests are skipped loudly off CI and required on it.
import { readFileSync } from 'node:fs';
import { render, type Release } from '../../dist/index.js';
import { missingPrerequisites, runLab, type LabFile, type LabReport } from '../../dist/lab/index.js';

export const CI = process.env.CI === 'true';

export function requireLab(ctx: Mocha.Context): void {
  const missing = missingPrerequisites();
  if (!missing) return;
  if (CI) throw new Error(`the lab tests are required when CI=true, and this machine cannot run them:\n${missing}`);
  process.stderr.write(`\n  !!! SKIPPED (vygen lab cannot run here): ${missing.replace(/\n/g, '; ')}\n\n`);
  ctx.skip();
}

export function renderedExample(name: string): LabFile[] {
  return renderedTopology(`examples/${name}/topology.yaml`);
}

/** Any topology file (a fixture's), rendered the same way; `release` overrides the topology's. */
export function renderedTopology(file: string, release?: Release): LabFile[] {
  const result = render(readFileSync(file, 'utf8'), { file, redact: true, ...(release ? { release } : {}) });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file} does not render: ${errors.map((d) => d.message).join('; ')}`);
  return result.files.filter((f) => f.path.endsWith('.vyos') || f.path.endsWith('.keepalived.conf')).map((f) => ({ name: f.path, text: f.content }));
}

/** One file's text changed by `edit`, which must change it (a defect that plants nothing proves nothing). */
export function plant(files: LabFile[], name: string, edit: (text: string) => string): LabFile[] {
  let changed = false;
  const out = files.map((f) => {
    if (f.name !== name) return f;
    const text = edit(f.text);
    changed = text !== f.text;
    return { ...f, text };
  });
  if (!changed) throw new Error(`the planted defect did not change ${name}`);
  return out;
}

export async function lab(source: string, files: LabFile[], opts: { fail?: string[]; scenarios?: boolean; ipsec?: boolean } = {}): Promise<LabReport> {
  const progress = process.env.VYGEN_LAB_VERBOSE ? (l: string) => process.stderr.write(`    lab: ${l}\n`) : () => {};
  const outcome = await runLab({ source, files, fail: opts.fail ?? [], scenarios: opts.scenarios ?? true, ipsec: opts.ipsec ?? true, progress });
  return outcome.report;
}
