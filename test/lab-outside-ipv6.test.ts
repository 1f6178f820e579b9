// `vygen lab` with BGP peers outside the topology over IPv6
// (fixtures/router-config-outside-ipv6): an upstream on the WAN over IPv6
// beside one over IPv4, an iBGP partner on the LAN over IPv6, and a cloud
// gateway behind a tunnel with an IPv4 and an IPv6 session, each modelled as
// a namespace speaking the session's family (the gateway announcing a test
// network of each family). Planted: the IPv6 nexthop-self toward the partner
// removed (the partner holds the gateway's IPv6 network with a next hop it
// cannot resolve, named), and the IPv6 upstream's address-family node removed
// (the router then offers it IPv4 only: no IPv6 reaches it, named). The
// plan's modelled peers are checked without root. The labs of this file run
// at the same time; each test awaits its own. Skipped loudly where the lab
// cannot run; required when CI=true.
import { expect } from 'chai';
import { missingPrerequisites, prepare, type LabReport } from '../dist/lab/index.js';
import { lab, plant, renderedTopology, requireLab } from './helpers/lab.js';

const LAB_TIMEOUT = 240000;
const files = renderedTopology('fixtures/router-config-outside-ipv6/topology.yaml');
const quick = { scenarios: false, ipsec: false };
const noNexthopSelf6 = plant(files, 'edge.vyos', (t) => t.replace(/^set protocols bgp neighbor 2001:db8:5::3 address-family ipv6-unicast nexthop-self\n/m, ''));
const upstreamNotIpv6 = plant(files, 'edge.vyos', (t) => t.replace(/^set protocols bgp neighbor 2001:db8::1 address-family ipv6-unicast\n/m, ''));

type Runs = Record<'control' | 'noNexthopSelf6' | 'upstreamNotIpv6', Promise<LabReport>>;
let runs: Runs | undefined;

describe('vygen lab: IPv6 peers outside the topology (plan, no root)', function () {
  it('models each outside neighbor in its own family: the IPv6 upstream and partner on their LANs, the gateway with a network of each family', function () {
    const { plan, report } = prepare({ source: 'outside-ipv6', files, fail: [], scenarios: false, progress: () => {} });
    expect(report.problems).to.deep.equal([]);
    const node = (name: string) => plan!.nodes.find((n) => n.name === name)!;
    expect(node('peer-as64500-2').ifaces[0]!.addresses).to.deep.equal(['2001:db8::1/64']);
    // The IPv6 upstream joins the bridge the IPv4 one is on: one WAN segment.
    expect(node('peer-as64500-2').ifaces[0]!.medium).to.equal(node('peer-as64500-1').ifaces[0]!.medium);
    expect(node('peer-as64500-2').config.bgpd).to.match(/ bgp router-id 198\.19\.254\.\d+\n/);
    expect(node('peer-as64500-2').config.bgpd).to.include(' address-family ipv6 unicast\n  neighbor 2001:db8::10 activate\n');
    expect(node('peer-as65010').config.bgpd).to.include(' neighbor 2001:db8:5::2 remote-as 65010\n');
    const gw = node('gw-as65020');
    expect(gw.ifaces.find((i) => i.name === 'vpc0')!.addresses).to.deep.equal(['198.18.0.1/24', '2001:2::1/64']);
    expect(gw.config.bgpd).to.include(' address-family ipv6 unicast\n  network 2001:2::/64\n  neighbor fd00:7::1 activate\n');
    expect(plan!.origins.map((o) => o.prefix)).to.include.members(['198.18.0.0/24', '2001:2::/64']);
  });
});

describe('vygen lab: IPv6 peers outside the topology (real FRR)', function () {
  this.timeout(LAB_TIMEOUT);
  before(function () {
    if (missingPrerequisites()) return;
    runs = {
      control: lab('router-config-outside-ipv6', files, quick),
      noNexthopSelf6: lab('router-config-outside-ipv6, no IPv6 nexthop-self toward the partner', noNexthopSelf6, quick),
      upstreamNotIpv6: lab('router-config-outside-ipv6, the IPv6 upstream without its address-family', upstreamNotIpv6, quick),
    };
    for (const p of Object.values(runs)) p.catch(() => {});
  });

  it('as rendered: every IPv6 session to an outside peer Established from both ends, the gateway\'s IPv6 network reached through the router', async function () {
    requireLab(this);
    const report = await runs!.control;
    expect(report.problems, report.problems.join('\n')).to.deep.equal([]);
    expect(report.sessions).to.deep.include({ router: 'edge', neighbor: '2001:db8::1', peer: 'peer-as64500-2', state: 'Established' });
    expect(report.sessions).to.deep.include({ router: 'peer-as64500-2', neighbor: '2001:db8::10', peer: 'edge', state: 'Established' });
    expect(report.sessions).to.deep.include({ router: 'edge', neighbor: '2001:db8:5::3', peer: 'peer-as65010', state: 'Established' });
    expect(report.sessions).to.deep.include({ router: 'gw-as65020', neighbor: 'fd00:7::1', peer: 'edge', state: 'Established' });
    expect(report.routes).to.deep.include({ router: 'peer-as65010', prefix: '2001:2::/64', via: ['peer-as65010', 'edge', 'gw-as65020'] });
    expect(report.routes).to.deep.include({ router: 'peer-as64500-2', prefix: '2001:2::/64', via: ['peer-as64500-2', 'edge', 'gw-as65020'] });
    expect(report.routes).to.deep.include({ router: 'gw-as65020', prefix: '2001:db8:5::/64', via: ['gw-as65020', 'edge'] });
  });

  it('planted: no IPv6 nexthop-self toward the iBGP partner -> the partner cannot use the gateway\'s IPv6 network, named with its next hop', async function () {
    requireLab(this);
    const report = await runs!.noNexthopSelf6;
    expect(report.ok).to.equal(false);
    const text = report.problems.join('\n');
    expect(text).to.match(/peer-as65010 does not reach 2001:2::\/64 \(cloud-as65020\): peer-as65010 has no route to 2001:2::\/64 \(cloud-as65020\): its BGP path from edge has next hop fd00:7::, which peer-as65010 cannot resolve/);
    expect(text).to.not.match(/198\.18|10\.0\.5/);
  });

  it('planted: the IPv6 upstream without its address-family node -> nothing of IPv6 reaches it, named; IPv4 unaffected', async function () {
    requireLab(this);
    const report = await runs!.upstreamNotIpv6;
    expect(report.ok).to.equal(false);
    const text = report.problems.join('\n');
    expect(text).to.match(/session edge → peer-as64500-2 \(2001:db8::1\) is \w+: edge activates the session in IPv4, peer-as64500-2 in IPv6: no address family in common/);
    expect(text).to.match(/peer-as64500-2 does not reach 2001:db8:5::\/64 \(edge\)/);
    expect(text).to.not.match(/peer-as64500-1|peer-as65010/);
  });
});
