// The shape every feature plugs into. A feature is one folder under
// src/features/ with an index.ts exporting a Feature; src/features/registry.ts
// lists them in the order their hooks run, and src/pipeline.ts runs each stage
// over that list without naming any feature (netlab's module hooks, aerleon's
// generator registry).
//
// The stage results are typed: `Model` is the normalized topology and `Intents`
// the per-device intents. A feature adds its own part to either by module
// augmentation from its own folder:
//
//   declare module '../feature.js' { interface Model { lvs: LvsTopology } }
//
// so adding a feature touches its folder, the registry line and the schema.
import type { Diagnostics, DocPath } from '../diagnostics.js';
import type { LinkDoc, TopologyDoc } from '../model/document.js';
import type { RouterIntent } from '../model/intent.js';
import type { OutputFile } from '../model/output.js';
import type { Release, SecretRef, Topology } from '../model/topology.js';
import type { SecretRules } from '../secrets/resolve.js';

/** The normalized topology: the core (sites, routers, links) plus each feature's part. */
export interface Model {
  file: string;
  topology: Topology;
  /**
   * Links a feature generates from a shorter description (the hub mesh), with
   * the id blocks it keeps for them; the links feature normalizes them after
   * the written ones and allocates around the reserved blocks.
   */
  generatedLinks: { doc: LinkDoc; path: DocPath }[];
  reservedLinkIds: { first: number; last: number }[];
}

/** What each device must do, independent of syntax: the routers' plus each feature's. */
export interface Intents {
  /** Every VyOS router, in topology order. */
  routers: RouterIntent[];
}

export interface NormalizeContext {
  doc: TopologyDoc;
  file: string;
  /** `--release`: overrides every device's release (previews). */
  release?: Release;
  model: Model;
  diags: Diagnostics;
}

export interface ModelContext {
  model: Model;
  diags: Diagnostics;
}

export interface IntentContext extends ModelContext {
  intents: Intents;
}

/** A secret a rendered file needs, with the limits of the place it goes. */
export interface SecretNeed {
  ref: SecretRef;
  rules?: SecretRules;
  /** The device whose file holds it, and what for (`vygen secrets`). */
  device: string;
  what: string;
}

export interface RenderContext {
  model: Model;
  intents: Intents;
  /** The topology's path as shown in headers. */
  file: string;
  redact: boolean;
  /** The value, or the redaction placeholder, of every secret some feature asked for. */
  secrets: ReadonlyMap<SecretRef, string>;
  /**
   * A feature may return files rendered only when read (src/targets/deferred.ts): `on-read` for `vygen render`;
   * `compare` for `vygen diff`, each file with what it is rendered from.
   */
  defer?: 'on-read' | 'compare';
}

export interface Feature {
  readonly name: string;
  /**
   * Codes this feature reports from the absence of something anywhere in the
   * topology ("inside no network another site announces"). When parts with
   * errors were left out so the rest could be checked, these are not reported
   * but noted as not checked (docs/diagnostics.md).
   */
  readonly wholeTopology?: readonly string[];
  /** Document -> this feature's part of the model. Reference problems are reported here. */
  normalize?(ctx: NormalizeContext): void;
  /** Semantic checks of the model (addresses, overlaps, both ends agree). */
  check?(ctx: ModelContext): void;
  /** Model -> this feature's contributions to the per-device intents. */
  intents?(ctx: IntentContext): void;
  /** After every feature contributed: what spans them (role policy, default export policy). */
  policy?(ctx: IntentContext): void;
  /** Checks that need the finished intents (what a release can express, route changes). */
  checkIntents?(ctx: IntentContext): void;
  /** The secrets this feature's files need; each is resolved once for the whole render. */
  secrets?(ctx: IntentContext): SecretNeed[];
  /** Intents -> files. */
  render?(ctx: RenderContext): OutputFile[];
}
