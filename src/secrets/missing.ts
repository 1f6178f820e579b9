// Secrets that are not there at all (a variable not set, a file that cannot
// be read) are usually all missing at once: one diagnostic lists them instead
// of one five-line error each. A single missing secret keeps its own
// diagnostic, at the line that names it.
import type { Diagnostics } from '../diagnostics.js';
import type { SecretRef } from '../model/topology.js';
import type { SecretSource } from './resolve.js';
import { STDIN_NAME } from '../load/origin.js';
import { secretStatus, type SecretUse } from './inventory.js';

const NAMED = 8;

/** Reports two or more missing secrets as one `secrets-missing` error; returns the references not to resolve again. */
export function reportMissingSecrets(uses: readonly SecretUse[], source: SecretSource, file: string, diags: Diagnostics): Set<SecretRef> {
  const skip = new Set<SecretRef>();
  if (source.redact) return skip;
  const missing = new Map<string, { ref: SecretRef; devices: Set<string> }>();
  const checked = new Map<string, boolean>();
  for (const u of uses) {
    const key = `${u.ref.kind}\u0000${u.ref.name}`;
    if (!checked.has(key)) checked.set(key, secretStatus(u.ref, u.rules, source).state === 'secret-missing');
    if (!checked.get(key)) continue;
    const m = missing.get(key) ?? { ref: u.ref, devices: new Set<string>() };
    m.devices.add(u.device);
    missing.set(key, m);
  }
  if (missing.size < 2) return skip;
  for (const u of uses) if (missing.has(`${u.ref.kind}\u0000${u.ref.name}`)) skip.add(u.ref);
  const list = [...missing.values()].sort((a, b) => (a.ref.name < b.ref.name ? -1 : a.ref.name > b.ref.name ? 1 : 0));
  const names = list.map((m) => (m.ref.kind === 'env' ? m.ref.name : `file ${m.ref.name}`));
  const envs = list.filter((m) => m.ref.kind === 'env').length;
  const files = list.length - envs;
  diags.error('secrets-missing', list[0]!.ref.path, `${list.length} secrets are not set: ${names.slice(0, NAMED).join(', ')}${names.length > NAMED ? `, and ${names.length - NAMED} more` : ''}`, {
    expected: 'every secret the devices use, in its environment variable or file',
    found: [envs > 0 ? `${envs} environment variable${envs === 1 ? '' : 's'} not set` : '', files > 0 ? `${files} file${files === 1 ? '' : 's'} not readable` : ''].filter((x) => x !== '').join(', '),
    hint: `vygen secrets ${file === STDIN_NAME ? '-' : file} lists every secret with the devices that use it; or render with --redact for a preview`,
  });
  return skip;
}
