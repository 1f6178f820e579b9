// Handlebars templates for every target. `npm run build` compiles each
// template file and each dialect partial (scripts/precompile-templates.mjs)
// into plain string-appending functions (template-compiler.ts), so a render
// loads no Handlebars at all; it also keeps Handlebars' own precompiled specs,
// which the comparison below (and a build without the compiled module, while
// developing) renders with. Each template runs as one function until the
// process's earlier renders have run it `splitForm.after` times, then in its
// split form.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { HelperDelegate } from 'handlebars';
import * as rt from './template-runtime.js';
import { loadGenerated } from '../load/generated-module.js';

type TemplateSpecification = Parameters<typeof import('handlebars').template>[0];

const require = createRequire(import.meta.url);
const TEMPLATES = new URL('../../templates/', import.meta.url);
// Spelled from the package root, so the paths hold in the bundled CLI too (scripts/bundle-cli.mjs).
const PRECOMPILED = new URL('../../dist/targets/templates.generated.cjs', import.meta.url);
const COMPILED = new URL('../../dist/targets/templates.compiled.cjs', import.meta.url);
const SPLIT = new URL('../../dist/targets/templates.split.cjs', import.meta.url);

/** Compile options every vygen template uses: no HTML escaping, missing fields are errors. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

interface Precompiled {
  /** Template file (relative to templates/) or partial source text -> precompiled spec. */
  specs: Record<string, TemplateSpecification>;
}

type Runtime = typeof import('handlebars');
let precompiled: Precompiled | null | undefined;

function loadPrecompiled(): Precompiled | null {
  if (precompiled === undefined) {
    try {
      precompiled = require(PRECOMPILED.pathname) as Precompiled;
    } catch {
      precompiled = null;
    }
  }
  return precompiled;
}

type Factory = (runtime: typeof rt, helpers: Readonly<Record<string, HelperDelegate>>, partials: Readonly<Record<string, rt.Compiled>>) => rt.Compiled;
type CompiledModule = { factories: Record<string, Factory> };
const compiledModules = new Map<URL, CompiledModule | null>();

function loadCompiled(url: URL): CompiledModule | null {
  let m = compiledModules.get(url);
  if (m === undefined) {
    try {
      m = loadGenerated(url) as CompiledModule;
    } catch {
      m = null;
    }
    compiledModules.set(url, m);
  }
  return m;
}

/**
 * When a template switches to its split form (template-compiler.ts): at the
 * start of a render (newRender), once the process's earlier renders have run it
 * this many times. The one-function form runs unoptimized, which suits a
 * one-shot render: the split form made a cold 1,000-site render 2.5 % slower,
 * and switching within one 45–75 ms slower. A process that renders again
 * gains (renders after the first of 1,000 sites about 10 % faster). So a single
 * render, the command line's, never switches; 2,000 is one 1,000-site render's
 * routers. The build sets it to 0 to put the split form in its code cache.
 */
export const splitForm = { after: 2000 };

let renderCount = 0;

/** A topology's render starts (src/pipeline.ts): the point where a template may switch to its split form. */
export function newRender(): void {
  renderCount++;
}

export type Render = (view: unknown) => string;

export interface TemplateMismatch {
  template: string;
  /** Which compiled form differs: 'one function' or 'split'. */
  form: string;
  compiled: string;
  handlebars: string;
}

/**
 * While `enabled`, every render also runs the template with Handlebars and
 * records any difference (output, or one of them throwing): the proof that the
 * compiled templates are byte-identical (test/template-compiler.test.ts).
 */
export const templateComparison = {
  enabled: false,
  /** Renders compared, by template file. */
  renders: new Map<string, number>(),
  mismatches: [] as TemplateMismatch[],
};

/**
 * A template with its own helpers and partials (one environment per call, so
 * two dialects never share a partial name). `file` is relative to templates/.
 */
export function loadTemplate(
  file: string,
  partials: Readonly<Record<string, string>>,
  helpers: Readonly<Record<string, HelperDelegate>>,
  /** Partials kept in their own template files (relative to templates/), by partial name. */
  partialFiles: Readonly<Record<string, string>> = {},
): Render {
  const compiled = loadCompiled(COMPILED);
  if (!compiled) return handlebarsTemplate(file, partials, helpers, partialFiles);
  rt.checkHelpers(helpers);
  const whole = instantiate(compiled, file, partials, helpers, partialFiles);
  // Made on the switch: a one-shot render never loads the split form's module.
  let split: rt.Compiled | undefined;
  const splitOne = (): rt.Compiled => {
    if (split) return split;
    const m = loadCompiled(SPLIT);
    if (!m) throw new Error('internal error: dist/targets/templates.split.cjs is missing (run npm run build)');
    return (split = instantiate(m, file, partials, helpers, partialFiles));
  };
  let runs = 0;
  let runsBefore = 0;
  let seen = renderCount;
  let reference: Render | undefined;
  return (view) => {
    if (seen !== renderCount) {
      seen = renderCount;
      runsBefore = runs;
    }
    runs++;
    if (!templateComparison.enabled) return runsBefore < splitForm.after ? whole(view) : splitOne()(view);
    reference ??= handlebarsTemplate(file, partials, helpers, partialFiles);
    return compare(file, [['one function', () => whole(view)], ['split', () => splitOne()(view)]], () => reference!(view));
  };
}

/** A compiled module's template with its own partials (one environment per call, as with Handlebars). */
function instantiate(
  compiled: CompiledModule,
  file: string,
  partials: Readonly<Record<string, string>>,
  helpers: Readonly<Record<string, HelperDelegate>>,
  partialFiles: Readonly<Record<string, string>>,
): rt.Compiled {
  const registered: Record<string, rt.Compiled> = {};
  const make = (key: string): rt.Compiled => {
    const factory = compiled.factories[key];
    if (!factory) throw new Error(`internal error: no compiled template for ${key.slice(0, 60)} (run npm run build)`);
    return factory(rt, helpers, registered);
  };
  for (const [name, body] of Object.entries(partials)) registered[name] = make(body);
  for (const [name, f] of Object.entries(partialFiles)) registered[name] = make(f);
  return make(file);
}

/** Every compiled form's output (or error) against Handlebars'; the first form's is returned. */
function compare(file: string, forms: readonly [string, () => string][], reference: () => string): string {
  const run = (f: () => string): { out: string } | { error: unknown } => {
    try {
      return { out: f() };
    } catch (error) {
      return { error };
    }
  };
  const b = run(reference);
  const said = (r: typeof b) => ('out' in r ? r.out : `throws: ${String(r.error)}`);
  const { renders, mismatches } = templateComparison;
  renders.set(file, (renders.get(file) ?? 0) + 1);
  const results = forms.map(([form, f]) => {
    const a = run(f);
    if ('out' in a !== 'out' in b || ('out' in a && 'out' in b && a.out !== b.out)) mismatches.push({ template: file, form, compiled: said(a), handlebars: said(b) });
    return a;
  });
  const first = results[0]!;
  if ('error' in first) throw first.error;
  return first.out;
}

/** The template rendered by Handlebars (its precompiled specs, or compiled from the source while developing). */
function handlebarsTemplate(
  file: string,
  partials: Readonly<Record<string, string>>,
  helpers: Readonly<Record<string, HelperDelegate>>,
  partialFiles: Readonly<Record<string, string>>,
): Render {
  const pre = loadPrecompiled();
  const hb: Runtime = (pre ? require('handlebars/runtime') : require('handlebars')).create();
  for (const [name, fn] of Object.entries(helpers)) hb.registerHelper(name, fn);
  const build = (key: string, source: () => string): Render => {
    const spec = pre?.specs[key];
    return spec ? hb.template(spec) : hb.compile(source(), COMPILE_OPTIONS);
  };
  for (const [name, body] of Object.entries(partials)) hb.registerPartial(name, build(body, () => body));
  for (const [name, f] of Object.entries(partialFiles)) hb.registerPartial(name, build(f, () => readFileSync(new URL(f, TEMPLATES), 'utf8')));
  return build(file, () => readFileSync(new URL(file, TEMPLATES), 'utf8'));
}

/** Every template file below templates/, for the precompile step. */
export function templateFiles(): string[] {
  const { readdirSync, statSync } = require('node:fs') as typeof import('node:fs');
  const out: string[] = [];
  const walk = (dir: URL, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const url = new URL(name, dir);
      if (statSync(url).isDirectory()) walk(new URL(`${name}/`, dir), `${prefix}${name}/`);
      else if (name.endsWith('.hbs')) out.push(`${prefix}${name}`);
    }
  };
  walk(TEMPLATES, '');
  return out;
}
