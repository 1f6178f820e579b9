// auth_pass values. keepalived keeps the first 8 characters of auth_pass and
// drops the rest with only a log line, and it reads the value as a bare word:
// a password that is too long or holds a character keepalived would misread is
// refused at the line that names the secret.
import type { Diagnostics } from '../../diagnostics.js';
import type { LvsIntents } from './keepalived-intent.js';
import type { SecretRef } from '../../model/topology.js';
import { resolveSecret, type SecretRules, type SecretSource } from '../../secrets/resolve.js';
import { isKeepalivedWord } from '../../targets/quote.js';
import { DEFAULTS } from '../../model/defaults.js';

export const AUTH_PASS_MAX = DEFAULTS.vrrpPasswordMax;

export const AUTH_PASS_RULES: SecretRules = {
  minLength: 1,
  maxLength: AUTH_PASS_MAX,
  maxReason: `VRRP PASS authentication carries ${AUTH_PASS_MAX} characters; keepalived silently uses only the first ${AUTH_PASS_MAX}, so both directors may disagree with what you think is configured. Use a password of at most ${AUTH_PASS_MAX} characters`,
  accepts: isKeepalivedWord,
  allowed: 'letters, digits and . _ / - : @ % + = , ? & * ^ ~, starting with a letter, digit, ., _, / or -',
  howTo: 'keepalived reads ! and # as the start of a comment (k@l!ve1 would silently be k@l) and " $ { } and blanks as syntax; generate one with e.g. `openssl rand -base64 12 | tr -dc A-Za-z0-9 | cut -c1-8`',
};

/** The value (or the redaction placeholder) of each auth_pass reference. */
export function resolveAuthPasses(intents: LvsIntents, source: SecretSource, diags: Diagnostics): Map<SecretRef, string> {
  const out = new Map<SecretRef, string>();
  const tried = new Set<SecretRef>();
  for (const d of intents.directors) {
    for (const i of d.instances) {
      const ref = i.authPass;
      if (!ref || tried.has(ref)) continue;
      tried.add(ref);
      const value = resolveSecret(ref, source, diags, AUTH_PASS_RULES);
      if (value !== undefined) out.set(ref, value);
    }
  }
  return out;
}
