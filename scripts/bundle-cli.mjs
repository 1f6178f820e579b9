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
import { asciiSource } from './ascii-source.mjs';

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const index = new URL('../dist/index.js', import.meta.url).pathname;
// Builtins loaded on the first call of a function, with every function of theirs the bundle calls.
const ON_FIRST_CALL = { child_process: ['spawn', 'spawnSync'] };

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
    // esbuild escapes what is not ASCII in the code; asciiSource (below) the rest, in comments.
    charset: 'ascii',
    // The lab (loaded only by `vygen lab`) stays its own modules, beside the bundle, imported by
    // dist/cli.js on the bundle's behalf (src/cli/load-lab.ts).
    plugins: [
      {
        // A builtin that only some commands use is loaded on the first call of one of its
        // functions: node:child_process (git for `diff --base` and for a render directory's
        // recovery, commander's executable subcommands, which vygen has none of) pulls in net,
        // dgram, streams and more, about 6 ms of every start.
        name: 'builtins-on-first-call',
        setup(b) {
          b.onResolve({ filter: /^(node:)?[a-z_]+$/ }, (a) => {
            if (a.namespace === 'vygen-on-first-call') return undefined; // its own require: the builtin
            const name = a.path.replace(/^node:/, '');
            return ON_FIRST_CALL[name] ? { path: name, namespace: 'vygen-on-first-call' } : undefined;
          });
          b.onLoad({ filter: /.*/, namespace: 'vygen-on-first-call' }, (a) => ({
            // An import of any other name fails the build (esbuild: no matching export), and a
            // required module's other names are undefined: the list is every function the bundle calls.
            contents: [`let m;`, `const get = () => (m ??= require(${JSON.stringify(`node:${a.path}`)}));`, ...ON_FIRST_CALL[a.path].map((f) => `export const ${f} = (...args) => get().${f}(...args);`)].join('\n'),
            loader: 'js',
          }));
        },
      },
      {
        name: 'lab-outside',
        setup(b) {
          b.onResolve({ filter: /^\.\/cli\/load-lab\.js$/ }, () => ({ path: 'load-lab', namespace: 'vygen' }));
          b.onLoad({ filter: /^load-lab$/, namespace: 'vygen' }, () => ({ contents: 'export const loadLab = () => vygenLoadLab();', loader: 'js' }));
        },
      },
    ],
  });
  writeFileSync(outfile, asciiSource(readFileSync(outfile, 'utf8'), `bundle-cli: ${basename(outfile)}`));
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
