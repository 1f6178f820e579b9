// sites.X.vrrp.ipv6 beyond its goldens (fixtures/site-vrrp-dual-stack) and
// error fixtures (err-ipv6-site-vrrp*): the IPv6 group's VRID (derived from
// the IPv4 one, so stable whatever else changes; pinned when written), the
// LVS VRID allocator and segment check seeing the IPv6 group on an IPv6
// segment, and the warning for a site in AWS, where no VRRP address moves.
import { expect } from 'chai';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../dist/index.js';
import { FIXTURES } from './helpers/golden.js';

type Doc = Record<string, any>;

const router = (n: number, role: string, six = true): Doc => ({
  role,
  wan: { interface: 'eth0', address: `10.0.0.${10 + n}/24`, gateway: '10.0.0.1' },
  lan: { interface: 'eth1', address: `10.0.1.${2 + n}/24` },
  loopback: `10.255.0.${1 + n}`,
  ...(six ? { ipv6: { lan: { address: `2001:db8:1:1::${2 + n}/64` } } } : {}),
});
const site = (vrrp: Doc): Doc => ({ asn: 65001, vrrp, routers: { 'tokyo-a': router(0, 'active'), 'tokyo-s': router(1, 'standby') } });
const run = (doc: Doc) => render(yaml.dump(doc), { file: 'topology.yaml', redact: true });
const errors = (r: ReturnType<typeof run>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path}`);
const content = (r: ReturnType<typeof run>, path: string) => r.files.find((f) => f.path === path)!.content;
const vridOf = (conf: string, group: string) => Number(new RegExp(`vrrp group ${group} vrid '(\\d+)'`).exec(conf)?.[1]);

describe('sites.X.vrrp.ipv6', () => {
  it('takes the IPv4 VRID + 1 (254 beside 255), or the pinned one', () => {
    for (const [vrrp, want] of [
      [{ address: '10.0.1.1/24', ipv6: { address: '2001:db8:1:1::1/64' } }, 11],
      [{ address: '10.0.1.1/24', vrid: 255, ipv6: { address: '2001:db8:1:1::1/64' } }, 254],
      [{ address: '10.0.1.1/24', vrid: 40, ipv6: { address: '2001:db8:1:1::1/64', vrid: 7 } }, 7],
    ] as const) {
      const r = run({ vygen: 1, sites: { tokyo: site(vrrp) } });
      expect(errors(r)).to.deep.equal([]);
      for (const f of ['tokyo-a.vyos', 'tokyo-s.vyos']) expect(vridOf(content(r, f), 'TOKYO-LAN6'), JSON.stringify(vrrp)).to.equal(want);
    }
  });

  it('renders no IPv6 group without vrrp.ipv6, and leaves the IPv4-only render as it was', () => {
    const r = run({ vygen: 1, sites: { tokyo: site({ address: '10.0.1.1/24' }) } });
    expect(errors(r)).to.deep.equal([]);
    expect(content(r, 'tokyo-a.vyos')).not.to.include('TOKYO-LAN6');
    expect(content(r, 'tokyo-a.vyos')).to.include("sync-group SG-TOKYO member 'TOKYO-LAN'\n");
  });

  it("is seen by the LVS VRID allocator on the site's IPv6 LAN, and a pinned LVS VRID equal to it is refused", () => {
    const lvs = (vrid?: number): Doc => ({
      pairs: {
        web: {
          nodes: [
            { name: 'lb1', role: 'master', interface: 'eth1', address: '2001:db8:1:1::20/64' },
            { name: 'lb2', role: 'backup', interface: 'eth1', address: '2001:db8:1:1::21/64' },
          ],
          vips: [{ address: '2001:db8:1:1::100/64' }],
          ...(vrid !== undefined ? { vrid } : {}),
        },
      },
    });
    // IPv4 group on VRID 10 (another family's virtual router), the IPv6 one pinned to 1: the IPv6 instance takes 2.
    const doc = { vygen: 1, sites: { tokyo: site({ address: '10.0.1.1/24', ipv6: { address: '2001:db8:1:1::1/64', vrid: 1 } }) }, lvs: lvs() };
    const r = run(doc);
    expect(errors(r)).to.deep.equal([]);
    expect(/virtual_router_id (\d+)/.exec(content(r, 'lb1.keepalived.conf'))?.[1]).to.equal('2');
    const clash = run({ ...doc, lvs: lvs(1) });
    expect(errors(clash)).to.deep.equal(['vrid-conflict lvs.pairs.web.vrid']);
    expect(clash.diagnostics.find((d) => d.code === 'vrid-conflict')!.message).to.include("site tokyo's IPv6 VRRP group on the same LAN 2001:db8:1:1::/64");
  });

  it('refuses it in AWS: nothing moves an IPv6 address by VRRP there, and the security group passes IPv4 VRRP only (each router would be master, pulling its IPv4 group along)', () => {
    const doc = yaml.load(readFileSync(join(FIXTURES, 'aws-active-standby', 'topology.yaml'), 'utf8')) as Doc;
    const tokyo = doc.sites.tokyo;
    tokyo.vrrp.ipv6 = { address: '2001:db8:1:1::10/64' };
    Object.values(tokyo.routers as Record<string, Doc>).forEach((r, i) => (r.ipv6 = { lan: { address: `2001:db8:1:1::${4 + i}/64` } }));
    const r = run(doc);
    expect(errors(r)).to.deep.equal(['vrrp-ipv6-in-vpc sites.tokyo.vrrp.ipv6.address']);
    expect(r.files).to.deep.equal([]);
  });

  it('per router: a password on an IPv6 group is a warning (VRRPv3 has no authentication), on an IPv4 group none', () => {
    const group = (address: string, vrid: number) => ({ interface: 'eth1', address, vrid, priority: 200, password: { env: 'VRRP_PW' } });
    const r = run({ vygen: 1, routers: { r1: { interfaces: { eth1: { address: ['10.0.5.2/24', '2001:db8:5::2/64'] } }, vrrp: { groups: { LAN: group('10.0.5.1/24', 51), LAN6: group('2001:db8:5::1/64', 52) } } } } });
    expect(errors(r)).to.deep.equal([]);
    expect(r.diagnostics.filter((d) => d.code === 'vrrp-ipv6-password').map((d) => d.path)).to.deep.equal(['routers.r1.vrrp.groups.LAN6.password']);
  });
});
