// `vygen lab` over the dual-stack example with the real FRR: the IPv6
// sessions and routes are checked as the IPv4 ones are, and IPv6 defects
// (a prefix-list6 entry, an IPv6 neighbor's remote-as, an IPv6 nexthop-self
// that only a failure needs) fail naming their culprit while the IPv4 side
// stays clean. The labs of this file run at the same time; each test awaits
// its own. Skipped loudly where the lab cannot run; required when CI=true.
import { expect } from 'chai';
import { missingPrerequisites, type LabReport } from '../dist/lab/index.js';
import { lab, plant, renderedExample, renderedTopology, requireLab } from './helpers/lab.js';

const LAB_TIMEOUT = 240000;
const dual = renderedExample('inter-region-vpn-dual-stack');
// VyOS 1.3 activates IPv4 on every neighbor with a remote-as, the IPv6 ones too: the lab reads its renders so.
const dual13 = renderedTopology('examples/inter-region-vpn-dual-stack/topology.yaml', '1.3');
const noDeny = (t: string) => t.replace(/^set .*VYGEN-NO-ROUTES.*\n/gm, '');
const v6 = (text: string) => text.includes(':');

type Runs = { control: Promise<LabReport>; prefixList6: Promise<LabReport>; remoteAs6: Promise<LabReport>; nexthopSelf6: Promise<LabReport>; release13: Promise<LabReport>; release13NoDeny: Promise<LabReport> };
let runs: Runs | undefined;

function start(): Runs {
  const r: Runs = {
    control: lab('inter-region-vpn-dual-stack', dual, { fail: ['tokyo-a:tun0', 'tokyo-a'], ipsec: false }),
    // tokyo-a stops exporting its static IPv6 range: osaka can still learn it, but only over the standby link.
    prefixList6: lab(
      'dual stack, tokyo-a without PL6-TOKYO-OUT rule 20',
      plant(dual, 'tokyo-a.vyos', (t) => t.replace(/^set policy prefix-list6 PL6-TOKYO-OUT rule 20 .*\n/gm, '')),
      { scenarios: false, ipsec: false },
    ),
    remoteAs6: lab(
      'dual stack, tokyo-a IPv6 remote-as 65099',
      plant(dual, 'tokyo-a.vyos', (t) => t.replace("neighbor fd00:172:16::1 remote-as '65002'", "neighbor fd00:172:16::1 remote-as '65099'")),
      { scenarios: false, ipsec: false },
    ),
    // Harmless while tokyo-a's own tunnel is up; once it fails, tokyo-a learns
    // osaka's IPv6 prefixes only from tokyo-s, with a next hop it cannot reach.
    nexthopSelf6: lab(
      'dual stack, tokyo-s without IPv6 nexthop-self toward tokyo-a',
      plant(dual, 'tokyo-s.vyos', (t) => t.replace(/^set protocols bgp neighbor 2001:db8:1:1::2 address-family ipv6-unicast nexthop-self\n/m, '')),
      { fail: ['tokyo-a:tun0'], ipsec: false },
    ),
    release13: lab('dual stack rendered for VyOS 1.3', dual13, { scenarios: false, ipsec: false }),
    release13NoDeny: lab('dual stack for VyOS 1.3 without the IPv4 deny on the IPv6 sessions', dual13.map((f) => ({ ...f, text: noDeny(f.text) })), { scenarios: false, ipsec: false }),
  };
  for (const p of Object.values(r)) (p as Promise<unknown>).catch(() => {});
  return r;
}

describe('vygen lab: IPv6 (dual-stack example, real FRR)', function () {
  this.timeout(LAB_TIMEOUT);
  before(function () {
    if (!missingPrerequisites()) runs = start();
  });

  it('as rendered: IPv6 sessions Established beside the IPv4 ones, IPv6 routes over the active routers, and the failures reroute both families', async function () {
    requireLab(this);
    const report = await runs!.control;
    expect(report.problems, report.problems.join('\n')).to.deep.equal([]);
    const six = report.sessions.filter((s) => v6(s.neighbor));
    expect(six).to.have.length(8);
    for (const s of six) expect(s, JSON.stringify(s)).to.include({ state: 'Established' });
    expect(report.sessions).to.deep.include({ router: 'tokyo-a', neighbor: 'fd00:172:16::1', peer: 'osaka-a', state: 'Established' });
    expect(report.sessions).to.deep.include({ router: 'osaka-s', neighbor: '2001:db8:2:1::2', peer: 'osaka-a', state: 'Established' });
    expect(report.routes.filter((r) => v6(r.prefix))).to.have.length(8);
    expect(report.routes).to.deep.include({ router: 'osaka-s', prefix: '2001:db8:1:100::/56', via: ['osaka-s', 'osaka-a', 'tokyo-a'] });
    expect(report.routes).to.deep.include({ router: 'tokyo-s', prefix: '2001:db8:2:1::/64', via: ['tokyo-s', 'tokyo-a', 'osaka-a'] });
    expect(report.scenarios.map((s) => s.fail)).to.have.length(2);
    for (const s of report.scenarios) expect(s.ok, `${s.fail}: ${s.problems.join('; ')}`).to.equal(true);
  });

  it('planted: a prefix-list6 entry removed on the active router -> the IPv6 range reaches osaka over the standby link, named', async function () {
    requireLab(this);
    const report = await runs!.prefixList6;
    expect(report.ok).to.equal(false);
    const text = report.problems.join('\n');
    expect(text).to.match(/osaka-[as] reaches 2001:db8:1:100::\/56 \(tokyo\) through .*tokyo-s: uses the standby link/);
    expect(text).to.not.match(/10\.\d+\.\d+\.\d+\/\d+ \(tokyo\)/);
  });

  it("planted: an IPv6 neighbor's remote-as changed on one end -> that IPv6 session down, named by both ends' configuration; IPv4 unaffected", async function () {
    requireLab(this);
    const report = await runs!.remoteAs6;
    expect(report.ok).to.equal(false);
    expect(report.problems.join('\n')).to.match(/session tokyo-a → osaka-a \(fd00:172:16::1\) is \w+: tokyo-a expects AS 65099 at fd00:172:16::1, but osaka-a is AS 65002/);
    expect(report.sessions).to.deep.include({ router: 'tokyo-a', neighbor: '172.16.0.2', peer: 'osaka-a', state: 'Established' });
  });

  it('planted: the standby without IPv6 nexthop-self -> baseline passes, the tunnel failure leaves tokyo-a without the IPv6 routes, named', async function () {
    requireLab(this);
    const report = await runs!.nexthopSelf6;
    expect(report.converged, report.problems.join('\n')).to.not.equal(null);
    expect(report.scenarios).to.have.length(1);
    const s = report.scenarios[0]!;
    expect(s.ok).to.equal(false);
    const text = s.problems.join('\n');
    expect(text).to.match(/tokyo-a does not reach 2001:db8:2:1::\/64 \(osaka\)/);
    expect(text).to.not.match(/does not reach 10\./);
  });

  it('VyOS 1.3 (IPv4 activated on every IPv6 session): as rendered, the IPv6 sessions deny IPv4 and nothing detours', async function () {
    requireLab(this);
    const report = await runs!.release13;
    expect(report.problems, report.problems.join('\n')).to.deep.equal([]);
  });

  it('planted: 1.3 without the IPv4 deny on the IPv6 sessions -> IPv4 crosses the standby IPv6 session unfiltered, named', async function () {
    requireLab(this);
    const report = await runs!.release13NoDeny;
    expect(report.ok).to.equal(false);
    expect(report.problems.join('\n')).to.match(/tokyo-s reaches 10\.1\.1\.0\/24 \(osaka\) through tokyo-s → osaka-s: uses the standby link/);
  });
});
