// `vygen lab` on LVS directors: each director's rendered keepalived.conf run
// by the real keepalived (VRRP only: this kernel has no IPVS) in its own
// namespace; every instance elects one master and moves to the backup when
// the master's keepalived is killed. Skipped loudly without root, required
// when CI=true. The labs of this file run at the same time.
import { expect } from 'chai';
import { missingPrerequisites, type LabReport } from '../dist/lab/index.js';
import { lab, plant, renderedExample, renderedTopology, requireLab } from './helpers/lab.js';

const activeActive = renderedExample('lvs-active-active');
let runs: { asRendered: Promise<LabReport>; unicast: Promise<LabReport>; noBackupAddress: Promise<LabReport> } | undefined;

function start(): NonNullable<typeof runs> {
  const r = {
    asRendered: lab('lvs-active-active', activeActive),
    unicast: lab('lvs-unicast', renderedTopology('fixtures/lvs-unicast/topology.yaml')),
    // director2's VI_1 lost its virtual addresses: as the backup it has nothing to take over.
    noBackupAddress: lab('lvs-active-active, director2 VI_1 without its addresses', plant(activeActive, 'director2.keepalived.conf', (t) => t.replace(/^\s*192\.168\.200\.1[01] dev eth0\n/gm, ''))),
  };
  for (const p of Object.values(r)) p.catch(() => {});
  return r;
}

describe('vygen lab: LVS directors (keepalived VRRP in network namespaces)', function () {
  this.timeout(240000);
  before(function () {
    if (!missingPrerequisites()) runs = start();
  });

  it('active-active as rendered: each instance has its master, and every one moves when its master dies', async function () {
    requireLab(this);
    const report = await runs!.asRendered;
    expect(report.problems).to.deep.equal([]);
    expect(report.vrrp.map((v) => [v.group, v.master, v.ok])).to.deep.equal([
      ['lvs VI_1', 'director1', true],
      ['lvs VI_2', 'director1', true],
      ['lvs VI_3', 'director2', true],
      ['lvs VI_4', 'director2', true],
    ]);
    for (const v of report.vrrp) expect(v.takeover, v.group).to.be.a('number');
    expect(report.notes.join('\n')).to.include('only VRRP was tested');
  });

  it('unicast peers, nopreempt and a tracked interface: both pairs elect a master and fail over', async function () {
    requireLab(this);
    const report = await runs!.unicast;
    expect(report.problems).to.deep.equal([]);
    expect(report.vrrp.map((v) => v.group)).to.deep.equal(['api api', 'web web']);
    for (const v of report.vrrp) expect(v.takeover, v.group).to.be.a('number');
  });

  it("planted defect: director2's VI_1 without its virtual addresses -> no backup takes them over, named", async function () {
    requireLab(this);
    const report = await runs!.noBackupAddress;
    expect(report.ok).to.equal(false);
    expect(report.problems).to.include("LVS lvs VI_1: no backup took 192.168.200.10, 192.168.200.11 over within 15 s of director1's keepalived being killed");
  });
});
