// Where a router is rendered, no object literal spreads a value and then adds
// a key that value does not have: on Node 20 such a copy takes about 600 ns
// and leaves garbage that outlives two scavenges (src/model/extend.ts;
// test/render-promotion.test.ts measures what a render leaves behind). Read
// from the source with TypeScript's own checker: a key counts as present
// where the spread value's type has it, optional or not, so a key that is
// optional and absent at run time is not found here (the measurement finds
// it where a fixture renders it). The compiled templates are generated code:
// the measurement covers them.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from './helpers/golden.js';

/** The code that runs for every router in every render. */
const RENDER_PATH = ['src/targets/', 'src/features/vyos/'];

/** Every key a value of type `t` may have: each member's of a union, each constituent's. */
function keysOf(checker: ts.TypeChecker, t: ts.Type): string[] {
  if (t.isUnion()) return t.types.flatMap((m) => keysOf(checker, m));
  return checker.getPropertiesOfType(checker.getApparentType(t)).map((p) => p.name);
}

function nameOf(p: ts.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return undefined; // a computed key: not known here
}

/** `file:line: key` for each key added after a spread to an object the spread's value has no such key in. */
export function spreadsThenNewKeys(program: ts.Program, files: readonly ts.SourceFile[]): string[] {
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const props = node.properties;
        const first = props.findIndex((p) => ts.isSpreadAssignment(p));
        if (first >= 0) {
          // What the first spread's value surely has: a union's common keys.
          const have = new Set(checker.getPropertiesOfType(checker.getApparentType(checker.getTypeAtLocation((props[first] as ts.SpreadAssignment).expression))).map((p) => p.name));
          for (const p of props.slice(first + 1)) {
            const added = ts.isSpreadAssignment(p) ? keysOf(checker, checker.getTypeAtLocation(p.expression)) : [nameOf(p)];
            for (const key of added) {
              if (key === undefined || have.has(key)) continue;
              const { line } = file.getLineAndCharacterOfPosition(p.getStart(file));
              found.push(`${relative(ROOT, file.fileName)}:${line + 1}: ${key}`);
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

function programOf(tsconfig: string): ts.Program {
  const config = ts.readConfigFile(tsconfig, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, join(tsconfig, '..'));
  return ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
}

describe('the render path copies no object by a spread and then adds a key', function () {
  this.timeout(60_000);

  it('finds none in src/targets/ and the VyOS target', () => {
    const program = programOf(join(ROOT, 'tsconfig.json'));
    const files = program.getSourceFiles().filter((f) => RENDER_PATH.some((d) => relative(ROOT, f.fileName).startsWith(d)));
    expect(files.length, 'render-path files read').to.be.greaterThan(10);
    expect(spreadsThenNewKeys(program, files)).to.deep.equal([]);
  });

  it('finds planted ones: a key after a spread, and a conditional spread that adds one; not a key the value has', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vygen-spreads-'));
    try {
      const file = join(dir, 'planted.ts');
      writeFileSync(
        file,
        [
          'interface A { x: number; y?: number }',
          'export const added = (a: A) => ({ ...a, z: 1 });',
          "export const conditional = (a: A, c: boolean) => ({ ...a, ...(c ? { w: 1 } : {}) });",
          'export const overridden = (a: A) => ({ ...a, x: 2, y: 3 });',
          'export const generic = <T extends A>(t: T) => ({ ...t, v: 1 });',
          '',
        ].join('\n'),
      );
      const program = ts.createProgram([file], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022 });
      const found = spreadsThenNewKeys(program, [program.getSourceFile(file)!]).map((f) => f.replace(/^.*planted\.ts:/, ''));
      expect(found).to.deep.equal(['2: z', '3: w', '5: v']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
