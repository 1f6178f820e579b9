// `vygen init`: a starting topology, taken from the examples shipped in the
// package (package.json "files": examples/*/topology.yaml). Each example's
// schema modeline points into this repository; the copy points at an
// installed vygen instead, so an editor finds the schema in the user's project.
import { readdirSync, readFileSync, existsSync } from 'node:fs';

const EXAMPLES = new URL('../../examples/', import.meta.url);
export const DEFAULT_EXAMPLE = 'inter-region-vpn';
export const INSTALLED_SCHEMA = 'node_modules/vygen/schemas/topology.schema.json';

/** The examples that hold a topology, sorted. */
export function exampleNames(): string[] {
  let names: string[];
  try {
    names = readdirSync(EXAMPLES);
  } catch {
    return [];
  }
  return names.filter((n) => existsSync(new URL(`${n}/topology.yaml`, EXAMPLES))).sort();
}

/** The first sentence of the example's header comment, for `init --list`. */
export function exampleSummary(name: string): string {
  const lines = readFileSync(new URL(`${name}/topology.yaml`, EXAMPLES), 'utf8').split('\n');
  const comment = lines
    .filter((l) => l.startsWith('#') && !l.includes('yaml-language-server'))
    .map((l) => l.replace(/^#\s?/, ''))
    .join(' ')
    .trim();
  const sentence = comment.replace(/^Seed \d+( with [^:]+)?:\s*/, '').split(/(?<=\.)\s/)[0] ?? '';
  return sentence.length > 100 ? `${sentence.slice(0, 99)}…` : sentence;
}

/**
 * The example's topology as a user's starting file named `target`; `schema`
 * is the modeline's path, relative to the file (default: an installed vygen
 * beside it).
 */
export function starterTopology(name: string, target: string, schema = INSTALLED_SCHEMA): string {
  const text = readFileSync(new URL(`${name}/topology.yaml`, EXAMPLES), 'utf8');
  return text.replace('$schema=../../schemas/topology.schema.json', `$schema=${schema}`).replaceAll(`examples/${name}/topology.yaml`, target);
}
