// The model behind a topology, for the commands that show a topology rather
// than render it (the headers of `vygen diff`, `vygen graph`): the front
// stages of the pipeline, run on a topology the pipeline's checks accept.
// The checks themselves are the pipeline's (validate-only run), so these
// commands refuse exactly what `vygen validate` refuses.
import { dirname } from 'node:path';
import { Diagnostics, hasErrors, type Diagnostic } from './diagnostics.js';
import { loadYaml } from './load/yaml-source.js';
import { normalize } from './normalize/topology.js';
import { buildIntents } from './build/router-intent.js';
import { normalizeLvs } from './normalize/lvs.js';
import { runPipeline } from './pipeline.js';
import type { TopologyDoc } from './model/document.js';
import type { Release, Topology } from './model/topology.js';
import type { RouterIntent } from './model/intent.js';
import type { LvsTopology } from './model/lvs.js';

export interface TopologyModel {
  topology: Topology;
  intents: RouterIntent[];
  lvs: LvsTopology;
}

export function inspectTopology(text: string, file: string, release?: Release): { model?: TopologyModel; diagnostics: Diagnostic[] } {
  const checked = runPipeline({
    text,
    file,
    validateOnly: true,
    ...(release ? { release } : {}),
    secrets: { redact: true, env: {}, baseDir: dirname(file) },
  });
  if (hasErrors(checked.diagnostics)) return { diagnostics: checked.diagnostics };
  const loaded = loadYaml(text, file);
  if ('errors' in loaded) return { diagnostics: loaded.errors };
  const diags = new Diagnostics(loaded.ok.locator);
  const doc = loaded.ok.document as TopologyDoc;
  const topology = normalize(doc, file, diags, release ? { release } : {});
  const lvs = normalizeLvs(doc.lvs, file, diags, topology);
  const intents = buildIntents(topology, diags);
  if (diags.hasErrors) throw new Error(`internal error: the model of ${file} disagrees with its validation`);
  return { model: { topology, intents, lvs }, diagnostics: checked.diagnostics };
}
