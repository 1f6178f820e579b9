// BGP sessions carrying the other address family, run by the real FRR
// (fixtures/router-config-other-family): r1 and r2 carry IPv4 over their IPv6
// session (RFC 8950, `capability extended-nexthop`), r2 and r3 IPv6 over their
// IPv4 session. Each family must cross both links with next hops zebra
// installs; planted: the capability removed on r2 (the IPv4 routes over the
// IPv6 session get the sender's router-id as next hop, named as unresolved),
// and r3 without its IPv6 node (the family is not negotiated: the session is
// up and IPv6 stops at r2). The plan's reading of the families is checked
// without root. The labs of this file run at the same time; each test awaits
// its own. Skipped loudly where the lab cannot run; required when CI=true.
import { expect } from 'chai';
import { missingPrerequisites, prepare, type LabReport } from '../dist/lab/index.js';
import { lab, plant, renderedTopology, requireLab } from './helpers/lab.js';

const LAB_TIMEOUT = 240000;
const files = renderedTopology('fixtures/router-config-other-family/topology.yaml');
const quick = { scenarios: false, ipsec: false };
const noCapability = plant(files, 'r2.vyos', (t) => t.replace(/^set protocols bgp neighbor fd00:12::1 capability extended-nexthop\n/m, ''));
const noIpv6OnR3 = plant(files, 'r3.vyos', (t) => t.replace(/^set protocols bgp neighbor 10\.23\.0\.2 address-family ipv6-unicast\n/m, ''));

type Runs = Record<'control' | 'noCapability' | 'noIpv6OnR3', Promise<LabReport>>;
let runs: Runs | undefined;

describe('vygen lab: sessions carrying the other family (plan, no root)', function () {
  it('reads the families each session carries: its own, the other one it is activated in, and its peer-group\'s', function () {
    const { plan, report } = prepare({ source: 'other-family', files, fail: [], scenarios: false, progress: () => {} });
    expect(report.problems).to.deep.equal([]);
    expect(report.untranslated).to.deep.equal([]);
    const fam = (node: string, address: string) => plan!.adjacencies.find((a) => a.node === node && a.address === address)?.families;
    expect(fam('r1', 'fd00:12::2')).to.deep.equal([4, 6]);
    expect(fam('r2', 'fd00:12::1')).to.deep.equal([4, 6]);
    expect(fam('r2', '10.23.0.3')).to.deep.equal([4, 6]);
    expect(fam('r3', '10.23.0.2')).to.deep.equal([4, 6]);
    const frr = plan!.nodes.find((n) => n.name === 'r2')!.config.bgpd;
    expect(frr).to.include(' neighbor fd00:12::1 capability extended-nexthop\n');
    expect(plan!.nodes.find((n) => n.name === 'r1')!.config.bgpd).to.include(' neighbor CORE6 capability extended-nexthop\n');
  });

  it('planted: r3 without its IPv6 node -> its session to r2 carries IPv4 only', function () {
    const { plan } = prepare({ source: 'other-family', files: noIpv6OnR3, fail: [], scenarios: false, progress: () => {} });
    expect(plan!.adjacencies.find((a) => a.node === 'r3')!.families).to.deep.equal([4]);
  });
});

describe('vygen lab: sessions carrying the other family (real FRR)', function () {
  this.timeout(LAB_TIMEOUT);
  before(function () {
    if (missingPrerequisites()) return;
    runs = {
      control: lab('router-config-other-family', files, quick),
      noCapability: lab('router-config-other-family, r2 without capability extended-nexthop', noCapability, quick),
      noIpv6OnR3: lab('router-config-other-family, r3 without address-family ipv6-unicast', noIpv6OnR3, quick),
    };
    for (const p of Object.values(runs)) p.catch(() => {});
  });

  it('as rendered: IPv4 crosses the IPv6 session and IPv6 the IPv4 one, installed with next hops the lab follows hop by hop', async function () {
    requireLab(this);
    const report = await runs!.control;
    expect(report.problems, report.problems.join('\n')).to.deep.equal([]);
    expect(report.sessions).to.have.length(4);
    for (const s of report.sessions) expect(s, JSON.stringify(s)).to.include({ state: 'Established' });
    // r1 and r2 share no IPv4 subnet: these IPv4 routes can only have IPv6 next hops.
    expect(report.routes).to.deep.include({ router: 'r1', prefix: '10.2.0.0/24', via: ['r1', 'r2'] });
    expect(report.routes).to.deep.include({ router: 'r1', prefix: '10.3.0.0/24', via: ['r1', 'r2', 'r3'] });
    expect(report.routes).to.deep.include({ router: 'r3', prefix: '10.1.0.0/24', via: ['r3', 'r2', 'r1'] });
    // r3's only session is IPv4: these IPv6 routes came over it.
    expect(report.routes).to.deep.include({ router: 'r3', prefix: '2001:db8:1::/64', via: ['r3', 'r2', 'r1'] });
    expect(report.routes).to.deep.include({ router: 'r3', prefix: '2001:db8:2::/64', via: ['r3', 'r2'] });
    expect(report.routes).to.have.length(12);
  });

  it('planted: the extended-nexthop capability removed on r2 -> the IPv4 routes over the IPv6 session are unusable, named with their next hop; IPv6 unaffected', async function () {
    requireLab(this);
    const report = await runs!.noCapability;
    expect(report.ok).to.equal(false);
    const text = report.problems.join('\n');
    expect(text).to.match(/r1 does not reach 10\.2\.0\.0\/24 \(r2\): r1 has no route to 10\.2\.0\.0\/24 \(r2\): its BGP path from r2 has next hop 10\.255\.0\.2, which r1 cannot resolve/);
    expect(text).to.match(/r2 does not reach 10\.1\.0\.0\/24 \(r1\)/);
    expect(text).to.not.match(/2001:db8/);
    expect(report.sessions.every((s) => s.state === 'Established')).to.equal(true);
  });

  it('planted: r3 without its IPv6 node -> IPv6 stops at r2 while the session stays up, named', async function () {
    requireLab(this);
    const report = await runs!.noIpv6OnR3;
    expect(report.ok).to.equal(false);
    const text = report.problems.join('\n');
    expect(text).to.match(/r3 does not reach 2001:db8:1::\/64 \(r1\): r3 has no route to 2001:db8:1::\/64/);
    expect(text).to.match(/r1 does not reach 2001:db8:3::\/64 \(r3\)/);
    expect(text).to.not.match(/does not reach 10\./);
    expect(report.sessions.every((s) => s.state === 'Established')).to.equal(true);
  });
});
