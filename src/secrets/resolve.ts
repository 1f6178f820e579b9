// Secrets are referenced by the topology ({ env } or { file }), never written
// in it. Resolution happens once per render; with `redact` no secret is read
// at all and a placeholder naming the reference takes its place, so goldens
// and pull-request previews can be rendered without access to the keys.
// A secret's value never appears in a diagnostic.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Diagnostics } from '../diagnostics.js';
import type { SecretRef } from '../model/topology.js';

export interface SecretSource {
  redact: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Directory `{ file }` references are relative to (the topology's). */
  baseDir: string;
}

// What a quoted VyOS value (and keepalived's auth_pass) can hold safely.
const SAFE_SECRET = /^[\x21-\x26\x28-\x5b\x5d-\x7e]+$/;
const MIN_LENGTH = 8;

export function placeholder(ref: SecretRef): string {
  return `REDACTED:${ref.kind}:${ref.name}`;
}

/**
 * Limits of the place a secret goes, where they differ from a pre-shared
 * key's: keepalived's auth_pass holds at most 8 characters and silently cuts
 * longer ones.
 */
export interface SecretRules {
  minLength: number;
  maxLength?: number;
  /** Why the maximum, for the hint. */
  maxReason?: string;
  /** A check stricter than SAFE_SECRET, and how to describe what it allows. */
  accepts?: (value: string) => boolean;
  allowed?: string;
  /** How to make a valid one, for the hint. */
  howTo?: string;
}

/**
 * The placeholder where REDACTED:<kind>:<name> would not fit (auth_pass). It
 * is itself a valid value of 8 characters, so that a redacted configuration
 * still passes `keepalived -t`; the file's header names the reference.
 */
export const SHORT_PLACEHOLDER = 'REDACTED';

export function resolveSecret(ref: SecretRef, source: SecretSource, diags: Diagnostics, rules?: SecretRules): string | undefined {
  if (source.redact) {
    const long = placeholder(ref);
    return rules?.maxLength !== undefined && long.length > rules.maxLength ? SHORT_PLACEHOLDER.slice(0, rules.maxLength) : long;
  }
  const raw = ref.kind === 'env' ? fromEnv(ref, source, diags) : fromFile(ref, source, diags);
  if (raw === undefined) return undefined;
  const value = raw.trim();
  const what = ref.kind === 'env' ? `environment variable ${ref.name}` : `file ${ref.name}`;
  if (value === '') {
    diags.error('secret-empty', ref.path, `the secret in ${what} is empty`, { expected: `a key of at least ${MIN_LENGTH} characters`, hint: 'set it before rendering, or render with --redact for a preview' });
    return undefined;
  }
  if (!SAFE_SECRET.test(value) || (rules?.accepts && !rules.accepts(value))) {
    diags.error('secret-invalid', ref.path, `the secret in ${what} contains a character vygen cannot put in a router configuration`, {
      expected: rules?.allowed ?? 'printable ASCII without spaces, quotes or backslashes',
      found: 'a value with such a character (not shown)',
      hint: rules?.howTo ?? 'generate keys with e.g. `openssl rand -base64 32 | tr -d "/+="`',
    });
    return undefined;
  }
  const min = rules?.minLength ?? MIN_LENGTH;
  if (value.length < min) {
    diags.error('secret-too-short', ref.path, `the secret in ${what} has ${value.length} characters`, { expected: `at least ${min} characters${rules ? '' : ' (AWS requires 8 to 64)'}`, found: `${value.length} characters` });
    return undefined;
  }
  if (rules?.maxLength !== undefined && value.length > rules.maxLength) {
    diags.error('secret-too-long', ref.path, `the secret in ${what} has ${value.length} characters`, {
      expected: `at most ${rules.maxLength} characters`,
      found: `${value.length} characters`,
      ...(rules.maxReason ? { hint: rules.maxReason } : {}),
    });
    return undefined;
  }
  return value;
}

function fromEnv(ref: SecretRef, source: SecretSource, diags: Diagnostics): string | undefined {
  const v = source.env[ref.name];
  if (v === undefined) {
    diags.error('secret-missing', ref.path, `environment variable ${ref.name} is not set`, {
      expected: 'the pre-shared key in the environment',
      hint: `export ${ref.name}=... before rendering, or render with --redact for a preview`,
    });
  }
  return v;
}

function fromFile(ref: SecretRef, source: SecretSource, diags: Diagnostics): string | undefined {
  const path = isAbsolute(ref.name) ? ref.name : resolve(source.baseDir, ref.name);
  try {
    const mode = statSync(path).mode;
    if ((mode & 0o077) !== 0) {
      diags.warn('secret-file-mode', ref.path, `secret file ${ref.name} is readable by group or others`, { expected: 'mode 0600 or 0400', found: (mode & 0o777).toString(8), hint: `chmod 600 ${ref.name}` });
    }
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    diags.error('secret-missing', ref.path, `cannot read secret file ${ref.name} (${code})`, { expected: 'a readable file holding the key', hint: 'paths are relative to the topology file' });
    return undefined;
  }
}
