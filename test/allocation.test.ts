// Allocation stability: what a router already runs must not be renumbered by
// an unrelated addition (a link or a site appended to the topology).
import { expect } from 'chai';
import { render } from '../dist/index.js';
import { addSite, fixtureDoc, toYaml, type Doc } from './helpers/topology.js';

function renderDoc(doc: Doc): Map<string, string[]> {
  const result = render(toYaml(doc), { file: 'topology.yaml', redact: true });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
  return new Map(result.files.map((f) => [f.device, f.content.split('\n').filter((l) => l.startsWith('set '))]));
}

function expectKept(before: Map<string, string[]>, after: Map<string, string[]>): void {
  for (const [router, lines] of before) {
    const now = new Set(after.get(router));
    const lost = lines.filter((l) => !now.has(l));
    expect(lost, `lines of ${router} changed by an unrelated addition`).to.deep.equal([]);
  }
}

describe('allocation stability', () => {
  it('appending a link keeps every existing line of every router', () => {
    const doc = fixtureDoc('seed-000');
    const before = renderDoc(doc);
    doc.links.push({ between: ['tokyo-a', 'osaka-s'], ipsec: { psk: { env: 'PSK_X' } } });
    const after = renderDoc(doc);
    expectKept(before, after);
    expect(after.get('tokyo-a')!.some((l) => l.includes('interfaces tunnel tun2 address'))).to.equal(true);
  });

  it('adding sites (anywhere in the sites map) keeps every existing line', () => {
    const doc = fixtureDoc('seed-000');
    const before = renderDoc(doc);
    // Put the new site first in the map: site order must not matter.
    const sites = doc.sites;
    doc.sites = {};
    addSite(doc, 1, 'tokyo-a');
    Object.assign(doc.sites, sites);
    addSite(doc, 2, 'osaka-a');
    expectKept(before, renderDoc(doc));
  });

  it('a pinned id survives the removal of an earlier link', () => {
    const doc = fixtureDoc('seed-000');
    doc.links[1].id = 1;
    const before = renderDoc(doc).get('tokyo-s')!;
    doc.links.splice(0, 1);
    const after = renderDoc(doc).get('tokyo-s')!;
    expect(after).to.deep.equal(before);
  });

  it('unpinned links take the lowest number no pinned link holds, in list order', () => {
    const doc = fixtureDoc('seed-000');
    doc.links[0].id = 0;
    doc.links[1].id = 2;
    addSite(doc, 3, 'tokyo-a');
    const files = renderDoc(doc);
    expect(files.get('site3-r')!.filter((l) => /tunnel tun\d+ address/.test(l))).to.deep.equal(["set interfaces tunnel tun1 address '172.16.0.6/30'"]);
  });
});

describe('hub mesh allocation', () => {
  const spoke = (doc: Doc, name: string, n: number) => {
    doc.sites[name] = {
      asn: 65400 + n,
      routers: {
        [`${name}-r`]: {
          role: 'active',
          wan: { interface: 'eth0', address: `10.${200 + n}.0.10/24`, gateway: `10.${200 + n}.0.1` },
          lan: { interface: 'eth1', address: `10.${200 + n}.1.2/24` },
          loopback: `10.253.${n}.1`,
        },
      },
    };
  };

  it('a spoke added to the first region and a region appended keep every existing line', () => {
    const doc = fixtureDoc('multi-region-hub');
    const before = renderDoc(doc);
    spoke(doc, 'tokyo-dev', 1);
    doc.hub_mesh.regions[0].spokes.push('tokyo-dev');
    spoke(doc, 'osaka-hub', 2);
    doc.hub_mesh.regions.push({ hub: 'osaka-hub' });
    const after = renderDoc(doc);
    expectKept(before, after);
    // The new spoke is dual-homed to both Tokyo hubs; the new one-router hub
    // meets both routers of each of the six hubs.
    expect(after.get('tokyo-dev-r')!.filter((l) => /^set interfaces tunnel tun\d+ address/.test(l))).to.have.length(2);
    expect(after.get('osaka-hub-r')!.filter((l) => /^set interfaces tunnel tun\d+ address/.test(l))).to.have.length(12);
  });
});
