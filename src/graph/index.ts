// `vygen graph`: a topology -> Mermaid or DOT, or the diagnostics that stop it.
import type { Diagnostic } from '../diagnostics.js';
import { inspectTopology } from '../inspect.js';
import type { Release } from '../model/topology.js';
import { buildGraph } from './model.js';
import { toDot, toMermaid, type GraphFormat } from './render.js';

export type { Graph } from './model.js';
export { GRAPH_FORMATS, type GraphFormat } from './render.js';

export interface GraphOptions {
  file?: string;
  release?: Release;
  format?: GraphFormat;
}

export function graph(text: string, options: GraphOptions = {}): { diagnostics: Diagnostic[]; text?: string } {
  const { model, diagnostics } = inspectTopology(text, options.file ?? 'topology.yaml', options.release);
  if (!model) return { diagnostics };
  const g = buildGraph(model);
  return { diagnostics, text: options.format === 'dot' ? toDot(g) : toMermaid(g) };
}
