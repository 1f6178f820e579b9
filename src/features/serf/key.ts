// Serf's gossip key: base64 of 16, 24 or 32 bytes (AES-128/192/256), which
// Serf checks only when the agent starts. Checked here when the key is
// resolved like every secret (redacted renders carry the placeholder).
import type { SecretRules } from '../../secrets/resolve.js';

export function isSerfKey(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const bytes = Buffer.from(value, 'base64');
  return [16, 24, 32].includes(bytes.length) && bytes.toString('base64') === value;
}

export const SERF_KEY: SecretRules = {
  // No maxLength: the redacted placeholder must stay the long one; accepts bounds the length.
  minLength: 24,
  accepts: isSerfKey,
  allowed: 'the base64 of 16, 24 or 32 bytes',
  howTo: 'generate one with `head -c 32 /dev/urandom | base64`',
};
