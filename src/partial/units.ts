// The parts of a topology that can be left out on their own when they hold an
// error, so the checks of every other part still run. A site is one part as a
// whole: its routers share VRRP, iBGP and roles, so a site missing one router
// would fail checks only because of the gap. A part of `defaults` (or the file
// itself) feeds every other part: no later check can trust what it derives.
import type { DocPath } from '../diagnostics.js';

/** A part of the document, or `all` when the error concerns every part. */
export type Unit = DocPath | 'all';

const NAMED = new Set(['sites', 'nat_pairs', 'routers']);

export function unitOf(path: DocPath): Unit {
  const [top, key, sub] = path;
  if (typeof top !== 'string') return 'all';
  if (NAMED.has(top)) return typeof key === 'string' ? [top, key] : [top];
  if (top === 'links') return typeof key === 'number' ? [top, key] : [top];
  if (top === 'lvs') return key === 'pairs' && typeof sub === 'string' ? [top, key, sub] : [top];
  if (top === 'hub_mesh' || top === 'firewall') return [top];
  return 'all';
}

export function unitKey(unit: DocPath): string {
  return JSON.stringify(unit);
}
