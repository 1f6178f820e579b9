// IPv6 in the AWS features, run for real against the fake aws (which, as AWS,
// refuses an IPv6 prefix given as --destination-cidr-block and an IPv4 one
// as --destination-ipv6-cidr-block): a dual-stack VPC's failover and
// scale-up scripts move the IPv6 routes with the IPv4 ones; a script that
// moves none says so; the security groups keep the families apart; the
// route server learns the IPv6 routes over the IPv4 sessions.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../dist/index.js';
import { fixtureDoc, toYaml } from './helpers/topology.js';
import { Sandbox, renderFixture, renderText } from './helpers/fake-aws.js';
import { fixtureCases } from './helpers/golden.js';

const REGION = 'ap-northeast-3';
const RTB = 'rtb-0c1c2c3c4c5c6c7c8';
const OSAKA_A = 'eni-0c0c0c0c0c0c0c0c3';
const OSAKA_S = 'eni-0d0d0d0d0d0d0d0d4';
const V4 = ['10.0.1.0/24', '10.10.0.0/16'];
const V6 = ['2001:db8:1:100::/56', '2001:db8:1:1::/64'];

const call = (op: 'replace-route' | 'create-route', dest: string, target = OSAKA_S) =>
  `aws ec2 ${op} --region ${REGION} --route-table-id ${RTB} ${dest.includes(':') ? '--destination-ipv6-cidr-block' : '--destination-cidr-block'} ${dest} --network-interface-id ${target}`;

describe('failover script in a dual-stack VPC (fake aws)', () => {
  const files = renderFixture('aws-dual-stack');
  let box: Sandbox;
  let script: string;
  beforeEach(() => {
    box = new Sandbox();
    script = box.write('osaka-s.failover.sh', files.get('osaka-s.failover.sh')!, true);
    // Before the failover every route, both families, points at osaka-a; one IPv6 route is missing.
    box.setRoutes([...V4, V6[1]!].map((d) => [REGION, RTB, d, OSAKA_A]));
  });
  afterEach(() => box.dispose());

  it('moves the IPv6 routes with the IPv4 ones, creating only the missing one', () => {
    const r = box.run(script);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.aws).to.deep.equal([
      call('replace-route', V4[0]!), call('replace-route', V4[1]!),
      call('replace-route', V6[0]!), call('create-route', V6[0]!),
      call('replace-route', V6[1]!),
    ]);
    expect(box.read('routes')).to.deep.equal([...V4, ...V6].map((d) => `${REGION} ${RTB} ${d} ${OSAKA_S}`).sort());
    expect(r.stderr).to.include(`${RTB}: 2001:db8:1:1::/64 -> ${OSAKA_S}`);
    const again = box.run(script);
    expect(again.aws.filter((c) => c.includes('create-route')), 'a repeat run creates nothing').to.deep.equal([]);
  });

  it('the fake refuses a script that names an IPv6 route with the IPv4 option (planted defect)', () => {
    const text = files.get('osaka-s.failover.sh')!;
    const planted = text.replace('*:*) dest_option=--destination-ipv6-cidr-block ;;', '*:*) dest_option=--destination-cidr-block ;;');
    expect(planted).to.not.equal(text);
    const r = box.run(box.write('planted.sh', planted, true));
    expect(r.status, 'the IPv6 routes are not moved: exit 1').to.equal(1);
    expect(r.stderr).to.include('InvalidParameterValue');
    expect(box.read('routes')).to.include(`${REGION} ${RTB} ${V6[1]} ${OSAKA_A}`);
    expect(box.read('routes')).to.include(`${REGION} ${RTB} ${V4[0]} ${OSAKA_S}`);
  });

  it('DRY_RUN=1 prints commands that, replayed, make exactly the calls of a real run', () => {
    const printed = box.run(script, [], { DRY_RUN: '1' });
    expect(printed.status, printed.stderr).to.equal(0);
    expect(printed.aws).to.deep.equal([]);
    expect(printed.stdout).to.include('--destination-ipv6-cidr-block 2001:db8:1:1::/64');
    // Every route present: the printed replace-routes are all a real run needs.
    const before = [...V4, ...V6].map((d) => [REGION, RTB, d, OSAKA_A] as [string, string, string, string]);
    box.setRoutes(before);
    const replay = box.run(box.write('replay.sh', `set -eu\n${printed.stdout}`));
    expect(replay.status, replay.stderr).to.equal(0);
    const replayed = box.read('argv');
    box.setRoutes(before);
    box.run(script);
    expect(replayed).to.deep.equal(box.read('argv'));
  });

  it('says in its header that the IPv6 routes move', () => {
    expect(files.get('osaka-s.failover.sh')).to.include('# The VPC is dual-stack: its IPv6 routes above move with the IPv4 ones');
  });

  it('hand-written IPv4-only destinations: a warning, and the script says it moves no IPv6 route', () => {
    const doc = fixtureDoc('aws-dual-stack');
    doc.sites.osaka.aws.destinations = ['10.0.1.0/24'];
    const result = render(toYaml(doc), { file: 'topology.yaml', redact: true });
    const warning = result.diagnostics.find((d) => d.code === 'failover-ipv6-not-moved');
    expect(warning?.severity).to.equal('warning');
    expect(warning?.message).to.include('2001:db8:1:100::/56, 2001:db8:1:1::/64');
    const text = result.files.find((f) => f.path === 'osaka-s.failover.sh')!.content;
    expect(text).to.include('this script moves NO IPv6 route');
    // Nothing IPv6 to move: the function is the IPv4 one, as before.
    expect(text).to.not.include('dest_option');
  });

  it('an IPv4-only VPC renders the IPv4 function and says nothing of IPv6', () => {
    const text = renderFixture('inter-region-vpn-serf').get('osaka-s.failover.sh')!;
    expect(text).to.not.match(/IPv6|dest_option/);
  });
});

describe('scale-up script in a dual-stack VPC (fake aws)', () => {
  it('points the IPv6 routes at the new instance too, with the IPv6 option', () => {
    const doc = fixtureDoc('aws-dual-stack');
    doc.sites.tokyo.aws.scale_up = { load_average: 2, instance_type: 'c5.large', ami_tag: { key: 'Role', value: 'vygen-router' } };
    const files = renderText(toYaml(doc));
    const box = new Sandbox();
    try {
      const script = box.write('up.sh', files.get('tokyo-a.scale-up.sh')!, true);
      box.write('state/image', 'ami-0123456789abcdef0\n');
      box.write('state/instance-i-0aaaaaaaaaaaaaaa1', 'subnet-0123456789abcdef0\tarn:aws:iam::123456789012:instance-profile/router\tsg-0123456789abcdef0\n');
      box.write('state/instance-i-0ffffffffffffff99', '10.0.0.99\n');
      const tables = ['rtb-0a1b2c3d4e5f60718', 'rtb-0f1e2d3c4b5a69788'];
      const dests = ['10.1.1.0/24', '10.11.0.0/16', '2001:db8:2:100::/56', '2001:db8:2:1::/64'];
      box.setRoutes(tables.flatMap((t) => dests.map((d) => ['ap-northeast-1', t, d, 'eni-0a0a0a0a0a0a0a0a1'] as [string, string, string, string])));
      const r = box.run(script, ['--force'], { VYGEN_LOADAVG: join(box.root, 'nothing') });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.aws.filter((c) => c.includes('--destination-ipv6-cidr-block'))).to.have.length(4);
      expect(box.read('routes').every((l) => l.endsWith('i-0ffffffffffffff99'))).to.equal(true);
    } finally {
      box.dispose();
    }
  });
});

describe('security groups in a dual-stack VPC', () => {
  it('iBGP over the IPv6 LAN and the IPv6 traffic to forward under Ipv6Ranges; IKE, NAT-T and ESP stay IPv4', () => {
    const sg = JSON.parse(renderFixture('aws-dual-stack').get('tokyo.security-groups.json')!);
    const rules = sg.Nodes['tokyo-a'].IpPermissions.map((p: any) => `${p.IpProtocol} ${p.FromPort ?? ''} ${p.IpRanges?.[0]?.CidrIp ?? `v6 ${p.Ipv6Ranges[0].CidrIpv6}`}`);
    expect(rules.filter((x: string) => x.includes('v6 '))).to.deep.equal(['tcp 179 v6 2001:db8:1:1::5/128', '-1  v6 2001:db8:1:1::/64']);
    for (const p of sg.Nodes['tokyo-a'].IpPermissions.filter((x: any) => ['udp', '50'].includes(x.IpProtocol))) expect(p.Ipv6Ranges).to.equal(undefined);
  });

  it('every security group of every fixture keeps the families apart (EC2 refuses an IPv6 CidrIp)', () => {
    let v6 = 0;
    for (const name of fixtureCases().filter((n) => !n.startsWith('err-') && existsSync(join('fixtures', n, 'topology.yaml')))) {
      for (const [path, text] of renderFixture(name)) {
        if (!path.endsWith('.security-groups.json')) continue;
        for (const node of Object.values(JSON.parse(text).Nodes) as any[]) {
          for (const p of node.IpPermissions) {
            expect(Object.keys(p).filter((k) => k.endsWith('Ranges')), `${name} ${path}`).to.have.length(1);
            for (const r of p.IpRanges ?? []) expect(r.CidrIp, `${name} ${path}`).to.not.include(':');
            for (const r of p.Ipv6Ranges ?? []) {
              expect(r.CidrIpv6, `${name} ${path}`).to.include(':');
              v6++;
            }
          }
        }
      }
    }
    expect(v6, 'some fixture has IPv6 rules').to.be.greaterThan(0);
  });
});

describe('VPC route server in a dual-stack VPC', () => {
  const files = renderFixture('aws-route-server-dual-stack');
  const lines = (router: string) => files.get(`${router}.vyos`)!.split('\n');

  it('each endpoint session carries IPv6 with its own maps; the standby prepends and lowers the preference', () => {
    for (const r of ['tokyo-a', 'tokyo-s']) {
      for (const e of ['10.0.1.6', '10.0.1.7']) {
        expect(lines(r)).to.include.members([
          `set protocols bgp neighbor ${e} address-family ipv6-unicast route-map export 'RM6-TOKYO-TO-VPC'`,
          `set protocols bgp neighbor ${e} address-family ipv6-unicast route-map import 'RM6-TOKYO-CLOUD-IN'`,
        ]);
      }
    }
    expect(lines('tokyo-s')).to.include("set policy route-map RM6-TOKYO-TO-VPC rule 100 set as-path prepend '65000 65000 65000'");
    expect(lines('tokyo-s')).to.include("set policy route-map RM6-TOKYO-CLOUD-IN rule 100 set local-preference '50'");
    expect(lines('tokyo-a').some((l) => l.includes('RM6-TOKYO-TO-VPC rule 100 set as-path'))).to.equal(false);
    // The site's own IPv6 network never comes back from the route server, nor a default route.
    expect(lines('tokyo-a')).to.include.members([
      "set policy route-map RM6-TOKYO-CLOUD-IN rule 10 match ipv6 address prefix-list 'PL6-TOKYO-OUT'",
      "set policy prefix-list6 PL6-DEFAULT-ROUTE rule 10 prefix '::/0'",
    ]);
  });

  it('an IPv4-only route server site has no IPv6 on its sessions', () => {
    expect(renderFixture('aws-route-server').get('tokyo-a.vyos')).to.not.include('ipv6-unicast');
  });
});
