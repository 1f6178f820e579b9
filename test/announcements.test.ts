// Networks announced by two sites (issue 18 item 6); the fixture
// err-announced-overlap holds every diagnostic, these are the cases around it.
import { expect } from 'chai';
import { validate } from '../dist/index.js';
import { fixtureDoc, toYaml, type Doc } from './helpers/topology.js';

const codes = (doc: Doc) => validate(toYaml(doc)).diagnostics.map((d) => `${d.severity} ${d.code} ${d.path}`);

describe('announced networks across sites', () => {
  it("a connected /16 in one site and another site's announced LAN inside it is an error (not only connected-not-on-router)", () => {
    const doc = fixtureDoc('seed-000');
    doc.sites.tokyo.networks.connected = ['10.0.1.0/24', '10.1.0.0/16'];
    expect(codes(doc)).to.include('error announced-overlap sites.osaka.networks.connected[0]');
  });

  it('the same network in two sites is an error, connected or static', () => {
    const doc = fixtureDoc('seed-000');
    doc.sites.osaka.networks.static.push({ prefix: '10.0.1.0/24', via: '10.1.1.1' });
    expect(codes(doc)).to.include('error announced-overlap sites.osaka.networks.static[1].prefix');
    const twice = fixtureDoc('seed-000');
    twice.sites.osaka.networks.static[0].prefix = '10.10.0.0/16';
    expect(codes(twice).filter((c) => c.startsWith('error'))).to.deep.equal(['error announced-overlap sites.osaka.networks.static[0].prefix']);
  });

  it('a prefix listed in more_specifics inside another site\'s network is a warning, and the topology renders', () => {
    const doc = fixtureDoc('seed-000');
    // Tokyo announces an aggregate; Osaka's LAN was carved out of it.
    doc.sites.tokyo.networks.static.push({ prefix: '10.1.0.0/16', via: '10.0.1.1' });
    doc.sites.osaka.networks.more_specifics = ['10.1.1.0/24'];
    delete doc.defaults.ipsec;
    const all = codes(doc);
    expect(all.filter((c) => !c.startsWith('warning connected-not-on-router'))).to.deep.equal(['warning announced-more-specific sites.osaka.networks.connected[0]']);
    // Without the mark the same plan is refused.
    delete doc.sites.osaka.networks.more_specifics;
    expect(codes(doc).filter((c) => c.startsWith('error'))).to.deep.equal([
      'error announced-overlap sites.osaka.networks.connected[0]',
      'error overlapping-subnets sites.osaka.routers.osaka-s.lan.address',
    ]);
  });

  it('sites that announce disjoint networks, and overlaps inside one site, are not this check\'s concern', () => {
    const doc = fixtureDoc('seed-000');
    doc.sites.tokyo.networks.static.push({ prefix: '10.10.5.0/24', via: '10.0.1.1' });
    expect(codes(doc).filter((c) => c.includes('announced'))).to.deep.equal([]);
  });
});
