// Build step: the command line as one file. Starting `vygen` spent most of its
// time resolving and loading ~80 ES modules (a cold render of the small
// example was 3x `node -e 0`); esbuild joins them into dist/bundle/cli.js and
// dist/cli.js (the published `bin`) only imports it. The library entry
// (dist/index.js, `exports`) is bundled the same way into dist/bundle/index.cjs
// and dist/index.js re-exports it: a program's first render() compiled every
// function of ~80 modules lazily (40 ms of a first 1,000-site render); the
// bundle comes with its code cache. The modules stay in dist/ too (the lab and
// the tests import them). The bundles sit two levels deep
// like every module it replaces, so their paths relative to import.meta.url
// (templates/, schemas/, examples/, package.json, dist/*/...generated.cjs)
// still hold; Handlebars and ajv's full compiler are loaded only through
// createRequire (development fallbacks), so they stay out of it, and so does
// the lab, imported only by `vygen lab`.
import { build } from 'esbuild';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const index = new URL('../dist/index.js', import.meta.url).pathname;

async function bundle(entry, outfile) {
  const source = readFileSync(entry, 'utf8');
  await build({
    stdin: { contents: source.replace(/^#!.*\n/, ''), resolveDir: new URL('../dist/', import.meta.url).pathname, sourcefile: basename(entry), loader: 'js' },
    bundle: true,
    platform: 'node',
    // CommonJS, so that it can be loaded with V8's code cache (src/load/generated-module.ts);
    // import.meta.url is the bundle's own URL, as it was each module's.
    format: 'cjs',
    target: 'node20',
    outfile,
    define: { 'import.meta.url': 'vygenBundleUrl' },
    banner: { js: "const vygenBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
    // The lab (loaded only by `vygen lab`) stays its own modules, beside the bundle, imported by
    // dist/cli.js on the bundle's behalf (src/cli/load-lab.ts).
    plugins: [
      {
        name: 'lab-outside',
        setup(b) {
          b.onResolve({ filter: /^\.\/cli\/load-lab\.js$/ }, () => ({ path: 'load-lab', namespace: 'vygen' }));
          b.onLoad({ filter: /^load-lab$/, namespace: 'vygen' }, () => ({ contents: 'export const loadLab = () => vygenLoadLab();', loader: 'js' }));
        },
      },
    ],
  });
}

await bundle(cli, new URL('../dist/bundle/cli.cjs', import.meta.url).pathname);
writeFileSync(
  cli,
  [
    '#!/usr/bin/env node',
    '// The command line is bundled into one file at build time (scripts/bundle-cli.mjs), loaded with its code cache.',
    "import { loadGenerated } from './load/generated-module.js';",
    "loadGenerated(new URL('./bundle/cli.cjs', import.meta.url), { vygenLoadLab: () => import('./lab/index.js') });",
    '',
  ].join('\n'),
);

const libraryBundle = new URL('../dist/bundle/index.cjs', import.meta.url).pathname;
await bundle(index, libraryBundle);
// The unbundled library stays importable as dist/library.js, for code that sets a module's state and
// then renders (scripts/code-cache.mjs, the template comparison test): the bundle has its own copy of every module.
copyFileSync(index, new URL('../dist/library.js', import.meta.url));
copyFileSync(index.replace(/\.js$/, '.d.ts'), new URL('../dist/library.d.ts', import.meta.url));
// Every export of the library, by name, re-exported from the bundle (an ES module's names are static).
const names = Object.keys(createRequire(import.meta.url)(libraryBundle)).sort();
if (!names.includes('render')) throw new Error('bundle-cli: the library bundle exports no render');
writeFileSync(
  index,
  [
    '// The library is bundled into one file at build time (scripts/bundle-cli.mjs), loaded with its code cache.',
    "import { loadGenerated } from './load/generated-module.js';",
    "const library = loadGenerated(new URL('./bundle/index.cjs', import.meta.url));",
    `export const { ${names.join(', ')} } = library;`,
    '',
  ].join('\n'),
);
