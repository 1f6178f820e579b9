// A script as the topology names it: a path, or a path with its arguments.
import type { DocPath } from '../../diagnostics.js';
import type { LvsScriptDoc } from '../../model/document.js';
import type { LvsScript } from './model.js';
import { subPath } from '../../diagnostics.js';

export function script(s: LvsScriptDoc, path: DocPath): LvsScript {
  return typeof s === 'string'
    ? { script: { value: s, path }, args: [] }
    : { script: { value: s.script, path: subPath(path, 'script') }, args: s.args ?? [] };
}
