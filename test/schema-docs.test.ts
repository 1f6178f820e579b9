// The schema as editors see it (issue 18 item 9): a description on every
// property and definition, a message for every pattern, `vygen schema` equal
// to the shipped file.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '../dist/index.js';
import { ROOT } from './helpers/golden.js';

type Node = Record<string, unknown>;
const SCHEMA_FILE = join(ROOT, 'schemas/topology.schema.json');
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Node;

/** Every subschema with its JSON pointer. */
function* subschemas(n: unknown, path: string): Generator<[string, Node]> {
  if (n === null || typeof n !== 'object' || Array.isArray(n)) return;
  yield [path, n as Node];
  for (const [k, v] of Object.entries(n as Node)) {
    if (k === 'properties' || k === '$defs') for (const [name, sub] of Object.entries(v as Node)) yield* subschemas(sub, `${path}/${k}/${name}`);
    else if (['items', 'additionalProperties', 'propertyNames', 'if', 'then', 'else', 'not'].includes(k)) yield* subschemas(v, `${path}/${k}`);
    else if (['oneOf', 'anyOf', 'allOf'].includes(k)) for (const [i, sub] of (v as unknown[]).entries()) yield* subschemas(sub, `${path}/${k}/${i}`);
  }
}

export function undocumented(s: Node): string[] {
  return [...subschemas(s, '#')].filter(([p, n]) => /\/(properties|\$defs)\/[^/]+$/.test(p) && typeof n.description !== 'string').map(([p]) => p);
}

export function unexplainedPatterns(s: Node): string[] {
  return [...subschemas(s, '#')].filter(([, n]) => typeof n.pattern === 'string' && !/^Expected /.test(String(n.patternErrorMessage ?? ''))).map(([p]) => p);
}

describe('schema for editors', () => {
  it('every property and every definition has a description', () => {
    expect(undocumented(schema)).to.deep.equal([]);
    // The check finds a property without one.
    const planted = structuredClone(schema) as { $defs: { wan: { properties: { gateway: Node } } } };
    delete planted.$defs.wan.properties.gateway.description;
    expect(undocumented(planted as unknown as Node)).to.deep.equal(['#/$defs/wan/properties/gateway']);
  });

  it('every pattern has a message in words (patternErrorMessage, shown by VS Code and yaml-language-server)', () => {
    expect(unexplainedPatterns(schema)).to.deep.equal([]);
    const planted = structuredClone(schema) as { $defs: { ipv4: Node } };
    delete planted.$defs.ipv4.patternErrorMessage;
    expect(unexplainedPatterns(planted as unknown as Node)).to.deep.equal(['#/$defs/ipv4']);
  });

  it('a bad address says what an address looks like, not the regular expression', () => {
    const text = readFileSync(join(ROOT, 'fixtures/seed-000/topology.yaml'), 'utf8').replace('address: 10.0.0.10/24', 'address: 10.0.0.300/24');
    const [d] = validate(text).diagnostics;
    expect(d!.code).to.equal('invalid-value');
    expect(d!.expected).to.equal('an IPv4 address with a prefix length, such as 10.0.1.2/24: four numbers from 0 to 255, then /0 to /32');
    expect(`${d!.message} ${d!.expected}`).to.not.match(/\^|\[0-9\]|\$/);
  });

  it('vygen schema prints the shipped file byte for byte', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'schema'], { encoding: 'utf8' });
    expect(r.status).to.equal(0);
    expect(r.stdout).to.equal(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('the package ships the schema, and the README gives the modeline for an installed vygen', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).to.include('schemas');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).to.include('# yaml-language-server: $schema=node_modules/vygen/schemas/topology.schema.json');
  });
});
