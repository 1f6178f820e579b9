// `vygen lab` against planted defects, with the real FRR in network
// namespaces: each defect must fail with a message that names its culprit.
// Skipped loudly where the lab cannot run (not root, no FRR); required when
// CI=true. The clean examples themselves are run, with every scenario, by
// .ci/run (`node dist/cli.js lab` over every BGP example).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ipsecMissing } from '../dist/lab/ipsec.js';
import { CI, lab, plant, renderedExample, requireLab } from './helpers/lab.js';

const LAB_TIMEOUT = 180000;

describe('vygen lab (real FRR in network namespaces)', function () {
  this.timeout(LAB_TIMEOUT);

  it('seed 000 as rendered: every session Established, every route over the active link (CLI, --format json)', function () {
    requireLab(this);
    const dir = mkdtempSync(join(tmpdir(), 'vygen-lab-'));
    try {
      for (const f of renderedExample('inter-region-vpn')) writeFileSync(join(dir, f.name), f.text);
      const r = spawnSync(process.execPath, ['dist/cli.js', 'lab', '--from', dir, '--no-scenarios', '--format', 'json'], { encoding: 'utf8', timeout: LAB_TIMEOUT });
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
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('planted defect: remote-as changed on one end -> the session is down, named by both routers', async function () {
    requireLab(this);
    const files = plant(renderedExample('inter-region-vpn'), 'tokyo-a.vyos', (t) => t.replace("neighbor 172.16.0.2 remote-as '65002'", "neighbor 172.16.0.2 remote-as '65099'"));
    const report = await lab('seed 000, tokyo-a remote-as 65099', files, { scenarios: false });
    expect(report.ok).to.equal(false);
    const text = report.problems.join('\n');
    expect(text).to.include('session tokyo-a → osaka-a (172.16.0.2)');
    expect(text).to.include('tokyo-a expects AS 65099 at 172.16.0.2, but osaka-a is AS 65002');
    expect(text).to.include('session osaka-a → tokyo-a (172.16.0.1)');
  });

  it("planted defect: the standby's prepend removed -> the cloud gateway's choice is a tie-break, or the standby's path", async function () {
    requireLab(this);
    const files = plant(renderedExample('aws-active-standby'), 'tokyo-s.vyos', (t) => t.replace(/^set policy route-map RM-TOKYO-STANDBY-OUT rule 10 set as-path prepend .*\n/m, ''));
    const report = await lab('aws-active-standby, tokyo-s without prepend', files, { scenarios: false });
    expect(report.ok).to.equal(false);
    const text = report.problems.join('\n');
    expect(text).to.match(/gw-as64512 (prefers tokyo-a over tokyo-s for 10\.0\.1\.0\/24 \(tokyo\) only by|reaches 10\.0\.1\.0\/24 \(tokyo\) through gw-as64512 → tokyo-s: uses the standby link)/);
  });

  describe("planted defect: the hub's export policy removed -> a detour through a third region after the hub fails", () => {
    const files = renderedExample('multi-region-hub');
    // The export policy of hub regions: a route-map or prefix-list on a hub
    // router's export toward another hub router.
    const hubExport = /^set protocols bgp (?:\d+ )?neighbor (\S+) address-family ipv4-unicast (?:route-map|prefix-list) export .*$/gm;
    const hubPeers = (text: string) => new Set([...text.matchAll(/^set protocols bgp (?:\d+ )?neighbor (\S+) description 'eBGP \S+-hub-[as] /gm)].map((m) => m[1]!));
    const strip = (text: string) => {
      const peers = hubPeers(text);
      return text.replace(hubExport, (line, addr: string) => (peers.has(addr) ? '' : line));
    };
    const hasPolicy = files.some((f) => /-hub-a\.vyos$/.test(f.name) && strip(f.text) !== f.text);

    it('with the policy as rendered: singapore-hub-a down reroutes over the standby hubs, no third region', async function () {
      requireLab(this);
      if (!hasPolicy) {
        process.stderr.write(
          "\n  !!! PENDING: the rendered multi-region hub has no hub export policy yet (it is being added on main); until it lands the example itself detours, which the next test shows.\n\n",
        );
        this.skip();
      }
      const report = await lab('multi-region-hub', files, { fail: ['singapore-hub-a'], ipsec: false });
      expect(report.problems, report.problems.slice(0, 5).join('\n')).to.deep.equal([]);
    });

    it('without it: the detour is reported, naming the transit region', async function () {
      requireLab(this);
      const planted = hasPolicy ? files.map((f) => (/-hub-a\.vyos$/.test(f.name) ? { ...f, text: strip(f.text) } : f)) : files;
      const report = await lab('multi-region-hub without hub export policy', planted, { fail: ['singapore-hub-a'], ipsec: false });
      expect(report.ok).to.equal(false);
      expect(report.scenarios).to.have.length(1);
      expect(report.scenarios[0]!.ok).to.equal(false);
      const text = report.scenarios[0]!.problems.join('\n');
      expect(text).to.match(/reaches 10\.2[01]\.1\.0\/24 \(singapore-(hub|prod)\) through .*: crosses \d site borders where \d suffice \(transit through [a-z-]+/);
    });
  });
});

describe('vygen lab: IPsec with strongSwan (userspace ESP) from both ends of seed 000', function () {
  this.timeout(LAB_TIMEOUT);
  const requireIpsec = (ctx: Mocha.Context) => {
    requireLab(ctx);
    const missing = ipsecMissing();
    if (!missing) return;
    if (CI) throw new Error(`the IPsec lab tests are required when CI=true: ${missing}`);
    process.stderr.write(`\n  !!! SKIPPED (IPsec lab): ${missing}\n\n`);
    ctx.skip();
  };

  it('as rendered: both pairs ESTABLISHED with their CHILD SA INSTALLED, and the IPsec lines count as translated', async function () {
    requireIpsec(this);
    const report = await lab('seed 000', renderedExample('inter-region-vpn'), { scenarios: false });
    expect(report.problems).to.deep.equal([]);
    expect(report.ipsec.map((x) => [x.between.join(' '), x.ike, x.child])).to.have.deep.members([
      ['osaka-a tokyo-a', 'ESTABLISHED', 'INSTALLED'],
      ['osaka-s tokyo-s', 'ESTABLISHED', 'INSTALLED'],
    ]);
    expect(report.untranslated).to.deep.equal([]);
  });

  it('planted defect: a different pre-shared key on one end -> that pair fails, named, the other establishes', async function () {
    requireIpsec(this);
    const files = plant(renderedExample('inter-region-vpn'), 'tokyo-a.vyos', (t) => t.replace("secret 'REDACTED:env:VYGEN_PSK_TOKYO_OSAKA_A'", "secret 'REDACTED:env:VYGEN_PSK_SOMETHING_ELSE'"));
    const report = await lab('seed 000, tokyo-a with another key', files, { scenarios: false });
    expect(report.ok).to.equal(false);
    const bad = report.ipsec.find((x) => x.between.includes('tokyo-a'))!;
    expect(bad.ok).to.equal(false);
    expect(bad.problems.join('\n')).to.match(/IPsec osaka-a ↔ tokyo-a .*(AUTHENTICATION_FAILED|MAC mismatched|shared key)/);
    expect(report.ipsec.find((x) => x.between.includes('tokyo-s'))!.ok).to.equal(true);
  });

  it('planted defect: another IKE encryption on one end -> NO_PROPOSAL_CHOSEN', async function () {
    requireIpsec(this);
    const files = plant(renderedExample('inter-region-vpn'), 'osaka-a.vyos', (t) => t.replace("ike-group IKE-DEFAULT proposal 1 encryption 'aes128'", "ike-group IKE-DEFAULT proposal 1 encryption 'aes256'"));
    const report = await lab('seed 000, osaka-a proposing aes256', files, { scenarios: false });
    expect(report.ok).to.equal(false);
    expect(report.problems.join('\n')).to.match(/IPsec osaka-a ↔ tokyo-a .*NO_PROPOSAL_CHOSEN|IPsec osaka-a ↔ tokyo-a .*no acceptable proposal/i);
  });

  it('planted defect: a wrong remote identity on one end -> the pair fails', async function () {
    requireIpsec(this);
    const files = plant(renderedExample('inter-region-vpn'), 'tokyo-s.vyos', (t) => t.replace(/(site-to-site peer osaka-s authentication remote-id )'[^']*'/, "$1'192.0.2.99'"));
    const report = await lab('seed 000, tokyo-s expecting another identity', files, { scenarios: false });
    expect(report.ok).to.equal(false);
    expect(report.problems.join('\n')).to.match(/IPsec osaka-s ↔ tokyo-s /);
  });
});
