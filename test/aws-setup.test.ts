// Issue 13: what operators did by hand, generated beside the configurations.
// Every IAM policy and security-group file parses and names only resources
// of its topology; the policy allows exactly the calls the site's scripts
// make; the source/destination check script and the VRRP health check run
// against fakes; the scale-up script replaces the router in seed 002's order.
import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../dist/index.js';
import { FIXTURES, ROOT } from './helpers/golden.js';
import { Sandbox, renderFixture } from './helpers/fake-aws.js';

const AWS_ID = /\b(?:i|eni|rtb|eipalloc|sg|subnet|ami)-[0-9a-f]{8,17}\b/g;

/** Ids a generated file names that its topology does not. */
export function foreignIds(content: string, topology: string): string[] {
  return [...new Set(content.match(AWS_ID) ?? [])].filter((id) => !topology.includes(id));
}

function cases() {
  const out: { name: string; text: string; files: Map<string, string> }[] = [];
  for (const dir of [FIXTURES, join(ROOT, 'examples')]) {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name, 'topology.yaml');
      if (name.startsWith('err-') || !existsSync(p)) continue;
      const text = readFileSync(p, 'utf8');
      const r = render(text, { file: 't.yaml', redact: true });
      if (r.diagnostics.some((d) => d.severity === 'error')) continue;
      out.push({ name, text, files: new Map(r.files.map((f) => [f.path, f.content])) });
    }
  }
  return out;
}

const pascal = (op: string) => `ec2:${op.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
/** The EC2 operations a script can call: `aws ec2 OP` and `aws_run ec2 OP` in its code. */
const callsOf = (script: string) =>
  new Set([...script.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n').matchAll(/\b(?:(?:aws|aws_run|show aws) ec2|ask) "?([a-z][a-z-]+)/g)].map((m) => m[1]!));

describe('IAM policies and security groups of every fixture and example (issue 13)', () => {
  const all = cases();
  const json = all.flatMap((c) => [...c.files].filter(([p]) => p.endsWith('.json') && !p.endsWith('.serf.json')).map(([p, content]) => ({ c, p, content })));

  it('there are some, for sites and NAT pairs', () => {
    expect(json.map((j) => `${j.c.name}/${j.p}`)).to.include.members([
      'aws-active-standby/tokyo.iam-policy.json',
      'aws-active-standby/tokyo.security-groups.json',
      'ha-nat/main-vpc.iam-policy.json',
      'inter-region-vpn-serf/osaka.security-groups.json',
    ]);
  });

  it('every file parses and names only resources from its topology', () => {
    for (const j of json) {
      expect(() => JSON.parse(j.content), `${j.c.name}/${j.p}`).to.not.throw();
      expect(foreignIds(j.content, j.c.text), `${j.c.name}/${j.p}`).to.deep.equal([]);
    }
  });

  it('the check finds a planted foreign id', () => {
    const j = json.find((x) => x.p === 'tokyo.iam-policy.json')!;
    expect(foreignIds(j.content.replace('rtb-0a1b2c3d4e5f60718', 'rtb-0deadbeefdeadbeef'), j.c.text)).to.deep.equal(['rtb-0deadbeefdeadbeef']);
  });

  it('each policy allows exactly the EC2 calls of the scripts that run under it', () => {
    for (const c of all) {
      for (const [p, content] of c.files) {
        if (!p.endsWith('.iam-policy.json')) continue;
        const name = p.replace('.iam-policy.json', '');
        const scripts = [...c.files].filter(([q, text]) => /\.(failover|nat-watch|scale-up)\.sh$/.test(q) && text.includes(`${name}.iam-policy.json`) || (/\.nat-watch\.sh$/.test(q) && text.includes(`pair ${name},`)));
        expect(scripts.length, `${c.name}/${p}: its scripts`).to.be.greaterThan(0);
        const called = new Set(scripts.flatMap(([, text]) => [...callsOf(text)]).filter((op) => op !== 'wait').map(pascal));
        const policy = JSON.parse(content) as { Statement: { Action: string[] }[] };
        // CreateTags is how EC2 authorizes run-instances --tag-specifications; wait instance-running polls DescribeInstances.
        const allowed = new Set(policy.Statement.flatMap((s) => s.Action).filter((a) => a.startsWith('ec2:') && a !== 'ec2:CreateTags'));
        expect([...allowed].sort(), `${c.name}/${p}`).to.deep.equal([...called].sort());
      }
    }
  });

  it('aws-active-standby: routes on the site\'s tables, the Elastic IP on itself and the wan interfaces, nothing else', () => {
    const files = renderFixture('aws-active-standby');
    const s = (JSON.parse(files.get('tokyo.iam-policy.json')!) as { Statement: { Sid: string; Action: string[]; Resource: string[] }[] }).Statement;
    expect(s.find((x) => x.Sid === 'VygenMoveRoutes')).to.deep.include({
      Action: ['ec2:CreateRoute', 'ec2:ReplaceRoute'],
      Resource: ['arn:aws:ec2:ap-northeast-1:*:route-table/rtb-0a1b2c3d4e5f60718', 'arn:aws:ec2:ap-northeast-1:*:route-table/rtb-0f1e2d3c4b5a69788'],
    });
    expect(s.find((x) => x.Sid === 'VygenMoveElasticIp')!.Resource).to.deep.equal([
      'arn:aws:ec2:ap-northeast-1:*:elastic-ip/eipalloc-0123456789abcdef0',
      'arn:aws:ec2:ap-northeast-1:*:instance/i-0aaaaaaaaaaaaaaa1',
      'arn:aws:ec2:ap-northeast-1:*:instance/i-0bbbbbbbbbbbbbbb2',
    ]);
    expect(s.find((x) => x.Sid === 'VygenScaleUpStopSelf')!.Resource).to.deep.equal(['arn:aws:ec2:ap-northeast-1:*:instance/i-0aaaaaaaaaaaaaaa1', 'arn:aws:ec2:ap-northeast-1:*:instance/i-0bbbbbbbbbbbbbbb2']);
  });

  it('security groups: IPsec from the gateways, iBGP and VRRP from the other router, the site\'s traffic', () => {
    const sg = JSON.parse(renderFixture('aws-active-standby').get('tokyo.security-groups.json')!);
    const rules = sg.Nodes['tokyo-a'].IpPermissions.map((p: any) => `${p.IpProtocol} ${p.FromPort ?? ''} ${p.IpRanges[0].CidrIp}`);
    expect(rules).to.deep.equal([
      'udp 500 52.196.0.10/32', 'udp 4500 52.196.0.10/32', '50  52.196.0.10/32',
      'udp 500 52.196.0.11/32', 'udp 4500 52.196.0.11/32', '50  52.196.0.11/32',
      'tcp 179 10.0.1.5/32', '112  10.0.1.5/32',
      '-1  10.0.1.0/24',
    ]);
    const serf = JSON.parse(renderFixture('inter-region-vpn-serf').get('tokyo.security-groups.json')!);
    const serfRules = serf.Nodes['tokyo-s'].IpPermissions.map((p: any) => `${p.IpProtocol} ${p.FromPort ?? ''} ${p.IpRanges[0].CidrIp}`);
    expect(serfRules).to.include.members(['tcp 7946 10.0.1.4/32', 'udp 7946 10.0.1.4/32', 'tcp 179 10.0.1.4/32']);
    expect(serfRules.filter((x: string) => x.startsWith('udp 4500 ')), 'NAT-T from its link peer').to.have.length(1);
  });
});

describe('source/destination check script (fake aws)', () => {
  const files = renderFixture('ha-nat');
  const modify = (i: string) => `aws ec2 modify-instance-attribute --region ap-northeast-1 --instance-id ${i} --no-source-dest-check`;
  const read = (i: string) => `aws ec2 describe-instance-attribute --region ap-northeast-1 --instance-id ${i} --attribute sourceDestCheck --query SourceDestCheck.Value --output text`;
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox()));
  afterEach(() => box.dispose());

  it('turns the check off on every node, once; a re-run only reads', () => {
    const script = box.write('s.sh', files.get('main-vpc.source-dest-check.sh')!, true);
    const first = box.run(script);
    expect(first.status, first.stderr).to.equal(0);
    expect(first.aws).to.deep.equal([read('i-0a1a1a1a1a1a1a1a1'), modify('i-0a1a1a1a1a1a1a1a1'), read('i-0b1b1b1b1b1b1b1b1'), modify('i-0b1b1b1b1b1b1b1b1')]);
    const second = box.run(script);
    expect(second.aws).to.deep.equal([read('i-0a1a1a1a1a1a1a1a1'), read('i-0b1b1b1b1b1b1b1b1')]);
  });

  it('DRY_RUN=1 reads and prints the changes, changes nothing', () => {
    const script = box.write('s.sh', files.get('main-vpc.source-dest-check.sh')!, true);
    const r = box.run(script, [], { DRY_RUN: '1' });
    expect(r.aws.some((c) => c.includes('modify-'))).to.equal(false);
    expect(r.stdout).to.equal(`${modify('i-0a1a1a1a1a1a1a1a1')}\n${modify('i-0b1b1b1b1b1b1b1b1')}\n`);
  });

  it('a two-interface router: both of its interfaces, named in its configuration\'s header', () => {
    const text = readFileSync(join(ROOT, 'examples', 'aws-active-standby', 'topology.yaml'), 'utf8');
    const ex = new Map(render(text, { file: 't.yaml', redact: true }).files.map((f) => [f.path, f.content]));
    const script = box.write('s.sh', ex.get('tokyo.source-dest-check.sh')!, true);
    const r = box.run(script);
    expect(r.aws.filter((c) => c.includes('modify-'))).to.deep.equal(
      ['eni-0aaaaaaaaaaaaaa10', 'eni-0aaaaaaaaaaaaaa11', 'eni-0bbbbbbbbbbbbbb20', 'eni-0bbbbbbbbbbbbbb21'].map(
        (e) => `aws ec2 modify-network-interface-attribute --region ap-northeast-1 --network-interface-id ${e} --no-source-dest-check`,
      ),
    );
    expect(ex.get('tokyo-a.vyos')!.split('\n').slice(0, 6)).to.include('# AWS: source/destination check must be off on eni-0aaaaaaaaaaaaaa10 and eni-0aaaaaaaaaaaaaa11: run tokyo.source-dest-check.sh once');
  });
});

describe('VRRP health check (fake vtysh)', () => {
  const files = renderFixture('aws-active-standby');
  let box: Sandbox;
  let script: string;
  beforeEach(() => {
    box = new Sandbox();
    box.write('bin/vtysh', '#!/bin/sh\necho "vtysh $*" >> "$FAKE_STATE/log"\nn=${2##* }\nif grep -qxF "$n" "$FAKE_STATE/established" 2>/dev/null; then echo "BGP neighbor is $n"; echo "  BGP state = Established, up for 00:01:02"; else echo "  BGP state = Active"; fi\n', true);
    script = box.write('h.sh', files.get('tokyo-a.vrrp-health.sh')!, true);
  });
  afterEach(() => box.dispose());

  it('fails while every eBGP session is down, passes once one is established', () => {
    const down = box.run(script);
    expect(down.status).to.equal(1);
    expect(down.calls).to.deep.equal(['vtysh -c show bgp neighbors 169.254.10.1', 'vtysh -c show bgp neighbors 169.254.11.1']);
    box.write('state/established', '169.254.11.1\n');
    expect(box.run(script).status).to.equal(0);
  });

  it('is the group\'s health check, with the cloud preempt delay (1.4: on the sync-group)', () => {
    const vyos = files.get('tokyo-a.vyos')!;
    expect(vyos).to.include("set high-availability vrrp sync-group SG-TOKYO health-check script '/config/scripts/vygen-vrrp-health.sh'");
    expect(vyos).to.include("set high-availability vrrp group TOKYO-LAN preempt-delay '180'");
  });
});

describe('scale-up script (seed 002, fake aws)', () => {
  const files = renderFixture('aws-active-standby');
  const NEW = 'i-0ffffffffffffff99';
  let box: Sandbox;
  let script: string;
  beforeEach(() => {
    box = new Sandbox();
    script = box.write('up.sh', files.get('tokyo-a.scale-up.sh')!, true);
    box.write('state/image', 'ami-0123456789abcdef0\n');
    box.write('state/instance-i-0aaaaaaaaaaaaaaa1', 'subnet-0123456789abcdef0\tarn:aws:iam::123456789012:instance-profile/router\tsg-0123456789abcdef0 sg-0fedcba987654321f\n');
    box.write(`state/instance-${NEW}`, '10.0.0.99\n');
    box.write('load', '0.50 2.40 1.00 1/100 1234\n');
    box.setRoutes([['ap-northeast-1', 'rtb-0a1b2c3d4e5f60718', '172.31.0.0/16', 'i-0aaaaaaaaaaaaaaa1'], ['ap-northeast-1', 'rtb-0f1e2d3c4b5a69788', '172.31.0.0/16', 'i-0aaaaaaaaaaaaaaa1']]);
  });
  afterEach(() => box.dispose());
  const ops = (r: { aws: string[] }) => r.aws.map((c) => c.split(' ').slice(2, 3)[0]);

  it('below the threshold it does nothing', () => {
    box.write('load', '3.00 1.99 1.00 1/100 1234\n');
    const r = box.run(script, [], { VYGEN_LOADAVG: join(box.root, 'load') });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.aws).to.deep.equal([]);
  });

  it('above it: AMI, launch, source/dest check off, routes, Elastic IP last, then stop itself', () => {
    const r = box.run(script, [], { VYGEN_LOADAVG: join(box.root, 'load') });
    expect(r.status, r.stderr).to.equal(0);
    expect(ops(r)).to.deep.equal(['describe-instances', 'describe-images', 'describe-instances', 'run-instances', 'wait', 'modify-instance-attribute', 'replace-route', 'replace-route', 'describe-addresses', 'associate-address', 'describe-instances', 'stop-instances']);
    expect(r.aws).to.include('aws ec2 run-instances --region ap-northeast-1 --image-id ami-0123456789abcdef0 --instance-type c5.large --subnet-id subnet-0123456789abcdef0 --security-group-ids sg-0123456789abcdef0 sg-0fedcba987654321f --iam-instance-profile Arn=arn:aws:iam::123456789012:instance-profile/router --tag-specifications ResourceType=instance,Tags=[{Key=Name,Value=tokyo-a},{Key=vygen:replaces,Value=i-0aaaaaaaaaaaaaaa1}] --query Instances[0].InstanceId --output text');
    expect(r.aws).to.include(`aws ec2 associate-address --region ap-northeast-1 --allocation-id eipalloc-0ffffffffffffff98 --instance-id ${NEW} --allow-reassociation`);
    expect(r.aws[r.aws.length - 1]).to.equal('aws ec2 stop-instances --region ap-northeast-1 --instance-ids i-0aaaaaaaaaaaaaaa1');
    expect(box.read('routes').every((l) => l.endsWith(NEW))).to.equal(true);
  });

  it('run again, it reuses the instance it launched: no second launch', () => {
    box.run(script, ['--force']);
    const again = box.run(script, ['--force']);
    expect(again.status, again.stderr).to.equal(0);
    expect(ops(again)).to.not.include('run-instances');
    expect(again.stderr).to.include(`reusing ${NEW}`);
  });

  it('DRY_RUN=1 launches nothing and prints the launch', () => {
    const r = box.run(script, ['--force'], { DRY_RUN: '1' });
    expect(r.status, r.stderr).to.equal(0);
    expect(ops(r)).to.deep.equal(['describe-instances', 'describe-images', 'describe-instances']);
    expect(r.stdout).to.match(/^aws ec2 run-instances --region ap-northeast-1 --image-id ami-0123456789abcdef0 --instance-type c5\.large /);
  });
});
