// Every fixture: fixtures/<case>/topology.yaml -> fixtures/<case>/expected/...
// A valid case is rendered (redacted) for each VyOS release into
// expected/<release>/, or as written into expected/ when its fixture.json says
// "releases": "as-written" (mixed-release and LVS-only topologies); with "env"
// it is rendered with those variables instead of redacted. An err-* case must be
// refused, and expected/errors.txt holds the diagnostics exactly as printed.
// A fixture.json "topology" renders an example's topology (no copy to drift).
// Every example is also rendered as written into examples/<name>/expected/.
// A release's directory keeps only the files whose text differs from the
// previous release's (the header's release name aside); the others are named
// in expected/<release>/same-as-<previous>.txt and checked against that
// release's golden (test/helpers/release-goldens.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { render, formatDiagnostics, RELEASES, type Release } from '../dist/index.js';
import { FIXTURES, ROOT, exampleCases, fixtureCases, matchGolden, matchGoldenFile } from './helpers/golden.js';
import { releaseGoldens } from './helpers/release-goldens.js';

interface FixtureConfig {
  releases?: 'as-written' | Release[];
  /** The topology to render, relative to the repository root, instead of the fixture's own. */
  topology?: string;
  /** Render with exactly these environment variables instead of redacting (cases about a secret's value). */
  env?: Record<string, string>;
}

function secretOptions(cfg: FixtureConfig): { redact: boolean; env?: Record<string, string> } {
  return cfg.env ? { redact: false, env: cfg.env } : { redact: true };
}

function config(name: string): FixtureConfig {
  const p = join(FIXTURES, name, 'fixture.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as FixtureConfig) : {};
}

describe('golden fixtures', () => {
  for (const name of exampleCases()) {
    const file = `examples/${name}/topology.yaml`;
    it(`example ${name}: renders its goldens`, () => {
      const result = render(readFileSync(join(ROOT, file), 'utf8'), { file, redact: true });
      expect(result.diagnostics.filter((d) => d.severity === 'error'), formatDiagnostics(result.diagnostics)).to.deep.equal([]);
      const files = new Map(result.files.map((f) => [f.path, f.content]));
      if (result.diagnostics.length > 0) files.set('warnings.txt', formatDiagnostics(result.diagnostics));
      matchGolden(join(ROOT, 'examples', name, 'expected'), files);
    });
  }
  for (const name of fixtureCases()) {
    const own = config(name).topology;
    const file = own ?? `fixtures/${name}/topology.yaml`;
    const text = readFileSync(join(ROOT, file), 'utf8');
    if (name.startsWith('err-')) {
      it(`${name}: refused with the expected diagnostics`, () => {
        const result = render(text, { file, ...secretOptions(config(name)) });
        expect(result.files, 'an invalid topology renders nothing').to.have.length(0);
        expect(result.diagnostics.some((d) => d.severity === 'error'), 'at least one error').to.equal(true);
        matchGolden(join(FIXTURES, name, 'expected'), new Map([['errors.txt', formatDiagnostics(result.diagnostics)]]));
      });
      continue;
    }
    const cfg = config(name);
    // The intents, before any syntax: a change in derivation is reviewable here
    // before it becomes text. Release-independent: rendered as written.
    const intentsJson = (r: ReturnType<typeof render>) => `${JSON.stringify(r.intents, null, 1)}\n`;
    if (cfg.releases !== 'as-written') it(`${name}: derives its intents snapshot`, () => {
      const result = render(text, { file, ...secretOptions(cfg) });
      expect(result.intents, formatDiagnostics(result.diagnostics)).to.not.equal(undefined);
      matchGoldenFile(join(FIXTURES, name, 'expected', 'intents.json'), intentsJson(result));
    });
    const runs: [string, Release | undefined][] =
      cfg.releases === 'as-written' ? [['', undefined]] : (cfg.releases ?? [...RELEASES]).map((r) => [r, r]);
    for (const [dir, release] of runs) {
      it(`${name}${release ? ` (VyOS ${release})` : ''}: renders its goldens`, () => {
        const result = render(text, { file, ...secretOptions(cfg), ...(release ? { release } : {}) });
        expect(result.diagnostics.filter((d) => d.severity === 'error'), formatDiagnostics(result.diagnostics)).to.deep.equal([]);
        let files = new Map(result.files.map((f) => [f.path, f.content]));
        if (dir === '') files.set('intents.json', intentsJson(result));
        if (result.diagnostics.length > 0) files.set('warnings.txt', formatDiagnostics(result.diagnostics));
        if (release) files = releaseGoldens(join(FIXTURES, name, 'expected'), release, files);
        matchGolden(join(FIXTURES, name, 'expected', dir), files);
      });
    }
  }
});
