// The lab's translation of rendered set lines into FRR configuration, which
// needs neither root nor FRR: every routing line vygen renders is
// understood, VyOS 1.3's and 1.4's path shapes mean the same FRR
// configuration, and a reference to a route-map that is not defined is
// refused (as VyOS's commit refuses it) with the router and the name.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepare } from '../dist/lab/index.js';
import { readFacts } from '../dist/lab/facts.js';
import { translate } from '../dist/lab/frr.js';
import { evaluate, NO_FAILURE } from '../dist/lab/checks.js';
import { plant, renderedExample, renderedTopology } from './helpers/lab.js';

/** What the BGP lab deliberately leaves to other checks (listed in its report as untranslated). */
// The firewall and the shapers (their attachments to interfaces too) filter and queue traffic the lab does not send.
const OUTSIDE_THE_LAB = /^set (vpn|high-availability|nat|firewall|traffic-policy|qos) |^set interfaces \S+ \S+ (vif \d+ )?(firewall|traffic-policy) /;

function routerFiles(dir: string): { name: string; text: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.vyos'))
    .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(dir, f), 'utf8') }))
    .filter((f) => f.text.startsWith('# vygen: router '));
}

// router-config-merge adds hand-written lines beyond what the lab reads
// (VLANs, community and AS-path lists, time zone); they stay listed as
// untranslated (docs/lab.md). Every other fixture, per-router ones included, is read whole.
/** A test secret that is the same for both sides of a comparison. */
const fixedSecret = () => 'TEST-SECRET';

const BEYOND_THE_LAB = new Set(['router-config-merge']);
const goldenDirs = readdirSync('fixtures')
  .filter((c) => !c.startsWith('err-') && !BEYOND_THE_LAB.has(c))
  .flatMap((c) => ['1.3', '1.4', '1.5'].map((r) => `fixtures/${c}/expected/${r}`))
  .filter((d) => routerFiles(d).length > 0);

describe('lab: rendered lines to FRR', () => {
  it('finds golden router files of every release', () => {
    expect(goldenDirs.some((d) => d.endsWith('/1.3'))).to.equal(true);
    expect(goldenDirs.some((d) => d.endsWith('/1.4'))).to.equal(true);
  });

  it('understands every system, interfaces, policy and protocols line of every golden router file', () => {
    const missed: string[] = [];
    for (const d of goldenDirs) {
      for (const f of routerFiles(d)) {
        for (const u of readFacts(f.name, f.text).untranslated) if (!OUTSIDE_THE_LAB.test(u.text)) missed.push(`${f.name}:${u.line}: ${u.text}`);
      }
    }
    expect(missed, missed.slice(0, 20).join('\n')).to.deep.equal([]);
  });

  it('lists a line it does not understand instead of dropping it', () => {
    const [f] = renderedExample('inter-region-vpn').filter((x) => x.name === 'tokyo-a.vyos');
    const text = `${f!.text}set protocols bgp neighbor 172.16.0.2 ebgp-multihop-typo '2'\n`;
    const facts = readFacts('tokyo-a.vyos', text);
    expect(facts.untranslated.map((u) => u.text)).to.include("set protocols bgp neighbor 172.16.0.2 ebgp-multihop-typo '2'");
  });

  it('hides a key in a listed line', () => {
    const facts = readFacts('tokyo-a.vyos', renderedExample('inter-region-vpn').find((x) => x.name === 'tokyo-a.vyos')!.text.replace("'REDACTED:env:VYGEN_PSK_TOKYO_OSAKA_A'", "'s3cr3t-value'"));
    const texts = facts.untranslated.map((u) => u.text).join('\n');
    expect(texts).to.not.include('s3cr3t-value');
    expect(texts).to.include("secret '<hidden>'");
  });

  // But for what 1.3 adds on purpose: its IPv6 sessions deny the IPv4 routes 1.3 would exchange over them
  // (src/targets/vyos/implicit-families.ts), so the lab runs them with IPv4 activated and nothing passing.
  const withoutNoRoutes = (c: { bgpd: string; staticd: string }) => {
    const denied = new Set<string>();
    const lines = c.bgpd.split('\n').filter((l, i, all) => {
      if (l === 'route-map VYGEN-NO-ROUTES deny 10' || (l === 'exit' && all[i - 1] === 'route-map VYGEN-NO-ROUTES deny 10')) return false;
      const m = /^ {2}neighbor (\S+) route-map VYGEN-NO-ROUTES (?:in|out)$/.exec(l);
      if (m) denied.add(m[1]!);
      return !m;
    });
    // The IPv4-unicast activation of a denied session, when nothing else of it is left there, was the deny's.
    const af4 = lines.indexOf(' address-family ipv4 unicast');
    const end = lines.indexOf(' exit-address-family', af4);
    const block = lines.slice(af4 + 1, end);
    const kept = block.filter((l) => {
      const act = /^ {2}neighbor (\S+) activate$/.exec(l);
      return !act || !denied.has(act[1]!) || block.some((x) => x !== l && x.startsWith(`  neighbor ${act[1]} `));
    });
    return { ...c, bgpd: [...lines.slice(0, af4 + 1), ...kept, ...lines.slice(end)].join('\n') };
  };

  it('gives the same FRR configuration for VyOS 1.3 and 1.4 renders of one topology, but for the IPv4 routes 1.3 IPv6 sessions deny', () => {
    let compared = 0;
    let denied = 0;
    for (const d of goldenDirs.filter((x) => x.endsWith('/1.3'))) {
      const other = d.replace(/1\.3$/, '1.4');
      for (const f of routerFiles(d)) {
        const twin = routerFiles(other).find((x) => x.name.endsWith(f.name.slice(f.name.lastIndexOf('/'))));
        if (!twin) continue;
        const old = translate(readFacts(f.name, f.text), undefined, fixedSecret);
        if (old.bgpd.includes('route-map VYGEN-NO-ROUTES')) denied++;
        expect(withoutNoRoutes(old), `${f.name} vs ${twin.name}`).to.deep.equal(translate(readFacts(twin.name, twin.text), undefined, fixedSecret));
        compared++;
      }
    }
    expect(compared).to.be.greaterThan(10);
    expect(denied).to.be.greaterThan(5);
  });

  it('renders what VyOS renders around the configured lines', () => {
    const f = renderedExample('inter-region-vpn').find((x) => x.name === 'tokyo-s.vyos')!;
    const { bgpd, staticd } = translate(readFacts(f.name, f.text));
    for (const line of [
      'frr defaults traditional',
      'router bgp 65001',
      ' no bgp ebgp-requires-policy',
      ' no bgp default ipv4-unicast',
      ' no bgp network import-check',
      ' timers bgp 4 12',
      ' no neighbor 172.16.0.6 enforce-first-as',
      '  neighbor 172.16.0.6 route-map RM-TOKYO-OUT out',
      '  neighbor 172.16.0.6 route-map RM-TOKYO-STANDBY-IN in',
      '  neighbor 10.0.1.2 next-hop-self',
      '  neighbor 172.16.0.6 activate',
      ' set as-path prepend 65001 65001 65001',
      ' set local-preference 50',
      'ip prefix-list PL-TOKYO-CONNECTED seq 10 permit 10.0.1.0/24',
    ])
      expect(bgpd.split('\n'), line).to.include(line);
    expect(staticd.split('\n')).to.include.members(['ip route 0.0.0.0/0 10.0.0.1', 'ip route 10.10.0.0/16 10.0.1.1']);
  });

  describe('planted defect: a route-map referenced but not defined', () => {
    it('refuses the translation, naming the router and the route-map', () => {
      const files = plant(renderedExample('inter-region-vpn'), 'tokyo-s.vyos', (t) =>
        t
          .split('\n')
          .filter((l) => !l.startsWith('set policy route-map RM-TOKYO-OUT '))
          .join('\n'),
      );
      const { plan, report } = prepare({ source: 'examples/inter-region-vpn', files, fail: [], scenarios: false, progress: () => {} });
      expect(plan).to.equal(undefined);
      expect(report.ok).to.equal(false);
      expect(report.problems.join('\n')).to.match(/translation refused: tokyo-s: route-map RM-TOKYO-OUT is referenced by neighbor 172\.16\.0\.6 export but not defined/);
    });

    it('vygen lab --from DIR says so and exits 1, without root or FRR', () => {
      const dir = mkdtempSync(join(tmpdir(), 'vygen-lab-'));
      try {
        const files = plant(renderedExample('inter-region-vpn'), 'tokyo-a.vyos', (t) => t.replace(/^set policy route-map RM-TOKYO-CONNECTED .*\n/gm, ''));
        for (const f of files) writeFileSync(join(dir, f.name), f.text);
        const r = spawnSync(process.execPath, ['dist/cli.js', 'lab', '--from', dir, '--format', 'json'], { encoding: 'utf8' });
        expect(r.status, r.stderr).to.equal(1);
        const report = JSON.parse(r.stdout);
        expect(report.ok).to.equal(false);
        expect(report.problems.join('\n')).to.include('tokyo-a: route-map RM-TOKYO-CONNECTED is referenced by network 10.0.1.0/24 but not defined');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('vygen lab --print-frr prints each router and the cloud gateway, without root or FRR', () => {
    const r = spawnSync(process.execPath, ['dist/cli.js', 'lab', 'examples/aws-active-standby/topology.yaml', '--print-frr'], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include('# tokyo-a (router): bgpd.conf');
    expect(r.stdout).to.include('# gw-as64512 (gateway): bgpd.conf');
    expect(r.stdout).to.include('router bgp 64512');
  });

  it('vygen lab needs exactly one of TOPOLOGY and --from (exit 2)', () => {
    const r = spawnSync(process.execPath, ['dist/cli.js', 'lab'], { encoding: 'utf8' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('lab needs a TOPOLOGY or --from DIR');
  });
});

describe('lab: the per-router layer (peer-groups, passwords, DHCP, peers outside the topology)', () => {
  const azure = () => renderedExample('azure-gateway');

  it("maps a peer-group as VyOS's bgpd.frr.j2 does: the group first, members bound to it, activated through it", () => {
    const f = azure().find((x) => x.name === 'vyos-onprem.vyos')!;
    const lines = translate(readFacts(f.name, f.text), undefined, () => 'TEST').bgpd.split('\n');
    expect(lines).to.include.members([
      ' neighbor AZURE peer-group',
      ' neighbor AZURE ebgp-multihop 2',
      ' neighbor AZURE update-source eth1',
      ' neighbor 100.66.8.36 peer-group AZURE',
      ' neighbor 100.66.8.36 remote-as 64517',
      '  neighbor AZURE prefix-list AZURE-BGP-IPv4-in in',
      '  neighbor AZURE maximum-prefix 50',
      '  neighbor AZURE activate',
      ' neighbor 192.168.34.38 capability dynamic',
      ' neighbor 192.168.34.38 password TEST',
    ]);
    expect(lines.indexOf(' neighbor AZURE peer-group')).to.be.lessThan(lines.indexOf(' neighbor 100.66.8.36 peer-group AZURE'));
    expect(lines).to.not.include('  neighbor 100.66.8.36 activate');
  });

  it('refuses a member of a peer-group that is not defined, naming both', () => {
    const files = plant(azure(), 'vyos-onprem.vyos', (t) => t.replace(/^set protocols bgp peer-group AZURE .*\n/gm, ''));
    const { report } = prepare({ source: 'x', files, fail: [], scenarios: false, progress: () => {} });
    expect(report.problems.join('\n')).to.include('vyos-onprem: neighbor 100.66.8.36 names peer-group AZURE, which is not defined');
  });

  it("planted defect: the peer-group's export prefix-list missing -> refused, naming the peer-group", () => {
    const files = plant(azure(), 'vyos-onprem.vyos', (t) => t.replace(/^set policy prefix-list ONPREM-BGP-IPv4-out .*\n/gm, ''));
    const { plan, report } = prepare({ source: 'x', files, fail: [], scenarios: false, progress: () => {} });
    expect(plan).to.equal(undefined);
    expect(report.problems.join('\n')).to.include('translation refused: vyos-onprem: prefix-list ONPREM-BGP-IPv4-out is referenced by peer-group AZURE export but not defined');
  });

  it('writes a test secret for a BGP password, the same on both ends, never the key text', () => {
    const files = plant(azure(), 'vyos-onprem.vyos', (t) => t.replace("password 'REDACTED:env:VYGEN_BGP_HA_PASSWORD'", "password 's3cr3t-md5'"));
    const { plan } = prepare({ source: 'x', files, fail: [], scenarios: false, progress: () => {} });
    const all = plan!.nodes.map((n) => n.config.bgpd).join('\n');
    expect(all).to.not.include('s3cr3t-md5');
    const keys = [...all.matchAll(/ password (\S+)$/gm)].map((m) => m[1]);
    expect(keys).to.have.length(2);
    expect(keys[0]).to.equal(keys[1]);
  });

  it('models each gateway instance behind the VTIs, the HA partner on the LAN, and what it made up', () => {
    const { plan, report } = prepare({ source: 'x', files: azure(), fail: [], scenarios: false, progress: () => {} });
    expect(report.problems).to.deep.equal([]);
    expect(plan!.nodes.map((n) => `${n.name}:${n.kind}`)).to.deep.equal([
      'vyos-onprem:router',
      'gw-as64517-1:gateway',
      'gw-as64517-2:gateway',
      'gw-as64513-1:gateway',
      'gw-as64513-2:gateway',
      'gw-as64515-1:gateway',
      'gw-as64515-2:gateway',
      'peer-as65522:peer',
    ]);
    expect(plan!.wires.map((w) => `${w.id}>${w.b.node}`)).to.include.members(['vyos-onprem:vti31>gw-as64517-1', 'vyos-onprem:vti32>gw-as64517-2']);
    // The gateways announce what the router's import prefix-list lets in (100.64.0.0/10 le 32).
    expect(plan!.origins.filter((o) => o.site.startsWith('cloud-')).map((o) => o.prefix)).to.have.members(['100.64.0.0/24', '100.64.1.0/24', '100.64.2.0/24']);
    const gw = plan!.nodes.find((n) => n.name === 'gw-as64517-1')!.config;
    expect(gw.bgpd).to.include(' neighbor 192.168.34.37 update-source 100.66.8.36');
    expect(gw.staticd).to.include('ip route 192.168.34.37/32 c0');
    expect(report.notes.join('\n')).to.include("peer-as65522 (192.168.34.38, AS 65522) is no rendered router: vyos-onprem's iBGP partner");
  });

  it("gives a DHCP interface the IPsec local-address on it, and says so", () => {
    const { plan, report } = prepare({ source: 'x', files: renderedExample('aws-vgw-two-tunnels'), fail: [], scenarios: false, progress: () => {} });
    expect(plan!.nodes.find((n) => n.name === 'vyos')!.ifaces.find((i) => i.name === 'eth0')!.addresses).to.deep.equal(['10.0.2.15/24']);
    expect(report.notes).to.include('vyos eth0 is `address dhcp`: the lab gives it 10.0.2.15/24 (the IPsec local-address on eth0)');
    expect(report.untranslated.filter((u) => u.text.startsWith('set interfaces'))).to.deep.equal([]);
  });

  it('planted defect: two speakers running with one router-id -> both named', () => {
    const { plan } = prepare({ source: 'x', files: renderedExample('aws-vgw-two-tunnels'), fail: [], scenarios: false, progress: () => {} });
    const view = (routerId: string) => ({ routes: new Map(), bgp: new Map(), peers: new Map(), routerId });
    const clean = evaluate(plan!, new Map([['vyos', view('10.0.2.15')], ['gw-as64512', view('198.18.0.1')]]), NO_FAILURE);
    expect(clean.problems.filter((p) => p.includes('router-id'))).to.deep.equal([]);
    const same = evaluate(plan!, new Map([['vyos', view('198.18.0.1')], ['gw-as64512', view('198.18.0.1')]]), NO_FAILURE);
    expect(same.problems).to.include('vyos and gw-as64512 both run with router-id 198.18.0.1: BGP refuses a session between two speakers with one id');
  });

  it('a route over a standby link says what the bgpd that chose it held (the paths, their local-pref and AS path)', () => {
    const { plan } = prepare({ source: 'x', files: renderedExample('multi-region-hub'), fail: [], scenarios: false, progress: () => {} });
    const mumbaiS = '172.16.1.142';
    const path = (o: Record<string, unknown>) => ({ best: false, locPrf: 100, weight: 0, med: 0, origin: 'IGP', internal: false, ...o });
    const standby = path({ best: true, reason: 'Local Pref', locPrf: 50, path: '65104 65104 65104 65104', nexthop: mumbaiS, peerId: mumbaiS });
    const viaActive = path({ internal: true, path: '65104', nexthop: '10.20.1.2', peerId: '10.20.1.2' });
    const snapshotWith = (paths: unknown[]) =>
      new Map([['singapore-hub-s', { routes: new Map([['10.40.1.0/24', { protocol: 'bgp', nexthops: [{ ip: mumbaiS }] }]]), bgp: new Map([['10.40.1.0/24', paths]]), peers: new Map() }]]) as Parameters<typeof evaluate>[1];
    const said = (paths: unknown[]) => evaluate(plan!, snapshotWith(paths), NO_FAILURE).problems.filter((p) => p.startsWith('singapore-hub-s reaches 10.40.1.0/24'));
    expect(said([standby])).to.deep.equal([
      "singapore-hub-s reaches 10.40.1.0/24 (mumbai-hub) through singapore-hub-s → mumbai-hub-s: uses the standby link singapore-hub-s—mumbai-hub-s although a path over fewer standby links is up (singapore-hub-s's bgpd holds one path: best from mumbai-hub-s (eBGP, local-pref 50, AS path 65104 65104 65104 65104, chosen by Local Pref); no state for its session with singapore-hub-a; singapore-hub-a's bgpd holds no path to 10.40.1.0/24 it can use)",
    ]);
    expect(said([viaActive, standby])[0]).to.match(/holds 2 paths: best from mumbai-hub-s \(eBGP, local-pref 50, [^)]*\); from singapore-hub-a \(iBGP, local-pref 100, AS path 65104\); /);
    expect(said([])[0]).to.match(/\(singapore-hub-s's bgpd holds no path to 10\.40\.1\.0\/24 it can use; /);
    // The partner in its site: whether the path was never learned, never sent or refused.
    expect(said([standby])[0]).to.match(/; no state for its session with singapore-hub-a; singapore-hub-a's bgpd holds no path to 10\.40\.1\.0\/24 it can use\)$/);
    const hubA = plan!.adjacencies.find((a) => a.node === 'singapore-hub-s' && a.peer === 'singapore-hub-a')!.address;
    const partner = path({ best: true, reason: 'Local Pref', path: '65104', nexthop: '10.20.1.9', peerId: '10.20.1.9' });
    const both = snapshotWith([standby]);
    both.get('singapore-hub-s')!.peers.set(hubA, { state: 'Established', uptimeMs: 41_400, received: 0 });
    both.set('singapore-hub-a', { routes: new Map(), bgp: new Map([['10.40.1.0/24', [partner]]]), peers: new Map() } as unknown as NonNullable<ReturnType<typeof both.get>>);
    const withPartner = evaluate(plan!, both, NO_FAILURE).problems.find((p) => p.startsWith('singapore-hub-s reaches 10.40.1.0/24'));
    expect(withPartner).to.match(/; its session with singapore-hub-a Established, 0 prefixes received; singapore-hub-a's bgpd holds one path: best from [^ ]+ \(eBGP, local-pref 100, AS path 65104, chosen by Local Pref\)\)$/);
    // The lab reports a failing verdict once its text stays the same: nothing in it may change by itself.
    both.get('singapore-hub-s')!.peers.set(hubA, { state: 'Established', uptimeMs: 52_000, received: 0 });
    expect(evaluate(plan!, both, NO_FAILURE).problems).to.include(withPartner);
    // The active's path arrived, but with a next hop the standby cannot resolve: no candidate, said apart.
    const unresolved = snapshotWith([standby]);
    unresolved.get('singapore-hub-s')!.unusable = new Map([['10.40.1.0/24', [{ nexthop: '10.20.1.9', peer: hubA }]]]);
    expect(evaluate(plan!, unresolved, NO_FAILURE).problems.find((p) => p.startsWith('singapore-hub-s reaches 10.40.1.0/24'))).to.include(
      "singapore-hub-s's bgpd holds one path: best from mumbai-hub-s (eBGP, local-pref 50, AS path 65104 65104 65104 65104, chosen by Local Pref); it cannot use one more: from singapore-hub-a with next hop 10.20.1.9, which singapore-hub-s cannot resolve; ",
    );
  });

  it('models the route server endpoints as peers on the LAN that wait for the routers', () => {
    const files = renderedTopology('fixtures/aws-route-server/topology.yaml');
    const { plan } = prepare({ source: 'x', files, fail: [], scenarios: false, progress: () => {} });
    const rs = plan!.nodes.filter((n) => n.kind === 'peer');
    expect(rs.map((n) => n.name)).to.deep.equal(['peer-as65100-1', 'peer-as65100-2']);
    expect(rs[0]!.config.bgpd).to.include(' neighbor 10.0.1.4 passive');
    expect(plan!.lans.find((l) => l.subnet === '10.0.1.0/24')!.members.map((m) => m.node)).to.have.members(['tokyo-a', 'tokyo-s', 'peer-as65100-1', 'peer-as65100-2']);
  });
});

describe('lab: IPv6 lines to FRR', () => {
  const edge = () => {
    const f = readFileSync('fixtures/router-config-dual-stack/expected/1.4/edge1.vyos', 'utf8');
    return { name: 'edge1.vyos', text: f };
  };

  it('writes prefix-list6 as ipv6 prefix-list, route-map match ipv6, route6 as ipv6 route (blackhole and interface with distance)', () => {
    const { bgpd, staticd } = translate(readFacts('edge1.vyos', edge().text), undefined, fixedSecret);
    const lines = bgpd.split('\n');
    expect(lines).to.include.members([
      'ipv6 prefix-list PL6-IN seq 10 permit 2001:db8::/32 ge 48 le 64',
      'ipv6 prefix-list PL6-OUT seq 20 deny ::/0 le 128',
      ' match ipv6 address prefix-list PL6-OUT',
    ]);
    expect(staticd.split('\n')).to.include.members(['ipv6 route ::/0 2001:db8::1', 'ipv6 route 2001:db8:dead::/48 blackhole 250', 'ipv6 route 2001:db8:100::/48 vti1 20', 'ip route 0.0.0.0/0 192.0.2.1']);
  });

  it('puts each neighbor in the address families it has lines for, the IPv6 peer-group and its members in ipv6 unicast only', () => {
    const { bgpd } = translate(readFacts('edge1.vyos', edge().text), undefined, fixedSecret);
    const block = (af: string) => {
      const m = new RegExp(`^ address-family ${af} unicast\\n([\\s\\S]*?)^ exit-address-family`, 'm').exec(bgpd);
      return (m?.[1] ?? '').split('\n').filter(Boolean);
    };
    expect(block('ipv4')).to.include.members(['  neighbor 192.0.2.1 route-map RM-OUT out', '  neighbor 192.0.2.1 activate', '  network 10.0.5.0/24']);
    expect(block('ipv4').join('\n')).to.not.match(/2001:db8|fd00|UPSTREAM6/);
    expect(block('ipv6')).to.include.members([
      '  network 2001:db8:20::/64 route-map RM6-OUT',
      '  redistribute static route-map RM6-OUT',
      '  neighbor UPSTREAM6 prefix-list PL6-IN in',
      '  neighbor UPSTREAM6 maximum-prefix 1000',
      '  neighbor UPSTREAM6 activate',
      '  neighbor 2001:db8::1 activate',
      '  neighbor fd00:7:: route-map RM6-OUT out',
      '  neighbor 2001:db8:5::3 next-hop-self',
      '  neighbor 2001:db8:5::3 soft-reconfiguration inbound',
    ]);
    expect(bgpd.split('\n')).to.include.members([' neighbor 2001:db8::1 peer-group UPSTREAM6', ' neighbor 2001:db8:5::3 update-source 2001:db8:5::2']);
  });

  it('reads a VLAN as its Linux interface and canonicalises IPv6 as FRR prints it', () => {
    const text = edge().text.replace("address '2001:db8:5::2/64'", "address '2001:DB8:5:0::2/64'");
    const facts = readFacts('edge1.vyos', text);
    expect([...facts.interfaces.keys()]).to.include('eth1.20');
    expect([...facts.interfaces.values()].flatMap((i) => i.addresses)).to.include('2001:db8:5::2/64');
  });

  it('refuses a prefix-list6 referenced but not defined, and an IPv4 prefix-list named in an IPv6 family', () => {
    const missing = edge().text.replace("prefix-list import 'PL6-IN'", "prefix-list import 'PL6-GONE'");
    expect(() => translate(readFacts('edge1.vyos', missing), undefined, fixedSecret)).to.throw(/prefix-list6 PL6-GONE is referenced by peer-group UPSTREAM6 ipv6 import but not defined/);
    const crossed = edge().text.replace("prefix-list import 'PL6-IN'", "prefix-list import 'PL-OUT'");
    expect(() => translate(readFacts('edge1.vyos', crossed), undefined, fixedSecret)).to.throw(/prefix-list6 PL-OUT is referenced/);
  });

  it('stops at a hand-edited IPv6 value that is no address, naming its line', () => {
    const text = `${edge().text}set protocols static route6 2001:db8:::/48 next-hop 2001:db8::1\n`;
    expect(() => readFacts('edge1.vyos', text)).to.throw(/edge1\.vyos:\d+: "2001:db8:::\/48" is not an IPv6 address or prefix/);
  });

  it('plans the dual-stack example: IPv6 sessions over the tunnels and LANs, each family announcing only its own prefixes', () => {
    const { plan } = prepare({ source: 'x', files: renderedExample('inter-region-vpn-dual-stack'), fail: [], scenarios: false, progress: () => {} });
    const v6 = plan!.adjacencies.filter((a) => a.address.includes(':'));
    expect(v6).to.have.length(8);
    expect(v6.find((a) => a.node === 'tokyo-a' && a.address === 'fd00:172:16::1')).to.include({ peer: 'osaka-a', medium: 'tokyo-a:tun0', localAddress: 'fd00:172:16::' });
    expect(v6.find((a) => a.node === 'tokyo-s' && a.address === '2001:db8:1:1::2')).to.include({ peer: 'tokyo-a' });
    const tokyo = plan!.origins.filter((o) => o.site === 'tokyo').map((o) => o.prefix);
    expect(tokyo).to.have.members(['10.0.1.0/24', '10.10.0.0/16', '2001:db8:1:1::/64', '2001:db8:1:100::/56']);
  });
});

describe('lab: hostile input', () => {
  const base = () => renderedExample('inter-region-vpn');

  it('refuses a router name in a header that is not a plain name', () => {
    const files = plant(base(), 'tokyo-a.vyos', (t) => t.replace('# vygen: router tokyo-a ', '# vygen: router ../../etc '));
    const { plan, report } = prepare({ source: 'x', files, fail: [], scenarios: false, progress: () => {} });
    expect(plan).to.equal(undefined);
    expect(report.problems.join('\n')).to.include('router name "../../etc" in the header is not a plain name');
  });

  it('lists, never passes on, a value with blanks or FRR comment characters, and an interface name Linux cannot have', () => {
    const text = `${base().find((f) => f.name === 'tokyo-a.vyos')!.text}set protocols static route 10.99.0.0/16 next-hop '10.0.0.1 blackhole'\nset policy route-map RM-X rule 10 set metric '1 ! x'\nset policy route-map RM-Y rule 10 set as-path prepend '65001 # x'\nset interfaces ethernet eth0withaverylongname address '10.9.9.9/24'\n`;
    const facts = readFacts('tokyo-a.vyos', text);
    expect(facts.untranslated.map((u) => u.text)).to.include.members([
      "set protocols static route 10.99.0.0/16 next-hop '10.0.0.1 blackhole'",
      "set policy route-map RM-X rule 10 set metric '1 ! x'",
      "set policy route-map RM-Y rule 10 set as-path prepend '65001 # x'",
      "set interfaces ethernet eth0withaverylongname address '10.9.9.9/24'",
    ]);
    const { bgpd, staticd } = translate(facts);
    expect(staticd).to.not.include('10.99.0.0/16');
    expect(bgpd).to.not.include('RM-X');
    expect(bgpd).to.not.include('RM-Y');
  });
});
