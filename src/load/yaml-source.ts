// YAML text -> plain document + a map from topology path to line:col.
// js-yaml has no positions in its result, but its `listener` reports every node
// as it opens and closes; the frames it produces are paired back onto the
// document here, so that schema and semantic diagnostics can name a line.
import yaml from 'js-yaml';
import type { Diagnostic, DocPath, Locator } from '../diagnostics.js';

interface Frame {
  start: number;
  result: unknown;
  children: Frame[];
}

interface Position {
  key?: number;
  value: number;
}

export interface LoadedYaml {
  document: unknown;
  locator: Locator;
}

/** Nesting deeper than any real topology; guards the recursive walkers below. */
const MAX_DEPTH = 64;
/** Larger than a 20,000-site topology; parsing stays within seconds and a few hundred MB. */
export const MAX_BYTES = 16 * 1024 * 1024;
/**
 * Nodes of the document with aliases expanded. Aliases are shared, not copied,
 * so a "billion laughs" file loads small but every walk over it (the schema
 * check among them) would take exponential time.
 */
export const MAX_NODES = 2_000_000;

export function loadYaml(text: string, file: string): { ok: LoadedYaml } | { errors: Diagnostic[] } {
  const refused = refuseUnreadable(text, file);
  if (refused) return { errors: [refused] };
  let document: unknown;
  try {
    document = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA, maxDepth: MAX_DEPTH } as yaml.LoadOptions);
  } catch (e) {
    return { errors: [yamlError(e, file, text)] };
  }
  if (document === undefined || document === null) {
    return { errors: [fileProblem(file, 'empty-topology', 'the file holds no topology', 'a mapping that starts with "vygen: 1"', 'vygen init writes a starting topology (vygen init --list shows the examples)')] };
  }
  // Without an alias every value but the outermost is written out in at
  // least one character of its own (test/limits.test.ts): a text shorter
  // than the limit cannot pass it, and is not walked.
  if ((text.length >= MAX_NODES || text.includes('*')) && !withinNodeLimit(document)) {
    return { errors: [fileProblem(file, 'topology-too-large', `the topology expands to more than ${MAX_NODES.toLocaleString('en')} values`, 'a topology without aliases that multiply it', 'YAML aliases (*name) are expanded wherever they are used; write the values out or remove the nested aliases')] };
  }
  // Positions are needed only when something is reported: the text is parsed
  // a second time, with js-yaml's listener, on the first lookup. A valid
  // topology never pays for it (a third of the time of a 1,000-site render).
  let positions: Map<string, Position> | undefined;
  let lineStarts: number[] | undefined;
  const locator: Locator = {
    file,
    locate(path: DocPath, what = 'value') {
      positions ??= indexPositions(text, file);
      lineStarts ??= computeLineStarts(text);
      // The nearest enclosing node that has a position: a missing key is
      // reported at the mapping that should hold it.
      for (let n = path.length; n >= 0; n--) {
        const pos = positions.get(pointer(path.slice(0, n)));
        if (!pos) continue;
        const offset = what === 'key' && n === path.length && pos.key !== undefined ? pos.key : pos.value;
        return offsetToLineCol(lineStarts, offset);
      }
      return { line: 1, col: 1 };
    },
  };
  return { ok: { document, locator } };
}

/** Every node's position, from js-yaml's open/close events paired back onto the document. */
function indexPositions(text: string, file: string): Map<string, Position> {
  const stack: Frame[] = [{ start: 0, result: undefined, children: [] }];
  const listener = (event: 'open' | 'close', state: { position: number; result: unknown }): void => {
    if (event === 'open') {
      stack.push({ start: skipInsignificant(text, state.position), result: undefined, children: [] });
      return;
    }
    const frame = stack.pop();
    if (!frame) return;
    frame.result = state.result;
    stack[stack.length - 1]?.children.push(frame);
  };
  // The same text parsed a moment ago: it cannot fail now.
  yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA, listener, maxDepth: MAX_DEPTH } as yaml.LoadOptions);
  const positions = new Map<string, Position>();
  const root = stack[0]?.children[0];
  if (root) indexFrame(root, '', positions, 0);
  return positions;
}

// Keyed by JSON pointer; each child's pointer is built from its parent's.
function indexFrame(frame: Frame, ptr: string, out: Map<string, Position>, depth: number, keyStart?: number): void {
  out.set(ptr, keyStart === undefined ? { value: frame.start } : { key: keyStart, value: frame.start });
  if (depth > MAX_DEPTH) return;
  // A flow collection that is an entry of a block sequence (`- { a: 1 }`) is
  // composed twice by js-yaml: one frame wrapping another with the same result.
  while (frame.children.length === 1 && frame.children[0]!.result === frame.result && typeof frame.result === 'object' && frame.result !== null) {
    frame = frame.children[0]!;
  }
  const { result, children } = frame;
  if (Array.isArray(result)) {
    for (let i = 0; i < children.length; i++) indexFrame(children[i]!, `${ptr}/${i}`, out, depth + 1);
    return;
  }
  if (result === null || typeof result !== 'object') return;
  // A mapping's children alternate key, value; a key with no value (`{a, b}`)
  // or a merge key (`<<`) breaks the alternation, so pair by content.
  const obj = result as Record<string, unknown>;
  for (let i = 0; i < children.length; i++) {
    const keyFrame = children[i]!;
    const keyResult = keyFrame.result;
    if (keyResult !== null && typeof keyResult === 'object') continue;
    const key = String(keyResult);
    if (key === '<<' || !Object.prototype.hasOwnProperty.call(obj, key)) continue;
    const childPtr = `${ptr}/${escape(key)}`;
    const valueFrame = children[i + 1];
    if (valueFrame && sameValue(valueFrame.result, obj[key])) {
      indexFrame(valueFrame, childPtr, out, depth + 1, keyFrame.start);
      i++;
    } else out.set(childPtr, { key: keyFrame.start, value: keyFrame.start });
  }
}

function refuseUnreadable(text: string, file: string): Diagnostic | undefined {
  if (text.length > MAX_BYTES) return fileTooLarge(file, `${text.length.toLocaleString('en')} characters`);
  const nul = text.indexOf('\u0000');
  if (nul >= 0 || text.includes('\ufffd')) {
    return fileProblem(file, 'binary-file', 'the file is not UTF-8 text', 'a YAML text file', 'is this the right file? binary files and other encodings cannot be read');
  }
  return undefined;
}

/** The diagnostic of a file over MAX_BYTES (the CLI refuses one by its size, before reading it). */
export function fileTooLarge(file: string, size: string): Diagnostic {
  return fileProblem(file, 'file-too-large', `the file has ${size}`, `at most ${MAX_BYTES.toLocaleString('en')} bytes (16 MiB)`, 'split the network into several topologies');
}

function fileProblem(file: string, code: string, message: string, expected: string, hint: string): Diagnostic {
  return { code, severity: 'error', message, file, line: 1, col: 1, path: '', expected, hint };
}

/**
 * Counts values with an explicit stack, stopping as soon as the limit is
 * passed. Indexes and for-in rather than iterators and Object.values: no
 * array per mapping: about 4 ms of a first 1,000-site load, against 5-9.
 */
function withinNodeLimit(document: unknown): boolean {
  const stack: unknown[] = [document];
  let count = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (++count > MAX_NODES) return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) if (Object.hasOwn(v, k)) stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (a === null && b === undefined) || (Number.isNaN(a) && Number.isNaN(b));
}

function escape(segment: string | number): string {
  const s = String(segment);
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

function pointer(path: readonly (string | number)[]): string {
  let p = '';
  for (const seg of path) p += `/${escape(seg)}`;
  return p;
}

/** Skips blanks, line breaks and comments: the listener opens a node before them. */
function skipInsignificant(text: string, pos: number): number {
  let i = pos;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\ufeff') i++;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ' '))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else break;
  }
  return i;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function offsetToLineCol(lineStarts: number[], offset: number): { line: number; col: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - lineStarts[lo]! + 1 };
}

function yamlError(e: unknown, file: string, text: string): Diagnostic {
  if (e instanceof yaml.YAMLException) {
    const mark = (e as yaml.YAMLException & { mark?: { line: number; column: number } }).mark;
    const reason = e.reason || 'invalid YAML';
    const duplicate = /duplicated mapping key/.test(reason);
    const d: Diagnostic = {
      code: duplicate ? 'yaml-duplicate-key' : 'yaml-syntax',
      severity: 'error',
      message: duplicate ? 'a key appears twice in the same mapping' : `the file is not valid YAML: ${reason}`,
      file,
      line: mark ? mark.line + 1 : 1,
      col: mark ? mark.column + 1 : 1,
      path: '',
      expected: duplicate ? 'each key once per mapping' : 'YAML 1.2 text',
      hint: duplicate
        ? 'YAML keeps only one of the two values silently in many tools; vygen refuses the file so that no setting is lost'
        : hintForYaml(reason, text),
    };
    return d;
  }
  throw e;
}

function hintForYaml(reason: string, text: string): string {
  if (text.includes('\t') && /indent|tab/i.test(reason)) return 'YAML indentation uses spaces; replace the tab characters';
  if (/end of the stream|unexpected end/.test(reason)) return 'a quote or bracket is not closed';
  if (/nesting exceeded/.test(reason)) return `a topology is never nested more than ${MAX_DEPTH} levels deep`;
  return 'check indentation and that every "key: value" has a space after the colon';
}
