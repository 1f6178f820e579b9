// A secret reference as written in the topology ({ env } or { file }), with the
// path of the key that names it, so every diagnostic about it points there.
import type { DocPath } from '../diagnostics.js';
import type { SecretDoc } from '../model/document.js';
import type { SecretRef } from '../model/topology.js';
import { subPath } from '../diagnostics.js';

export function secretRef(s: SecretDoc, path: DocPath): SecretRef {
  return 'env' in s ? { kind: 'env', name: s.env, path: subPath(path, 'env') } : { kind: 'file', name: s.file, path: subPath(path, 'file') };
}
