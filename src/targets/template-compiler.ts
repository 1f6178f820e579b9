// Build step (scripts/precompile-templates.mjs): turns a Handlebars template
// into plain JavaScript that appends strings, so a render does not pay for
// Handlebars' general runtime (it was about half of a 1,000-site render).
// The template stays Handlebars: Handlebars.parse reads it (whitespace control
// and standalone lines included) and only the walk over its syntax tree is
// ours. It covers what vygen's templates use: text, {{path}} and {{helper
// args}} (with sub-expressions and literals), #if/#unless/#each/#with with
// {{else}} and {{else if}}, partials (with a context or hash), comments,
// ../ paths and @data (@root, @index, @first, @last, @key). Anything else is
// refused with the template and line, so nothing renders differently unnoticed.
//
// Each template is compiled twice (src/targets/templates.ts picks one): as one
// function, and split, with every long block body a function of its own. V8
// does not optimize a function of more than about 60 KB of bytecode, and the
// router template as one function is larger: it runs unoptimized, which is
// what a one-shot render wants (optimizing costs more than it saves there).
// Split, V8 optimizes its parts once they are hot: faster for a process that
// renders again.
import Handlebars from 'handlebars';

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Expression = hbs.AST.Expression;
type Path = hbs.AST.PathExpression;

export class TemplateCompileError extends Error {}

/** Block helpers the compiler implements itself; a template helper of one of these names is refused. */
export const BUILTIN_BLOCKS = ['if', 'unless', 'each', 'with'] as const;
/** Handlebars built-ins the compiler does not implement. */
const UNSUPPORTED_BUILTINS = new Set(['log', 'lookup', 'helperMissing', 'blockHelperMissing']);

interface Scope {
  /** Variable holding the context. */
  c: string;
  /** Variable holding the data frame. */
  d: string;
  /** Variable holding the depth stack (only when the template uses ../). */
  k: string;
}

/**
 * Every name the prototype of a plain value has. A template's views are plain
 * data built by the targets (object literals, arrays, strings, numbers,
 * booleans), so only such a name (`constructor`, `toString`, `length`,
 * `entries`...) can be found on a prototype instead of the value itself, and
 * only it keeps Handlebars' own-property check. The template comparison
 * (test/template-compiler.test.ts) would show a view that is not plain data.
 */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set([Object, Array, String, Number, Boolean].flatMap((c) => Object.getOwnPropertyNames(c.prototype)));

/** Block bodies of more generated code than this (in characters) are functions of their own in the split form. */
export const SPLIT_BODIES_OVER = 4000;

export interface CompileOptions {
  /** The split form: every block body of more than this many characters of generated code becomes a function of its own. */
  splitOver?: number;
}

/**
 * The source of a factory `function (rt, helpers, partials) { return function (context, data) {...} }`
 * for one template; `name` (a file, or the dialect partial's text) is said in errors.
 */
export function compileTemplate(source: string, name: string, options: CompileOptions = {}): string {
  const ast = Handlebars.parse(source);
  return new Generator(name, usesDepths(ast), options.splitOver ?? Infinity).factory(ast);
}

/** The variable standing for `key` in the factory: a prefix and the number of names made before it. */
function named(names: Map<string, string>, key: string, prefix: string): string {
  let v = names.get(key);
  if (!v) {
    v = `${prefix}${names.size}`;
    names.set(key, v);
  }
  return v;
}

function usesDepths(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as { type?: string; depth?: number; data?: boolean };
  if (n.type === 'PathExpression' && !n.data && (n.depth ?? 0) > 0) return true;
  return Object.values(node).some((v) => (Array.isArray(v) ? v.some(usesDepths) : typeof v === 'object' && usesDepths(v)));
}

class Generator {
  private counter = 0;
  private readonly helperVars = new Map<string, string>();
  /** One lookup function per field name (lax and strict): each keeps its own inline cache, where one shared lookup by a name argument is megamorphic. */
  private readonly getters = new Map<string, string>();
  /** One variable per partial name, holding the partial once the first call has found it. */
  private readonly partialVars = new Map<string, string>();
  /** Each helper call's general path (a helper not marked args-only), as a function of its own. */
  private readonly slowPaths: string[] = [];
  /** The split form's block bodies, each a function of the scope it runs in. */
  private readonly bodies: string[] = [];

  constructor(
    private readonly name: string,
    private readonly depths: boolean,
    private readonly splitOver: number,
  ) {}

  factory(ast: Program): string {
    const root: Scope = { c: 'c0', d: 'd0', k: 'k0' };
    const body = this.program(ast, root, true);
    const helpers = [...this.helperVars].flatMap(([h, v]) => [
      `const ${v} = hasOwn.call(helpers, ${JSON.stringify(h)}) ? helpers[${JSON.stringify(h)}] : undefined;`,
      `const ${v}a = rt.isArgsOnly(${v});`,
    ]);
    const getters = [...this.getters].map(([key, v]) => {
      const [kind, field] = [key[0], key.slice(1)];
      const name = JSON.stringify(field);
      // Handlebars' lookupProperty, written out for one name (rt.p keeps the general case, `constructor` among them).
      // Its own-property check matters only for a name the prototype of a plain value has: for any
      // other name, what a plain object, array or primitive yields is its own (the check was 13 % of the render stage).
      const lax = PROTOTYPE_NAMES.has(field) ? `const v = o[${name}]; return v == null ? v : hasOwn.call(o, ${name}) ? v : undefined;` : `return o[${name}];`;
      return kind === 'p' ? `const ${v} = (o) => { ${lax} };` : `const ${v} = (o, loc) => { if (!o || !(${name} in o)) rt.notDefined(o, ${name}, loc); ${lax} };`;
    });
    return [
      'function (rt, helpers, partials) {',
      'const hasOwn = Object.prototype.hasOwnProperty;',
      ...helpers,
      ...getters,
      ...this.slowPaths,
      ...this.bodies,
      ...[...this.partialVars.values()].map((v) => `let ${v};`),
      'return function (c0, d0) {',
      'd0 = rt.initData(c0, d0);',
      this.depths ? 'const k0 = { v: c0, u: undefined };' : '',
      'let o = "";',
      body,
      'return o;',
      '};',
      '}',
    ].filter((l) => l !== '').join('\n');
  }

  private fail(node: Node, what: string): never {
    const at = node.loc ? `${node.loc.start.line}:${node.loc.start.column + 1}` : '?';
    throw new TemplateCompileError(`${this.where()}:${at}: ${what} is not supported by vygen's template compiler (src/targets/template-compiler.ts)`);
  }

  private where(): string {
    return this.name.includes('\n') || this.name.includes('{{') ? `dialect partial ${JSON.stringify(this.name.slice(0, 40))}` : `templates/${this.name}`;
  }

  private loc(node: Node): string {
    const l = node.loc ? `${node.loc.start.line}:${node.loc.start.column}` : '?';
    return JSON.stringify(`${this.where()} ${l}`);
  }

  private fresh(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  private program(program: Program | undefined, scope: Scope, root = false): string {
    if (!program) return '';
    if (program.blockParams?.length) this.fail(program, 'block parameters (as |x|)');
    const body = program.body.map((s) => this.statement(s, scope)).join('\n');
    if (root || body.length <= this.splitOver) return body;
    // A body reads only its own scope's variables (its context, data frame and depth stack); the rest are the factory's.
    const fn = this.fresh('B');
    const params = [scope.c, scope.d, ...(this.depths ? [scope.k] : [])].join(', ');
    this.bodies.push(`function ${fn}(${params}) {\nlet o = "";\n${body}\nreturn o;\n}`);
    return `o += ${fn}(${params});`;
  }

  private statement(node: hbs.AST.Statement, scope: Scope): string {
    switch (node.type) {
      case 'ContentStatement': {
        const v = (node as hbs.AST.ContentStatement).value;
        return v ? `o += ${JSON.stringify(v)};` : '';
      }
      case 'CommentStatement':
        return '';
      case 'MustacheStatement':
        return this.mustache(node as hbs.AST.MustacheStatement, scope);
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement, scope);
      case 'PartialStatement':
        return this.partial(node as hbs.AST.PartialStatement, scope);
      default:
        return this.fail(node, `a ${node.type}`);
    }
  }

  private mustache(node: hbs.AST.MustacheStatement, scope: Scope): string {
    const v = this.fresh('v');
    return `{ const ${v} = ${this.sexpr(node, scope)}; if (${v} != null) o += ${v}; }`;
  }

  /** A mustache or sub-expression, classified the way Handlebars' compiler does. */
  private sexpr(node: hbs.AST.MustacheStatement | hbs.AST.SubExpression, scope: Scope): string {
    const path = node.path;
    if (path.type !== 'PathExpression') return this.fail(node, `a ${path.type} in place of a name`);
    const p = path as Path;
    const simpleId = p.parts.length === 1 && !p.data && !p.depth && !/^\.|this\b/.test(p.original);
    const hasArgs = node.params.length > 0 || !!node.hash || node.type === 'SubExpression';
    if (simpleId && (BUILTIN_BLOCKS as readonly string[]).includes(p.parts[0]!)) this.fail(node, `{{${p.parts[0]}}} outside a block`);
    if (simpleId && UNSUPPORTED_BUILTINS.has(p.parts[0]!)) this.fail(node, `the built-in helper ${p.parts[0]}`);
    if (node.hash) this.fail(node, 'a hash argument to a helper');
    const self = `(${scope.c} != null ? ${scope.c} : rt.nullContext)`;
    // One options object per call, as Handlebars passes; the hash is never written to, so one frozen empty one serves every call.
    const options = `{ name: ${JSON.stringify(p.original)}, hash: rt.noHash, data: ${scope.d}, loc: ${this.loc(node)} }`;
    if (hasArgs) {
      const fn = simpleId ? `(${this.helper(p.parts[0]!)} || ${this.path(p, scope, true, node)})` : this.path(p, scope, true, node);
      const args = node.params.map((a) => this.expression(a, scope));
      const call = `${fn}.call(${[self, ...args, options].join(', ')})`;
      // A helper marked args-only (rt.argsOnly) reads neither `this` nor the options: no object built per call.
      // The general call is a function of its own, out of the template's: all of vygen's helpers take
      // the short path, and the template's function stays half the size (V8 compiles less before it runs).
      if (!simpleId) return call;
      const slow = this.fresh('X');
      const params = [scope.c, scope.d, ...(this.depths ? [scope.k] : [])].join(', ');
      this.slowPaths.push(`function ${slow}(${params}) { return ${call}; }`);
      return `(${this.helper(p.parts[0]!)}a ? ${this.helper(p.parts[0]!)}(${args.join(', ')}) : ${slow}(${params}))`;
    }
    if (simpleId) {
      // Ambiguous: a helper of that name, else the context's field (called if it is a function).
      return `rt.ambiguous(${this.helper(p.parts[0]!)} || ${this.path(p, scope, true, node)}, ${self}, ${JSON.stringify(p.original)}, ${scope.d}, ${this.loc(node)})`;
    }
    return `rt.lambda(${this.path(p, scope, true, node)}, ${scope.c})`;
  }

  private helper(name: string): string {
    return named(this.helperVars, name, 'H');
  }

  private expression(node: Expression, scope: Scope): string {
    switch (node.type) {
      case 'PathExpression':
        return this.path(node as Path, scope, false, node);
      case 'SubExpression':
        return this.sexpr(node as hbs.AST.SubExpression, scope);
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return JSON.stringify((node as hbs.AST.StringLiteral).value);
      case 'UndefinedLiteral':
        return 'undefined';
      case 'NullLiteral':
        return 'null';
      default:
        return this.fail(node, `a ${node.type}`);
    }
  }

  /** A path's value: intermediate parts through the prototype guard, the last one strict where Handlebars is. */
  private path(p: Path, scope: Scope, strict: boolean, at: Node): string {
    let base: string;
    if (p.data) base = p.depth ? `rt.dataAt(${scope.d}, ${p.depth})` : scope.d;
    else if (p.depth) base = `rt.up(${scope.k}, ${p.depth})`;
    else base = scope.c;
    p.parts.forEach((part, i) => {
      const last = strict && i === p.parts.length - 1;
      if (part === 'constructor') {
        const name = JSON.stringify(part);
        base = last ? `rt.s(${base}, ${name}, ${this.loc(at)})` : `rt.p(${base}, ${name})`;
      } else base = last ? `${this.getter('s', part)}(${base}, ${this.loc(at)})` : `${this.getter('p', part)}(${base})`;
    });
    return base;
  }

  private partialVar(name: string): string {
    return named(this.partialVars, name, 'R');
  }

  private getter(kind: 'p' | 's', name: string): string {
    return named(this.getters, kind + name, kind.toUpperCase());
  }

  /** A new scope for a block run on another context (or on `this`, which Handlebars hands over as the null context for null). */
  private enter(scope: Scope, context: string, lines: string[]): Scope {
    const c = this.fresh('c');
    lines.push(`const ${c} = ${context};`);
    const next: Scope = { c, d: scope.d, k: scope.k };
    if (this.depths) {
      next.k = this.fresh('k');
      lines.push(`const ${next.k} = rt.push(${c}, ${scope.k});`);
    }
    return next;
  }

  private onSelf(program: Program | undefined, scope: Scope): string {
    if (!program || program.body.length === 0) return '';
    const lines: string[] = [];
    const inner = this.enter(scope, `rt.self(${scope.c})`, lines);
    lines.push(this.program(program, inner));
    return lines.join('\n');
  }

  private block(node: hbs.AST.BlockStatement, scope: Scope): string {
    const p = node.path as Path;
    const name = p.type === 'PathExpression' && p.parts.length === 1 && !p.data && !p.depth ? p.parts[0]! : undefined;
    if (!name || !(BUILTIN_BLOCKS as readonly string[]).includes(name)) {
      return this.fail(node, `the block {{#${p.original ?? '?'}}} (only ${BUILTIN_BLOCKS.map((b) => `#${b}`).join(', ')} are)`);
    }
    if (node.hash) this.fail(node, `a hash argument to #${name}`);
    if (node.params.length !== 1) this.fail(node, `#${name} with ${node.params.length} arguments`);
    if (node.program?.blockParams?.length || node.inverse?.blockParams?.length) this.fail(node, 'block parameters (as |x|)');
    const arg = this.expression(node.params[0]!, scope);
    const v = this.fresh('v');
    const lines = [`{ const ${v} = ${arg};`];
    if (name === 'if' || name === 'unless') {
      const [yes, no] = name === 'if' ? [node.program, node.inverse] : [node.inverse, node.program];
      lines.push(`if (rt.truthy(${v}, ${scope.c} != null ? ${scope.c} : rt.nullContext)) {`, this.onSelf(yes, scope), '} else {', this.onSelf(no, scope), '}');
    } else if (name === 'with') {
      const w = this.fresh('w');
      lines.push(`const ${w} = typeof ${v} === "function" ? ${v}.call(rt.self(${scope.c})) : ${v};`, `if (rt.present(${w})) {`);
      const inner: string[] = [];
      const s = this.enter(scope, w, inner);
      lines.push(...inner, this.program(node.program, s), '} else {', this.onSelf(node.inverse, scope), '}');
    } else {
      lines.push(this.each(node, scope, v));
    }
    lines.push('}');
    return lines.join('\n');
  }

  private each(node: hbs.AST.BlockStatement, scope: Scope, v: string): string {
    const [a, l, ks, n, i, k, f] = ['a', 'l', 'ks', 'n', 'i', 'key', 'f'].map((x) => this.fresh(x)) as [string, string, string, string, string, string, string];
    const lines = [
      `const ${a} = typeof ${v} === "function" ? ${v}.call(rt.self(${scope.c})) : ${v};`,
      `const ${l} = rt.list(${a});`,
      `const ${ks} = ${l} === null && ${a} && typeof ${a} === "object" ? Object.keys(${a}) : null;`,
      `const ${n} = ${l} !== null ? ${l}.length : ${ks} !== null ? ${ks}.length : 0;`,
      `const ${f} = rt.eachFrame(${scope.d});`,
      `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
      `if (${l} !== null && !(${i} in ${l})) continue;`,
      `const ${k} = ${l} !== null ? ${i} : ${ks}[${i}];`,
      `${f}.key = ${k}; ${f}.index = ${i}; ${f}.first = ${i} === 0; ${f}.last = ${i} === ${n} - 1;`,
    ];
    const s = this.enter({ ...scope, d: f }, `${l} !== null ? ${l}[${i}] : ${a}[${k}]`, lines);
    lines.push(this.program(node.program, s), '}');
    const otherwise = this.onSelf(node.inverse, scope);
    if (otherwise) lines.push(`if (${n} === 0) {`, otherwise, '}');
    return lines.join('\n');
  }

  private partial(node: hbs.AST.PartialStatement, scope: Scope): string {
    const nameNode = node.name as Node;
    let name: string;
    if (nameNode.type === 'PathExpression') name = (nameNode as Path).original;
    else if (nameNode.type === 'StringLiteral' || nameNode.type === 'NumberLiteral') name = String((nameNode as hbs.AST.StringLiteral).value);
    else return this.fail(node, 'a dynamic partial name');
    if (node.params.length > 1) this.fail(node, 'a partial with more than one context');
    let context = node.params.length ? this.expression(node.params[0]!, scope) : scope.c;
    if (node.hash) {
      const pairs = node.hash.pairs.map((pair) => `${JSON.stringify(pair.key)}: ${this.expression(pair.value, scope)}`);
      // Handlebars' own copy (Utils.extend({}, context, hash)): the same keys in the same order as a spread,
      // without the spread's slow path for keys the context does not have (src/model/extend.ts).
      context = `Object.assign({}, ${context}, { ${pairs.join(', ')} })`;
    }
    const indent = (node as { indent?: string }).indent ?? '';
    // Found once, on the first call: each call site then calls its own partial (a monomorphic call V8 can inline),
    // not one shared function looking every name up (about 115,000 calls in a 1,000-site render).
    const call = `(${this.partialVar(name)} ??= rt.findPartial(partials, ${JSON.stringify(name)}))(${context}, ${scope.d})`;
    return indent ? `o += rt.indented(${call}, ${JSON.stringify(indent)});` : `o += ${call};`;
  }
}
