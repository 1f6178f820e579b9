// Handlebars templates for every target. `npm run build` precompiles each
// template file and each dialect partial (scripts/precompile-templates.mjs),
// so a render needs only the small Handlebars runtime: loading the compiler
// took most of a cold `vygen render`. Without the precompiled module (while
// developing) the compiler is loaded on demand.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { HelperDelegate } from 'handlebars';

type TemplateSpecification = Parameters<typeof import('handlebars').template>[0];

const require = createRequire(import.meta.url);
const TEMPLATES = new URL('../../templates/', import.meta.url);
const PRECOMPILED = new URL('./templates.generated.cjs', import.meta.url);

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

export type Render = (view: unknown) => string;

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
