// `vygen lab` on IPv6 VRRP groups: the site short form (vrrp.ipv6 ->
// <SITE>-LAN6 beside <SITE>-LAN, fixtures/site-vrrp-dual-stack) and a
// dual-stack NAT pair written per router (fixtures/vrrp-nat-pair-dual-stack):
// keepalived elects the active router master of the IPv6 group as of the IPv4
// one and moves the IPv6 address when its keepalived dies. Planted defects the
// election alone would pass: a standby rendered without the IPv6 group (the
// group then ran on one router only, and was skipped), and a backup moving
// another IPv6 address (each router "held" its own; keepalived then also
// runs two masters). Real FRR and keepalived
// in network namespaces: skipped loudly without root, required when CI=true.
import { expect } from 'chai';
import { lab, plant, renderedTopology, requireLab } from './helpers/lab.js';

describe('vygen lab: IPv6 VRRP groups (keepalived in network namespaces)', function () {
  this.timeout(240000);
  const site = renderedTopology('fixtures/site-vrrp-dual-stack/topology.yaml');
  const natPair = renderedTopology('fixtures/vrrp-nat-pair-dual-stack/topology.yaml');

  it('sites.X.vrrp.ipv6: the active router is master of <SITE>-LAN6 too, the standby takes the IPv6 address over', async function () {
    requireLab(this);
    const report = await lab('site-vrrp-dual-stack', site, { ipsec: false, scenarios: false });
    expect(report.problems).to.deep.equal([]);
    expect(report.vrrp.map((v) => [v.group, v.ok, v.master])).to.deep.equal([
      ['TOKYO-LAN', true, 'tokyo-a'],
      ['TOKYO-LAN6', true, 'tokyo-a'],
      ['OSAKA-LAN', true, 'osaka-a'],
      ['OSAKA-LAN6', true, 'osaka-a'],
    ]);
    for (const v of report.vrrp) expect(v.takeover, v.group).to.be.a('number');
  });

  it('planted defects: tokyo-s rendered without TOKYO-LAN6, osaka-s moving another IPv6 address in OSAKA-LAN6 -> both named', async function () {
    requireLab(this);
    const withoutGroup = plant(site, 'tokyo-s.vyos', (t) => t.split('\n').filter((l) => !l.includes('TOKYO-LAN6')).join('\n'));
    const files = plant(withoutGroup, 'osaka-s.vyos', (t) => t.replace('group OSAKA-LAN6 address 2001:db8:2:1::10/64', 'group OSAKA-LAN6 address 2001:db8:2:1::99/64'));
    const report = await lab('site-vrrp-dual-stack, tokyo-s without TOKYO-LAN6, osaka-s OSAKA-LAN6 on another address', files, { ipsec: false, scenarios: false });
    expect(report.ok).to.equal(false);
    expect(report.problems).to.include.members([
      'VRRP TOKYO-LAN6 (vrid 52): only tokyo-a moves 2001:db8:1:1::10/64; tokyo-s is on 2001:db8:1:1::/64 and runs VRRP but has no group TOKYO-LAN6 (vrid 52) with that address: no backup can take it over',
      "VRRP OSAKA-LAN6 (vrid 20): osaka-s moves 2001:db8:2:1::99/64, osaka-a 2001:db8:2:1::10/64: a takeover would not move the master's addresses",
    ]);
    // The IPv4 groups beside them are unaffected.
    expect(report.vrrp.filter((v) => v.group.endsWith('-LAN')).map((v) => [v.group, v.ok])).to.deep.equal([['TOKYO-LAN', true], ['OSAKA-LAN', true]]);
  });

  it('dual-stack NAT pair: every IPv6 group beside its IPv4 one elects vyos01 and moves to vyos02', async function () {
    requireLab(this);
    const report = await lab('vrrp-nat-pair-dual-stack', natPair, { ipsec: false, scenarios: false });
    expect(report.problems).to.deep.equal([]);
    expect(report.vrrp.map((v) => [v.group, v.ok, v.master])).to.deep.equal(
      ['langroup1', 'langroup6', 'optgroup1', 'optgroup6', 'wangroup1', 'wangroup6'].map((g) => [g, true, 'vyos01']),
    );
    for (const v of report.vrrp) expect(v.takeover, v.group).to.be.a('number');
  });
});
