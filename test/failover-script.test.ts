// What the generated failover scripts do, run for real against a fake aws
// that keeps route tables and Elastic IP associations: which commands run on
// a failover, on a repeat run, when a route is missing, when AWS refuses one
// change; DRY_RUN=1 runs no aws and prints commands that, run, do exactly
// what the script does.
import { expect } from 'chai';
import { fixtureDoc, toYaml } from './helpers/topology.js';
import { Sandbox, renderFixture, renderText } from './helpers/fake-aws.js';

const REGION = 'ap-northeast-1';
const RTB_1 = 'rtb-0a1b2c3d4e5f60718';
const RTB_2 = 'rtb-0f1e2d3c4b5a69788';
const TOKYO_A = 'i-0aaaaaaaaaaaaaaa1';
const TOKYO_S = 'i-0bbbbbbbbbbbbbbb2';
const EIP = 'eipalloc-0123456789abcdef0';

const replace = (table: string, target: string, option = '--instance-id', dest = '172.31.0.0/16') =>
  `aws ec2 replace-route --region ${REGION} --route-table-id ${table} --destination-cidr-block ${dest} ${option} ${target}`;
const create = (table: string, target: string) =>
  `aws ec2 create-route --region ${REGION} --route-table-id ${table} --destination-cidr-block 172.31.0.0/16 --instance-id ${target}`;
// tokyo-s's secondary private address on its wan: never 10.0.0.11, which holds its own public address.
const TOKYO_S_EIP_PRIVATE = '10.0.0.21';
const associate = (target: string, option = '--instance-id') =>
  `aws ec2 associate-address --region ${REGION} --allocation-id ${EIP} ${option} ${target} --private-ip-address ${TOKYO_S_EIP_PRIVATE} --allow-reassociation`;

describe('failover script (fake aws)', () => {
  const files = renderFixture('aws-active-standby');
  let box: Sandbox;
  let script: string;

  beforeEach(() => {
    box = new Sandbox();
    script = box.write('tokyo-s.failover.sh', files.get('tokyo-s.failover.sh')!, true);
    // Before the failover everything points at the active router, tokyo-a.
    box.setRoutes([
      [REGION, RTB_1, '172.31.0.0/16', TOKYO_A],
      [REGION, RTB_2, '172.31.0.0/16', TOKYO_A],
      [REGION, RTB_1, '0.0.0.0/0', 'igw-0123'],
    ]);
    box.write('state/eips', `${REGION} ${EIP} ${TOKYO_A}\n`);
  });
  afterEach(() => box.dispose());

  it('points every route table and the Elastic IP at this router', () => {
    const r = box.run(script);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.aws).to.deep.equal([replace(RTB_1, TOKYO_S), replace(RTB_2, TOKYO_S), associate(TOKYO_S)]);
    expect(box.read('routes')).to.deep.equal([
      `${REGION} ${RTB_1} 0.0.0.0/0 igw-0123`,
      `${REGION} ${RTB_1} 172.31.0.0/16 ${TOKYO_S}`,
      `${REGION} ${RTB_2} 172.31.0.0/16 ${TOKYO_S}`,
    ]);
    expect(box.read('eips')).to.deep.equal([`${REGION} ${EIP} ${TOKYO_S} ${TOKYO_S_EIP_PRIVATE}`]);
    expect(r.stdout, 'a real run prints nothing on stdout').to.equal('');
    expect(r.stderr).to.include(`${RTB_1}: 172.31.0.0/16 -> ${TOKYO_S}`);
  });

  it('a repeat run runs the same commands and adds nothing', () => {
    const first = box.run(script);
    const routes = box.read('routes');
    const eips = box.read('eips');
    const second = box.run(script);
    expect(second.status, second.stderr).to.equal(0);
    expect(second.aws).to.deep.equal(first.aws);
    expect(second.aws.some((c) => c.includes('create-route'))).to.equal(false);
    expect(box.read('routes')).to.deep.equal(routes);
    expect(box.read('eips')).to.deep.equal(eips);
  });

  it('creates a route only where it is missing, and only once', () => {
    box.setRoutes([[REGION, RTB_1, '172.31.0.0/16', TOKYO_A]]);
    const first = box.run(script);
    expect(first.status, first.stderr).to.equal(0);
    expect(first.aws).to.deep.equal([replace(RTB_1, TOKYO_S), replace(RTB_2, TOKYO_S), create(RTB_2, TOKYO_S), associate(TOKYO_S)]);
    expect(box.read('routes')).to.deep.equal([`${REGION} ${RTB_1} 172.31.0.0/16 ${TOKYO_S}`, `${REGION} ${RTB_2} 172.31.0.0/16 ${TOKYO_S}`]);
    const second = box.run(script);
    expect(second.aws).to.deep.equal([replace(RTB_1, TOKYO_S), replace(RTB_2, TOKYO_S), associate(TOKYO_S)]);
  });

  it('moves everything it may when AWS refuses one change, and exits 1', () => {
    const r = box.run(script, [], { FAKE_AWS_REFUSE: RTB_1 });
    expect(r.status).to.equal(1);
    expect(r.aws, 'a refusal is not a missing route: no create-route').to.deep.equal([replace(RTB_1, TOKYO_S), replace(RTB_2, TOKYO_S), associate(TOKYO_S)]);
    expect(box.read('routes')).to.include(`${REGION} ${RTB_1} 172.31.0.0/16 ${TOKYO_A}`);
    expect(box.read('routes')).to.include(`${REGION} ${RTB_2} 172.31.0.0/16 ${TOKYO_S}`);
    expect(r.stderr).to.match(/UnauthorizedOperation/);
  });

  it('passes --region on every aws call', () => {
    box.setRoutes([]);
    const r = box.run(script);
    expect(r.aws.length).to.equal(5);
    for (const c of r.aws) expect(c).to.include(`--region ${REGION}`);
  });

  it('moves the Elastic IP to a secondary private address, never to the router\'s own wan address (issue 13)', () => {
    const r = box.run(script);
    const moves = r.aws.filter((c) => c.includes('associate-address'));
    expect(moves).to.have.length(1);
    expect(moves[0]).to.include(`--private-ip-address ${TOKYO_S_EIP_PRIVATE}`);
    expect(moves[0]).to.not.include('10.0.0.11');
  });

  it('says the AWS CLI is missing instead of failing on every call, and exits 3', () => {
    const r = box.run(script, [], { PATH: `${box.root}/nobin:/usr/bin:/bin` });
    expect(r.status).to.equal(3);
    expect(r.stderr).to.match(/the AWS CLI \(aws\) is not on PATH/);
    expect(r.calls).to.deep.equal([]);
  });

  it('ignores the arguments VRRP passes', () => {
    const r = box.run(script, ['INSTANCE', 'TOKYO-LAN', 'MASTER']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.aws).to.have.length(3);
  });

  describe('DRY_RUN', () => {
    it('DRY_RUN=1 runs no aws and prints each command on one line', () => {
      const r = box.run(script, [], { DRY_RUN: '1' });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.aws).to.deep.equal([]);
      expect(r.stdout).to.equal(`${[replace(RTB_1, TOKYO_S), replace(RTB_2, TOKYO_S), associate(TOKYO_S)].join('\n')}\n`);
    });

    it('the printed commands, run, make exactly the calls a real run makes', () => {
      const printed = box.run(script, [], { DRY_RUN: '1' }).stdout;
      const replay = box.write('replay.sh', `set -eu\n${printed}`);
      const replayed = box.run(replay);
      expect(replayed.status, replayed.stderr).to.equal(0);
      const replayedArgv = box.read('argv');
      box.setRoutes([
        [REGION, RTB_1, '172.31.0.0/16', TOKYO_A],
        [REGION, RTB_2, '172.31.0.0/16', TOKYO_A],
      ]);
      box.run(script);
      expect(replayedArgv).to.deep.equal(box.read('argv'));
    });

    it('prints any value so that the shell reads it back unchanged', () => {
      // A value no topology can hold (the schema allows none like it): the
      // printing itself must still quote it right.
      const hostile = `it's "a" $(touch PWNED) \`touch PWNED\` \\ ; x`;
      const text = files.get('tokyo-s.failover.sh')!.replace(`REGION='${REGION}'`, `REGION='${hostile.replace(/'/g, `'\\''`)}'`);
      const odd = box.write('odd.sh', text, true);
      const printed = box.run(odd, [], { DRY_RUN: '1' });
      expect(printed.status, printed.stderr).to.equal(0);
      expect(printed.stdout.split('\n').filter((l) => l !== '')).to.have.length(3);
      box.run(box.write('replay.sh', printed.stdout));
      const argv = box.read('argv');
      expect(argv).to.have.length(3);
      for (const a of argv) expect(a).to.include(`<--region><${hostile}><`);
      expect(argv[0]).to.equal(`<ec2><replace-route><--region><${hostile}><--route-table-id><${RTB_1}><--destination-cidr-block><172.31.0.0/16><--instance-id><${TOKYO_S}>`);
      expect(box.exists('PWNED')).to.equal(false);
    });

    it('refuses a DRY_RUN other than 0 or 1 before doing anything', () => {
      const r = box.run(script, [], { DRY_RUN: 'yes' });
      expect(r.status).to.equal(2);
      expect(r.aws).to.deep.equal([]);
      expect(r.stderr).to.match(/DRY_RUN must be 0 or 1/);
    });
  });
});

describe('failover script with network interfaces (two-interface routers)', () => {
  it('points the routes at the lan interface and the Elastic IP at the wan interface', () => {
    const doc = fixtureDoc('aws-active-standby');
    doc.sites.tokyo.routers['tokyo-s'].aws = { instance_id: TOKYO_S, lan_eni: 'eni-0b0b0b0b0b0b0b0b2', wan_eni: 'eni-0e0e0e0e0e0e0e0e2', eip_private_address: TOKYO_S_EIP_PRIVATE };
    const files = renderText(toYaml(doc));
    const box = new Sandbox();
    try {
      const script = box.write('f.sh', files.get('tokyo-s.failover.sh')!, true);
      box.setRoutes([[REGION, RTB_1, '172.31.0.0/16', TOKYO_A], [REGION, RTB_2, '172.31.0.0/16', TOKYO_A]]);
      const r = box.run(script);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.aws).to.deep.equal([
        replace(RTB_1, 'eni-0b0b0b0b0b0b0b0b2', '--network-interface-id'),
        replace(RTB_2, 'eni-0b0b0b0b0b0b0b0b2', '--network-interface-id'),
        associate('eni-0e0e0e0e0e0e0e0e2', '--network-interface-id'),
      ]);
    } finally {
      box.dispose();
    }
  });

  it('moves the networks the other sites announce when the site lists no destinations (serf fixture)', () => {
    const files = renderFixture('inter-region-vpn-serf');
    const box = new Sandbox();
    try {
      const script = box.write('f.sh', files.get('osaka-s.failover.sh')!, true);
      const r = box.run(script, [], { DRY_RUN: '1' });
      expect(r.status, r.stderr).to.equal(0);
      const at = (dest: string) =>
        `aws ec2 replace-route --region ap-northeast-3 --route-table-id rtb-0c1c2c3c4c5c6c7c8 --destination-cidr-block ${dest} --network-interface-id eni-0d0d0d0d0d0d0d0d4`;
      expect(r.stdout.trimEnd().split('\n')).to.deep.equal([at('10.0.1.0/24'), at('10.10.0.0/16')]);
    } finally {
      box.dispose();
    }
  });
});
