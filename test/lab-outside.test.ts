// `vygen lab` on the per-router examples, whose BGP peers are not in the
// topology: the Azure VPN gateway's instances behind address-less VTIs
// (eBGP multihop over static routes, a peer-group), the HA partner on the
// LAN, a router without a router-id whose WAN is DHCP, and the VPC route
// server's endpoints. Each kind passes as rendered and fails, naming the
// culprit, on a planted defect. Real FRR in network namespaces: skipped
// loudly without root or FRR, required when CI=true. The labs of this file
// run at the same time; each test awaits its own.
import { expect } from 'chai';
import { missingPrerequisites, type LabFile, type LabReport } from '../dist/lab/index.js';
import { lab, plant, renderedExample, renderedTopology, requireLab } from './helpers/lab.js';

const LAB_TIMEOUT = 240000;

const azure = renderedExample('azure-gateway');
const vgw = renderedExample('aws-vgw-two-tunnels');
const routeServer = renderedTopology('fixtures/aws-route-server/topology.yaml');

const quick = { scenarios: false, ipsec: false };

/** The defect the lab found in the first route-server policy: the route server learns only the site's own networks, never what comes over the VPN. */
function ownNetworksOnly(files: LabFile[]): LabFile[] {
  const drop = (t: string) => t.replace(/^set policy route-map RM-TOKYO-TO-VPC rule 100 .*\n/gm, '').replace("rule 100 action 'permit'", '');
  return plant(plant(files, 'tokyo-a.vyos', drop), 'tokyo-s.vyos', drop);
}
type Runs = Record<'azure' | 'azureRemoteAs' | 'azureNexthopSelf' | 'vgw' | 'vgwNoAddress' | 'rs' | 'rsPrepend' | 'rsFailover' | 'rsOwnOnly', Promise<LabReport>>;
let runs: Runs | undefined;

function start(): Runs {
  const r: Runs = {
    azure: lab('azure-gateway', azure, quick),
    azureRemoteAs: lab(
      'azure-gateway, 100.66.8.37 remote-as 64518',
      plant(azure, 'vyos-onprem.vyos', (t) => t.replace("neighbor 100.66.8.37 remote-as '64517'", "neighbor 100.66.8.37 remote-as '64518'")),
      quick,
    ),
    azureNexthopSelf: lab(
      'azure-gateway, no nexthop-self toward the HA partner',
      plant(azure, 'vyos-onprem.vyos', (t) => t.replace(/^set protocols bgp neighbor 192\.168\.34\.38 address-family ipv4-unicast nexthop-self\n/m, '')),
      quick,
    ),
    vgw: lab('aws-vgw-two-tunnels', vgw, { ipsec: false }),
    vgwNoAddress: lab(
      'aws-vgw-two-tunnels without its DHCP wan',
      plant(vgw, 'vyos.vyos', (t) => t.replace(/^set interfaces ethernet eth0 address 'dhcp'\n/m, '')),
      quick,
    ),
    rs: lab('aws-route-server', routeServer, quick),
    rsPrepend: lab(
      'aws-route-server, tokyo-s without prepend',
      plant(routeServer, 'tokyo-s.vyos', (t) => t.replace(/^set policy route-map RM-TOKYO-TO-VPC rule 100 set as-path prepend .*\n/m, '')),
      quick,
    ),
    rsFailover: lab('aws-route-server, tokyo-a down', routeServer, { fail: ['tokyo-a'], ipsec: false }),
    rsOwnOnly: lab('aws-route-server, only the own networks exported to the route server', ownNetworksOnly(routeServer), quick),
  };
  for (const p of Object.values(r)) p.catch(() => {});
  return r;
}

const text = (r: LabReport) => r.problems.join('\n');

describe('vygen lab: peers outside the topology (real FRR in network namespaces)', function () {
  this.timeout(LAB_TIMEOUT);
  before(function () {
    if (!missingPrerequisites()) runs = start();
  });

  describe('Azure VPN gateway: eBGP multihop to its instances over static routes to address-less VTIs, through a peer-group', () => {
    it('as rendered: all six gateway sessions and the HA partner Established, routes through the instances', async function () {
      requireLab(this);
      const report = await runs!.azure;
      expect(report.problems).to.deep.equal([]);
      expect(report.sessions).to.have.length(14);
      for (const s of report.sessions) expect(s, JSON.stringify(s)).to.include({ state: 'Established' });
      expect(report.sessions).to.deep.include({ router: 'vyos-onprem', neighbor: '100.66.8.37', peer: 'gw-as64517-2', state: 'Established' });
      expect(report.sessions).to.deep.include({ router: 'gw-as64517-2', neighbor: '192.168.34.37', peer: 'vyos-onprem', state: 'Established' });
      expect(report.routes.filter((x) => x.router === 'vyos-onprem').map((x) => x.via[1])).to.have.length(3);
      expect(report.routes).to.deep.include({ router: 'gw-as64513-1', prefix: '10.0.0.0/8', via: ['gw-as64513-1', 'vyos-onprem'] });
      expect(report.routes.find((x) => x.router === 'peer-as65522' && x.prefix.startsWith('100.64.'))!.via.slice(0, 2)).to.deep.equal(['peer-as65522', 'vyos-onprem']);
      expect(report.notes.join('\n')).to.match(/vyos-onprem sets no router-id: FRR chose 192\.168\.34\.37/);
      // Its VRRP group has no partner among the rendered routers: not run, so still listed.
      expect(report.untranslated.filter((u) => u.text.startsWith('set high-availability vrrp'))).to.have.length(6);
    });

    it('planted defect: remote-as changed on one multihop session -> down, named by the router and the gateway instance', async function () {
      requireLab(this);
      const report = await runs!.azureRemoteAs;
      expect(report.ok).to.equal(false);
      expect(text(report)).to.include('session vyos-onprem → gw-as64517-2 (100.66.8.37)');
      expect(text(report)).to.include('vyos-onprem expects AS 64518 at 100.66.8.37, but gw-as64517-2 is AS 64517');
      expect(text(report)).to.include('session gw-as64517-2 → vyos-onprem (192.168.34.37)');
      expect(text(report)).to.include('vyos-onprem names one gateway (the instances behind vti31, vti32) with two ASes');
    });

    it('planted defect: nexthop-self toward the HA partner removed -> the partner cannot use the gateway routes', async function () {
      requireLab(this);
      const report = await runs!.azureNexthopSelf;
      expect(report.ok).to.equal(false);
      expect(text(report)).to.match(/peer-as65522 does not reach 100\.64\.\d\.0\/24 \(cloud-as645\d\d\): peer-as65522 has no route/);
      expect(text(report)).to.not.match(/session .* is /);
    });
  });

  describe('a router with a DHCP wan and no router-id (aws-vgw-two-tunnels)', () => {
    it('as rendered, every scenario: the wan gets its IPsec local-address, FRR takes the router-id from it', async function () {
      requireLab(this);
      const report = await runs!.vgw;
      expect(report.problems).to.deep.equal([]);
      expect(report.scenarios.map((s) => s.fail)).to.deep.equal(['vyos', 'vyos:vti0—gw-as64512:c0', 'vyos:vti1—gw-as64512:c1']);
      expect(report.notes).to.include('vyos eth0 is `address dhcp`: the lab gives it 10.0.2.15/24 (the IPsec local-address on eth0)');
      expect(report.notes.join('\n')).to.include('vyos sets no router-id: FRR chose 10.0.2.15');
    });

    it('planted defect: without the DHCP wan only link-local addresses are left -> no router-id, named', async function () {
      requireLab(this);
      const report = await runs!.vgwNoAddress;
      expect(report.ok).to.equal(false);
      expect(text(report)).to.include('vyos has no router-id: it sets none and FRR found no address to take one from');
    });
  });

  describe('AWS VPC route server endpoints on the LAN (fixtures/aws-route-server)', () => {
    it("as rendered: both routers' sessions to both endpoints Established, the endpoints prefer the active router", async function () {
      requireLab(this);
      const report = await runs!.rs;
      for (const ep of ['10.0.1.6', '10.0.1.7'])
        for (const r of ['tokyo-a', 'tokyo-s']) expect(report.sessions.find((s) => s.router === r && s.neighbor === ep)?.state, `${r} → ${ep}`).to.equal('Established');
      expect(report.routes).to.deep.include({ router: 'peer-as65100-1', prefix: '10.0.1.0/24', via: ['peer-as65100-1', 'tokyo-a'] });
      expect(report.routes).to.deep.include({ router: 'peer-as65100-2', prefix: '10.0.1.0/24', via: ['peer-as65100-2', 'tokyo-a'] });
      // What the VPC's route tables learn: the network behind the VPN (the lab's VGW announces 198.18.0.0/24), through the active router.
      expect(report.problems).to.deep.equal([]);
      expect(report.routes).to.deep.include({ router: 'peer-as65100-1', prefix: '198.18.0.0/24', via: ['peer-as65100-1', 'tokyo-a', 'gw-as64512'] });
      expect(report.routes).to.deep.include({ router: 'peer-as65100-2', prefix: '198.18.0.0/24', via: ['peer-as65100-2', 'tokyo-a', 'gw-as64512'] });
    });

    it('the active router down: the route server reaches the VPN through the standby', async function () {
      requireLab(this);
      const report = await runs!.rsFailover;
      expect(report.problems).to.deep.equal([]);
      expect(report.scenarios).to.have.length(1);
      expect(report.scenarios[0]).to.include({ fail: 'tokyo-a', ok: true });
    });

    it('planted defect: only the own networks exported to the route server -> the VPN is unreachable from the VPC', async function () {
      requireLab(this);
      const report = await runs!.rsOwnOnly;
      expect(report.problems).to.include('peer-as65100-1 does not reach 198.18.0.0/24 (cloud-as64512): peer-as65100-1 has no route to 198.18.0.0/24 (cloud-as64512)');
    });

    it("planted defect: the standby's prepend removed -> the route server's choice is a tie-break, or the standby", async function () {
      requireLab(this);
      const report = await runs!.rsPrepend;
      expect(text(report)).to.match(/peer-as65100-[12] (prefers tokyo-(a over tokyo-s|s over tokyo-a) for 10\.0\.1\.0\/24 \(tokyo\) only by|reaches 10\.0\.1\.0\/24 \(tokyo\) through peer-as65100-[12] → tokyo-s: uses the standby link)/);
    });
  });
});
