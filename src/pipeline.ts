// The whole transformation, one stage per line. Each stage reports into a
// Diagnostics collector; the pipeline stops between stages when any error
// exists, so a user sees all problems of a stage at once and nothing is
// rendered from an invalid topology.
import { Diagnostics, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { loadYaml } from './load/yaml-source.js';
import { checkSchema } from './validate/schema.js';
import { normalize } from './normalize/topology.js';
import { checkAddresses } from './validate/addresses.js';
import { checkSessions } from './validate/sessions.js';
import { buildIntents } from './build/router-intent.js';
import { checkForRelease } from './targets/vyos/check.js';
import { renderVyos } from './targets/vyos/render.js';
import { resolveSecret, type SecretSource } from './secrets/resolve.js';
import { routerHeader } from './emit/header.js';
import type { TopologyDoc } from './model/document.js';
import type { Release, SecretRef, Topology } from './model/topology.js';
import type { RouterIntent } from './model/intent.js';

export interface PipelineInput {
  /** The topology's text and the path to show for it (relative, '/'-separated). */
  text: string;
  file: string;
  release?: Release;
  secrets: SecretSource;
  /** Stop after the checks: `vygen validate`. */
  validateOnly?: boolean;
}

export interface OutputFile {
  /** Relative path inside the output directory. */
  path: string;
  device: string;
  content: string;
}

export interface PipelineResult {
  diagnostics: Diagnostic[];
  files: OutputFile[];
}

export function runPipeline(input: PipelineInput): PipelineResult {
  const parsed = loadYaml(input.text, input.file);
  if ('errors' in parsed) return { diagnostics: parsed.errors, files: [] };
  const loaded = parsed.ok;
  const diags = new Diagnostics(loaded.locator);
  const done = (files: OutputFile[] = []) => ({ diagnostics: sortDiagnostics(diags.items), files: hasErrors(diags.items) ? [] : files });

  checkSchema(loaded.document, diags);
  if (diags.hasErrors) return done();
  const topology = normalize(loaded.document as TopologyDoc, input.file, diags, input.release ? { release: input.release } : {});
  if (diags.hasErrors) return done();
  checkAddresses(topology, diags);
  checkSessions(topology, diags);
  if (diags.hasErrors) return done();
  const intents = buildIntents(topology, diags);
  for (const intent of intents) checkForRelease(intent, diags);
  if (diags.hasErrors || input.validateOnly) return done();
  const secrets = resolveSecrets(topology, intents, input.secrets, diags);
  if (diags.hasErrors) return done();
  return done(intents.map((intent) => ({
    path: `${intent.name}.vyos`,
    device: intent.name,
    content: renderVyos({ intent, header: routerHeader(intent, input.file, input.secrets.redact), secrets: secrets.get(intent.name)! }),
  })));
}

function resolveSecrets(t: Topology, intents: RouterIntent[], source: SecretSource, diags: Diagnostics): Map<string, Map<string, string>> {
  const values = new Map<SecretRef, string | undefined>();
  for (const link of t.links) values.set(link.psk, resolveSecret(link.psk, source, diags));
  const out = new Map<string, Map<string, string>>();
  for (const intent of intents) {
    const m = new Map<string, string>();
    for (const p of intent.ipsec?.peers ?? []) {
      const v = values.get(p.psk);
      if (v !== undefined) m.set(p.name, v);
    }
    out.set(intent.name, m);
  }
  return out;
}
