// The shape of src/: no import cycles (type imports count: they couple
// modules as much as value imports do), a pipeline that names no feature, and
// a Layout page (docs/layout.md) that lists every folder of src/.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers/golden.js';

const SRC = join(ROOT, 'src');

function sources(dir = SRC): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\b[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Relative imports of every source file, as paths of source files. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT)) deps.push(resolve(dirname(f), m[1]!).replace(/\.js$/, '.ts'));
    graph.set(f, deps.filter((d) => d.endsWith('.ts')));
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the list of files around it. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

describe('architecture', () => {
  it('src/ has no import cycle', () => {
    const cycles = findCycles(importGraph(sources())).map((c) => c.map((f) => relative(SRC, f)).join(' -> '));
    expect(cycles).to.deep.equal([]);
  });

  it('the cycle check finds a planted cycle', () => {
    const g = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(findCycles(g)).to.deep.equal([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('the pipeline names no feature: it runs the registry', () => {
    const text = readFileSync(join(SRC, 'pipeline.ts'), 'utf8');
    const features = readdirSync(join(SRC, 'features')).filter((n) => statSync(join(SRC, 'features', n)).isDirectory());
    expect(features.length).to.be.greaterThan(5);
    const imports = [...text.matchAll(IMPORT)].map((m) => m[1]!);
    expect(imports.filter((i) => i.startsWith('./features/') && !['./features/registry.js', './features/feature.js'].includes(i))).to.deep.equal([]);
    const code = text.replace(/\/\/.*$/gm, '');
    for (const f of features) expect(code.includes(`'${f}'`) || new RegExp(`\\b${f.replace(/-/g, '[-_]?')}\\b`, 'i').test(code.replace(/features\//g, '')), f).to.equal(false);
  });

  // Features attach their parts to the core types by module augmentation from
  // their own folders; a core type that imports a feature would make every
  // feature depend on it.
  const coreImportingFeatures = (graph: ReadonlyMap<string, readonly string[]>) =>
    [...graph].flatMap(([f, deps]) => (relative(SRC, f).startsWith('model/') ? deps.filter((d) => relative(SRC, d).startsWith('features/')).map((d) => `${relative(SRC, f)} -> ${relative(SRC, d)}`) : []));

  it('the core model (src/model/) imports no feature', () => {
    expect(coreImportingFeatures(importGraph(sources()))).to.deep.equal([]);
  });

  it('the core-model check finds a planted import of a feature', () => {
    const g = new Map([[join(SRC, 'model/topology.ts'), [join(SRC, 'features/vrrp/model.ts')]]]);
    expect(coreImportingFeatures(g)).to.deep.equal(['model/topology.ts -> features/vrrp/model.ts']);
  });

  it('the Layout page (docs/layout.md) lists every folder of src/', () => {
    const section = readFileSync(join(ROOT, 'docs', 'layout.md'), 'utf8');
    const folders = (dir: string): string[] =>
      readdirSync(dir).sort().flatMap((n) => (statSync(join(dir, n)).isDirectory() ? [relative(ROOT, join(dir, n)), ...folders(join(dir, n))] : []));
    const missing = folders(SRC).filter((f) => !section.includes(`${f}/`));
    expect(missing, 'folders of src/ not in docs/layout.md').to.deep.equal([]);
  });
});
