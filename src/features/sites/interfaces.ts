// Interfaces and releases as routers and NAT nodes share them.
import type { DocPath } from '../../diagnostics.js';
import type { InterfaceDoc, WanDoc } from '../../model/document.js';
import type { Interface, Release, Wan } from '../../model/topology.js';
import { parsePrefix } from '../../net/ipv4.js';
import { DEFAULTS } from '../../model/defaults.js';

export function wanInterface(w: WanDoc, path: DocPath): Wan {
  return {
    name: w.interface,
    prefix: parsePrefix(w.address),
    publicAddress: w.public ?? w.address.split('/')[0]!,
    path,
    ...(w.gateway !== undefined ? { gateway: w.gateway } : {}),
    ...(w.description !== undefined ? { description: w.description } : {}),
  };
}

export function lanInterface(l: InterfaceDoc, path: DocPath): Interface {
  return { name: l.interface, prefix: parsePrefix(l.address), path, ...(l.description !== undefined ? { description: l.description } : {}) };
}

/**
 * The release of a device: `--release`, else the most specific setting. The
 * path returned is the setting to point at when the release refuses something.
 */
export function chooseRelease(override: Release | undefined, candidates: [Release | undefined, DocPath][]): [Release, DocPath] {
  if (override) return [override, candidates.find(([r]) => r !== undefined)?.[1] ?? []];
  for (const [r, p] of candidates) if (r !== undefined) return [r, p];
  return [DEFAULTS.vyos, []];
}
