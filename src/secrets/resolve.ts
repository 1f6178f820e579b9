// Secrets are referenced by the topology ({ env } or { file }), never written
// in it. Resolution happens once per render; with `redact` no secret is read
// at all and a placeholder naming the reference takes its place, so goldens
// and pull-request previews can be rendered without access to the keys.
// A secret's value never appears in a diagnostic.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Diagnostics } from '../diagnostics.js';
import type { SecretRef } from '../model/topology.js';

export interface SecretSource {
  redact: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Directory `{ file }` references are relative to (the topology's). */
  baseDir: string;
  /** Directories besides baseDir's tree that `{ file }` secrets may be read from (`--secret-dir`). */
  secretDirs?: readonly string[];
}

// What a quoted VyOS value (and keepalived's auth_pass) can hold safely:
// printable ASCII without space, quotes (VyOS writes secrets into quoted
// strings of the configurations it generates) or backslash.
const SAFE_SECRET = /^[\x21\x23-\x26\x28-\x5b\x5d-\x7e]+$/;
const MIN_LENGTH = 8;
/** A pre-shared key's longest accepted length (AWS takes 8 to 64; strongSwan has no small limit, a router configuration line should). */
export const PSK_MAX_LENGTH = 256;
/** The most bytes read from a `{ file }` secret: a key file is a line, not a disk image. */
export const MAX_SECRET_FILE_BYTES = 4096;

/** The rules of a pre-shared key (link and cloud VPN tunnels). */
export const PSK_RULES: SecretRules = {
  minLength: MIN_LENGTH,
  maxLength: PSK_MAX_LENGTH,
  maxReason: `vygen accepts pre-shared keys of up to ${PSK_MAX_LENGTH} characters (AWS takes 8 to 64)`,
};

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
    // Not how short: the length of a file is not the topology's to learn.
    diags.error('secret-too-short', ref.path, `the secret in ${what} is shorter than ${min} characters`, { expected: `at least ${min} characters${rules?.maxLength === PSK_MAX_LENGTH || !rules ? ' (AWS requires 8 to 64)' : ''}`, found: `fewer (length not shown)` });
    return undefined;
  }
  if (rules?.maxLength !== undefined && value.length > rules.maxLength) {
    diags.error('secret-too-long', ref.path, `the secret in ${what} is longer than ${rules.maxLength} characters`, {
      expected: `at most ${rules.maxLength} characters`,
      found: 'more (length not shown)',
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
  const refuse = (code: string, message: string, extra: { expected: string; hint: string }) => {
    diags.error(code, ref.path, message, extra);
    return undefined;
  };
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return refuse('secret-missing', `cannot read secret file ${ref.name} (${code})`, { expected: 'a readable file holding the key', hint: 'paths are relative to the topology file' });
  }
  // Confined to the topology's directory tree (after links: a committed
  // link to a CI credentials file would be written into router configs).
  const roots = [source.baseDir, ...(source.secretDirs ?? [])].map((d) => {
    try {
      return realpathSync(resolve(d));
    } catch {
      return resolve(d);
    }
  });
  if (!roots.some((r) => within(real, r))) {
    return refuse('secret-outside', `secret file ${ref.name} is outside the topology's directory`, {
      expected: "a file below the topology's directory (links resolved)",
      hint: 'move the key file beside the topology, or allow its directory with --secret-dir DIR',
    });
  }
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO must not hold the render forever.
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return refuse('secret-missing', `cannot read secret file ${ref.name} (${code})`, { expected: 'a readable file holding the key', hint: 'paths are relative to the topology file' });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      return refuse('secret-not-a-file', `secret file ${ref.name} is not a regular file`, { expected: 'a regular file holding the key', hint: 'devices, FIFOs and directories are not read' });
    }
    if (st.size > MAX_SECRET_FILE_BYTES) {
      return refuse('secret-file-too-large', `secret file ${ref.name} is larger than ${MAX_SECRET_FILE_BYTES.toLocaleString('en')} bytes`, { expected: 'a file holding one key', hint: 'is this the right file?' });
    }
    if ((st.mode & 0o077) !== 0) {
      diags.warn('secret-file-mode', ref.path, `secret file ${ref.name} is readable by group or others`, { expected: 'mode 0600 or 0400', found: (st.mode & 0o777).toString(8), hint: `chmod 600 ${ref.name}` });
    }
    const buf = Buffer.alloc(MAX_SECRET_FILE_BYTES + 1);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got > MAX_SECRET_FILE_BYTES) {
      return refuse('secret-file-too-large', `secret file ${ref.name} is larger than ${MAX_SECRET_FILE_BYTES.toLocaleString('en')} bytes`, { expected: 'a file holding one key', hint: 'is this the right file?' });
    }
    return buf.subarray(0, got).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return refuse('secret-missing', `cannot read secret file ${ref.name} (${code})`, { expected: 'a readable file holding the key', hint: 'paths are relative to the topology file' });
  } finally {
    closeSync(fd);
  }
}

function within(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
