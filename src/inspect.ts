// The model behind a topology, for the commands that show a topology rather
// than render it (`vygen graph`): the pipeline's validate-only run, whose
// typed stage results are reused, so these commands refuse exactly what
// `vygen validate` refuses.
import { dirname } from 'node:path';
import { hasErrors, type Diagnostic } from './diagnostics.js';
import { runPipeline } from './pipeline.js';
import type { Release } from './model/topology.js';
import type { Intents, Model } from './features/feature.js';

export interface TopologyModel {
  model: Model;
  intents: Intents;
}

export function inspectTopology(text: string, file: string, release?: Release): { model?: TopologyModel; diagnostics: Diagnostic[] } {
  const checked = runPipeline({
    text,
    file,
    validateOnly: true,
    ...(release ? { release } : {}),
    secrets: { redact: true, env: {}, baseDir: dirname(file) },
  });
  if (hasErrors(checked.diagnostics) || !checked.model || !checked.intents) return { diagnostics: checked.diagnostics };
  return { model: { model: checked.model, intents: checked.intents }, diagnostics: checked.diagnostics };
}
