// `vygen lab` on routers without BGP (a VRRP/NAT pair): bgpd has no instance
// to answer for, and the lab must report what it can instead of stopping at
// bgpd's refusal. Real FRR in network namespaces: skipped loudly without
// root or FRR, required when CI=true.
import { expect } from 'chai';
import { lab, renderedExample, requireLab } from './helpers/lab.js';

describe('vygen lab: routers without BGP (examples/vrrp-nat-pair)', function () {
  this.timeout(120000);

  it('runs, with no session and no route to check, and lists what it does not model', async function () {
    requireLab(this);
    const report = await lab('vrrp-nat-pair', renderedExample('vrrp-nat-pair'), { ipsec: false });
    expect(report.problems).to.deep.equal([]);
    expect(report.ok).to.equal(true);
    expect(report.sessions).to.deep.equal([]);
    expect(report.untranslated.some((u) => /^set nat source /.test(u.text))).to.equal(true);
  });
});
