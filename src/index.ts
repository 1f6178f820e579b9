// The library API: the same pipeline the CLI runs, without touching the
// filesystem except to read `{ file }` secrets.
import { dirname } from 'node:path';
import { runPipeline, type OutputFile, type PipelineResult } from './pipeline.js';
import type { Release, SecretRef } from './model/topology.js';
import type { Diagnostic } from './diagnostics.js';
import { secretInventory, type SecretEntry, type SecretUse } from './secrets/inventory.js';

export type { Diagnostic, Severity } from './diagnostics.js';
export { formatDiagnostic, formatDiagnostics } from './format.js';
export type { OutputFile, PipelineResult } from './pipeline.js';
export type { Release } from './model/topology.js';
export type { RouterIntent } from './model/intent.js';
export type { Intents, Model, Feature } from './features/feature.js';
export { FEATURES } from './features/registry.js';
export { RELEASES } from './model/topology.js';
export { writeAtomically, WriteError, type WriteOptions, type WriteResult, type WriteState } from './emit/write.js';
export { owns, type Writer } from './emit/owns.js';
export { checkOutput, type CheckResult, type Stale } from './emit/check.js';
export { loadSchema } from './schema/schema-validator.js';
// The pull-request workflow: diff two topologies, wrap for pasting, draw, JSON.
export { diffTopologies, type DiffSide, type DiffOptions, type DiffResult, type FileDiff, type DiffStatus } from './diff/topology.js';
export { diffConfigs, formatCommand, PASTE_ORDER } from './diff/diff.js';
export { parseCommands, applyCommand, applyText, treeOf, canonicalLines, sameTree, emptyTree, MultiValued, ConfigError } from './diff/tree.js';
export type { Branch, Leaf, ConfigNode, Command } from './diff/tree.js';
export { parseWrap, wrapCommands, type Wrap } from './emit/wrap.js';
export { graph, GRAPH_FORMATS, type GraphFormat, type GraphOptions } from './graph/index.js';
export { diagnosticJson, jsonReport } from './emit/json.js';
export type { FormatOptions } from './format.js';
export { DIALECTS } from './targets/vyos/dialects.js';
export { releaseContent } from './targets/deferred.js';

export interface Options {
  /** Path shown in diagnostics and headers, and the base of `{ file }` secrets. */
  file?: string;
  /** How line 2 of every generated file names the topology (default: `file`); the CLI passes a name that does not depend on the working directory. */
  origin?: string;
  release?: Release;
  /** Placeholders instead of secrets (no secret is read). */
  redact?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  /** Directories besides the topology's tree that `{ file }` secrets may be read from. */
  secretDirs?: readonly string[];
  /**
   * Each file is rendered when its content is first read, not before render()
   * returns; releaseContent(file) lets a file's content go once it is written.
   * `vygen render` writes 10,000 routers this way without holding them all.
   */
  renderOnRead?: boolean;
  /** See PipelineInput.skipRender: how the CLI's `render -o` skips an unchanged input. */
  skipRender?: (secrets: ReadonlyMap<SecretRef, string>) => boolean;
}

export function render(text: string, options: Options = {}): PipelineResult {
  return run(text, options, false);
}

export function validate(text: string, options: Options = {}): PipelineResult {
  return run(text, options, true);
}

function run(text: string, o: Options, validateOnly: boolean): PipelineResult {
  const file = o.file ?? 'topology.yaml';
  return runPipeline({
    text,
    file,
    ...(o.origin !== undefined ? { origin: o.origin } : {}),
    validateOnly,
    ...(o.renderOnRead ? { deferRender: 'on-read' as const } : {}),
    ...(o.release ? { release: o.release } : {}),
    ...(o.skipRender ? { skipRender: o.skipRender } : {}),
    secrets: { redact: o.redact ?? false, env: o.env ?? process.env, baseDir: dirname(file), ...(o.secretDirs ? { secretDirs: o.secretDirs } : {}) },
  });
}

export type { OutputFile as File };
export type { SecretEntry, SecretState } from './secrets/inventory.js';

export interface SecretsResult {
  diagnostics: Diagnostic[];
  /** Empty when the topology has errors. */
  secrets: SecretEntry[];
}

/** The secrets the topology's devices need, which devices use each and whether each can be read now (never the values). */
export function secrets(text: string, options: Omit<Options, 'redact' | 'release'> = {}): SecretsResult {
  const file = options.file ?? 'topology.yaml';
  const env = options.env ?? process.env;
  const result = runPipeline({ text, file, validateOnly: true, secrets: { redact: true, env, baseDir: dirname(file) } });
  const uses: SecretUse[] | undefined = result.secretUses;
  return { diagnostics: result.diagnostics, secrets: uses === undefined ? [] : secretInventory(uses, { redact: false, env, baseDir: dirname(file) }) };
}
