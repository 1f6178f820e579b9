// `vygen lab` against planted defects, with the real FRR (and strongSwan) in
// network namespaces: each defect must fail with a message that names its
// culprit. The labs of this file run at the same time (they mostly wait on
// BGP timers); each test awaits its own. Skipped loudly where the lab cannot
// run (not root, no FRR); required when CI=true. The clean examples, with
// every scenario, are run by .ci/run (scripts/lab-examples.sh).
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingPrerequisites, type LabFile, type LabReport } from '../dist/lab/index.js';
import { ipsecMissing } from '../dist/lab/ipsec.js';
import { CI, lab, plant, renderedExample, renderedTopology, requireLab } from './helpers/lab.js';

const LAB_TIMEOUT = 240000;

const seed000 = renderedExample('inter-region-vpn');
const hub = renderedExample('multi-region-hub');

// The export policy of hub regions: a route-map or prefix-list on an active
// hub router's export toward another hub router.
const hubExport = /^set protocols bgp (?:\d+ )?neighbor (\S+) address-family ipv4-unicast (?:route-map|prefix-list) export .*\n/gm;
const hubPeers = (text: string) => new Set([...text.matchAll(/^set protocols bgp (?:\d+ )?neighbor (\S+) description 'eBGP \S+-hub-[as] /gm)].map((m) => m[1]!));
const stripHubExport = (text: string) => {
  const peers = hubPeers(text);
  return text.replace(hubExport, (line: string, addr: string) => (peers.has(addr) ? '' : line));
};
const hubHasPolicy = hub.some((f) => /-hub-a\.vyos$/.test(f.name) && stripHubExport(f.text) !== f.text);

/** The CLI, as CI runs it, over a directory of files. */
function cli(files: LabFile[], args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'vygen-lab-'));
  for (const f of files) writeFileSync(join(dir, f.name), f.text);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', 'lab', '--from', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ status, stdout, stderr });
    });
  });
}

type Runs = {
  control: ReturnType<typeof cli>;
  remoteAs: Promise<LabReport>;
  prepend: Promise<LabReport>;
  hubControl?: Promise<LabReport>;
  hubDefect: Promise<LabReport>;
  ipsec: Promise<LabReport>;
  vrrp: Promise<LabReport>;
  vrrpDefect: Promise<LabReport>;
};

let runs: Runs | undefined;

function start(): Runs {
  const r: Runs = {
    control: cli(seed000, ['--no-scenarios', '--format', 'json']),
    remoteAs: lab(
      'seed 000, tokyo-a remote-as 65099',
      plant(seed000, 'tokyo-a.vyos', (t) => t.replace("neighbor 172.16.0.2 remote-as '65002'", "neighbor 172.16.0.2 remote-as '65099'")),
      { scenarios: false, ipsec: false },
    ),
    prepend: lab(
      'aws-active-standby, tokyo-s without prepend',
      plant(renderedExample('aws-active-standby'), 'tokyo-s.vyos', (t) => t.replace(/^set policy route-map RM-TOKYO-OUT rule 10 set as-path prepend .*\n/m, '')),
      { scenarios: false, ipsec: false },
    ),
    hubDefect: lab(
      'multi-region-hub without hub export policy',
      hubHasPolicy ? hub.map((f) => (/-hub-a\.vyos$/.test(f.name) ? { ...f, text: stripHubExport(f.text) } : f)) : hub,
      { fail: ['singapore-hub-a'], ipsec: false },
    ),
    // Three IPsec defects on three links of one lab: each pair must fail on its own, the others establish.
    vrrp: undefined as unknown as Promise<LabReport>,
    vrrpDefect: undefined as unknown as Promise<LabReport>,
    ipsec: lab(
      'seed 000 with IPsec defects',
      plant(
        plant(seed000, 'tokyo-a.vyos', (t) => t.replace("secret 'REDACTED:env:VYGEN_PSK_TOKYO_OSAKA_A'", "secret 'REDACTED:env:VYGEN_PSK_SOMETHING_ELSE'")),
        'osaka-s.vyos',
        (t) => t.replace(/(site-to-site peer tokyo-s authentication remote-id )'[^']*'/, "$1'192.0.2.99'"),
      ),
      { scenarios: false },
    ),
  };
  r.vrrp = lab('aws-active-standby', renderedExample('aws-active-standby'), { scenarios: false, ipsec: false });
  r.vrrpDefect = lab(
    'aws-active-standby, tokyo-s with another VRRP password',
    plant(renderedExample('aws-active-standby'), 'tokyo-s.vyos', (t) => t.replace("vrrp group TOKYO-LAN authentication password 'REDACTED'", "vrrp group TOKYO-LAN authentication password 'OTHER'")),
    { scenarios: false, ipsec: false },
  );
  if (hubHasPolicy) r.hubControl = lab('multi-region-hub', hub, { fail: ['singapore-hub-a'], ipsec: false });
  // Each is awaited by its test; a rejection before then is not unhandled.
  for (const p of Object.values(r)) (p as Promise<unknown>).catch(() => {});
  return r;
}

describe('vygen lab (real FRR in network namespaces)', function () {
  this.timeout(LAB_TIMEOUT);
  before(function () {
    if (!missingPrerequisites()) runs = start();
  });

  it('seed 000 as rendered: every session Established, every route over the active link (CLI, --format json)', async function () {
    requireLab(this);
    const r = await runs!.control;
    expect(r.status, r.stdout + r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).to.include.members(['ok', 'sessions', 'routes', 'scenarios', 'untranslated']);
    expect(report.ok).to.equal(true);
    expect(report.sessions).to.have.length(8);
    for (const s of report.sessions) expect(s, JSON.stringify(s)).to.include({ state: 'Established' });
    expect(report.sessions).to.deep.include({ router: 'tokyo-a', neighbor: '172.16.0.2', peer: 'osaka-a', state: 'Established' });
    expect(report.routes).to.deep.include({ router: 'osaka-s', prefix: '10.0.1.0/24', via: ['osaka-s', 'osaka-a', 'tokyo-a'] });
    // Everything but IPsec is translated for FRR; the IPsec lines are read by the IPsec pairs where strongSwan runs.
    expect(report.untranslated.filter((u: { text: string }) => !u.text.startsWith('set vpn '))).to.deep.equal([]);
  });

  it('planted defect: remote-as changed on one end -> the session is down, named by both routers', async function () {
    requireLab(this);
    const report = await runs!.remoteAs;
    expect(report.ok).to.equal(false);
    const text = report.problems.join('\n');
    expect(text).to.include('session tokyo-a → osaka-a (172.16.0.2)');
    expect(text).to.include('tokyo-a expects AS 65099 at 172.16.0.2, but osaka-a is AS 65002');
    expect(text).to.include('session osaka-a → tokyo-a (172.16.0.1)');
  });

  it("planted defect: the standby's prepend removed -> the cloud gateway's choice is a tie-break, or the standby's path", async function () {
    requireLab(this);
    const report = await runs!.prepend;
    expect(report.ok).to.equal(false);
    expect(report.problems.join('\n')).to.match(
      /gw-as64512 (prefers tokyo-(a over tokyo-s|s over tokyo-a) for 10\.0\.1\.0\/24 \(tokyo\) only by|reaches 10\.0\.1\.0\/24 \(tokyo\) through gw-as64512 → tokyo-s: uses the standby link)/,
    );
  });

  describe("planted defect: the hub's export policy removed -> a detour through a third region after the hub fails", () => {
    it('with the policy as rendered: singapore-hub-a down reroutes over the standby hubs, no third region', async function () {
      requireLab(this);
      if (!hubHasPolicy) {
        process.stderr.write('\n  !!! PENDING: the rendered multi-region hub has no hub export policy yet (being added on main); until it lands the example itself detours, as the next test shows.\n\n');
        this.skip();
      }
      const report = await runs!.hubControl!;
      expect(report.problems, report.problems.slice(0, 5).join('\n')).to.deep.equal([]);
    });

    it('without it: the detour is reported, naming the transit region', async function () {
      requireLab(this);
      const report = await runs!.hubDefect;
      expect(report.ok).to.equal(false);
      expect(report.scenarios).to.have.length(1);
      expect(report.scenarios[0]!.ok).to.equal(false);
      expect(report.scenarios[0]!.problems.join('\n')).to.match(/reaches 10\.2[01]\.1\.0\/24 \(singapore-(hub|prod)\) through .*: crosses \d site borders where \d suffice \(transit through [a-z-]+/);
    });
  });

  describe('VRRP with keepalived in the router namespaces (unicast, over the LAN bridge)', () => {
    it('as rendered: the active router is the one master, and the standby takes the address over when it dies', async function () {
      requireLab(this);
      const report = await runs!.vrrp;
      expect(report.problems).to.deep.equal([]);
      expect(report.vrrp).to.have.length(1);
      expect(report.vrrp[0]).to.include({ group: 'TOKYO-LAN', master: 'tokyo-a', ok: true });
      expect(report.vrrp[0]!.takeover).to.be.a('number');
      expect(report.untranslated.filter((u) => u.text.startsWith('set high-availability'))).to.deep.equal([]);
    });

    it('planted defect: another password on one end -> both routers hold the address', async function () {
      requireLab(this);
      const report = await runs!.vrrpDefect;
      expect(report.ok).to.equal(false);
      expect(report.problems.join('\n')).to.include('VRRP TOKYO-LAN (vrid 51): tokyo-a and tokyo-s all hold 10.0.1.10/24');
    });
  });

  describe('IPsec with strongSwan (userspace ESP), both ends translated from their rendered lines', () => {
    const requireIpsec = (ctx: Mocha.Context) => {
      requireLab(ctx);
      const missing = ipsecMissing();
      if (!missing) return;
      if (CI) throw new Error(`the IPsec lab tests are required when CI=true: ${missing}`);
      process.stderr.write(`\n  !!! SKIPPED (IPsec lab): ${missing}\n\n`);
      ctx.skip();
    };

    it('as rendered: both pairs of seed 000 ESTABLISHED with their CHILD SA INSTALLED', async function () {
      requireIpsec(this);
      const r = await runs!.control;
      const report = JSON.parse(r.stdout) as LabReport;
      expect(report.ipsec.map((x) => [x.between.join(' '), x.ike, x.child])).to.have.deep.members([
        ['osaka-a tokyo-a', 'ESTABLISHED', 'INSTALLED'],
        ['osaka-s tokyo-s', 'ESTABLISHED', 'INSTALLED'],
      ]);
    });

    it('planted defect: a different pre-shared key on one end -> that pair fails, named', async function () {
      requireIpsec(this);
      const report = await runs!.ipsec;
      const bad = report.ipsec.find((x) => x.between.includes('tokyo-a'))!;
      expect(bad.ok).to.equal(false);
      expect(bad.problems.join('\n')).to.match(/IPsec osaka-a ↔ tokyo-a .*(AUTHENTICATION_FAILED|MAC mismatched|shared key)/);
    });

    it('planted defect: a wrong remote identity on one end -> that pair fails, named', async function () {
      requireIpsec(this);
      const report = await runs!.ipsec;
      const bad = report.ipsec.find((x) => x.between.includes('tokyo-s'))!;
      expect(bad.ok).to.equal(false);
      expect(bad.problems.join('\n')).to.match(/IPsec osaka-s ↔ tokyo-s /);
    });

    it('planted defect: another IKE encryption on one end -> NO_PROPOSAL_CHOSEN', async function () {
      requireIpsec(this);
      const files = plant(seed000, 'osaka-a.vyos', (t) => t.replace("ike-group IKE-DEFAULT proposal 1 encryption 'aes128'", "ike-group IKE-DEFAULT proposal 1 encryption 'aes256'"));
      const report = await lab('seed 000, osaka-a proposing aes256', files, { scenarios: false });
      expect(report.ok).to.equal(false);
      expect(report.problems.join('\n')).to.match(/IPsec osaka-a ↔ tokyo-a .*(NO_PROPOSAL_CHOSEN|no acceptable proposal)/i);
    });

    // 1.3 tags a peer by its address; a dot in a swanctl.conf section name is nesting, so the lab names it otherwise.
    it('as rendered for VyOS 1.3 (peers tagged by address, the key on the peer): both pairs ESTABLISHED', async function () {
      requireIpsec(this);
      const files = renderedTopology('examples/inter-region-vpn/topology.yaml', '1.3');
      const report = await lab('seed 000 for VyOS 1.3', files, { scenarios: false });
      expect(report.ipsec.map((x) => [x.between.join(' '), x.ike, x.child])).to.have.deep.members([
        ['osaka-a tokyo-a', 'ESTABLISHED', 'INSTALLED'],
        ['osaka-s tokyo-s', 'ESTABLISHED', 'INSTALLED'],
      ]);
      expect(report.ok).to.equal(true);
    });
  });
});

describe('vygen lab cleans up', function () {
  this.timeout(LAB_TIMEOUT);

  /** Starts `vygen lab` over seed 000 and resolves once its namespaces are up. */
  function startLab(): Promise<{ child: ReturnType<typeof spawn>; prefix: string; stderr: () => string }> {
    const dir = mkdtempSync(join(tmpdir(), 'vygen-lab-'));
    for (const f of seed000) writeFileSync(join(dir, f.name), f.text);
    const child = spawn(process.execPath, ['dist/cli.js', 'lab', '--from', dir, '--no-ipsec'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.on('close', () => rmSync(dir, { recursive: true, force: true }));
    return new Promise((resolve, reject) => {
      child.stderr!.on('data', (d) => {
        err += d;
        if (/namespaces up/.test(err)) resolve({ child, prefix: `vylab-${child.pid!.toString(36)}_`, stderr: () => err });
      });
      child.on('close', (code) => reject(new Error(`vygen lab ended (${code}) before its namespaces were up: ${err}`)));
    });
  }

  const namespacesOf = (prefix: string) => spawnSyncText('ip', ['netns', 'list']).split('\n').filter((l) => l.startsWith(prefix));

  it('on SIGINT: removes every namespace and daemon, exits 130', async function () {
    requireLab(this);
    const { child, prefix, stderr } = await startLab();
    expect(namespacesOf(prefix)).to.have.length.greaterThan(0);
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    child.kill('SIGINT');
    expect(await closed, stderr()).to.equal(130);
    expect(namespacesOf(prefix)).to.deep.equal([]);
  });

  it('after SIGKILL: the next run removes the stale lab', async function () {
    requireLab(this);
    const { child, prefix } = await startLab();
    const closed = new Promise((r) => child.on('close', r));
    child.kill('SIGKILL');
    await closed;
    expect(namespacesOf(prefix), 'a killed lab leaves its namespaces').to.have.length.greaterThan(0);
    const next = await cli(seed000, ['--no-scenarios', '--no-ipsec']);
    expect(next.status, next.stderr).to.equal(0);
    expect(next.stderr).to.match(new RegExp(`removed a stale lab: .*${prefix}`));
    expect(namespacesOf(prefix)).to.deep.equal([]);
  });
});

function spawnSyncText(cmd: string, args: string[]): string {
  return spawnSync(cmd, args, { encoding: 'utf8' }).stdout ?? '';
}
