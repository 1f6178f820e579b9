// The escape hatch: `set` lines written verbatim under routers.R.extra. Each
// is one set command in the form VyOS prints (path words bare, a value
// single-quoted as the last word), so no line can carry a second command; and
// none may set a leaf vygen already generates: an override would be silent.
import type { Diagnostics } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import { MultiValued, parseCommands, treeOf, type Branch } from '../../diff/tree.js';
import type { ExtraLineIntent } from '../../model/intent.js';
import { DIALECTS, type Release } from '../../targets/vyos/dialects.js';

const SHAPE = /^set( [A-Za-z0-9:][A-Za-z0-9._:/@+-]*)+( '[^'\\\u0000-\u001f\u007f\u0085\u2028\u2029]*')?$/;

/** The lines of a plain shape; each other line is reported. */
export function checkExtraShape(extra: readonly ExtraLineIntent[], diags: Diagnostics): ExtraLineIntent[] {
  const ok: ExtraLineIntent[] = [];
  for (const e of extra) {
    if (SHAPE.test(e.line)) {
      ok.push(e);
      continue;
    }
    diags.error('extra-line-shape', e.path, `extra line ${shown(e.line)} is not one plain set command`, {
      expected: "set PATH WORDS 'VALUE': path words of letters, digits and . _ : / @ + -, one single-quoted value at the end, nothing else",
      found: shown(e.line),
      hint: 'write it as `show configuration commands` prints it; quotes, ;, |, & and $ cannot appear outside the final value',
    });
  }
  return ok;
}

/** Each extra line against the tree of what vygen generates for the router. */
export function checkExtraConflicts(extra: readonly ExtraLineIntent[], generated: string, release: Release, diags: Diagnostics): void {
  const multi = new MultiValued(DIALECTS[release].multiValued);
  const tree = treeOf(generated, multi);
  for (const e of extra) {
    const [cmd] = parseCommands(e.line);
    if (!cmd) continue;
    const clash = clashOf(tree, cmd.path, cmd.value, multi);
    if (!clash) continue;
    diags.error('extra-line-overrides', e.path, `extra line ${shown(e.line)} ${clash}`, {
      expected: 'extra lines for what vygen does not generate',
      hint: 'change the topology key that generates this setting instead; an extra line would silently override it',
    });
  }
}

function clashOf(tree: Branch, path: readonly string[], value: string | undefined, multi: MultiValued): string | undefined {
  let node: Branch = tree;
  const parent = value === undefined ? path : path.slice(0, -1);
  for (let i = 0; i < parent.length; i++) {
    const child = node.children.get(parent[i]!);
    if (child === undefined) return undefined;
    if (child.kind === 'leaf') return `goes through ${parent.slice(0, i + 1).join(' ')}, a leaf vygen sets`;
    node = child;
  }
  if (value === undefined) return parent.length > 0 ? 'repeats a setting vygen generates' : undefined;
  const leaf = node.children.get(path[path.length - 1]!);
  if (leaf === undefined) return undefined;
  if (leaf.kind === 'node') return 'sets a value on a node vygen generates';
  if (!multi.has(path)) return `sets ${path.join(' ')}, which vygen sets to '${leaf.values[0]}'`;
  return leaf.values.includes(value) ? 'repeats a value vygen generates' : undefined;
}
