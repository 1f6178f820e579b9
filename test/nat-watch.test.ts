// Seed 003's HA NAT pair, run for real: the watch script with a fake ping
// (scripted answers per address), a fake sleep and a fake aws that keeps
// route tables, driven one check at a time with --once (its counts in
// NAT_WATCH_STATE, which table points where read from AWS) and as the
// endless loop; the NAT setup of a linux node with fake iptables and sysctl.
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, renderFixture } from './helpers/fake-aws.js';

const REGION = 'ap-northeast-1';
const NAT_A = 'i-0a1a1a1a1a1a1a1a1';
const NAT_B = 'i-0b1b1b1b1b1b1b1b1';
const A_TABLE = 'rtb-0a2a2a2a2a2a2a2a2';
const B_TABLES = ['rtb-0b2b2b2b2b2b2b2b2', 'rtb-0b3b3b3b3b3b3b3b3'];

const HB_TABLE = 'rtb-0b4b4b4b4b4b4b4b4';
// nat-b's probe through nat-a, and nat-a's probe, which nat-b's own table sends to the Internet gateway.
const PROBE = '8.8.8.8';
const OWN_PROBE = '8.8.4.4';

const point = (table: string, target: string) =>
  `aws ec2 replace-route --region ${REGION} --route-table-id ${table} --destination-cidr-block 0.0.0.0/0 --instance-id ${target}`;
const HB_ROUTE: [string, string, string, string] = [REGION, HB_TABLE, `${PROBE}/32`, NAT_A];
const heartbeat = `aws ec2 replace-route --region ${REGION} --route-table-id ${HB_TABLE} --destination-cidr-block ${PROBE}/32 --instance-id ${NAT_A}`;
const describeCall = (table: string) =>
  `aws ec2 describe-route-tables --region ${REGION} --route-table-ids ${table} --query RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].InstanceId | [0] --output text`;

describe('NAT watch script (fake ping, sleep and aws)', () => {
  const files = renderFixture('ha-nat');
  let box: Sandbox;
  let watchB: string;
  let env: Record<string, string>;

  beforeEach(() => {
    box = new Sandbox();
    watchB = box.write('nat-b.nat-watch.sh', files.get('nat-b.nat-watch.sh')!, true);
    env = { NAT_WATCH_STATE: join(box.root, 'state-dir', 'nat-b.state') };
    // Each zone's private tables send 0.0.0.0/0 to the zone's NAT node; nat-b's
    // own path (8.8.4.4 through its Internet gateway) works.
    box.setRoutes([[REGION, A_TABLE, '0.0.0.0/0', NAT_A], ...B_TABLES.map((t): [string, string, string, string] => [REGION, t, '0.0.0.0/0', NAT_B]), HB_ROUTE]);
    box.alwaysUp([OWN_PROBE]);
  });
  afterEach(() => box.dispose());

  const changes = (r: { aws: string[] }) => r.aws.filter((c) => !c.includes(' describe-route-tables '));
  /** One --once run per answer of the probe through the peer. */
  const checks = (answers: ('up' | 'down')[], extra: Record<string, string> = {}) =>
    answers.map((a) => {
      box.setPings([a]);
      const r = box.run(watchB, ['--once'], { ...env, ...extra });
      expect(r.status, r.stderr).to.equal(0);
      return r;
    });

  it('at start points its heartbeat route at the peer, then tests its own path before the peer (issue 13)', () => {
    box.setRoutes([[REGION, A_TABLE, '0.0.0.0/0', NAT_A], ...B_TABLES.map((t): [string, string, string, string] => [REGION, t, '0.0.0.0/0', NAT_B])]);
    const [r, again] = checks(['up', 'up']);
    expect(r!.calls.filter((c) => c.startsWith('ping'))).to.deep.equal([`ping -c 1 -W 2 ${OWN_PROBE}`, `ping -c 1 -W 2 ${OWN_PROBE}`, `ping -c 1 -W 2 ${PROBE}`]);
    expect(changes(r!), 'created on the first start').to.deep.equal([heartbeat, heartbeat.replace('replace-route', 'create-route')]);
    expect(changes(again!), 'then only replaced by the same').to.deep.equal([heartbeat]);
    expect(box.read('routes')).to.include(`${REGION} ${HB_TABLE} ${PROBE}/32 ${NAT_A}`);
  });

  it('probes through the peer: the peer answering its own ping is not enough', () => {
    // nat-a itself would answer (its address is up); the path through it is not.
    box.alwaysUp([OWN_PROBE, '10.20.0.10']);
    const runs = checks(['down', 'down', 'down']);
    expect(runs.map((r) => changes(r).filter((c) => c !== heartbeat))).to.deep.equal([[], [], [point(A_TABLE, NAT_B)]]);
  });

  it('takes over the peer\'s route tables after 3 failed checks, exactly once', () => {
    const runs = checks(['down', 'down', 'down', 'down', 'down']);
    expect(runs.map((r) => changes(r).filter((c) => c !== heartbeat))).to.deep.equal([[], [], [point(A_TABLE, NAT_B)], [], []]);
    expect(box.read('routes')).to.include(`${REGION} ${A_TABLE} 0.0.0.0/0 ${NAT_B}`);
  });

  it('in a dual-stack VPC moves 0.0.0.0/0 only: ::/0 stays on the egress-only Internet gateway (NAT is IPv4)', () => {
    const EIGW = 'eigw-0c1c1c1c1c1c1c1c1';
    box.setRoutes([[REGION, A_TABLE, '0.0.0.0/0', NAT_A], [REGION, A_TABLE, '::/0', EIGW], ...B_TABLES.map((t): [string, string, string, string] => [REGION, t, '0.0.0.0/0', NAT_B]), HB_ROUTE]);
    const runs = checks(['down', 'down', 'down']);
    expect(runs.flatMap((r) => changes(r).filter((c) => c !== heartbeat))).to.deep.equal([point(A_TABLE, NAT_B)]);
    expect(box.read('routes')).to.include(`${REGION} ${A_TABLE} 0.0.0.0/0 ${NAT_B}`).and.to.include(`${REGION} ${A_TABLE} ::/0 ${EIGW}`);
  });

  it('reads where the tables point from AWS, not from a flag: a takeover survives losing the state', () => {
    checks(['down', 'down', 'down']);
    rmSync(env.NAT_WATCH_STATE!, { force: true });
    const runs = checks(['up', 'up', 'up']);
    expect(runs.map((r) => changes(r).filter((c) => c !== heartbeat))).to.deep.equal([[], [], [point(A_TABLE, NAT_A)]]);
    expect(runs[2]!.aws).to.include(describeCall(A_TABLE));
  });

  it('gives back only after 3 good checks in a row (hold-down), exactly once', () => {
    checks(['down', 'down', 'down']);
    const runs = checks(['up', 'up', 'down', 'up', 'up', 'up', 'up']);
    expect(runs.map((r) => changes(r).filter((c) => c !== heartbeat))).to.deep.equal([[], [], [], [], [], [point(A_TABLE, NAT_A)], []]);
  });

  it('judges nothing while its own Internet path is down', () => {
    box.alwaysUp([]);
    box.setPings(['down', 'down', 'down', 'down', 'down', 'down']);
    const r = box.run(watchB, [], { NAT_WATCH_STATE: '' });
    expect(r.signal).to.equal('SIGTERM');
    expect(changes(r).filter((c) => c !== heartbeat)).to.deep.equal([]);
    expect(r.stderr).to.match(/own Internet path \(8\.8\.4\.4\) is down: not judging nat-a/);
  });

  it('reclaims its own route tables at start when its path works', () => {
    box.setRoutes([[REGION, A_TABLE, '0.0.0.0/0', NAT_A], [REGION, B_TABLES[0]!, '0.0.0.0/0', NAT_A], [REGION, B_TABLES[1]!, '0.0.0.0/0', NAT_B], HB_ROUTE]);
    const [r] = checks(['up']);
    expect(changes(r!)).to.deep.equal([heartbeat, point(B_TABLES[0]!, NAT_B)]);
  });

  it('retries a takeover AWS refused at the next check', () => {
    checks(['down', 'down']);
    box.setPings(['down']);
    const refused = box.run(watchB, ['--once'], { ...env, FAKE_AWS_REFUSE: A_TABLE });
    expect(refused.status, '--once exits 1 when the takeover failed').to.equal(1);
    expect(checks(['down'])[0]!.aws).to.include(point(A_TABLE, NAT_B));
    expect(changes(checks(['down'])[0]!).filter((c) => c !== heartbeat)).to.deep.equal([]);
  });

  it('the loop: takeover once, give-back once after the hold-down', () => {
    box.setPings(['down', 'down', 'down', 'down', 'up', 'up', 'up', 'up']);
    const r = box.run(watchB, [], { NAT_WATCH_STATE: '' });
    expect(r.signal, 'the fake sleep ends the loop when the pings run out').to.equal('SIGTERM');
    expect(changes(r)).to.deep.equal([heartbeat, point(A_TABLE, NAT_B), point(A_TABLE, NAT_A)]);
    expect(r.calls.filter((c) => c.startsWith('sleep'))).to.deep.equal(Array(8).fill('sleep 30'));
  });

  it('the VyOS node takes over both of the linux node\'s tables', () => {
    const watchA = box.write('nat-a.nat-watch.sh', files.get('nat-a.nat-watch.sh')!, true);
    box.alwaysUp([PROBE]);
    box.setPings(['down', 'down', 'down']);
    const r = box.run(watchA, [], { NAT_WATCH_STATE: '' });
    expect(changes(r).filter((c) => !c.includes('rtb-0a4a'))).to.deep.equal(B_TABLES.map((t) => point(t, NAT_A)));
  });

  it('DRY_RUN=1 changes nothing and prints the takeover and the give-back', () => {
    const runs = checks(['down', 'down', 'down'], { DRY_RUN: '1' });
    expect(runs.flatMap((r) => changes(r))).to.deep.equal([]);
    expect(runs[2]!.stdout).to.include(`${point(A_TABLE, NAT_B)}\n`);
    expect(box.read('routes')).to.include(`${REGION} ${A_TABLE} 0.0.0.0/0 ${NAT_A}`);
  });

  it('refuses unknown arguments before pinging', () => {
    const r = box.run(watchB, ['--twice'], env);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/usage:/);
    expect(r.calls).to.deep.equal([]);
  });
});

describe('systemd unit of the NAT watch (issue 13)', () => {
  const files = renderFixture('ha-nat');
  for (const node of ['nat-a', 'nat-b']) {
    it(`${node}: sandboxed, with a dedicated state directory`, () => {
      const unit = files.get(`${node}.nat-watch.service`)!;
      for (const line of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=read-only', 'PrivateTmp=yes', 'StateDirectory=vygen-nat-watch', `Environment=NAT_WATCH_STATE=/var/lib/vygen-nat-watch/${node}.state`]) {
        expect(unit.split('\n'), line).to.include(line);
      }
      expect(unit).to.not.match(/^RuntimeDirectory/m);
    });
  }
  it('the linux node\'s NAT setup runs outside the sandbox (iptables needs /run)', () => {
    expect(files.get('nat-b.nat-watch.service')!.split('\n')).to.include('ExecStartPre=+/usr/local/sbin/vygen-nat.sh');
  });
});

describe('NAT setup script of a linux node (fake iptables and sysctl)', () => {
  const files = renderFixture('ha-nat');
  let box: Sandbox;
  let nat: string;
  beforeEach(() => {
    box = new Sandbox();
    nat = box.write('nat-b.nat.sh', files.get('nat-b.nat.sh')!, true);
  });
  afterEach(() => box.dispose());

  const changes = (calls: string[]) => calls.filter((c) => / -[AD] |sysctl -q -w /.test(c));
  const RULE = 'POSTROUTING -s 10.20.0.0/16 -o eth0 -j MASQUERADE';

  it('turns on forwarding and adds the MASQUERADE rule once, however often it runs', () => {
    const first = box.run(nat);
    expect(first.status, first.stderr).to.equal(0);
    expect(changes(first.calls)).to.deep.equal(['sysctl -q -w net.ipv4.ip_forward=1', `iptables -t nat -A ${RULE}`]);
    const second = box.run(nat);
    expect(second.status, second.stderr).to.equal(0);
    expect(changes(second.calls)).to.deep.equal([]);
    expect(second.calls).to.include(`iptables -t nat -C ${RULE}`);
    expect(box.read('iptables')).to.deep.equal([RULE]);
    expect(box.read('sysctl')).to.deep.equal(['net.ipv4.ip_forward=1']);
  });

  it('--remove deletes every copy of the rule and turns forwarding off; again, nothing', () => {
    box.run(nat);
    box.write('state/iptables', `${RULE}\n${RULE}\n`);
    const removed = box.run(nat, ['--remove']);
    expect(removed.status, removed.stderr).to.equal(0);
    expect(changes(removed.calls)).to.deep.equal([`iptables -t nat -D ${RULE}`, `iptables -t nat -D ${RULE}`, 'sysctl -q -w net.ipv4.ip_forward=0']);
    expect(box.read('iptables')).to.deep.equal([]);
    expect(changes(box.run(nat, ['--remove']).calls)).to.deep.equal([]);
  });

  it('refuses unknown arguments without changing anything', () => {
    const r = box.run(nat, ['--bogus']);
    expect(r.status).to.equal(2);
    expect(r.calls).to.deep.equal([]);
  });
});
