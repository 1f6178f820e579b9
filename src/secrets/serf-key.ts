// Serf's gossip key: base64 of 16, 24 or 32 bytes (AES-128/192/256), which
// Serf checks only when the agent starts. Checked here, resolved like every
// secret (redacted renders carry the placeholder).
import type { Diagnostics } from '../diagnostics.js';
import type { FailoverIntent } from '../model/failover.js';
import type { SecretRef } from '../model/topology.js';
import { resolveSecret, type SecretRules, type SecretSource } from './resolve.js';

export function isSerfKey(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const bytes = Buffer.from(value, 'base64');
  return [16, 24, 32].includes(bytes.length) && bytes.toString('base64') === value;
}

const SERF_KEY: SecretRules = {
  // No maxLength: the redacted placeholder must stay the long one; accepts bounds the length.
  minLength: 24,
  accepts: isSerfKey,
  allowed: 'the base64 of 16, 24 or 32 bytes',
  howTo: 'generate one with `head -c 32 /dev/urandom | base64`',
};

export function resolveSerfKeys(failovers: FailoverIntent[], source: SecretSource, diags: Diagnostics): Map<SecretRef, string> {
  const keys = new Map<SecretRef, string>();
  for (const f of failovers) {
    const ref = f.serf?.encryptKey;
    if (!ref || keys.has(ref)) continue;
    const v = resolveSecret(ref, source, diags, SERF_KEY);
    if (v !== undefined) keys.set(ref, v);
  }
  return keys;
}
