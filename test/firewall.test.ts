// Traffic control (issue 16): the diff of firewall changes never opens a
// router between two lines, rule numbers survive appended rules, protection
// follows the derived sessions, and the checks judge rules as VyOS would.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { applyText, canonicalLines, diffTopologies, DIALECTS, MultiValued, parseCommands, render, treeOf, type Branch, type ConfigNode, type Release } from '../dist/index.js';
import { aggregate } from '../dist/features/firewall/aggregate.js';
import { covers } from '../dist/features/firewall/check.js';
import { parsePrefix } from '../dist/net/ipv4.js';
import type { FirewallRule } from '../dist/features/firewall/model.js';
import { FIXTURES, matchGolden } from './helpers/golden.js';
import { fixtureDoc, toYaml } from './helpers/topology.js';

const SEQ = join(FIXTURES, 'diff-firewall');
const steps = readdirSync(SEQ).filter((n) => /^step-\d+$/.test(n)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
const file = (step: string) => `fixtures/diff-firewall/${step}/topology.yaml`;
const text = (step: string) => readFileSync(join(SEQ, step, 'topology.yaml'), 'utf8');
const multiOf = (r: Release) => new MultiValued(DIALECTS[r].multiValued);
const RELEASES: Release[] = ['1.3', '1.4', '1.5'];

function renders(step: string, release: Release): Map<string, string> {
  const r = render(text(step), { file: file(step), redact: true, release });
  expect(r.diagnostics.filter((d) => d.severity === 'error'), step).to.deep.equal([]);
  return new Map(r.files.filter((f) => f.path.endsWith('.vyos')).map((f) => [f.path, f.content]));
}

function at(tree: ConfigNode | undefined, ...path: string[]): ConfigNode | undefined {
  let n = tree;
  for (const w of path) n = n?.kind === 'node' ? n.children.get(w) : undefined;
  return n;
}
const value = (n: ConfigNode | undefined) => (n?.kind === 'leaf' ? n.values : []);
const chains = (tree: Branch) => at(tree, 'firewall', 'ipv4', 'name') ?? at(tree, 'firewall', 'name');
const chains6 = (tree: Branch) => at(tree, 'firewall', 'ipv6', 'name') ?? at(tree, 'firewall', 'ipv6-name');

/** What protects the router: its local chain dropping by default, and where it is attached. */
function protection(tree: Branch): string[] {
  const out: string[] = [];
  const local = at(chains(tree), 'VYGEN-LOCAL');
  if (local) out.push(`local chain default-action ${value(at(local, 'default-action')).join()}`);
  for (const r of ['5', '10']) {
    const rule = at(tree, 'firewall', 'ipv4', 'input', 'filter', 'rule', r);
    if (rule) out.push(`input rule ${r} ${value(at(rule, 'action')).join()} ${value(at(rule, 'jump-target')).join()}`);
  }
  const ifs = at(tree, 'interfaces');
  for (const [type, byName] of ifs?.kind === 'node' ? ifs.children : []) {
    for (const [name, i] of byName.kind === 'node' ? byName.children : []) {
      const attached = value(at(i, 'firewall', 'local', 'name'));
      if (attached.length) out.push(`${type} ${name} local ${attached.join()}`);
    }
  }
  return out;
}

/** Rules naming a group that does not exist (a dangling reference VyOS would refuse). */
function danglingGroups(tree: Branch, family: 4 | 6 = 4): string[] {
  const out: string[] = [];
  const groups = at(tree, 'firewall', 'group');
  // An IPv6 rule's network-group / address-group names an ipv6-network-group / ipv6-address-group.
  const groupKind = (kind: string) => (family === 6 ? `ipv6-${kind}` : kind);
  const walkChain = (chain: string, node: ConfigNode | undefined) => {
    for (const [n, rule] of at(node, 'rule')?.kind === 'node' ? (at(node, 'rule') as Branch).children : []) {
      for (const side of ['source', 'destination']) {
        for (const kind of ['network-group', 'address-group']) {
          for (const g of value(at(rule, side, 'group', kind))) if (!at(groups, groupKind(kind), g)) out.push(`${chain} rule ${n} ${side} ${kind} ${g}`);
        }
      }
    }
  };
  const named = (family === 6 ? chains6 : chains)(tree);
  for (const [name, chain] of named?.kind === 'node' ? named.children : []) walkChain(name, chain);
  return out;
}

/** A rule's match (what it looks at), without its action and description. */
function matchOf(rule: ConfigNode | undefined): string {
  if (rule?.kind !== 'node') return '';
  const copy: Branch = { kind: 'node', children: new Map([...rule.children].filter(([k]) => k !== 'action' && k !== 'description')) };
  return canonicalLines(copy).join('\n');
}

/** Accepting rules whose match is neither the old nor the new one: half-changed, they let through what neither version does. */
function halfChanged(tree: Branch, old: Branch, neu: Branch, ch = chains): string[] {
  const out: string[] = [];
  const named = ch(tree);
  for (const [name, chain] of named?.kind === 'node' ? named.children : []) {
    const rules = at(chain, 'rule');
    for (const [n, rule] of rules?.kind === 'node' ? rules.children : []) {
      if (value(at(rule, 'action'))[0] !== 'accept') continue;
      const m = matchOf(rule);
      if (m !== matchOf(at(ch(old), name, 'rule', n)) && m !== matchOf(at(ch(neu), name, 'rule', n))) out.push(`${name} rule ${n}`);
    }
  }
  return out;
}

describe('firewall: the diff never opens a router between two lines', () => {
  for (let s = 1; s < steps.length; s++) {
    const [prev, cur] = [steps[s - 1]!, steps[s]!];
    for (const release of RELEASES) {
      it(`${cur} (VyOS ${release}): line by line, protection stays and no rule names a missing group`, () => {
        const before = renders(prev, release);
        const after = renders(cur, release);
        const result = diffTopologies({ text: text(prev), file: file(prev) }, { text: text(cur), file: file(cur) }, { redact: true, release });
        let changed = 0;
        for (const d of result.files) {
          if (d.status === 'unchanged') continue;
          changed++;
          const oldText = before.get(d.source)!;
          const tree = treeOf(oldText, multiOf(release));
          const oldTree = treeOf(oldText, multiOf(release));
          const newTree = treeOf(after.get(d.source)!, multiOf(release));
          const kept = protection(treeOf(after.get(d.source)!, multiOf(release))).filter((p) => protection(tree).includes(p));
          const cmds = parseCommands(d.content);
          const lines = d.content.split('\n').filter((l) => /^(set|delete) /.test(l));
          for (const line of lines) {
            applyText(tree, line, multiOf(release));
            expect(protection(tree), `${d.source} after ${line}`).to.include.members(kept);
            expect(danglingGroups(tree), `${d.source} after ${line}`).to.deep.equal([]);
            expect(halfChanged(tree, oldTree, newTree), `${d.source} after ${line}: an accepting rule half-changed`).to.deep.equal([]);
          }
          expect(canonicalLines(tree), d.source).to.deep.equal(canonicalLines(treeOf(after.get(d.source)!, multiOf(release))));
          // Firewall deletes only after every firewall set: the new rule or member is in before the old one goes.
          const fw = cmds.map((c, i) => ({ c, i })).filter(({ c }) => c.path[0] === 'firewall' && c.path[1] !== 'options');
          const lastSet = Math.max(-1, ...fw.filter(({ c }) => c.op === 'set' && !(c.path.at(-1) === 'action')).map(({ i }) => i));
          const firstDelete = Math.min(Infinity, ...fw.filter(({ c }) => c.op === 'delete').map(({ i }) => i));
          expect(firstDelete > lastSet, `${d.source}: firewall deletes after firewall sets`).to.equal(true);
        }
        expect(changed, 'the step changes some router').to.be.greaterThan(0);
      });
    }
  }

  it('appending a rule changes no existing line (rule numbers are stable)', () => {
    for (const release of RELEASES) {
      const before = renders('step-1', release);
      const after = renders('step-2', release);
      const result = diffTopologies({ text: text('step-1'), file: file('step-1') }, { text: text('step-2'), file: file('step-2') }, { redact: true, release });
      expect(result.files.flatMap((f) => f.commands).filter((c) => c.startsWith('delete')), release).to.deep.equal([]);
      for (const [path, old] of before) {
        const now = new Set(after.get(path)!.split('\n'));
        for (const line of old.split('\n').filter((l) => l.startsWith('set '))) expect(now.has(line), `${release} ${path}: ${line}`).to.equal(true);
      }
      expect(result.files.some((f) => f.commands.some((c) => c.includes('rule 120'))), `${release}: the appended rule is rule 120`).to.equal(true);
    }
  });

  it('a new link opens exactly its peers in the protection (one group member each)', () => {
    const result = diffTopologies({ text: text('step-4'), file: file('step-4') }, { text: text('step-5'), file: file('step-5') }, { redact: true });
    const fw = result.files.flatMap((f) => f.commands.filter((c) => c.includes(' firewall ')).map((c) => `${f.device}: ${c}`));
    expect(fw).to.deep.equal([
      "tokyo-a: set firewall group address-group VYGEN-IPSEC-PEERS address '203.0.113.21'",
      "tokyo-a: set firewall group address-group VYGEN-GRE-PEERS address '10.255.1.2'",
      "tokyo-a: set firewall group address-group VYGEN-BGP-PEERS address '172.16.0.10'",
      "osaka-s: set firewall group address-group VYGEN-IPSEC-PEERS address '198.51.100.10'",
      "osaka-s: set firewall group address-group VYGEN-GRE-PEERS address '10.255.0.1'",
      "osaka-s: set firewall group address-group VYGEN-BGP-PEERS address '172.16.0.9'",
    ]);
  });

  it('the diff goldens (as written, redacted)', () => {
    for (let s = 1; s < steps.length; s++) {
      for (const release of ['1.3', '1.4'] as Release[]) {
        const result = diffTopologies({ text: text(steps[s - 1]!), file: file(steps[s - 1]!) }, { text: text(steps[s]!), file: file(steps[s]!) }, { redact: true, release });
        matchGolden(join(SEQ, 'expected', steps[s]!, release), new Map(result.files.filter((f) => f.status !== 'unchanged').map((f) => [f.path, f.content])));
      }
    }
  });
});

describe('firewall: what a router gets', () => {
  const vyos = (doc: Record<string, any>, router: string, release?: Release) => {
    const r = render(toYaml(doc), { file: 'topology.yaml', redact: true, ...(release ? { release } : {}) });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
    return r.files.find((f) => f.path === `${router}.vyos`)!.content;
  };

  it('no firewall section: no firewall and no shaper lines at all', () => {
    const doc = fixtureDoc('firewall-sessions');
    delete doc.firewall;
    for (const release of RELEASES) expect(vyos(doc, 'tokyo-a', release)).to.not.match(/firewall (name|ipv4|group)|firewall (in|local)|qos|traffic-policy/);
  });

  it('each release gets its own paths only (the dialect table)', () => {
    const doc = fixtureDoc('firewall-sessions');
    doc.firewall.protection.log = true;
    const shapes: Record<Release, { has: RegExp[]; not: RegExp[] }> = {
      '1.3': { has: [/^set firewall name VYGEN-LOCAL rule 1 state established 'enable'$/m, /^set interfaces tunnel tun0 firewall local name 'VYGEN-LOCAL'$/m, /^set interfaces tunnel tun0 traffic-policy out 'SHAPE-TOKYO-A-TUN0'$/m, /^set traffic-policy shaper /m, /^set firewall name VYGEN-LOCAL enable-default-log$/m], not: [/firewall ipv4/, /^set qos/m, / VYGEN-LOCAL default-log$/m] },
      '1.4': { has: [/^set firewall ipv4 name VYGEN-LOCAL rule 1 state 'established'$/m, /^set firewall ipv4 input filter rule 10 jump-target 'VYGEN-LOCAL'$/m, /^set qos interface tun0 egress 'SHAPE-TOKYO-A-TUN0'$/m, /^set qos policy shaper /m, /^set firewall ipv4 name VYGEN-LOCAL default-log$/m], not: [/^set firewall name /m, /traffic-policy/, / firewall (in|local) name /, /enable-default-log/] },
      '1.5': { has: [/^set firewall ipv4 forward filter rule 10 jump-target 'VYGEN-ROLE-POLICY'$/m, /^set qos policy shaper /m], not: [/^set firewall name /m, /traffic-policy/] },
    };
    for (const release of RELEASES) {
      const out = vyos(doc, 'tokyo-a', release);
      for (const re of shapes[release].has) expect(out, `${release} ${re}`).to.match(re);
      for (const re of shapes[release].not) expect(out, `${release} ${re}`).to.not.match(re);
    }
  });

  it('opting a router out removes its protection but keeps its role rules', () => {
    const doc = fixtureDoc('firewall-sessions');
    const on = vyos(doc, 'tokyo-s');
    doc.firewall.protection.except = ['tokyo-s'];
    const off = vyos(doc, 'tokyo-s');
    expect(on).to.include('VYGEN-LOCAL');
    expect(off).to.not.include('VYGEN-LOCAL');
    expect(off).to.include("jump-target 'VYGEN-ROLE-POLICY'");
  });

  it('VRRP without unicast opens the VRRP multicast group; with unicast only the peers', () => {
    const doc = fixtureDoc('firewall-sessions');
    expect(vyos(doc, 'osaka-a')).to.include("set firewall group address-group VYGEN-VRRP-PEERS address '10.1.1.5'");
    doc.sites.osaka.vrrp.unicast = false;
    const multicast = vyos(doc, 'osaka-a');
    expect(multicast).to.include("rule 51 destination address '224.0.0.18'");
    expect(multicast).to.not.include('VYGEN-VRRP-PEERS');
  });

  it('a role added to a site network follows the site: a new subnet joins the role', () => {
    const doc = fixtureDoc('firewall-sessions');
    doc.sites.tokyo.networks.connected.push('10.0.9.0/24');
    expect(vyos(doc, 'osaka-a')).to.include("set firewall group network-group ROLE-TOKYO-APPS network '10.0.9.0/24'");
  });

  it('protection follows the intents: a BGP neighbor written under routers: is let in too', () => {
    const doc = fixtureDoc('firewall-sessions');
    doc.routers['tokyo-a'] = { bgp: { neighbors: { '10.0.1.99': { remote_as: 64999 } } } };
    expect(vyos(doc, 'tokyo-a')).to.include("set firewall group address-group VYGEN-BGP-PEERS address '10.0.1.99'");
  });

  it("a role of a site's lan subnets holds each subnet once", () => {
    const doc = fixtureDoc('firewall-sessions');
    doc.firewall.roles['tokyo-apps'] = [{ site: 'tokyo', networks: 'lan' }];
    const out = vyos(doc, 'osaka-a');
    expect(out.split('\n').filter((l) => l.startsWith('set firewall group network-group ROLE-TOKYO-APPS network'))).to.deep.equal(["set firewall group network-group ROLE-TOKYO-APPS network '10.0.1.0/24'"]);
  });

  it('a router with no role network gets no role rules, only its protection', () => {
    const doc = fixtureDoc('firewall-sessions');
    doc.firewall.roles = { admins: ['192.0.2.0/24'] };
    doc.firewall.rules = [];
    doc.firewall.shapers = [];
    const out = vyos(doc, 'tokyo-a');
    expect(out).to.not.include('VYGEN-ROLE-POLICY');
    expect(out).to.include("jump-target 'VYGEN-LOCAL'");
  });
});

describe('firewall: a rule shadows a later one only when it takes all its traffic', () => {
  const rule = (protocol: FirewallRule['protocol'], ports: string[], from = 'a', to = 'b'): FirewallRule => ({ number: 0, from, to, protocol, ports, action: 'accept', path: [] });
  const cases: [FirewallRule, FirewallRule, boolean][] = [
    [rule('any', []), rule('tcp', ['22']), true],
    [rule('tcp', []), rule('tcp', ['22']), true],
    [rule('tcp_udp', ['53']), rule('udp', ['53']), true],
    [rule('tcp', ['1000-2000']), rule('tcp', ['1500', '1999-2000']), true],
    [rule('tcp', ['1000-2000']), rule('tcp', ['1500-2001']), false],
    [rule('tcp', ['22']), rule('udp', ['22']), false],
    [rule('tcp', ['22']), rule('any', []), false],
    [rule('tcp', ['22']), rule('tcp', []), false],
    [rule('any', [], 'a', 'b'), rule('any', [], 'a', 'c'), false],
    [rule('icmp', []), rule('tcp', []), false],
  ];
  for (const [earlier, later, want] of cases) {
    it(`${earlier.protocol} ${earlier.ports.join(',') || '*'} ${earlier.to} before ${later.protocol} ${later.ports.join(',') || '*'} ${later.to}: ${want ? 'shadowed' : 'reachable'}`, () => {
      expect(covers(earlier, later)).to.equal(want);
    });
  }
});

describe('firewall: the group of every role network is aggregated', () => {
  const cases: [string[], string[]][] = [
    [['10.0.0.0/24', '10.0.1.0/24'], ['10.0.0.0/23']],
    [['10.0.1.0/24', '10.0.2.0/24'], ['10.0.1.0/24', '10.0.2.0/24']],
    [['10.0.3.0/24', '10.0.2.0/24', '10.0.0.0/23'], ['10.0.0.0/22']],
    [['10.0.0.0/8', '10.1.0.0/16'], ['10.0.0.0/8']],
    [['192.168.100.0/24', '10.11.1.0/24'], ['10.11.1.0/24', '192.168.100.0/24']],
    [['0.0.0.0/1', '128.0.0.0/1'], ['0.0.0.0/0']],
  ];
  for (const [given, want] of cases) {
    it(`${given.join(' ')} -> ${want.join(' ')}`, () => {
      expect(aggregate(given.map(parsePrefix))).to.deep.equal(want);
    });
  }
});

// IPv6 (issue 20): the IPv6 rule sets are built like the IPv4 ones, so the
// same walk must hold for them: a dual-stack router is never opened over IPv6
// between two lines of a diff either.

/** The IPv6 protection: the local chain dropping by default, and where it is attached. */
function protection6(tree: Branch): string[] {
  const out: string[] = [];
  const local = at(chains6(tree), 'VYGEN-LOCAL6');
  if (local) out.push(`local6 chain default-action ${value(at(local, 'default-action')).join()}`);
  for (const [n, rule] of at(local, 'rule')?.kind === 'node' ? (at(local, 'rule') as Branch).children : []) {
    if (value(at(rule, 'protocol'))[0] === 'ipv6-icmp') out.push(`local6 rule ${n} icmpv6 ${value(at(rule, 'icmpv6', 'type')).join()} ${value(at(rule, 'action')).join()}`);
  }
  for (const r of ['5', '10']) {
    const rule = at(tree, 'firewall', 'ipv6', 'input', 'filter', 'rule', r);
    if (rule) out.push(`input6 rule ${r} ${value(at(rule, 'action')).join()} ${value(at(rule, 'jump-target')).join()}`);
  }
  const ifs = at(tree, 'interfaces');
  for (const [type, byName] of ifs?.kind === 'node' ? ifs.children : []) {
    for (const [name, i] of byName.kind === 'node' ? byName.children : []) {
      const attached = value(at(i, 'firewall', 'local', 'ipv6-name'));
      if (attached.length) out.push(`${type} ${name} local6 ${attached.join()}`);
    }
  }
  return out;
}

/** The site turned back to IPv4 only (the site's IPv6 networks need its routers' IPv6 LAN). */
function withoutIpv6(d: Record<string, any>, site: string): void {
  delete d.sites[site].ipv6;
  for (const r of Object.values(d.sites[site].routers) as Record<string, unknown>[]) delete r.ipv6;
}

describe('firewall on IPv6: the diff keeps a dual-stack router protected', () => {
  const base = () => fixtureDoc('firewall-dual-stack');
  // Each step from the one before: add a role and append a rule, remove the first rule
  // (the rules below move up), move an IPv6 prefix between roles, drop a router's IPv6.
  const docs: Record<string, any>[] = [base()];
  const next = (change: (d: Record<string, any>) => void) => {
    const d = structuredClone(docs[docs.length - 1]!);
    change(d);
    docs.push(d);
  };
  next((d) => {
    d.firewall.roles.admins = ['2001:db8:200::/48', '2001:db8:201::/48'];
    d.firewall.rules.push({ from: 'admins', to: 'tokyo-apps', ports: [22] });
  });
  next((d) => d.firewall.rules.shift());
  next((d) => {
    d.firewall.roles.admins = ['2001:db8:201::/48'];
    d.firewall.roles.operators.push('2001:db8:200::/48');
  });
  next((d) => withoutIpv6(d, 'osaka'));
  const texts = docs.map((d) => toYaml(d));
  const rendered = (i: number, release: Release) => {
    const r = render(texts[i]!, { file: `step-${i}.yaml`, redact: true, release });
    expect(r.diagnostics.filter((x) => x.severity === 'error'), `step ${i}`).to.deep.equal([]);
    return new Map(r.files.filter((f) => f.path.endsWith('.vyos')).map((f) => [f.path, f.content]));
  };
  for (let s = 1; s < texts.length; s++) {
    for (const release of RELEASES) {
      it(`IPv6 step ${s} (VyOS ${release}): line by line, the IPv6 protection and the ICMPv6 essentials stay, no IPv6 rule names a missing group`, () => {
        const before = rendered(s - 1, release);
        const after = rendered(s, release);
        const result = diffTopologies({ text: texts[s - 1]!, file: `step-${s - 1}.yaml` }, { text: texts[s]!, file: `step-${s}.yaml` }, { redact: true, release });
        let changed = 0;
        for (const d of result.files) {
          if (d.status === 'unchanged') continue;
          changed++;
          const m = multiOf(release);
          const tree = treeOf(before.get(d.source)!, m);
          const oldTree = treeOf(before.get(d.source)!, m);
          const newTree = treeOf(after.get(d.source)!, m);
          const kept = [...protection6(newTree).filter((p) => protection6(tree).includes(p)), ...protection(newTree).filter((p) => protection(tree).includes(p))];
          for (const line of d.content.split('\n').filter((l) => /^(set|delete) /.test(l))) {
            applyText(tree, line, m);
            expect([...protection6(tree), ...protection(tree)], `${d.source} after ${line}`).to.include.members(kept);
            expect(danglingGroups(tree, 6), `${d.source} after ${line}`).to.deep.equal([]);
            expect(halfChanged(tree, oldTree, newTree, chains6), `${d.source} after ${line}: an accepting IPv6 rule half-changed`).to.deep.equal([]);
          }
          expect(canonicalLines(tree), d.source).to.deep.equal(canonicalLines(newTree));
        }
        expect(changed, 'the step changes some router').to.be.greaterThan(0);
      });
    }
  }
});

describe('firewall on IPv6: what a router gets', () => {
  const ESSENTIALS = ['1', '2', '3', '4', '130', '131', '132', '133', '134', '135', '136', '143'];
  const vyos = (doc: Record<string, any>, router: string, release: Release) => {
    const r = render(toYaml(doc), { file: 'topology.yaml', redact: true, release });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
    return r.files.find((f) => f.path === `${router}.vyos`)!.content;
  };
  const icmpv6Types = (out: string, chain: string) =>
    [...out.matchAll(new RegExp(`^set firewall (?:ipv6 name|ipv6-name) ${chain} rule (\\d+) icmpv6 type '(\\d+)'$`, 'gm'))].map((x) => x[2]!);

  for (const release of RELEASES) {
    it(`VyOS ${release}: a router with IPv6 accepts the ICMPv6 essentials and rate-limited echo on input, and packet-too-big through its role policy`, () => {
      const out = vyos(fixtureDoc('firewall-dual-stack'), 'tokyo-a', release);
      expect(icmpv6Types(out, 'VYGEN-LOCAL6')).to.include.members([...ESSENTIALS, '128']);
      expect(icmpv6Types(out, 'VYGEN-ROLE-POLICY6')).to.deep.equal(['2']);
      // Packet-too-big before the drop of invalid packets (one about a flow this router did not see is invalid).
      expect(out).to.match(/ VYGEN-ROLE-POLICY6 rule 2 icmpv6 type '2'$/m);
      expect(out).to.match(/ VYGEN-ROLE-POLICY6 rule 3 action 'drop'$/m);
      expect(out).to.match(release === '1.3' ? / VYGEN-ROLE-POLICY6 rule 3 state invalid 'enable'$/m : / VYGEN-ROLE-POLICY6 rule 3 state 'invalid'$/m);
      expect(out).to.match(/ VYGEN-LOCAL6 rule 80 limit rate '10\/second'$/m);
      expect(out).to.match(release === '1.3' ? /^set interfaces ethernet eth0 firewall local ipv6-name 'VYGEN-LOCAL6'$/m : /^set firewall ipv6 input filter rule 10 jump-target 'VYGEN-LOCAL6'$/m);
      // BGP from the IPv6 neighbours (the tunnel's /127 and iBGP on the LAN).
      expect(out).to.include("set firewall group ipv6-address-group VYGEN-BGP-PEERS6 address 'fd00:172:16::1'");
      expect(out).to.include("set firewall group ipv6-address-group VYGEN-BGP-PEERS6 address '2001:db8:1:1::3'");
    });

    it(`VyOS ${release}: a router without IPv6 (and an IPv4-only topology) gets no IPv6 firewall line`, () => {
      const dual = fixtureDoc('firewall-dual-stack');
      withoutIpv6(dual, 'tokyo');
      const mixed = vyos(dual, 'tokyo-a', release);
      expect(mixed).to.include('VYGEN-LOCAL');
      expect(mixed).to.not.match(/ipv6|VYGEN-LOCAL6|icmpv6/);
      expect(vyos(fixtureDoc('firewall-sessions'), 'tokyo-a', release)).to.not.match(/ipv6|VYGEN-LOCAL6|icmpv6/);
    });
  }

  it("a role naming a dual-stack site holds the site's IPv6 networks too (and its lan subnets with networks: lan)", () => {
    const doc = fixtureDoc('firewall-dual-stack');
    expect(vyos(doc, 'osaka-a', '1.4')).to.include("set firewall group ipv6-network-group R6-TOKYO-APPS network '2001:db8:1:100::/56'");
    doc.firewall.roles['tokyo-apps'] = [{ site: 'tokyo', networks: 'lan' }];
    const lan = vyos(doc, 'osaka-a', '1.4').split('\n').filter((l) => l.startsWith('set firewall group ipv6-network-group R6-TOKYO-APPS network'));
    expect(lan).to.deep.equal(["set firewall group ipv6-network-group R6-TOKYO-APPS network '2001:db8:1:1::/64'"]);
  });

  it('IPv6 VRRP groups: one without unicast opens ff02::12, one with unicast its IPv6 peers; IPv4 groups stay in the IPv4 chain', () => {
    const doc = fixtureDoc('vrrp-nat-pair-dual-stack');
    doc.firewall = { roles: { lan: ['10.0.5.0/24', '2001:db8:5::/64'] } };
    for (const release of RELEASES) {
      const out = vyos(doc, 'vyos01', release);
      expect(out).to.match(/ VYGEN-LOCAL6 rule 51 destination address 'ff02::12'$/m);
      expect(out).to.match(/ VYGEN-LOCAL rule 51 destination address '224.0.0.18'$/m);
      expect(out).to.include("set firewall group ipv6-address-group VYGEN-VRRP-PEERS6 address '2001:db8:17::51'");
      expect(out).to.not.match(/address-group VYGEN-VRRP-PEERS address/);
    }
  });

  it('an IPv6 IPsec peer opens IKE and ESP in the IPv6 chain; a deny between a role holding an IPv6 peer and the router is refused', () => {
    const doc = fixtureDoc('router-config-dual-stack');
    doc.firewall = { roles: { lan: ['2001:db8:5::/64'], upstream: ['2001:db8::/64', '2001:db8:ffff:ffff::/64'] } };
    const out = vyos(doc, 'edge1', '1.4');
    expect(out).to.include("set firewall group ipv6-address-group VYGEN-IPSEC-PEERS6 address '2001:db8:ffff:ffff::1'");
    expect(out).to.include("set firewall ipv6 name VYGEN-LOCAL6 rule 20 source group address-group 'VYGEN-IPSEC-PEERS6'");
    expect(out).to.include("set firewall ipv6 name VYGEN-LOCAL6 rule 40 source group address-group 'VYGEN-BGP-PEERS6'");
    expect(out).to.include("set firewall group address-group VYGEN-GRE-PEERS address '10.255.0.2'");
    doc.firewall.rules = [{ from: 'upstream', to: 'upstream', protocol: 'any', action: 'drop' }];
    const r = render(toYaml(doc), { file: 'topology.yaml', redact: true });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`).join('\n')).to.match(/firewall-cuts-session .*2001:db8/);
  });
});

describe('firewall on IPv6: the group of every role network is aggregated', () => {
  it('siblings become their parent, a contained prefix is dropped', async () => {
    const { aggregate6 } = await import('../dist/features/firewall/aggregate.js');
    const { parseIp } = await import('../dist/net/ip.js');
    const p = (t: string[]) => aggregate6(t.map(parseIp));
    expect(p(['2001:db8:0:1::/64', '2001:db8::/64'])).to.deep.equal(['2001:db8::/63']);
    expect(p(['2001:db8:0:1::/64', '2001:db8:0:2::/64'])).to.deep.equal(['2001:db8:0:1::/64', '2001:db8:0:2::/64']);
    expect(p(['2001:db8::/48', '2001:db8:0:5::/64'])).to.deep.equal(['2001:db8::/48']);
  });
});
