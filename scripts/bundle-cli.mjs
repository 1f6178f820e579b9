// Build step: the command line as one file. Starting `vygen` spent most of its
// time resolving and loading ~80 ES modules (a cold render of the small
// example was 3x `node -e 0`); esbuild joins them into dist/bundle/cli.js and
// dist/cli.js (the published `bin`) only imports it. The library entry
// (dist/index.js, `exports`) stays unbundled. The bundle sits two levels deep
// like every module it replaces, so their paths relative to import.meta.url
// (templates/, schemas/, examples/, package.json, dist/*/...generated.cjs)
// still hold; Handlebars and ajv's full compiler are loaded only through
// createRequire (development fallbacks), so they stay out of it, and so does
// the lab, imported only by `vygen lab`.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const bundle = new URL('../dist/bundle/cli.cjs', import.meta.url).pathname;
const source = readFileSync(cli, 'utf8');
await build({
  stdin: { contents: source.replace(/^#!.*\n/, ''), resolveDir: new URL('../dist/', import.meta.url).pathname, sourcefile: 'cli.js', loader: 'js' },
  bundle: true,
  platform: 'node',
  // CommonJS, so that it can be loaded with V8's code cache (src/load/generated-module.ts);
  // import.meta.url is the bundle's own URL, as it was each module's.
  format: 'cjs',
  target: 'node20',
  outfile: bundle,
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
