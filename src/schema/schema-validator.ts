// The compiled topology validator. `npm run build` precompiles it with ajv's
// standalone code generation (scripts/precompile-schema.mjs): compiling the
// schema at start-up would cost more than the rest of a render of a small file.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import ucs2length from 'ajv/dist/runtime/ucs2length.js';
import { withLinearUniqueItems } from './unique-items.js';
import { loadGenerated } from '../load/generated-module.js';

export interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  oneOf?: SchemaNode[];
  pattern?: string;
  /** What editors and vygen say when `pattern` fails. */
  patternErrorMessage?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

export interface TopologyValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export const SCHEMA_URL = new URL('../../schemas/topology.schema.json', import.meta.url);
// Spelled from the package root, so the path holds in the bundled CLI too (scripts/bundle-cli.mjs).
const PRECOMPILED = new URL('../../dist/schema/topology-validator.generated.cjs', import.meta.url);
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, code: { source: true } } as const;

let cached: TopologyValidator | undefined;

export function topologyValidator(): TopologyValidator {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  try {
    // Its one require (string lengths in code points), from the bundle instead of from disk.
    cached = loadGenerated(PRECOMPILED, {}, { 'ajv/dist/runtime/ucs2length': ucs2length }) as TopologyValidator;
  } catch {
    // Not built with the precompile step (e.g. while developing): compile now.
    const Ajv2020 = require('ajv/dist/2020.js').default as new (o: typeof AJV_OPTIONS) => { compile(s: object): TopologyValidator; addVocabulary(k: string[]): void } & Parameters<typeof withLinearUniqueItems>[0];
    const ajv = withLinearUniqueItems(new Ajv2020(AJV_OPTIONS));
    ajv.addVocabulary(['patternErrorMessage']);
    cached = ajv.compile(loadSchema());
  }
  return cached;
}

export function loadSchema(): object {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as object;
}
