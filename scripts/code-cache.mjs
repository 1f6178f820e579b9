// Build step, last: V8 code caches for the bundled command line, the bundled
// library and the generated modules (src/load/generated-module.ts). Every
// example is rendered for every release first (by the library's modules, which
// load the generated ones here, and by its bundle), and the command line
// renders one, so the caches hold the functions a render compiles, not only
// each module's top level.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { render as renderByModules, RELEASES } from '../dist/library.js';
import { loadGenerated, writeCodeCaches } from '../dist/load/generated-module.js';
import { splitForm } from '../dist/targets/templates.js';

const { render: renderByBundle } = loadGenerated(new URL('../dist/bundle/index.cjs', import.meta.url));
const render = (text, options) => {
  renderByModules(text, options);
  renderByBundle(text, options);
};

const examples = new URL('../examples/', import.meta.url);
for (const name of readdirSync(examples).sort()) {
  const file = new URL(`${name}/topology.yaml`, examples);
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  for (const release of RELEASES) render(text, { file: `examples/${name}/topology.yaml`, redact: true, release });
  // The templates' split form too, which a process renders with once it has rendered enough (src/targets/templates.ts).
  const after = splitForm.after;
  splitForm.after = 0;
  for (const release of RELEASES) renderByModules(text, { file: `examples/${name}/topology.yaml`, redact: true, release });
  splitForm.after = after;
}

// The command line as `vygen render EXAMPLE --redact` runs it (synchronously), its output dropped.
const argv = process.argv;
const writes = [process.stdout.write, process.stderr.write];
process.argv = [argv[0], 'vygen', 'render', 'examples/inter-region-vpn/topology.yaml', '--redact'];
process.stdout.write = process.stderr.write = () => true;
try {
  loadGenerated(new URL('../dist/bundle/cli.cjs', import.meta.url), { vygenLoadLab: () => import('../dist/lab/index.js') });
} finally {
  [process.stdout.write, process.stderr.write] = writes;
  process.argv = argv;
}
if (process.exitCode) {
  console.error(`code-cache: the bundled command line failed to render the example (exit ${process.exitCode})`);
  process.exit(1);
}

const written = writeCodeCaches();
if (written.length !== 5) {
  console.error(`code-cache: expected the command line, the library, the schema validator and the compiled templates' two forms, got ${written.join(', ') || 'nothing'}`);
  process.exit(1);
}
