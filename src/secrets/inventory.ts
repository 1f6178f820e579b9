// Which secrets a topology needs: every { env } / { file } reference the
// rendered devices use, which devices use it, and whether it can be read now.
// A value is read only to say whether it would be accepted; it is never
// returned or shown.
import type { Diagnostic, Locator } from '../diagnostics.js';
import { Diagnostics } from '../diagnostics.js';
import type { SecretRef } from '../model/topology.js';
import { resolveSecret, type SecretRules, type SecretSource } from './resolve.js';

/** A secret a device's file needs (the pipeline's SecretNeed). */
export interface SecretUse {
  ref: SecretRef;
  rules?: SecretRules;
  device: string;
  /** What the device uses it for. */
  what: string;
}

/** `set`, or the code of the first problem reading it would report (`secret-missing`, `secret-too-short`, …). */
export type SecretState = 'set' | string;

export interface SecretStatus {
  state: SecretState;
  /** The problem in words (never the value); null when set. */
  problem: string | null;
}

const NOWHERE: Locator = { file: '', locate: () => ({ line: 0, col: 0 }) };

/** What resolving the reference would say, without keeping the value. */
export function secretStatus(ref: SecretRef, rules: SecretRules | undefined, source: SecretSource): SecretStatus {
  const scratch = new Diagnostics(NOWHERE);
  resolveSecret(ref, { ...source, redact: false }, scratch, rules);
  const first: Diagnostic | undefined = scratch.items.find((d) => d.severity === 'error');
  return first ? { state: first.code, problem: first.message } : { state: 'set', problem: null };
}

export interface SecretEntry {
  kind: 'env' | 'file';
  name: string;
  /** Devices using it, sorted. */
  devices: string[];
  /** What it is used as, e.g. "IPsec pre-shared key". */
  uses: string[];
  state: SecretState;
  problem: string | null;
}

/** One entry per distinct reference, sorted by kind and name. */
export function secretInventory(uses: readonly SecretUse[], source: SecretSource): SecretEntry[] {
  const byKey = new Map<string, { use: SecretUse; devices: Set<string>; uses: Set<string> }>();
  for (const u of uses) {
    const key = `${u.ref.kind}\u0000${u.ref.name}`;
    const had = byKey.get(key) ?? { use: u, devices: new Set<string>(), uses: new Set<string>() };
    had.devices.add(u.device);
    had.uses.add(u.what);
    byKey.set(key, had);
  }
  return [...byKey.values()]
    .map(({ use, devices, uses: what }) => {
      const status = secretStatus(use.ref, use.rules, source);
      return { kind: use.ref.kind, name: use.ref.name, devices: [...devices].sort(), uses: [...what].sort(), state: status.state, problem: status.problem };
    })
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
