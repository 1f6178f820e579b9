// The whole transformation, one stage per line. Each stage reports into a
// Diagnostics collector; the pipeline stops between stages when any error
// exists, so a user sees all problems of a stage at once and nothing is
// rendered from an invalid topology.
import { Diagnostics, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { loadYaml } from './load/yaml-source.js';
import { checkSchema } from './validate/schema.js';
import { checkSize } from './validate/size.js';
import { normalize } from './normalize/topology.js';
import { checkAddresses } from './validate/addresses.js';
import { checkSessions } from './validate/sessions.js';
import { buildIntents } from './build/router-intent.js';
import { checkForRelease, checkNatNodeForRelease } from './targets/vyos/check.js';
import { renderNatNode, renderVyos } from './targets/vyos/render.js';
import { checkCloud } from './validate/cloud.js';
import { checkNatPairs } from './validate/nat-pairs.js';
import { checkVridSegments } from './validate/vrid-segments.js';
import { buildNatNodeIntents } from './build/nat-intent.js';
import { resolveSecret, type SecretRules, type SecretSource } from './secrets/resolve.js';
import { natNodeHeader, routerHeader } from './emit/header.js';
import type { TopologyDoc } from './model/document.js';
import type { Release, SecretRef } from './model/topology.js';
import type { RouterIntent } from './model/intent.js';
// LVS pairs (keepalived)
import { normalizeLvs } from './normalize/lvs.js';
import { checkLvs } from './validate/lvs.js';
import { buildLvsIntents } from './build/lvs-intent.js';
import { resolveAuthPasses } from './targets/keepalived/auth-pass.js';
import { renderLvs } from './targets/keepalived/index.js';
// Failover scripts, Serf and HA NAT watch (scripts beside the configurations)
import { checkFailover, checkFailoverIntents } from './validate/failover.js';
import { buildFailoverIntents, buildNatWatchIntents } from './build/failover-intent.js';
import { renderScripts } from './targets/scripts/index.js';

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
  checkSize(loaded.document as TopologyDoc, diags); // limits (hostile input)
  if (diags.hasErrors) return done();
  const topology = normalize(loaded.document as TopologyDoc, input.file, diags, input.release ? { release: input.release } : {});
  const lvs = normalizeLvs((loaded.document as TopologyDoc).lvs, input.file, diags, topology); // LVS pairs (VRIDs after the sites')
  if (diags.hasErrors) return done();
  checkAddresses(topology, diags);
  checkSessions(topology, diags);
  checkCloud(topology, diags);
  checkNatPairs(topology, diags);
  checkLvs(lvs, topology, diags); // LVS pairs
  checkVridSegments(topology, lvs, diags);
  checkFailover(topology, lvs, diags); // failover scripts
  if (diags.hasErrors) return done();
  const intents = buildIntents(topology, diags);
  for (const intent of intents) checkForRelease(intent, diags);
  const natNodes = buildNatNodeIntents(topology);
  for (const node of natNodes) checkNatNodeForRelease(node, diags);
  const lvsIntents = buildLvsIntents(lvs); // LVS pairs
  const failovers = buildFailoverIntents(topology, diags); // failover scripts
  const natWatches = buildNatWatchIntents(topology); // failover scripts
  checkFailoverIntents(topology, failovers, natWatches, diags); // failover scripts
  if (diags.hasErrors || input.validateOnly) return done();
  const secrets = resolveSecrets(intents, input.secrets, diags);
  const authPasses = resolveAuthPasses(lvsIntents, input.secrets, diags); // LVS pairs
  if (diags.hasErrors) return done();
  const lvsFiles = renderLvs(lvsIntents, { file: input.file, redact: input.secrets.redact, authPasses }); // LVS pairs
  const scriptFiles = renderScripts(failovers, natWatches, { file: input.file }); // failover scripts
  return done([...intents.map((intent) => ({
    path: `${intent.name}.vyos`,
    device: intent.name,
    content: renderVyos({ intent, header: routerHeader(intent, input.file, input.secrets.redact), secrets }),
  })), ...natNodes.map((node) => ({
    path: `${node.name}.vyos`,
    device: node.name,
    content: renderNatNode(node, natNodeHeader(node, input.file)),
  })), ...lvsFiles, ...scriptFiles]); // LVS files after the routers', then the scripts
}

/** Every secret the intents reference, resolved once (or redacted). */
function resolveSecrets(intents: RouterIntent[], source: SecretSource, diags: Diagnostics): Map<SecretRef, string> {
  const values = new Map<SecretRef, string>();
  const resolve = (ref: SecretRef, rules?: SecretRules) => {
    if (values.has(ref)) return;
    const v = resolveSecret(ref, source, diags, rules);
    if (v !== undefined) values.set(ref, v);
  };
  for (const intent of intents) {
    for (const p of intent.ipsec?.peers ?? []) resolve(p.psk);
    if (intent.vrrp?.password) resolve(intent.vrrp.password, VRRP_PASSWORD);
  }
  return values;
}

const VRRP_PASSWORD: SecretRules = { minLength: 1, maxLength: 8, maxReason: 'VRRP plain-text passwords hold at most 8 characters (VyOS refuses longer ones, keepalived cuts them)' };
