// Golden files: compare generated files with fixtures/<case>/expected/...,
// byte for byte. UPDATE_GOLDEN=1 rewrites them instead (refused under CI=true,
// so CI can never pass by regenerating what it should be checking).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'chai';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const FIXTURES = join(ROOT, 'fixtures');

export const UPDATE = process.env.UPDATE_GOLDEN === '1';
if (UPDATE && process.env.CI === 'true') {
  throw new Error('UPDATE_GOLDEN=1 is refused when CI=true: goldens are rewritten by a developer and reviewed, never by CI');
}

export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** Asserts that `dir` holds exactly `files`; with UPDATE_GOLDEN=1 makes it so. */
export function matchGolden(dir: string, files: ReadonlyMap<string, string>): void {
  if (UPDATE) {
    rmSync(dir, { recursive: true, force: true });
    for (const [path, content] of files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return;
  }
  expect(listFiles(dir), `files in ${relative(ROOT, dir)} (run UPDATE_GOLDEN=1 npm test to accept a change)`).to.deep.equal([...files.keys()].sort());
  for (const [path, content] of files) {
    const expected = readFileSync(join(dir, path), 'utf8');
    expect(content, `${relative(ROOT, join(dir, path))} differs from what vygen renders now`).to.equal(expected);
  }
}

/** One golden file; with UPDATE_GOLDEN=1 writes it. */
export function matchGoldenFile(path: string, content: string): void {
  if (UPDATE) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return;
  }
  expect(existsSync(path), `${relative(ROOT, path)} is missing (run UPDATE_GOLDEN=1 npm test to accept a change)`).to.equal(true);
  expect(content, `${relative(ROOT, path)} differs from what vygen derives now`).to.equal(readFileSync(path, 'utf8'));
}

export function fixtureCases(): string[] {
  return readdirSync(FIXTURES)
    .filter((n) => existsSync(join(FIXTURES, n, 'topology.yaml')) || existsSync(join(FIXTURES, n, 'fixture.json')))
    .sort();
}

export function exampleCases(): string[] {
  return readdirSync(join(ROOT, 'examples'))
    .filter((n) => existsSync(join(ROOT, 'examples', n, 'topology.yaml')))
    .sort();
}
