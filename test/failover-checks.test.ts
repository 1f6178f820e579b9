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
    for (const r of ['tokyo-a', 'tokyo-s']) delete doc.sites.tokyo.routers[r].aws.eip_private_address;
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

  describe('issue 13', () => {
    const paths = (doc: Doc, code: string) => diagnose(doc).filter((d) => d.code === code).map((d) => d.path);

    it('a site Elastic IP with per-router public addresses needs a secondary address on each router', () => {
      const doc = fixtureDoc('aws-active-standby');
      delete doc.sites.tokyo.routers['tokyo-s'].aws.eip_private_address;
      const d = diagnose(doc).filter((x) => x.code === 'eip-takes-router-address');
      expect(d.map((x) => x.path)).to.deep.equal(['sites.tokyo.aws.eip']);
      expect(d[0]!.message).to.include("tokyo-s's wan address 10.0.0.11, which holds its own public address 198.51.100.11");
    });

    it('without a public address of its own the router may take the Elastic IP on its wan address', () => {
      const doc = fixtureDoc('aws-active-standby');
      for (const r of ['tokyo-a', 'tokyo-s']) {
        delete doc.sites.tokyo.routers[r].aws.eip_private_address;
        delete doc.sites.tokyo.routers[r].wan.public;
      }
      expect(codes(doc)).to.not.include('eip-takes-router-address');
    });

    it('the secondary address must be in the wan subnet, not the wan address, unique, and not AWS-reserved', () => {
      const doc = fixtureDoc('aws-active-standby');
      doc.sites.tokyo.routers['tokyo-a'].aws.eip_private_address = '10.0.0.10';
      doc.sites.tokyo.routers['tokyo-s'].aws.eip_private_address = '10.9.0.21';
      expect(paths(doc, 'eip-private-address')).to.deep.equal(['sites.tokyo.routers.tokyo-a.aws.eip_private_address', 'sites.tokyo.routers.tokyo-s.aws.eip_private_address']);
      const same = fixtureDoc('aws-active-standby');
      same.sites.tokyo.routers['tokyo-s'].aws.eip_private_address = '10.0.0.20';
      expect(codes(same)).to.include('duplicate-address');
      const reserved = fixtureDoc('aws-active-standby');
      reserved.sites.tokyo.routers['tokyo-s'].aws.eip_private_address = '10.0.0.255';
      expect(paths(reserved, 'aws-reserved-address')).to.deep.equal(['sites.tokyo.routers.tokyo-s.aws.eip_private_address']);
      const unused = fixtureDoc('aws-active-standby');
      delete unused.sites.tokyo.aws.eip;
      expect(codes(unused)).to.include('eip-private-without-eip');
    });

    it('AWS-reserved addresses: the VIP, a router address and a next hop; the VPC router is a fine next hop', () => {
      const doc = fixtureDoc('aws-active-standby');
      doc.sites.tokyo.vrrp.address = '10.0.1.1/24';
      doc.sites.tokyo.routers['tokyo-a'].lan.address = '10.0.1.3/24';
      doc.sites.tokyo.networks.static = [{ prefix: '10.10.0.0/16', via: '10.0.1.2' }];
      expect(paths(doc, 'aws-reserved-address').sort()).to.deep.equal(['sites.tokyo.networks.static[0].via', 'sites.tokyo.routers.tokyo-a.lan.address', 'sites.tokyo.vrrp.address']);
      const viaVip = fixtureDoc('aws-active-standby');
      viaVip.sites.tokyo.networks.static = [{ prefix: '10.10.0.0/16', via: '10.0.1.10' }];
      expect(diagnose(viaVip).find((d) => d.code === 'aws-reserved-address')?.message).to.include("the site's own VRRP address");
      const fine = fixtureDoc('aws-active-standby');
      fine.sites.tokyo.networks.static = [{ prefix: '10.10.0.0/16', via: '10.0.1.1' }];
      expect(codes(fine)).to.deep.equal([]);
    });

    it('the reserved-address check applies to AWS sites and NAT pairs only', () => {
      const onPrem = fixtureDoc('aws-active-standby');
      delete onPrem.sites.tokyo.aws;
      for (const r of ['tokyo-a', 'tokyo-s']) delete onPrem.sites.tokyo.routers[r].aws;
      onPrem.sites.tokyo.vrrp.address = '10.0.1.1/24';
      expect(codes(onPrem)).to.not.include('aws-reserved-address');
      const nat = fixtureDoc('ha-nat');
      nat.nat_pairs['main-vpc'].nodes['nat-a'].wan.address = '10.20.0.3/24';
      expect(paths(nat, 'aws-reserved-address')).to.deep.equal(['nat_pairs.main-vpc.nodes.nat-a.wan.address']);
    });

    it('a two-interface router with one interface named: the other\'s source/dest check cannot be turned off', () => {
      const doc = fixtureDoc('aws-active-standby');
      doc.sites.tokyo.routers['tokyo-a'].aws.lan_eni = 'eni-0a0a0a0a0a0a0a0a1';
      const w = diagnose(doc).filter((d) => d.code === 'source-dest-check-needs-eni');
      expect(w.map((d) => [d.severity, d.path, d.expected])).to.deep.equal([['warning', 'sites.tokyo.routers.tokyo-a.aws', 'aws.wan_eni']]);
      doc.sites.tokyo.routers['tokyo-a'].aws.wan_eni = 'eni-0a0a0a0a0a0a0a0e1';
      expect(codes(doc, 'warning')).to.not.include('source-dest-check-needs-eni');
    });

    it('the two NAT nodes must probe different addresses, and a heartbeat route is moved by one pair only', () => {
      const doc = fixtureDoc('ha-nat');
      doc.nat_pairs['main-vpc'].nodes['nat-b'].heartbeat.probe = '8.8.4.4';
      expect(codes(doc)).to.include('nat-probe-same');
      const shared = fixtureDoc('ha-nat');
      shared.nat_pairs['main-vpc'].nodes['nat-b'].heartbeat.route_table = 'rtb-0a4a4a4a4a4a4a4a4';
      expect(codes(shared)).to.deep.equal(['nat-heartbeat-table-shared']);
    });

    it('a NAT pair named like an AWS site is refused (their setup files would collide)', () => {
      const doc = fixtureDoc('aws-active-standby');
      doc.nat_pairs = { tokyo: fixtureDoc('ha-nat').nat_pairs['main-vpc'] };
      expect(codes(doc)).to.include('duplicate-device');
    });

    it('a cloud site without preempt_delay gets the cloud default; an explicit value or preempt: false wins', () => {
      const files = (doc: Doc) => new Map(render(toYaml(doc), { file: 't.yaml', redact: true }).files.map((f) => [f.path, f.content]));
      const line = (doc: Doc) => files(doc).get('tokyo-a.vyos')!.split('\n').filter((l) => l.includes('preempt'));
      expect(line(fixtureDoc('aws-active-standby'))).to.deep.equal(["set high-availability vrrp group TOKYO-LAN preempt-delay '180'"]);
      const own = fixtureDoc('aws-active-standby');
      own.sites.tokyo.vrrp.preempt_delay = 30;
      expect(line(own)).to.deep.equal(["set high-availability vrrp group TOKYO-LAN preempt-delay '30'"]);
      const off = fixtureDoc('aws-active-standby');
      off.sites.tokyo.vrrp.preempt = false;
      expect(line(off)).to.deep.equal(['set high-availability vrrp group TOKYO-LAN no-preempt']);
    });
  
    describe('failover: route-server (AWS VPC Route Server)', () => {
      const files = (doc: Doc) => new Map(render(toYaml(doc), { file: 't.yaml', redact: true }).files.map((f) => [f.path, f.content]));

      it('every router peers with the endpoints in its subnets over eBGP with BFD; the standby prepends; no script, no policy', () => {
        const out = files(fixtureDoc('aws-route-server'));
        expect([...out.keys()].sort()).to.deep.equal(['tokyo-a.vyos', 'tokyo-s.vyos', 'tokyo.security-groups.json', 'tokyo.source-dest-check.sh']);
        for (const r of ['tokyo-a', 'tokyo-s']) {
          const v = out.get(`${r}.vyos`)!;
          for (const e of ['10.0.1.6', '10.0.1.7']) {
            expect(v, `${r} ${e}`).to.include(`set protocols bgp neighbor ${e} bfd`);
            expect(v, `${r} ${e}`).to.include(`set protocols bgp neighbor ${e} remote-as '65100'`);
          }
        }
        for (const r of ['tokyo-a', 'tokyo-s']) {
          expect(out.get(`${r}.vyos`)).to.include("set protocols bgp neighbor 10.0.1.6 address-family ipv4-unicast route-map export 'RM-TOKYO-TO-VPC'");
          // What the route server reflects back (the site's own networks, a default) is refused.
          expect(out.get(`${r}.vyos`)).to.include("set protocols bgp neighbor 10.0.1.6 address-family ipv4-unicast route-map import 'RM-TOKYO-CLOUD-IN'");
        }
        expect(out.get('tokyo-s.vyos')).to.include("set policy route-map RM-TOKYO-TO-VPC rule 100 set as-path prepend '65000 65000 65000'");
        expect(out.get('tokyo-a.vyos')).to.not.include('as-path prepend');
        const sg = JSON.parse(out.get('tokyo.security-groups.json')!).Nodes['tokyo-a'].IpPermissions.map((p: any) => `${p.IpProtocol} ${p.FromPort} ${p.IpRanges[0].CidrIp}`);
        expect(sg).to.include.members(['tcp 179 10.0.1.6/32', 'udp 3784 10.0.1.6/32', 'tcp 179 10.0.1.7/32', 'udp 3784 10.0.1.7/32']);
      });

      it('bfd: false leaves BFD off', () => {
        const doc = fixtureDoc('aws-route-server');
        doc.sites.tokyo.aws.route_server.bfd = false;
        expect(files(doc).get('tokyo-a.vyos')).to.not.include(' bfd');
      });

      it('refuses what cannot work', () => {
        const missing = fixtureDoc('aws-route-server');
        delete missing.sites.tokyo.aws.route_server;
        expect(codes(missing)).to.deep.equal(['route-server-missing']);
        const unused = fixtureDoc('aws-route-server');
        unused.sites.tokyo.aws.failover = 'none';
        expect(codes(unused)).to.deep.equal(['route-server-unused']);
        const same = fixtureDoc('aws-route-server');
        same.sites.tokyo.aws.route_server.asn = 65000;
        expect(codes(same)).to.deep.equal(['route-server-same-asn']);
        const far = fixtureDoc('aws-route-server');
        far.sites.tokyo.aws.route_server.endpoints = ['10.9.0.6'];
        expect(codes(far)).to.deep.equal(['route-server-unreachable', 'route-server-unreachable']);
        const eip = fixtureDoc('aws-route-server');
        eip.sites.tokyo.aws.eip = 'eipalloc-0123456789abcdef0';
        expect(codes(eip)).to.deep.equal(['route-server-with-eip']);
        const reserved = fixtureDoc('aws-route-server');
        reserved.sites.tokyo.aws.route_server.endpoints = ['10.0.1.2', '10.0.1.7'];
        expect(codes(reserved)).to.deep.equal(['aws-reserved-address']);
      });
    });
  });
});
