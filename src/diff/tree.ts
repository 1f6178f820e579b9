// A model of the VyOS configuration tree, enough to apply `set` and `delete`
// lines the way the VyOS CLI does and to compare two configurations.
//
// Lines are read in the canonical form that `show configuration commands`
// prints and vygen renders: path words and tag values bare, a leaf's value
// single-quoted as the last word. So `set a b 'v'` sets leaf `b` to `v`, and
// `set a b` creates node `b` (a tag value or a valueless leaf). Whether a leaf
// holds one value or many is not visible in a line: that is data, the
// `multiValued` patterns of the release (src/targets/vyos/dialects.ts).
//
// Semantics, as the VyOS CLI applies them:
//   set PATH 'V'     single-valued leaf: V replaces the value; multi-valued: V is added
//   set PATH         creates every missing node of PATH
//   delete PATH      removes the node and everything under it; an error if absent
//   delete PATH 'V'  removes one value of a leaf (the leaf when it was the last);
//                    an error if the leaf does not hold V
// A path through a leaf, or a value for a node, is an error. Parents left
// empty by a delete stay (the diff never relies on them disappearing).
import { splitWords, WordError } from './words.js';

export interface Branch {
  kind: 'node';
  children: Map<string, ConfigNode>;
}

export interface Leaf {
  kind: 'leaf';
  multi: boolean;
  /** One value for a single-valued leaf; a set (in insertion order) for a multi-valued one. */
  values: string[];
}

export type ConfigNode = Branch | Leaf;

export interface Command {
  op: 'set' | 'delete';
  path: string[];
  value?: string;
  /** 1-based line in the text it was read from (0 when made, not read). */
  line: number;
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(line > 0 ? `line ${line}: ${message}` : message);
  }
}

/** Which leaves are multi-valued: patterns of path words, `*` for any one word. */
export class MultiValued {
  private readonly patterns: string[][];
  constructor(patterns: readonly string[]) {
    this.patterns = patterns.map((p) => p.split(' '));
  }
  has(path: readonly string[]): boolean {
    return this.patterns.some((p) => p.length === path.length && p.every((w, i) => w === '*' || w === path[i]));
  }
}

// Lines an operator pastes around the commands (see src/emit/wrap.ts); they
// do not change the configuration tree.
const SESSION_WORDS = new Set(['configure', 'commit', 'commit-confirm', 'confirm', 'save', 'exit', 'end']);

/** The `set` / `delete` commands of a command file; comments, blank and session lines skipped. */
export function parseCommands(text: string): Command[] {
  const out: Command[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let words;
    try {
      words = splitWords(lines[i]!);
    } catch (e) {
      if (e instanceof WordError) throw new ConfigError(e.message, i + 1);
      throw e;
    }
    if (words.length === 0) continue;
    const op = words[0]!.text;
    if (SESSION_WORDS.has(op) && !words[0]!.quoted) continue;
    if ((op !== 'set' && op !== 'delete') || words[0]!.quoted) throw new ConfigError(`not a set or delete command: ${JSON.stringify(op)}`, i + 1);
    const rest = words.slice(1);
    if (rest.length === 0) throw new ConfigError(`${op} without a path`, i + 1);
    const last = rest[rest.length - 1]!;
    const path = (last.quoted ? rest.slice(0, -1) : rest).map((w) => w.text);
    if (path.length === 0) throw new ConfigError(`${op} of a value without a path`, i + 1);
    const badWord = path.find((w) => w === '' || /\s/.test(w));
    if (badWord !== undefined) throw new ConfigError(`path word ${JSON.stringify(badWord)} is empty or holds a blank`, i + 1);
    out.push(last.quoted ? { op, path, value: last.text, line: i + 1 } : { op, path, line: i + 1 });
  }
  return out;
}

export function emptyTree(): Branch {
  return { kind: 'node', children: new Map() };
}

export interface ApplyOptions {
  /**
   * Reading a whole rendered configuration: a single-valued leaf set twice
   * with different values means the leaf is multi-valued but missing from the
   * dialect's `multiValued` list, and is refused rather than silently replaced.
   */
  strict?: boolean;
  /** Called with every node a command touches (the diff orders by first use). */
  touched?: (node: ConfigNode, line: number) => void;
}

export function applyCommand(tree: Branch, cmd: Command, multi: MultiValued, options: ApplyOptions = {}): void {
  const where = () => cmd.path.join(' ');
  if (cmd.op === 'set') {
    const parentPath = cmd.value === undefined ? cmd.path : cmd.path.slice(0, -1);
    let node: Branch = tree;
    for (let i = 0; i < parentPath.length; i++) {
      const word = parentPath[i]!;
      let child = node.children.get(word);
      if (child === undefined) {
        child = emptyTree();
        node.children.set(word, child);
      } else if (child.kind === 'leaf') {
        throw new ConfigError(`${parentPath.slice(0, i + 1).join(' ')} is a leaf: it takes a value and has no children`, cmd.line);
      }
      options.touched?.(child, cmd.line);
      node = child;
    }
    if (cmd.value === undefined) return;
    const name = cmd.path[cmd.path.length - 1]!;
    const existing = node.children.get(name);
    if (existing === undefined) {
      const leaf: Leaf = { kind: 'leaf', multi: multi.has(cmd.path), values: [cmd.value] };
      node.children.set(name, leaf);
      options.touched?.(leaf, cmd.line);
      return;
    }
    if (existing.kind === 'node') throw new ConfigError(`${where()} is a node, it takes no value`, cmd.line);
    options.touched?.(existing, cmd.line);
    if (existing.multi) {
      if (!existing.values.includes(cmd.value)) existing.values.push(cmd.value);
    } else if (existing.values[0] !== cmd.value) {
      if (options.strict) {
        throw new ConfigError(
          `${where()} is set to ${JSON.stringify(existing.values[0])} and to ${JSON.stringify(cmd.value)}: if it is multi-valued, add it to multiValued in src/targets/vyos/dialects.ts`,
          cmd.line,
        );
      }
      existing.values = [cmd.value];
    }
    return;
  }
  // delete
  let parent: Branch = tree;
  for (let i = 0; i < cmd.path.length - 1; i++) {
    const child = parent.children.get(cmd.path[i]!);
    if (child === undefined || child.kind === 'leaf') throw new ConfigError(`nothing to delete: ${where()} does not exist`, cmd.line);
    parent = child;
  }
  const name = cmd.path[cmd.path.length - 1]!;
  const node = parent.children.get(name);
  if (node === undefined) throw new ConfigError(`nothing to delete: ${where()} does not exist`, cmd.line);
  if (cmd.value === undefined) {
    parent.children.delete(name);
    return;
  }
  if (node.kind === 'node') throw new ConfigError(`${where()} is a node, it holds no value ${JSON.stringify(cmd.value)}`, cmd.line);
  const at = node.values.indexOf(cmd.value);
  if (at < 0) throw new ConfigError(`nothing to delete: ${where()} does not hold ${JSON.stringify(cmd.value)}`, cmd.line);
  node.values.splice(at, 1);
  if (node.values.length === 0) parent.children.delete(name);
}

/** Applies every command of `text` to `tree`, in order. */
export function applyText(tree: Branch, text: string, multi: MultiValued, options: ApplyOptions = {}): Branch {
  for (const cmd of parseCommands(text)) applyCommand(tree, cmd, multi, options);
  return tree;
}

/** The tree a whole rendered configuration describes (only `set` lines, strict). */
export function treeOf(text: string, multi: MultiValued): Branch {
  const cmds = parseCommands(text);
  const del = cmds.find((c) => c.op === 'delete');
  if (del) throw new ConfigError('a configuration holds only set commands', del.line);
  const tree = emptyTree();
  for (const cmd of cmds) applyCommand(tree, cmd, multi, { strict: true });
  return tree;
}

/**
 * The tree as sorted lines, one per leaf value and per childless node: equal
 * trees give equal lines. Multi-valued leaves compare as sets, as VyOS keeps
 * the values of the leaves vygen emits (addresses, IDs, prefixes).
 */
export function canonicalLines(tree: Branch): string[] {
  const out: string[] = [];
  const walk = (node: ConfigNode, path: string[]) => {
    if (node.kind === 'leaf') {
      for (const v of [...node.values].sort()) out.push(`${path.join(' ')} = ${JSON.stringify(v)}${node.multi ? ' (multi)' : ''}`);
      return;
    }
    if (node.children.size === 0 && path.length > 0) out.push(path.join(' '));
    for (const [name, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) walk(child, [...path, name]);
  };
  walk(tree, []);
  return out;
}

export function sameTree(a: ConfigNode, b: ConfigNode): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'leaf' && b.kind === 'leaf') {
    if (a.multi !== b.multi || a.values.length !== b.values.length) return false;
    return a.multi ? a.values.every((v) => b.values.includes(v)) : a.values[0] === b.values[0];
  }
  const ac = (a as Branch).children;
  const bc = (b as Branch).children;
  if (ac.size !== bc.size) return false;
  for (const [name, child] of ac) {
    const other = bc.get(name);
    if (other === undefined || !sameTree(child, other)) return false;
  }
  return true;
}
