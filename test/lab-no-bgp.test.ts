// `vygen lab` on routers without BGP and without a site (examples/vrrp-nat-pair:
// three VRRP groups on one pair, written in the per-router layer): bgpd has no
// instance to answer for, and the lab runs the VRRP groups with keepalived
// instead of stopping at bgpd's refusal. A group is one VRID on one segment
// (the routers name no site), and killing the master's keepalived moves all
// of its groups at once. Real FRR and keepalived in network namespaces:
// skipped loudly without root, required when CI=true.
import { expect } from 'chai';
import { lab, plant, renderedExample, requireLab } from './helpers/lab.js';

describe('vygen lab: routers without BGP (examples/vrrp-nat-pair)', function () {
  this.timeout(180000);
  const files = renderedExample('vrrp-nat-pair');

  it('runs every VRRP group: vyos01 master of each, vyos02 takes each over when vyos01 dies', async function () {
    requireLab(this);
    const report = await lab('vrrp-nat-pair', files, { ipsec: false });
    expect(report.problems).to.deep.equal([]);
    expect(report.sessions).to.deep.equal([]);
    expect(report.vrrp.map((v) => [v.group, v.ok, v.master])).to.deep.equal([
      ['langroup1', true, 'vyos01'],
      ['optgroup1', true, 'vyos01'],
      ['wangroup1', true, 'vyos01'],
    ]);
    for (const v of report.vrrp) expect(v.takeover, v.group).to.be.a('number');
    expect(report.untranslated.some((u) => /^set high-availability /.test(u.text)), 'VRRP lines read').to.equal(false);
    expect(report.untranslated.some((u) => /^set nat source /.test(u.text))).to.equal(true);
  });

  it("planted defect: vyos02's optgroup1 on the wrong interface -> both routers hold its address, named", async function () {
    requireLab(this);
    const report = await lab('vrrp-nat-pair, vyos02 optgroup1 on eth1', plant(files, 'vyos02.vyos', (t) => t.replace("group optgroup1 interface 'eth2'", "group optgroup1 interface 'eth1'")), { ipsec: false, scenarios: false });
    expect(report.ok).to.equal(false);
    expect(report.problems).to.include('VRRP optgroup1 (vrid 61): vyos01 and vyos02 all hold 10.0.6.1/24 after 20 s');
  });
});
