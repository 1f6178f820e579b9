// The derived routing policy, on a model of BGP over the intents (the routing
// lab checks the same with the real daemon): exports announce only what a
// site originates, so when a region's active hub fails every other region
// reaches it through its own standby's direct tunnel, never through a third
// region; a planted "everything to everyone" policy shows the detour.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, type RouterIntent } from '../dist/index.js';
import { converge } from './helpers/bgp-sim.js';
import { ROOT } from './helpers/golden.js';

const HUB = 'examples/multi-region-hub/topology.yaml';
const intentsOf = (file: string): RouterIntent[] => {
  const r = render(readFileSync(join(ROOT, file), 'utf8'), { file, redact: true });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
  return r.intents!.routers;
};

/** The routers of hub sites other than tokyo-hub, and the ASNs of the Tokyo region. */
function setting(intents: RouterIntent[]) {
  const tokyoRegion = new Set(intents.filter((i) => i.site!.startsWith('tokyo')).map((i) => i.bgp!.asn));
  const otherHubs = intents.filter((i) => i.site!.endsWith('-hub') && i.site !== 'tokyo-hub');
  return { tokyoRegion, otherHubs, prefix: '10.10.1.0/24' };
}

function detours(intents: RouterIntent[], down: Set<string>): string[] {
  const { tokyoRegion, otherHubs, prefix } = setting(intents);
  const best = converge(intents, down);
  const out: string[] = [];
  for (const h of otherHubs) {
    const r = best.get(h.name)?.get(prefix);
    if (!r) out.push(`${h.name}: no route to ${prefix}`);
    else if (r.asPath.some((a) => !tokyoRegion.has(a))) out.push(`${h.name}: ${prefix} via AS path ${r.asPath.join(' ')} (${r.via.join(' > ')})`);
  }
  return out;
}

describe('derived routing policy', () => {
  it('every eBGP session vygen derives exports through a route-map ending in an explicit deny (or to a hub\'s own spokes)', () => {
    for (const i of intentsOf(HUB)) {
      for (const n of i.bgp!.neighbors.filter((x) => x.kind === 'ebgp')) {
        const map = i.routeMaps.find((m) => m.name === n.routeMapExport);
        expect(map, `${i.name} -> ${n.address}`).to.not.equal(undefined);
        const last = [...map!.rules].sort((a, b) => a.number - b.number).at(-1)!;
        expect(last.action === 'deny' || map!.name.endsWith('-TO-SPOKES'), `${i.name} ${map!.name}`).to.equal(true);
      }
    }
  });

  it('with both hubs up, other regions reach Tokyo over the active hubs\' link', () => {
    const intents = intentsOf(HUB);
    const best = converge(intents);
    for (const h of setting(intents).otherHubs.filter((i) => i.role === 'active')) {
      const r = best.get(h.name)!.get('10.10.1.0/24')!;
      expect(r.via[0], h.name).to.equal('tokyo-hub-a');
    }
    expect(detours(intents, new Set())).to.deep.equal([]);
  });

  it('with tokyo-hub-a down, every other region reaches Tokyo through its own standby, not a third region', () => {
    const intents = intentsOf(HUB);
    expect(detours(intents, new Set(['tokyo-hub-a']))).to.deep.equal([]);
    const best = converge(intents, new Set(['tokyo-hub-a']));
    for (const h of setting(intents).otherHubs.filter((i) => i.role === 'active')) {
      const r = best.get(h.name)!.get('10.10.1.0/24')!;
      expect(r.via.slice(0, 2), h.name).to.deep.equal([h.name.replace(/-a$/, '-s'), 'tokyo-hub-s']);
    }
  });

  it('planted defect: exporting everything to everyone (the old default) makes the detour appear', () => {
    const intents = intentsOf(HUB);
    for (const i of intents) {
      i.routeMaps = i.routeMaps.map((m) => (m.name.endsWith('-OUT') ? { ...m, rules: [{ number: 10, action: 'permit', ...(m.rules[0]?.prepend ? { prepend: m.rules[0].prepend } : {}) }] } : m));
    }
    expect(detours(intents, new Set(['tokyo-hub-a']))).to.not.deep.equal([]);
  });

  it('a cloud gateway session filters what it imports and bounds it', () => {
    const intents = intentsOf('examples/aws-active-standby/topology.yaml');
    const cloud = intents.flatMap((i) => i.bgp!.neighbors.filter((n) => n.peer?.kind === 'cloud').map((n) => ({ i, n })));
    expect(cloud.length).to.be.greaterThan(0);
    for (const { i, n } of cloud) {
      expect(n.maximumPrefix, `${i.name} ${n.address}`).to.equal(100);
      const map = i.routeMaps.find((m) => m.name === n.routeMapImport)!;
      expect(map.rules.filter((r) => r.action === 'deny').map((r) => r.matchPrefixList)).to.include('PL-DEFAULT-ROUTE');
    }
  });

  it('warns when a site would announce more networks over a VPN connection than AWS accepts (100)', () => {
    const file = 'fixtures/cloud-pins/topology.yaml';
    const text = readFileSync(join(ROOT, file), 'utf8');
    const many = Array.from({ length: 101 }, (_, i) => `10.${100 + Math.floor(i / 200)}.${i % 200}.0/24`).join(', ');
    const codes = (t: string) => render(t, { file, redact: true }).diagnostics.map((d) => d.code);
    expect(codes(text)).to.not.include('aws-route-limit');
    expect(codes(text.replace('connected: [10.0.2.0/24]', `connected: [10.0.2.0/24, ${many}]`))).to.include('aws-route-limit');
  });
});
