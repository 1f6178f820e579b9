// The compiled templates (src/targets/template-compiler.ts, run instead of
// Handlebars) must render exactly what Handlebars renders. Two proofs: every
// fixture and example rendered with both, compared byte for byte (every
// template file must be exercised); and small templates over the edge cases of
// Handlebars' semantics (empty lists, 0, objects in #each, @data, ../, partial
// indentation, strict lookups), where both must agree, errors included. Both
// compiled forms, one function and split, are held to this. A construct the
// compiler does not implement is refused, naming template and line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import Handlebars from 'handlebars';
// The library's modules, not its bundle (dist/index.js): the comparison is switched on in this templates module.
import { render, RELEASES } from '../dist/library.js';
import { COMPILE_OPTIONS, templateComparison, templateFiles } from '../dist/targets/templates.js';
import { compileTemplate, TemplateCompileError, type CompileOptions } from '../dist/targets/template-compiler.js';
import * as rt from '../dist/targets/template-runtime.js';
import { FIXTURES, ROOT, exampleCases, fixtureCases } from './helpers/golden.js';

type Helpers = Record<string, (...args: any[]) => unknown>;

function compiled(source: string, helpers: Helpers = {}, partials: Record<string, string> = {}, options: CompileOptions = {}): (view: unknown) => string {
  const make = (src: string, name: string) => new Function(`return ${compileTemplate(src, name, options)}`)() as (r: typeof rt, h: Helpers, p: Record<string, rt.Compiled>) => rt.Compiled;
  const registered: Record<string, rt.Compiled> = {};
  for (const [name, body] of Object.entries(partials)) registered[name] = make(body, `partial-${name}.hbs`)(rt, helpers, registered);
  const fn = make(source, 'case.hbs')(rt, helpers, registered);
  return (view) => fn(view);
}

function handlebars(source: string, helpers: Helpers = {}, partials: Record<string, string> = {}): (view: unknown) => string {
  const hb = Handlebars.create();
  for (const [name, fn] of Object.entries(helpers)) hb.registerHelper(name, fn);
  for (const [name, body] of Object.entries(partials)) hb.registerPartial(name, hb.compile(body, COMPILE_OPTIONS));
  const template = hb.compile(source, COMPILE_OPTIONS);
  // Named so that Handlebars denies them without its once-per-name console warning.
  const quiet = { allowedProtoProperties: { length: false }, allowedProtoMethods: { toString: false, valueOf: false, hasOwnProperty: false, entries: false, concat: false, toFixed: false, at: false } };
  return (view) => template(view, quiet);
}

function outcome(f: () => string): string {
  try {
    return `ok:${JSON.stringify(f())}`;
  } catch {
    return 'throws';
  }
}

const HELPERS: Helpers = {
  q: (v: unknown) => `'${String(v)}'`,
  has: (v: unknown) => v !== undefined && v !== null,
  pair: (a: unknown, b: unknown) => `${String(a)}/${String(b)}`,
};

// Each case: a template, the views to render it over, and partials.
const CASES: { name: string; source: string; views: unknown[]; partials?: Record<string, string> }[] = [
  {
    name: 'if / else if / else and #unless over every kind of false',
    source: '{{#if a}}\nA {{a}}\n{{else if b}}\nB\n{{else}}\nneither\n{{/if}}\n{{#unless a}}\nnot a\n{{/unless}}\n',
    views: [{ a: 1, b: 0 }, { a: 0, b: 1 }, { a: '', b: [] }, { a: [], b: [0] }, { a: null, b: 'x' }, { a: false, b: undefined }, { a: {}, b: 1 }, { a: 'x', b: 1 }],
  },
  {
    name: '#each over arrays, objects, empty lists, with @index @first @last @key and {{else}}',
    source: '{{#each list}}\n{{@index}} {{@key}} {{@first}} {{@last}} {{this}}\n{{else}}\nempty\n{{/each}}\n',
    views: [{ list: ['a', 'b', 'c'] }, { list: [] }, { list: { x: 1, y: 2 } }, { list: {} }, { list: 0 }, { list: null }, { list: [0, '', null] }, { list: new Set(['s', 't']) }],
  },
  {
    name: '../ paths through #each, #if and #with',
    source: '{{#each outer}}\n{{#each inner}}\n{{q ../name}} {{q ../../top}} {{q this}}\n{{#if ../flag}}\nflag of {{../name}}\n{{/if}}\n{{/each}}\n{{#with sub}}\n{{q ../name}}: {{q v}}\n{{/with}}\n{{/each}}\n',
    views: [
      { top: 'T', outer: [{ name: 'o1', flag: true, inner: ['x', 'y'], sub: { v: 1 } }, { name: 'o2', flag: false, inner: [], sub: null }] },
      { top: 'T', outer: [{ name: 'o1', flag: 1, inner: [{ k: 1 }], sub: 0 }] },
    ],
  },
  {
    name: 'helpers with sub-expressions and literals, @root, nested paths',
    source: '{{#if (has x)}}\nx {{q x}} {{pair "lit" 3}} {{pair @root.r.s y.z}}\n{{/if}}\n{{#each items}}\n{{q @root.r.s}} {{pair @index this.v}}\n{{/each}}\n',
    views: [{ x: 0, y: { z: 'z' }, r: { s: 'S' }, items: [{ v: 1 }, { v: 2 }] }, { x: null, y: { z: 1 }, r: { s: 2 }, items: [] }],
  },
  {
    name: 'partials: standalone with indentation, a hash, a context, partials calling partials',
    source: 'start\n  {{> row}}\n{{#each rows}}\n{{> row kind="r"}}\n{{/each}}\n{{> inner sub}}\nend\n',
    partials: { row: '{{#if kind}}{{kind}} {{/if}}row {{q name}}\nsecond line\n', inner: 'inner {{> leaf}}\n', leaf: '{{q v}}' },
    views: [{ name: 'top', kind: '', rows: [{ name: 'a' }, { name: 'b', kind: 'x' }], sub: { v: 'V' } }],
  },
  {
    // Each call site keeps the partial it found: one that is missing fails on every call, not only the first.
    name: 'a missing partial is an error where it is called, on every render; a found one is called from each site',
    source: '{{#each list}}\n{{#if this}}\n{{> row}}\n{{else}}\n{{> nope}}\n{{/if}}\n{{/each}}\n',
    views: [{ list: [1, 2] }, { list: [1, 0] }, { list: [0] }, { list: [3] }],
    partials: { row: 'row {{this}}\n' },
  },
  {
    name: 'strict mode: a missing field in a mustache is an error, in an #if it is false',
    source: '{{#if missing}}\nno\n{{/if}}\n{{present}} {{nested.field}}\n',
    views: [{ present: 'p', nested: { field: 'f' } }, { present: 'p', nested: {} }, { nested: { field: 1 } }, { present: 1 }],
  },
  {
    name: 'inherited properties are not read (Handlebars prototype access rules), lambdas are called',
    source: '{{#if toString}}\ninherited\n{{/if}}\n{{#each list}}\n{{length}}\n{{/each}}\n{{fn}}\n',
    views: [{ list: ['ab', [1, 2]], fn: () => 'called' }, { list: [Object.create({ length: 3 })], fn: 'plain' }],
  },
  {
    // Names a plain value's prototype has keep the own-property check; any other name is read directly.
    name: "a plain value's prototype names (an object's, an array's, a string's, a number's) are not read",
    source: '{{#each list}}\n[{{valueOf}}|{{hasOwnProperty}}|{{entries}}|{{concat}}|{{toFixed}}|{{at}}|{{size}}]\n{{/each}}\n',
    views: [{ list: [{}, [1], 'ab', 7, true, { entries: 'own', at: 1, size: 2 }, ['x']] }],
  },
  {
    name: 'whitespace control and comments',
    source: '{{! a comment }}\na   {{~q x~}}   b\n{{!-- long --}}\n  {{#if x}}  \nindented\n  {{/if}}\n',
    views: [{ x: 1 }, { x: 0 }],
  },
];

describe('compiled templates', () => {
  describe('render every fixture and example exactly as Handlebars does', () => {
    before(() => {
      templateComparison.enabled = true;
      templateComparison.renders.clear();
      templateComparison.mismatches.length = 0;
    });
    after(() => {
      templateComparison.enabled = false;
    });

    it('every topology, every release: no difference', function () {
      this.timeout(300_000);
      const topologies = [
        ...exampleCases().map((n) => `examples/${n}/topology.yaml`),
        ...fixtureCases().map((n) => {
          const cfg = join(FIXTURES, n, 'fixture.json');
          const own = existsSync(cfg) ? (JSON.parse(readFileSync(cfg, 'utf8')) as { topology?: string }).topology : undefined;
          return own ?? `fixtures/${n}/topology.yaml`;
        }),
      ];
      for (const file of topologies) {
        const text = readFileSync(join(ROOT, file), 'utf8');
        for (const release of [undefined, ...RELEASES]) render(text, { file, redact: true, ...(release ? { release } : {}) });
      }
      const first = templateComparison.mismatches[0];
      expect(first && `${first.template}\n--- compiled (${first.form})\n${first.compiled}\n--- handlebars\n${first.handlebars}`, `${templateComparison.mismatches.length} renders differ`).to.equal(undefined);
      const unexercised = templateFiles().filter((f) => !f.startsWith('vyos/partials/') && !templateComparison.renders.get(f));
      expect(unexercised, 'templates no fixture renders').to.deep.equal([]);
    });
  });

  // Split at every block body (splitOver 0): each case's nesting then crosses function boundaries.
  for (const [form, options] of [['one function', {}], ['split', { splitOver: 0 }]] as const) {
    describe(`agree with Handlebars on its edge cases (${form})`, () => {
      for (const c of CASES) {
        it(c.name, () => {
          const ours = compiled(c.source, HELPERS, c.partials, options);
          const theirs = handlebars(c.source, HELPERS, c.partials);
          for (const view of c.views) expect(outcome(() => ours(view)), JSON.stringify(view)).to.equal(outcome(() => theirs(view)));
        });
      }
    });
  }

  describe('a render starts in the split form once earlier renders in the process ran the template splitForm.after times', () => {
    // A fresh process each: the split form's module is loaded only on the switch, and a module stays loaded.
    const run = (after: number, renders: number) => {
      const script = `
        import { createHash } from 'node:crypto';
        import { readFileSync } from 'node:fs';
        import { render } from ${JSON.stringify(join(ROOT, 'dist/library.js'))};
        import { splitForm } from ${JSON.stringify(join(ROOT, 'dist/targets/templates.js'))};
        import { cacheUse } from ${JSON.stringify(join(ROOT, 'dist/load/generated-module.js'))};
        splitForm.after = ${after};
        const text = readFileSync(${JSON.stringify(join(ROOT, 'examples/inter-region-vpn/topology.yaml'))}, 'utf8');
        const hash = createHash('sha256');
        for (let i = 0; i < ${renders}; i++) {
          const r = render(text, { file: 'topology.yaml', redact: true });
          for (const f of r.files) hash.update(JSON.stringify([f.path, f.content]));
        }
        process.stdout.write(JSON.stringify({ hash: hash.digest('hex'), split: [...cacheUse.keys()].some((f) => f.endsWith('templates.split.cjs')) }));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: ROOT });
      expect(r.status, r.stderr).to.equal(0);
      return JSON.parse(r.stdout) as { hash: string; split: boolean };
    };

    it('one render never switches, however many routers it renders (the command line)', () => {
      expect(run(1, 1).split).to.equal(false);
    });

    it('the next render switches, and renders the same bytes', () => {
      const whole = run(1_000_000, 3);
      const switched = run(1, 3);
      expect(whole.split, 'the split form before the switch').to.equal(false);
      expect(switched.split, 'the split form after the switch').to.equal(true);
      expect(switched.hash).to.equal(whole.hash);
    });
  });

  describe('refuse what they do not implement, naming template and line', () => {
    const refusals: [string, string, RegExp][] = [
      ['a custom block helper', 'x\n{{#custom a}}b{{/custom}}', /templates\/bad\.hbs:2:1: the block \{\{#custom\}\}/],
      ['block parameters', '{{#each a as |item|}}{{item}}{{/each}}', /bad\.hbs:1:1: block parameters/],
      ['a hash on #if', '{{#if a includeZero=true}}x{{/if}}', /bad\.hbs:1:1: a hash argument to #if/],
      ['a hash on a helper', '\n\n{{q a k=1}}', /bad\.hbs:3:1: a hash argument to a helper/],
      ['a dynamic partial', '{{> (name)}}', /bad\.hbs:1:1: a dynamic partial name/],
      ['a partial block', '{{#> layout}}x{{/layout}}', /bad\.hbs:1:1: a PartialBlockStatement/],
      ['a decorator', '{{* deco}}', /bad\.hbs:1:1: a Decorator/],
      ['the lookup built-in', '{{lookup a b}}', /bad\.hbs:1:1: the built-in helper lookup/],
      ['a section on a field', '{{#list}}x{{/list}}', /bad\.hbs:1:1: the block \{\{#list\}\}/],
    ];
    for (const [what, source, message] of refusals) {
      it(what, () => {
        expect(() => compileTemplate(source, 'bad.hbs')).to.throw(TemplateCompileError, message);
      });
    }
    it('a helper named like a block the compiled templates implement', () => {
      expect(() => rt.checkHelpers({ if: () => '' })).to.throw(/may not be named if/);
    });
  });
});
