// Builds topologies for tests: the seed-000 fixture as an object that tests
// edit, and YAML text from such an object.
import { existsSync, readFileSync } from 'node:fs';
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
