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
import yaml from 'js-yaml';
import { readFacts } from '../dist/lab/facts.js';
import { unpairedGroups, vrrpFacts, vrrpGroups } from '../dist/lab/vrrp.js';
import type { LabFile } from '../dist/lab/index.js';
import { lab, plant, renderedTopology, requireLab } from './helpers/lab.js';
import { render } from '../dist/index.js';

const readVrrp = (files: LabFile[]) =>
  files.filter((f) => f.name.endsWith('.vyos')).map((f) => { const facts = readFacts(f.name, f.text); return { facts, x: vrrpFacts(facts, facts.vrrp) }; });

describe('lab VRRP reading (no namespaces)', () => {
  const site = renderedTopology('fixtures/site-vrrp-dual-stack/topology.yaml');

  it('pairs every group of the site fixture, and finds nothing wrong in it', () => {
    const routers = readVrrp(site);
    const groups = vrrpGroups(routers);
    expect(groups.map((g) => [g.name, g.vrid, g.members.map((m) => m.facts.header.router)])).to.deep.equal([
      ['TOKYO-LAN', 51, ['tokyo-a', 'tokyo-s']],
      ['TOKYO-LAN6', 52, ['tokyo-a', 'tokyo-s']],
      ['OSAKA-LAN', 10, ['osaka-a', 'osaka-s']],
      ['OSAKA-LAN6', 20, ['osaka-a', 'osaka-s']],
    ]);
    expect(unpairedGroups(routers, groups)).to.deep.equal([]);
  });

  it('names a group one router renders alone on a subnet another VRRP router of the lab is on', () => {
    const files = plant(site, 'tokyo-s.vyos', (t) => t.split('\n').filter((l) => !l.includes('TOKYO-LAN6')).join('\n'));
    const routers = readVrrp(files);
    expect(unpairedGroups(routers, vrrpGroups(routers)).map((r) => [r.group, r.routers])).to.deep.equal([['TOKYO-LAN6', ['tokyo-a', 'tokyo-s']]]);
    // Alone in the lab (its partner not rendered), a group is not a defect: it is left untranslated.
    const alone = readVrrp(files.filter((f) => f.name === 'tokyo-a.vyos'));
    expect(unpairedGroups(alone, vrrpGroups(alone))).to.deep.equal([]);
  });

  it('reads every peer-address of a group: a site of three routers has two unicast peers per family', () => {
    const r = (n: number, role: string) => ({ role, wan: { interface: 'eth0', address: `10.0.0.${10 + n}/24`, gateway: '10.0.0.1' }, lan: { interface: 'eth1', address: `10.0.1.${2 + n}/24` }, loopback: `10.255.0.${1 + n}`, ipv6: { lan: { address: `2001:db8:1:1::${2 + n}/64` } } });
    const doc = { vygen: 1, sites: { tokyo: { asn: 65001, vrrp: { address: '10.0.1.10/24', ipv6: { address: '2001:db8:1:1::10/64' } }, routers: { 'tokyo-a': r(0, 'active'), 'tokyo-b': r(1, 'standby'), 'tokyo-c': r(2, 'standby') } } } };
    const out = render(yaml.dump(doc), { file: 'topology.yaml', redact: true });
    const files = out.files.filter((f) => f.path.endsWith('.vyos')).map((f) => ({ name: f.path, text: f.content }));
    const a = readVrrp(files).find((x) => x.facts.header.router === 'tokyo-a')!;
    expect(a.x.groups.get('TOKYO-LAN')!.peers).to.deep.equal(['10.0.1.3', '10.0.1.4']);
    expect(a.x.groups.get('TOKYO-LAN6')!.peers).to.deep.equal(['2001:db8:1:1::3', '2001:db8:1:1::4']);
  });
});

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
