// The whole transformation, one stage per line, each run over every feature of
// the registry (src/features/registry.ts); no feature is named here. Each
// stage reports into one Diagnostics collector. A stage with errors stops the
// pass: nothing is derived from what failed, and nothing is rendered from an
// invalid topology. The parts holding the errors are then left out
// (src/partial/) and the next pass checks the rest, so one run shows every
// problem a later stage can find elsewhere; notes say which checks did not
// run where (docs/diagnostics.md).
import { hasErrors, sortDiagnostics, type Diagnostic, type Diagnostics, type DocPath } from './diagnostics.js';
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
import { isPending } from './targets/deferred.js';
import { newRender } from './targets/templates.js';
import { PassDiagnostics, type Withheld } from './partial/pass-diagnostics.js';
import { isLeftOut, pruneDocument, type Pruned } from './partial/prune.js';
import { unitKey, unitOf } from './partial/units.js';
import { listed, NOT_CHECKED, notRunNotes, type LeftOut } from './partial/not-run.js';

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
  /**
   * Files rendered only when their content is read: `on-read` for `vygen render`, which writes each as it is
   * rendered; `compare` for `vygen diff`, where each also carries what it is rendered from (OutputFile.renderedFrom).
   */
  deferRender?: 'on-read' | 'compare';
  /**
   * Asked once everything is checked and every secret resolved, before any
   * file is rendered: true when the caller already holds this render's files
   * (`render -o DIR` of an unchanged input, src/emit/render-record.ts).
   */
  skipRender?: (secrets: ReadonlyMap<SecretRef, string>) => boolean;
}

export interface PipelineResult {
  diagnostics: Diagnostic[];
  /** The normalized topology, once it could be built from the whole file (also for `validate`). */
  model?: Model;
  /** The per-device intents, once every check before them passed. */
  intents?: Intents;
  /** Every secret the files need, with the device using it (`vygen secrets`); with the intents. */
  secretUses?: SecretNeed[];
  files: OutputFile[];
  /** skipRender said yes: no file was rendered (files is empty). */
  skipped?: true;
}

/** What one pass builds, stage by stage. */
interface Pass {
  input: PipelineInput;
  /** The document this pass checks; let go once normalized (the later stages read the model). */
  doc?: TopologyDoc;
  diags: PassDiagnostics;
  model: Model;
  intents: Intents;
  needs: SecretNeed[];
  secrets: Map<SecretRef, string>;
}

interface Stage {
  /** The checks it makes, as the notes name them. */
  checks: readonly string[];
  run(p: Pass): void;
}

const STAGES: readonly Stage[] = [
  {
    checks: ['reference'],
    run(p) {
      const nctx = { doc: p.doc!, file: p.input.file, model: p.model, diags: p.diags, ...(p.input.release ? { release: p.input.release } : {}) };
      for (const f of FEATURES) f.normalize?.(nctx); // defaults, names resolved, numbers allocated
    },
  },
  {
    checks: ['address', 'session', 'cloud'],
    run(p) {
      const mctx = { model: p.model, diags: p.diags };
      for (const f of FEATURES) f.check?.(mctx); // semantic checks of the model
    },
  },
  {
    checks: ['release'],
    run(p) {
      const ictx = { model: p.model, intents: p.intents, diags: p.diags };
      const before = p.diags.errorPaths.length;
      for (const f of FEATURES) f.intents?.(ictx); // each feature's part of every device
      for (const f of FEATURES) f.policy?.(ictx); // what spans features (role policy)
      for (const f of FEATURES) f.checkIntents?.(ictx); // what each release can express
      if (p.diags.errorPaths.length === before) p.needs = FEATURES.flatMap((f) => f.secrets?.(ictx) ?? []);
    },
  },
  {
    checks: ['secret'],
    run(p) {
      const missing = reportMissingSecrets(p.needs, p.input.secrets, p.input.file, p.diags); // all absent ones in one list
      p.secrets = resolveSecrets(p.needs, p.input.secrets, p.diags, missing); // once per reference, or redacted
    },
  },
];

/** Every pass leaves out at least one more part; this bounds a pathological file. */
const MAX_PASSES = 12;

const WHOLE_TOPOLOGY: ReadonlySet<string> = new Set(FEATURES.flatMap((f) => f.wholeTopology ?? []));

export function runPipeline(input: PipelineInput): PipelineResult {
  newRender();
  const parsed = loadYaml(input.text, input.file);
  if ('errors' in parsed) {
    const nothing = `${listed(['schema', ...STAGES.flatMap((s) => s.checks)])} checks did not run: fix the errors above`;
    return { diagnostics: [...parsed.errors, { code: NOT_CHECKED, severity: 'note', message: nothing, file: input.file, line: 1, col: 1, path: '' }], files: [] };
  }
  const loaded = parsed.ok;
  // The parsed document is let go once a pass has normalized it whole (at 5,000 sites it is 22 MB that would
  // stay alive through every later stage); a later pass that must leave parts out parses the text again.
  const documentOf = (): unknown => (loaded.document ??= reparsed(input));
  const stages = input.validateOnly ? STAGES.slice(0, 3) : STAGES;
  const main = new PassDiagnostics(loaded.locator);
  const result: PipelineResult = { diagnostics: [], files: [] };
  // Where each left-out part's checks stopped, in the order they were left out.
  const ranUpTo = new Map<string, LeftOut>();
  const withheld: Withheld[] = [];
  const done = (stoppedAt: number, last?: Pruned, files: OutputFile[] = []) => {
    checkLineLengths(files, isPending); // every emitted line inside its target's parser limits (a deferred file's when it is rendered)
    const leftOut = (last?.removed ?? []).filter((r) => !r.emptied).map((r) => ranUpTo.get(unitKey(r.unit))).filter((l): l is LeftOut => l !== undefined);
    const notes = notRunNotes({ locator: loaded.locator, stages: stages.map((s) => s.checks), leftOut, stoppedAt, withheld });
    result.diagnostics = [...sortDiagnostics(main.items), ...notes];
    result.files = hasErrors(main.items) ? [] : files;
    return result;
  };

  checkSchema(documentOf(), main); // the document against the JSON Schema
  let units = main.errorPaths.map(unitOf);
  let reported = -1; // the last stage whose findings were reported: the schema's
  let last: Pruned | undefined;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    if (units.includes('all')) return done(reported + 1, last);
    const wanted = units as DocPath[];
    const pruned = wanted.length > 0 ? pruneDocument(documentOf(), wanted) : undefined;
    if (wanted.length > 0 && !pruned) return done(reported + 1, last);
    last = pruned;
    for (const r of pruned?.removed ?? []) {
      if (ranUpTo.has(unitKey(r.unit))) continue;
      const needs = r.needs ? ranUpTo.get(unitKey(r.needs)) : undefined;
      ranUpTo.set(unitKey(r.unit), { unit: r.unit, ranUpTo: needs?.ranUpTo ?? reported, ...(r.needs ? { needs: r.needs } : {}) });
    }
    const diags = new PassDiagnostics(loaded.locator, pruned, WHOLE_TOPOLOGY);
    if (pass === 0) {
      checkSize((pruned?.doc ?? documentOf()) as TopologyDoc, diags); // limits, before anything is derived from the document
      for (const d of diags.items) main.adopt(d);
      if (diags.errorPaths.length > 0) return done(0, last);
    }
    const p: Pass = { input, doc: (pruned?.doc ?? documentOf()) as TopologyDoc, diags, model: { file: input.file, generatedLinks: [], reservedLinkIds: [] } as unknown as Model, intents: { routers: [] } as unknown as Intents, needs: [], secrets: new Map() };
    let failed = -1;
    let found: DocPath[] = [];
    for (let s = 0; s < stages.length && failed < 0; s++) {
      const mark = diags.items.length;
      const errorMark = diags.errorPaths.length;
      const withheldMark = diags.withheld.length;
      stages[s]!.run(p);
      if (s === 0) {
        p.doc = undefined;
        if (!pruned) loaded.document = undefined;
      }
      // A stage already reported found the same again, or only what leaving parts out caused.
      if (s > reported) {
        for (const d of diags.items.slice(mark)) main.adopt(d);
        withheld.push(...diags.withheld.slice(withheldMark));
      }
      if (diags.errorPaths.length > errorMark) {
        failed = s;
        found = diags.errorPaths.slice(errorMark);
      } else if (!pruned) publish(result, s, p);
    }
    if (failed < 0) {
      if (pruned || input.validateOnly) return done(stages.length, last);
      if (input.skipRender?.(p.secrets)) {
        result.skipped = true;
        return done(stages.length, last);
      }
      const rctx = { model: p.model, intents: p.intents, file: input.origin ?? input.file, redact: input.secrets.redact, secrets: p.secrets, ...(input.deferRender ? { defer: input.deferRender } : {}) };
      return done(stages.length, last, FEATURES.flatMap((f) => f.render?.(rctx) ?? [])); // files, in registry order
    }
    const next = found.map(unitOf);
    const known = new Map(wanted.map((u) => [unitKey(u), u]));
    const fresh = [...new Map(next.map((u) => [u === 'all' ? 'all' : unitKey(u), u])).values()].filter((u) => u === 'all' || !isLeftOut(u, known));
    if (fresh.length === 0) return done(Math.max(reported, failed) + 1, last);
    // The parts with errors at this stage ran up to it, and up to every stage an earlier pass reached
    // (errors at such a stage are what leaving other parts out caused: not reported).
    for (const u of fresh) if (u !== 'all' && !ranUpTo.has(unitKey(u))) ranUpTo.set(unitKey(u), { unit: u, ranUpTo: Math.max(failed, reported) });
    reported = Math.max(reported, failed);
    units = [...wanted, ...fresh];
  }
  return done(reported + 1, last);
}

/** The whole file's model, intents and secret uses, as far as they were built without an error. */
function publish(result: PipelineResult, stage: number, p: Pass): void {
  if (stage === 0) result.model = p.model;
  if (stage === 2) {
    result.intents = p.intents;
    result.secretUses = p.needs;
  }
}

/** The same text parsed again: the same document (loadYaml is a function of the text). */
function reparsed(input: PipelineInput): unknown {
  const again = loadYaml(input.text, input.file);
  if ('errors' in again) throw new Error('internal error: the topology parsed once and not again');
  return again.ok.document;
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
