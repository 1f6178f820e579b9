// Two rendered configurations of one router -> the `delete` and `set` lines
// that turn the first into the second on the router.
//
// Minimal: a line appears only when the tree differs there. A removed object
// is one `delete` of the highest node the new configuration lacks (`delete
// interfaces tunnel tun3`, not one per leaf); a changed single-valued leaf is
// one `set` (it replaces the value); a multi-valued leaf loses the values that
// went (`delete … address '10.0.0.1/24'`) and gains the new ones. Deleting the
// highest node the new configuration lacks also means no node is left empty,
// so the result is the same whether or not VyOS drops emptied parents. The
// diff assumes the router holds exactly the old render: `delete vpn` when no
// VPN is rendered any more removes any VPN configured by hand as well.
//
// Ordered so that VyOS accepts every line: all deletes first, sections in
// reverse paste order (protocols, policy, vpn, interfaces, system) so the
// BGP neighbor goes before its tunnel and a route-map's users before the
// route-map, and inside a section bottom-up (a route-map before the
// prefix-list it matches); then the sets in the new render's own order, which
// is paste order (system, interfaces, vpn, policy, protocols): what is
// referenced exists before the line that references it.
//
// The firewall never opens between two lines: a delete under `firewall`
// (options aside) or of an interface's rule-set attachment comes after every
// set, so a rule, a group member or a chain is added before the one it
// replaces goes, and the attachment of a chain that stays is never deleted.
import { bare, singleQuoted } from '../targets/quote.js';
import { applyCommand, ConfigError, emptyTree, parseCommands, type Branch, type Command, type ConfigNode, type MultiValued } from './tree.js';

/**
 * Top-level sections in paste order: a section only references the ones
 * before it. A section not listed (a future feature) goes after them.
 */
export const PASTE_ORDER: readonly string[] = Object.freeze(['system', 'interfaces', 'vpn', 'policy', 'protocols', 'firewall', 'traffic-policy', 'qos']);

/** `interfaces ethernet eth0 [vif 20] firewall|traffic-policy …`: 1.3 attaches what those sections define. */
function attachment(path: readonly string[]): string | undefined {
  if (path[0] !== 'interfaces') return undefined;
  const at = path[3] === 'vif' ? 5 : 3;
  const word = path[at];
  return word === 'firewall' || word === 'traffic-policy' ? word : undefined;
}

function rank(cmd: Command): number {
  const attached = attachment(cmd.path);
  // After the section it names: the rule set exists before an interface uses it.
  if (attached) return PASTE_ORDER.indexOf(attached) + 0.5;
  const i = PASTE_ORDER.indexOf(cmd.path[0]!);
  return i < 0 ? PASTE_ORDER.length : i;
}

/** A delete that could open the firewall if it ran before the sets that replace it (1.3's MSS clamps in `firewall options` cannot). */
function protective(cmd: Command, before: Branch): boolean {
  if (cmd.path[0] !== 'firewall') return attachment(cmd.path) === 'firewall';
  if (cmd.path.length > 1) return cmd.path[1] !== 'options';
  const fw = before.children.get('firewall');
  return fw?.kind === 'node' && [...fw.children.keys()].some((k) => k !== 'options');
}

interface Read {
  commands: Command[];
  tree: Branch;
  /** Line of the first command that touched each node. */
  firstLine: WeakMap<ConfigNode, number>;
}

function read(text: string, multi: MultiValued): Read {
  const commands = parseCommands(text);
  const del = commands.find((c) => c.op === 'delete');
  if (del) throw new ConfigError('a rendered configuration holds only set commands', del.line);
  const tree = emptyTree();
  const firstLine = new WeakMap<ConfigNode, number>();
  const touched = (node: ConfigNode, line: number) => {
    if (!firstLine.has(node)) firstLine.set(node, line);
  };
  for (const cmd of commands) applyCommand(tree, cmd, multi, { strict: true, touched });
  return { commands, tree, firstLine };
}

/**
 * The commands that turn configuration `oldText` into `newText` (both whole
 * rendered configurations; `oldText` '' for a new router). `oldMulti` and
 * `newMulti` are the multi-valued leaves of each side's release.
 */
export function diffConfigs(oldText: string, newText: string, oldMulti: MultiValued, newMulti: MultiValued = oldMulti): Command[] {
  const before = read(oldText, oldMulti);
  const after = read(newText, newMulti);

  const deletes: { cmd: Command; at: number }[] = [];
  const walk = (o: Branch, n: Branch, path: string[]) => {
    for (const [name, oc] of o.children) {
      const nc = n.children.get(name);
      const p = [...path, name];
      const at = before.firstLine.get(oc) ?? 0;
      if (nc === undefined || nc.kind !== oc.kind || (nc.kind === 'leaf' && oc.kind === 'leaf' && nc.multi !== oc.multi)) {
        deletes.push({ cmd: { op: 'delete', path: p, line: 0 }, at });
      } else if (oc.kind === 'node') {
        walk(oc, nc as Branch, p);
      } else if (oc.multi) {
        // The leaf stays: remove exactly the values that went.
        for (const v of oc.values) if (!(nc as typeof oc).values.includes(v)) deletes.push({ cmd: { op: 'delete', path: p, value: v, line: 0 }, at });
      }
      // A single-valued leaf whose value changed: its `set` replaces the value.
    }
  };
  walk(before.tree, after.tree, []);

  const sets: { cmd: Command; at: number }[] = [];
  const seen = new Set<string>();
  for (const cmd of after.commands) {
    if (holds(before.tree, cmd, newMulti)) continue;
    const key = formatCommand(cmd);
    if (seen.has(key)) continue;
    seen.add(key);
    sets.push({ cmd: { ...cmd, line: 0 }, at: cmd.line });
  }

  deletes.sort((a, b) => rank(b.cmd) - rank(a.cmd) || b.at - a.at);
  sets.sort((a, b) => rank(a.cmd) - rank(b.cmd) || a.at - b.at);
  // A delete that makes room for a set below it (a leaf becoming a node) still goes first.
  const late = deletes.filter((d) => protective(d.cmd, before.tree) && (d.cmd.value !== undefined || !sets.some((x) => startsWith(x.cmd.path, d.cmd.path))));
  const early = deletes.filter((d) => !late.includes(d));
  return [...early.map((x) => x.cmd), ...dropWhileChanging(sets.map((x) => x.cmd), late.map((x) => x.cmd), before.tree, after.tree)];
}

/** `firewall … rule N` of a firewall rule path: the rule's own node. */
function rulePath(path: readonly string[]): string[] | undefined {
  if (path[0] !== 'firewall') return undefined;
  const i = path.indexOf('rule');
  return i > 0 && i + 1 < path.length ? path.slice(0, i + 2) : undefined;
}

function nodeAt(tree: Branch, path: readonly string[]): ConfigNode | undefined {
  let node: ConfigNode | undefined = tree;
  for (const w of path) node = node?.kind === 'node' ? node.children.get(w) : undefined;
  return node;
}

function actionOf(rule: ConfigNode | undefined): string | undefined {
  const a = rule?.kind === 'node' ? rule.children.get('action') : undefined;
  return a?.kind === 'leaf' ? a.values[0] : undefined;
}

/**
 * A rule is written one leaf at a time, and half-written it matches more than
 * either version: a new rule with its action but not yet its source accepts
 * from anywhere; a changed one with the old source and the new destination
 * accepts what neither did. So a new accepting rule gets its action after its
 * match, and a rule whose match changes drops while it changes and takes its
 * action last (after the deletes that finish its match): a moment of too
 * little, never of too much. A new dropping rule keeps its action first: half
 * written, it drops more.
 */
function dropWhileChanging(sets: Command[], late: Command[], before: Branch, after: Branch): Command[] {
  const changing = new Set<string>();
  const fresh = new Set<string>();
  for (const c of [...sets, ...late]) {
    const rule = rulePath(c.path);
    const leaf = c.path[rule?.length ?? 0];
    if (!rule || c.path.length === rule.length || leaf === 'description' || leaf === 'action') continue;
    const key = rule.join(' ');
    if (!nodeAt(after, rule)) continue;
    if (nodeAt(before, rule)) changing.add(key);
    else if (actionOf(nodeAt(after, rule)) === 'accept') fresh.add(key);
  }
  if (changing.size + fresh.size === 0) return [...sets, ...late];
  const out: Command[] = [];
  const started = new Set<string>();
  const afterSets: Command[] = [];
  const atEnd: Command[] = [];
  const action = (rule: string[], v: string): Command => ({ op: 'set', path: [...rule, 'action'], value: v, line: 0 });
  for (const c of sets) {
    const rule = rulePath(c.path);
    const key = rule?.join(' ');
    if (!rule || key === undefined || !(changing.has(key) || fresh.has(key))) {
      out.push(c);
      continue;
    }
    if (c.path.length === rule.length + 1 && c.path[rule.length] === 'action') continue;
    if (!started.has(key)) {
      started.add(key);
      const final = actionOf(nodeAt(after, rule))!;
      if (fresh.has(key)) afterSets.push(action(rule, final));
      else {
        if (actionOf(nodeAt(before, rule)) !== 'drop') out.push(action(rule, 'drop'));
        if (final !== 'drop') atEnd.push(action(rule, final));
      }
    }
    out.push(c);
  }
  return [...out, ...afterSets, ...late, ...atEnd];
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((w, i) => path[i] === w);
}

/** Whether `cmd` (a set of the new configuration) is already true of the old tree and survives its deletes. */
function holds(tree: Branch, cmd: Command, multi: MultiValued): boolean {
  const parentPath = cmd.value === undefined ? cmd.path : cmd.path.slice(0, -1);
  let node: ConfigNode = tree;
  for (const word of parentPath) {
    if (node.kind !== 'node') return false;
    const child: ConfigNode | undefined = node.children.get(word);
    if (child === undefined) return false;
    node = child;
  }
  if (node.kind !== 'node') return false;
  if (cmd.value === undefined) return true;
  const leaf = node.children.get(cmd.path[cmd.path.length - 1]!);
  if (leaf === undefined || leaf.kind !== 'leaf' || leaf.multi !== multi.has(cmd.path)) return false;
  return leaf.multi ? leaf.values.includes(cmd.value) : leaf.values[0] === cmd.value;
}

/** A command as a line, in the canonical form: path words bare, the value single-quoted. */
export function formatCommand(cmd: Command): string {
  return `${cmd.op} ${cmd.path.map(bare).join(' ')}${cmd.value === undefined ? '' : ` ${singleQuoted(cmd.value)}`}`;
}
