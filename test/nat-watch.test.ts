// Seed 003's HA NAT pair, run for real: the watch script with a fake ping
// (scripted answers), a fake sleep and a fake aws, driven one check at a time
// with --once (its state in NAT_WATCH_STATE) and as the endless loop; the NAT
// setup of a linux node with fake iptables and sysctl.
import { expect } from 'chai';
import { join } from 'node:path';
import { Sandbox, renderFixture } from './helpers/fake-aws.js';

const REGION = 'ap-northeast-1';
const NAT_A = 'i-0a1a1a1a1a1a1a1a1';
const NAT_B = 'i-0b1b1b1b1b1b1b1b1';
const A_TABLE = 'rtb-0a2a2a2a2a2a2a2a2';
const B_TABLES = ['rtb-0b2b2b2b2b2b2b2b2', 'rtb-0b3b3b3b3b3b3b3b3'];

const point = (table: string, target: string) =>
  `aws ec2 replace-route --region ${REGION} --route-table-id ${table} --destination-cidr-block 0.0.0.0/0 --instance-id ${target}`;

describe('NAT watch script (fake ping, sleep and aws)', () => {
  const files = renderFixture('ha-nat');
  let box: Sandbox;
  let watchB: string;
  let env: Record<string, string>;

  beforeEach(() => {
    box = new Sandbox();
    watchB = box.write('nat-b.nat-watch.sh', files.get('nat-b.nat-watch.sh')!, true);
    env = { NAT_WATCH_STATE: join(box.root, 'run', 'nat-b.state') };
    // Each zone's private tables send 0.0.0.0/0 to the zone's NAT node.
    box.setRoutes([[REGION, A_TABLE, '0.0.0.0/0', NAT_A], ...B_TABLES.map((t): [string, string, string, string] => [REGION, t, '0.0.0.0/0', NAT_B])]);
  });
  afterEach(() => box.dispose());

  /** One --once check per answer; the aws calls of each. */
  const checks = (answers: ('up' | 'down')[], extra: Record<string, string> = {}) =>
    answers.map((a) => {
      box.setPings([a]);
      const r = box.run(watchB, ['--once'], { ...env, ...extra });
      expect(r.status, r.stderr).to.equal(0);
      return r;
    });

  it('pings the peer once per check, with the timeout', () => {
    const [r] = checks(['up']);
    expect(r!.calls).to.deep.equal(['ping -c 1 -W 2 10.20.0.10']);
  });

  it('takes over the peer\'s route tables after 3 missed pings, exactly once', () => {
    const runs = checks(['down', 'down', 'down', 'down', 'down']);
    expect(runs.map((r) => r.aws)).to.deep.equal([[], [], [point(A_TABLE, NAT_B)], [], []]);
    expect(box.read('routes')).to.include(`${REGION} ${A_TABLE} 0.0.0.0/0 ${NAT_B}`);
    expect(box.read('routes').filter((l) => l.endsWith(NAT_B))).to.have.length(3);
    expect(runs[2]!.stderr).to.match(/nat-a missed 3 checks: taking over/);
  });

  it('gives them back when the peer answers again, exactly once', () => {
    checks(['down', 'down', 'down']);
    const runs = checks(['up', 'up', 'up']);
    expect(runs.map((r) => r.aws)).to.deep.equal([[point(A_TABLE, NAT_A)], [], []]);
    expect(box.read('routes')).to.include(`${REGION} ${A_TABLE} 0.0.0.0/0 ${NAT_A}`);
    expect(runs[0]!.stderr).to.match(/answers again: giving its route tables back/);
  });

  it('needs the misses in a row: an answer in between starts the count again', () => {
    const runs = checks(['down', 'down', 'up', 'down', 'down']);
    expect(runs.flatMap((r) => r.aws)).to.deep.equal([]);
    expect(checks(['down'])[0]!.aws).to.deep.equal([point(A_TABLE, NAT_B)]);
  });

  it('never touches its own zone\'s tables', () => {
    const calls = [...checks(['down', 'down', 'down', 'down']), ...checks(['up', 'up'])].flatMap((r) => r.aws);
    for (const t of B_TABLES) expect(calls.join('\n')).not.to.include(t);
  });

  it('retries a takeover AWS refused at the next check', () => {
    checks(['down', 'down']);
    box.setPings(['down']);
    const refused = box.run(watchB, ['--once'], { ...env, FAKE_AWS_REFUSE: A_TABLE });
    expect(refused.status, '--once exits 1 when the takeover failed').to.equal(1);
    expect(refused.aws).to.deep.equal([point(A_TABLE, NAT_B)]);
    const retried = checks(['down']);
    expect(retried[0]!.aws).to.deep.equal([point(A_TABLE, NAT_B)]);
    expect(checks(['down'])[0]!.aws).to.deep.equal([]);
  });

  it('the loop keeps its state in a variable: takeover once, give-back once', () => {
    // No state file: everything the loop knows is in its variables.
    box.setPings(['down', 'down', 'down', 'down', 'up', 'up']);
    const r = box.run(watchB, [], { NAT_WATCH_STATE: '' });
    expect(r.signal, 'the fake sleep ends the loop when the pings run out').to.equal('SIGTERM');
    expect(r.aws).to.deep.equal([point(A_TABLE, NAT_B), point(A_TABLE, NAT_A)]);
    expect(r.calls.filter((c) => c.startsWith('sleep'))).to.deep.equal(Array(6).fill('sleep 30'));
    expect(r.calls.filter((c) => c.startsWith('ping'))).to.have.length(6);
    expect(box.exists('run')).to.equal(false);
  });

  it('the VyOS node takes over both of the linux node\'s tables', () => {
    const watchA = box.write('nat-a.nat-watch.sh', files.get('nat-a.nat-watch.sh')!, true);
    box.setPings(['down', 'down', 'down']);
    const r = box.run(watchA, [], { NAT_WATCH_STATE: '' });
    expect(r.aws).to.deep.equal(B_TABLES.map((t) => point(t, NAT_A)));
    expect(r.calls[0]).to.equal('ping -c 1 -W 2 10.20.1.10');
  });

  it('DRY_RUN=1 runs no aws and prints the takeover and the give-back', () => {
    const runs = checks(['down', 'down', 'down', 'up'], { DRY_RUN: '1' });
    expect(runs.flatMap((r) => r.aws)).to.deep.equal([]);
    expect(runs.map((r) => r.stdout)).to.deep.equal(['', '', `${point(A_TABLE, NAT_B)}\n`, `${point(A_TABLE, NAT_A)}\n`]);
  });

  it('DRY_RUN=1 writes no state unless NAT_WATCH_STATE is set', () => {
    for (let i = 0; i < 2; i++) {
      box.setPings(['down']);
      const r = box.run(watchB, ['--once'], { DRY_RUN: '1' });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stderr, 'each run starts from no misses: nothing was kept').to.match(/did not answer \(1\/3\)/);
    }
  });

  it('refuses unknown arguments before pinging', () => {
    const r = box.run(watchB, ['--twice'], env);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/usage:/);
    expect(r.calls).to.deep.equal([]);
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
