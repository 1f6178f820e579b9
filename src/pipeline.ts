// The whole transformation, one stage per line, each run over every feature of
// the registry (src/features/registry.ts); no feature is named here. Each
// stage reports into one Diagnostics collector; the pipeline stops between
// stages when any error exists, so a user sees all problems of a stage at
// once and nothing is rendered from an invalid topology.
import { Diagnostics, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { loadYaml } from './load/yaml-source.js';
import { checkSchema } from './schema/check-schema.js';
import { checkSize } from './schema/size.js';
import type { TopologyDoc } from './model/document.js';
import type { OutputFile } from './model/output.js';
import type { Release, SecretRef } from './model/topology.js';
import { resolveSecret, type SecretSource } from './secrets/resolve.js';
import { reportMissingSecrets } from './secrets/missing.js';
import type { Intents, Model, SecretNeed } from './features/feature.js';
import { FEATURES } from './features/registry.js';
import { checkLineLengths } from './targets/line-limits.js';

export type { OutputFile, OutputKind } from './model/output.js';

export interface PipelineInput {
  /** The topology's text and the path to show for it (relative, '/'-separated). */
  text: string;
  file: string;
  /** How line 2 of every generated file names the topology; default `file`. */
  origin?: string;
  release?: Release;
  secrets: SecretSource;
  /** Stop after the checks: `vygen validate`. */
  validateOnly?: boolean;
}

export interface PipelineResult {
  diagnostics: Diagnostic[];
  /** The normalized topology, once it could be built (also for `validate`). */
  model?: Model;
  /** The per-device intents, once every check before them passed. */
  intents?: Intents;
  /** Every secret the files need, with the device using it (`vygen secrets`); with the intents. */
  secretUses?: SecretNeed[];
  files: OutputFile[];
}

export function runPipeline(input: PipelineInput): PipelineResult {
  const parsed = loadYaml(input.text, input.file);
  if ('errors' in parsed) return { diagnostics: parsed.errors, files: [] };
  const loaded = parsed.ok;
  const doc = loaded.document as TopologyDoc;
  const diags = new Diagnostics(loaded.locator);
  const result: PipelineResult = { diagnostics: [], files: [] };
  const done = (files: OutputFile[] = []) => {
    checkLineLengths(files); // every emitted line inside its target's parser limits
    result.diagnostics = sortDiagnostics(diags.items);
    result.files = hasErrors(diags.items) ? [] : files;
    return result;
  };

  checkSchema(loaded.document, diags); // the document against the JSON Schema
  if (diags.hasErrors) return done();
  checkSize(doc, diags); // limits, before anything is derived from the document
  if (diags.hasErrors) return done();

  const model = { file: input.file, generatedLinks: [], reservedLinkIds: [] } as unknown as Model;
  const nctx = { doc, file: input.file, model, diags, ...(input.release ? { release: input.release } : {}) };
  for (const f of FEATURES) f.normalize?.(nctx); // defaults, names resolved, numbers allocated
  if (diags.hasErrors) return done();
  result.model = model;

  const mctx = { model, diags };
  for (const f of FEATURES) f.check?.(mctx); // semantic checks of the model
  if (diags.hasErrors) return done();

  const intents = { routers: [] } as unknown as Intents;
  const ictx = { model, intents, diags };
  for (const f of FEATURES) f.intents?.(ictx); // each feature's part of every device
  for (const f of FEATURES) f.policy?.(ictx); // what spans features (role policy)
  for (const f of FEATURES) f.checkIntents?.(ictx); // what each release can express
  if (diags.hasErrors) return done();
  result.intents = intents;
  const needs = FEATURES.flatMap((f) => f.secrets?.(ictx) ?? []);
  result.secretUses = needs;
  if (input.validateOnly) return done();

  const missing = reportMissingSecrets(needs, input.secrets, input.file, diags); // all absent ones in one list
  const secrets = resolveSecrets(needs, input.secrets, diags, missing); // once per reference, or redacted
  if (diags.hasErrors) return done();

  const rctx = { model, intents, file: input.origin ?? input.file, redact: input.secrets.redact, secrets };
  return done(FEATURES.flatMap((f) => f.render?.(rctx) ?? [])); // files, in registry order
}

function resolveSecrets(needs: readonly SecretNeed[], source: SecretSource, diags: Diagnostics, skip: ReadonlySet<SecretRef>): Map<SecretRef, string> {
  const values = new Map<SecretRef, string>();
  const tried = new Set<SecretRef>();
  for (const { ref, rules } of needs) {
    if (tried.has(ref) || skip.has(ref)) continue;
    tried.add(ref);
    const v = resolveSecret(ref, source, diags, rules);
    if (v !== undefined) values.set(ref, v);
  }
  return values;
}
