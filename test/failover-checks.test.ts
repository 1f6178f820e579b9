// What the schema lets through but a failover, Serf or NAT watch script
// cannot take: each check refuses (or warns about) the topology at the line
// to edit, and the valid fixtures pass them.
import { expect } from 'chai';
import { render, validate } from '../dist/index.js';
import { fixtureDoc, toYaml, type Doc } from './helpers/topology.js';

function diagnose(doc: Doc) {
  return validate(toYaml(doc), { file: 'topology.yaml', redact: true }).diagnostics;
}
const codes = (doc: Doc, severity: 'error' | 'warning' = 'error') => diagnose(doc).filter((d) => d.severity === severity).map((d) => d.code);

describe('failover checks', () => {
  it('the fixtures pass (aws-active-standby only warns about the interfaces)', () => {
    expect(codes(fixtureDoc('inter-region-vpn-serf'), 'error')).to.deep.equal([]);
    expect(codes(fixtureDoc('inter-region-vpn-serf'), 'warning')).to.deep.equal([]);
    expect(codes(fixtureDoc('ha-nat'), 'error')).to.deep.equal([]);
    expect(codes(fixtureDoc('aws-active-standby'), 'error')).to.deep.equal([]);
    expect(codes(fixtureDoc('aws-active-standby'), 'warning')).to.deep.equal(['failover-needs-eni', 'failover-needs-eni']);
  });

  it('failover: vrrp in a site without VRRP is refused', () => {
    const doc = fixtureDoc('inter-region-vpn-serf');
    doc.sites.tokyo.aws.failover = 'vrrp';
    const d = diagnose(doc).find((x) => x.code === 'failover-vrrp-without-vrrp');
    expect(d?.path).to.equal('sites.tokyo.aws.failover');
  });

  it('Serf needs a second router, and a lan on each', () => {
    const one = fixtureDoc('inter-region-vpn-serf');
    delete one.sites.tokyo.routers['tokyo-s'];
    one.links = one.links.filter((l: { between: string[] }) => !l.between.includes('tokyo-s'));
    expect(codes(one)).to.include('serf-needs-peer');
    const noLan = fixtureDoc('inter-region-vpn-serf');
    delete noLan.sites.osaka.routers['osaka-s'].lan;
    delete noLan.sites.osaka.routers['osaka-s'].aws.lan_eni;
    const d = diagnose(noLan).find((x) => x.code === 'serf-needs-lan');
    expect(d?.path).to.equal('sites.osaka.routers.osaka-s');
  });

  it('a destination with host bits is refused (AWS would be)', () => {
    const doc = fixtureDoc('aws-active-standby');
    doc.sites.tokyo.aws.destinations = ['172.31.5.0/16'];
    const d = diagnose(doc).find((x) => x.code === 'not-a-network');
    expect(d?.path).to.equal('sites.tokyo.aws.destinations[0]');
    expect(d?.hint).to.include('172.31.0.0/16');
  });

  it('a route two sites would move is refused', () => {
    const doc = fixtureDoc('inter-region-vpn-serf');
    doc.sites.osaka.aws.route_tables = ['rtb-0a1b2c3d4e5f60718'];
    doc.sites.osaka.aws.destinations = ['10.1.1.0/24'];
    doc.sites.tokyo.aws.destinations = ['10.1.1.0/24'];
    const d = diagnose(doc).find((x) => x.code === 'route-moved-twice');
    expect(d?.message).to.equal('10.1.1.0/24 in route table rtb-0a1b2c3d4e5f60718 is moved by site osaka and by site tokyo');
    expect(d?.path).to.equal('sites.osaka.aws.route_tables[0]');
    // Different destinations in one table are fine.
    doc.sites.osaka.aws.destinations = ['10.0.1.0/24'];
    expect(codes(doc)).to.not.include('route-moved-twice');
  });

  it('a default route a site and a NAT pair would both move is refused', () => {
    const doc = fixtureDoc('aws-active-standby');
    doc.sites.tokyo.aws.destinations = ['0.0.0.0/0'];
    doc.nat_pairs = fixtureDoc('ha-nat').nat_pairs;
    doc.nat_pairs['main-vpc'].nodes['nat-a'].route_tables = ['rtb-0a1b2c3d4e5f60718'];
    expect(codes(doc)).to.include('route-moved-twice');
  });

  it('a NAT node may not share its name with an LVS director (both write <name>.sysctl.conf)', () => {
    const doc = fixtureDoc('ha-nat');
    doc.lvs = fixtureDoc('lvs-seed-004').lvs;
    const nodes = doc.nat_pairs['main-vpc'].nodes;
    nodes.lb = nodes['nat-b'];
    delete nodes['nat-b'];
    const d = diagnose(doc).find((x) => x.code === 'duplicate-device');
    expect(d?.path).to.equal('nat_pairs.main-vpc.nodes.lb');
  });

  it('warns when there is nothing to move', () => {
    const doc = fixtureDoc('aws-active-standby');
    delete doc.sites.tokyo.aws.route_tables;
    delete doc.sites.tokyo.aws.eip;
    expect(codes(doc, 'warning')).to.include('failover-nothing-to-move');
  });

  it('the interface warning names only what is missing, and goes when the ids are given', () => {
    const doc = fixtureDoc('aws-active-standby');
    doc.sites.tokyo.routers['tokyo-a'].aws.lan_eni = 'eni-0a0a0a0a0a0a0a0a1';
    const warn = diagnose(doc).filter((d) => d.code === 'failover-needs-eni');
    expect(warn.map((d) => d.expected)).to.deep.equal(['aws.wan_eni (the Elastic IP is associated with it)', 'aws.lan_eni (the route tables point at it) and aws.wan_eni (the Elastic IP is associated with it)']);
    doc.sites.tokyo.routers['tokyo-a'].aws.wan_eni = 'eni-0e0e0e0e0e0e0e0e1';
    doc.sites.tokyo.routers['tokyo-s'].aws.lan_eni = 'eni-0b0b0b0b0b0b0b0b2';
    doc.sites.tokyo.routers['tokyo-s'].aws.wan_eni = 'eni-0e0e0e0e0e0e0e0e2';
    expect(codes(doc, 'warning')).to.deep.equal([]);
  });

  it('a router of a failover site without an instance id renders nothing', () => {
    const doc = fixtureDoc('inter-region-vpn-serf');
    delete doc.sites.tokyo.routers['tokyo-s'].aws;
    const result = render(toYaml(doc), { file: 'topology.yaml', redact: true });
    expect(result.files).to.deep.equal([]);
    expect(result.diagnostics.map((d) => d.code)).to.include('failover-needs-instance');
  });

  it('the schema refuses an interface id that is not one', () => {
    const doc = fixtureDoc('inter-region-vpn-serf');
    doc.sites.tokyo.routers['tokyo-a'].aws.lan_eni = "eni-0a'; reboot";
    expect(codes(doc).length).to.be.greaterThan(0);
    expect(render(toYaml(doc), { file: 'topology.yaml', redact: true }).files).to.deep.equal([]);
  });
});
