// The library's entry (dist/index.js, the package's `exports`) is a bundle
// loaded with its code cache (scripts/bundle-cli.mjs); its export list is
// written at build time. These check that it exports what the library's
// modules do, and that importing it runs the bundle, not the modules.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import * as entry from '../dist/index.js';
import * as modules from '../dist/library.js';
import { ROOT } from './helpers/golden.js';

describe('the bundled library entry', () => {
  it('exports every name the library exports, and nothing else', () => {
    expect(Object.keys(entry).sort()).to.deep.equal(Object.keys(modules).sort());
    expect(Object.keys(entry)).to.include.members(['render', 'validate', 'secrets', 'diffTopologies', 'WriteError']);
  });

  it('renders as the modules do', () => {
    const text = readFileSync(join(ROOT, 'examples/inter-region-vpn/topology.yaml'), 'utf8');
    const a = entry.render(text, { file: 'x.yaml', redact: true });
    const b = modules.render(text, { file: 'x.yaml', redact: true });
    expect(a.diagnostics.map((d) => d.message)).to.deep.equal(b.diagnostics.map((d) => d.message));
    expect(a.files.length).to.be.greaterThan(2);
    expect(a.files.map((f) => [f.path, f.content])).to.deep.equal(b.files.map((f) => [f.path, f.content]));
  });

  it('importing it loads the bundle from its code cache, not the modules', () => {
    const script = `
      await import(${JSON.stringify(join(ROOT, 'dist/index.js'))});
      const { cacheUse } = await import(${JSON.stringify(join(ROOT, 'dist/load/generated-module.js'))});
      process.stdout.write(JSON.stringify(Object.fromEntries(cacheUse)));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ [join(ROOT, 'dist/bundle/index.cjs')]: 'used' });
  });
});
