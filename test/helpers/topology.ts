// Builds topologies for tests: the seed-000 fixture as an object that tests
// edit, and YAML text from such an object.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { FIXTURES } from './golden.js';

export type Doc = Record<string, any>;

export function fixtureDoc(name: string): Doc {
  // A fixture may render an example's topology (fixture.json "topology").
  const cfg = join(FIXTURES, name, 'fixture.json');
  const own = existsSync(cfg) ? (JSON.parse(readFileSync(cfg, 'utf8')) as { topology?: string }).topology : undefined;
  return yaml.load(readFileSync(own ? join(FIXTURES, '..', own) : join(FIXTURES, name, 'topology.yaml'), 'utf8')) as Doc;
}

export function toYaml(doc: Doc): string {
  return yaml.dump(doc, { lineWidth: 200 });
}

/** Adds a site with one router at index n, linked to `to`. */
export function addSite(doc: Doc, n: number, to: string): string {
  const name = `site${n}`;
  doc.sites[name] = {
    asn: 64600 + n,
    networks: { connected: [`10.${100 + n}.1.0/24`] },
    routers: {
      [`${name}-r`]: {
        role: 'active',
        wan: { interface: 'eth0', address: `10.${100 + n}.0.10/24`, gateway: `10.${100 + n}.0.1` },
        lan: { interface: 'eth1', address: `10.${100 + n}.1.2/24` },
        loopback: `10.254.${n}.1`,
      },
    },
  };
  doc.links.push({ between: [to, `${name}-r`], ipsec: { psk: { env: `PSK_${n}` } } });
  return `${name}-r`;
}

/** The seed-000 fixture with `sites` more sites, each linked to the one before. */
export function grownSeed(sites: number): Doc {
  const doc = fixtureDoc('seed-000');
  let last = 'tokyo-a';
  for (let n = 1; n <= sites; n++) last = addSite(doc, n, last);
  return doc;
}

/** Runs `use` with `doc` written as a topology file in a directory of its own, removed afterwards. */
export function withTopologyFile<T>(doc: Doc, use: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'vygen-topology-'));
  try {
    const file = join(dir, 'topology.yaml');
    writeFileSync(file, toYaml(doc));
    return use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
