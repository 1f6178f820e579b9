// The config-tree model on its own: how lines are read (VyOS shell quoting),
// how set and delete change a tree, and the diff on hand-made configurations,
// including random ones.
import { expect } from 'chai';
import {
  applyText,
  canonicalLines,
  ConfigError,
  diffConfigs,
  DIALECTS,
  emptyTree,
  formatCommand,
  MultiValued,
  parseCommands,
  RELEASES,
  render,
  sameTree,
  treeOf,
} from '../dist/index.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, ROOT } from './helpers/golden.js';

const MULTI = new MultiValued(['interfaces ethernet * address', 'vpn ipsec interface']);
const lines = (t: ReturnType<typeof emptyTree>) => canonicalLines(t);
const diff = (a: string, b: string) => diffConfigs(a, b, MULTI).map(formatCommand);

describe('config tree: reading lines', () => {
  it('splits words as the VyOS shell does', () => {
    const [c] = parseCommands(`set a b c'd'e "x \\"y\\" \\$z"`);
    expect(c).to.deep.equal({ op: 'set', path: ['a', 'b', 'cde'], value: 'x "y" $z', line: 1 });
    expect(() => parseCommands(`set a "b c" 'v'`), 'a path word with a blank').to.throw(ConfigError);
    expect(parseCommands(`set a b\\ c`)[0]!.value).to.equal('b c');
    expect(parseCommands(`set a 'it''s'`)[0]!.value).to.equal('its');
  });

  it('a quoted last word is a value, a bare one a node', () => {
    expect(parseCommands(`set protocols static route 0.0.0.0/0 next-hop 10.0.0.1`)[0]).to.deep.equal({
      op: 'set',
      path: ['protocols', 'static', 'route', '0.0.0.0/0', 'next-hop', '10.0.0.1'],
      line: 1,
    });
    expect(parseCommands(`set system host-name 'r1'`)[0]).to.deep.include({ path: ['system', 'host-name'], value: 'r1' });
  });

  it('skips comments, blank lines and the session lines of a wrapped file', () => {
    const cmds = parseCommands(`# header\n\nconfigure\nset a 'b' # trailing\ncommit-confirm 5\ncommit\nsave\nexit\n`);
    expect(cmds).to.deep.equal([{ op: 'set', path: ['a'], value: 'b', line: 4 }]);
  });

  it('refuses what the shell would not pass on as words', () => {
    for (const bad of [`set a 'b`, `set a "b`, `set a b; reboot`, `set a $(id)`, `set a "$HOME"`, `show a`, `set`, `run show version`, `set a b\\`]) {
      expect(() => parseCommands(bad), bad).to.throw(ConfigError);
    }
  });
});

describe('config tree: set and delete', () => {
  it('a single-valued leaf is replaced, a multi-valued one collects values', () => {
    const t = applyText(emptyTree(), `set interfaces ethernet eth0 address '10.0.0.1/24'\nset interfaces ethernet eth0 address '10.0.0.2/24'\nset interfaces ethernet eth0 mtu '1500'\nset interfaces ethernet eth0 mtu '9000'`, MULTI);
    expect(lines(t)).to.deep.equal([
      'interfaces ethernet eth0 address = "10.0.0.1/24" (multi)',
      'interfaces ethernet eth0 address = "10.0.0.2/24" (multi)',
      'interfaces ethernet eth0 mtu = "9000"',
    ]);
  });

  it('delete removes a subtree, one value, or the leaf with its last value', () => {
    const t = applyText(emptyTree(), `set interfaces ethernet eth0 address '10.0.0.1/24'\nset interfaces ethernet eth0 address '10.0.0.2/24'\nset interfaces tunnel tun0 mtu '1400'\nset interfaces tunnel tun1 mtu '1400'`, MULTI);
    applyText(t, `delete interfaces tunnel tun0\ndelete interfaces ethernet eth0 address '10.0.0.1/24'`, MULTI);
    expect(lines(t)).to.deep.equal(['interfaces ethernet eth0 address = "10.0.0.2/24" (multi)', 'interfaces tunnel tun1 mtu = "1400"']);
    applyText(t, `delete interfaces ethernet eth0 address '10.0.0.2/24'`, MULTI);
    expect(lines(t)).to.deep.equal(['interfaces ethernet eth0', 'interfaces tunnel tun1 mtu = "1400"']);
  });

  it('refuses deleting what is not there, and paths through a leaf', () => {
    const t = applyText(emptyTree(), `set a b 'c'`, MULTI);
    expect(() => applyText(t, `delete a x`, MULTI)).to.throw(/nothing to delete/);
    expect(() => applyText(t, `delete a b 'd'`, MULTI)).to.throw(/does not hold/);
    expect(() => applyText(t, `set a b c 'd'`, MULTI)).to.throw(/is a leaf/);
    expect(() => applyText(t, `set a 'v'`, MULTI)).to.throw(/is a node/);
  });

  it('reading a whole configuration refuses a single-valued leaf set twice (an undeclared multi-valued leaf)', () => {
    expect(() => treeOf(`set vpn ipsec authentication psk p id 'a'\nset vpn ipsec authentication psk p id 'b'`, MULTI)).to.throw(/multiValued/);
    expect(() => treeOf(`set vpn ipsec authentication psk p id 'a'\nset vpn ipsec authentication psk p id 'b'`, new MultiValued(DIALECTS['1.4'].multiValued))).to.not.throw();
  });

  it('every multi-valued entry of the dialect table matches lines that renders emit', () => {
    // The list is data the diff depends on: an entry no render uses is a typo
    // or a path vygen no longer emits.
    const topologies = [
      ...readdirSync(FIXTURES).filter((n) => !n.startsWith('err-')).map((n) => join(FIXTURES, n, 'topology.yaml')),
      ...readdirSync(join(ROOT, 'examples')).map((n) => join(ROOT, 'examples', n, 'topology.yaml')),
    ].filter((p) => existsSync(p));
    for (const release of RELEASES) {
      const used = new Set<string>();
      const entries = DIALECTS[release].multiValued;
      for (const p of topologies) {
        const r = render(readFileSync(p, 'utf8'), { file: 'topology.yaml', redact: true, release });
        for (const f of r.files.filter((x) => x.path.endsWith('.vyos'))) {
          for (const c of parseCommands(f.content)) {
            if (c.value === undefined) continue;
            const hit = entries.find((e) => new MultiValued([e]).has(c.path));
            if (hit) used.add(hit);
          }
        }
      }
      expect([...used].sort(), `VyOS ${release}`).to.deep.equal([...entries].sort());
    }
  });
});

describe('config tree: the diff', () => {
  const OLD = [
    `set system host-name 'r1'`,
    `set interfaces ethernet eth0 address '10.0.0.1/24'`,
    `set interfaces tunnel tun0 address '172.16.0.1/30'`,
    `set interfaces tunnel tun0 mtu '1414'`,
    `set interfaces tunnel tun3 address '172.16.0.13/30'`,
    `set interfaces tunnel tun3 mtu '1414'`,
    `set policy prefix-list PL rule 10 prefix '10.0.0.0/24'`,
    `set policy route-map RM rule 10 match ip address prefix-list 'PL'`,
    `set protocols bgp neighbor 172.16.0.2 remote-as '65002'`,
    `set protocols bgp neighbor 172.16.0.14 address-family ipv4-unicast route-map export 'RM'`,
    `set protocols bgp neighbor 172.16.0.14 remote-as '65003'`,
  ].join('\n');

  it('nothing for equal configurations, whatever the line order', () => {
    expect(diff(OLD, OLD.split('\n').reverse().join('\n'))).to.deep.equal([]);
  });

  it('a changed leaf value is one set', () => {
    expect(diff(OLD, OLD.replace(`tun0 mtu '1414'`, `tun0 mtu '1400'`))).to.deep.equal([`set interfaces tunnel tun0 mtu '1400'`]);
  });

  it('a removed object is one delete of its root, users before what they use', () => {
    const without = OLD.split('\n').filter((l) => !/tun3|172\.16\.0\.14|policy/.test(l)).join('\n');
    expect(diff(OLD, without)).to.deep.equal([
      'delete protocols bgp neighbor 172.16.0.14',
      'delete policy',
      'delete interfaces tunnel tun3',
    ]);
  });

  it('a multi-valued leaf loses exactly the values that went', () => {
    expect(diff(OLD, OLD.replace(`address '10.0.0.1/24'`, `address '10.0.0.9/24'`))).to.deep.equal([
      `delete interfaces ethernet eth0 address '10.0.0.1/24'`,
      `set interfaces ethernet eth0 address '10.0.0.9/24'`,
    ]);
  });

  it('a new router is its whole configuration, in paste order', () => {
    expect(diff('', OLD)).to.deep.equal(OLD.split('\n'));
  });

  it('a leaf that becomes a node (and back) is deleted, then set', () => {
    const a = `set a b 'x'`;
    const b = `set a b c 'y'`;
    expect(diff(a, b)).to.deep.equal([`delete a b`, `set a b c 'y'`]);
    expect(diff(b, a)).to.deep.equal([`delete a b`, `set a b 'x'`]);
  });

  it('random configurations: old + diff = new (500 pairs)', () => {
    // Deterministic pseudo-random edits of a real render: lines dropped,
    // values changed, new objects and new values added.
    const base = render(readFileSync(join(FIXTURES, 'seed-000', 'topology.yaml'), 'utf8'), { file: 'x.yaml', redact: true }).files[0]!.content;
    const multi = new MultiValued(DIALECTS['1.4'].multiValued);
    const baseLines = base.split('\n').filter((l) => l.startsWith('set '));
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const mutate = () =>
      baseLines
        .flatMap((l) => {
          const r = rnd();
          if (r < 0.15) return [];
          if (r < 0.25 && l.endsWith("'")) return [l.replace(/'([^']*)'$/, `'$1x'`)];
          if (r < 0.3) return [l, l.replace(/ (tun\d|eth\d|IKE-DEFAULT|ESP-DEFAULT|osaka-a|RM-TOKYO-\w+|10\.0\.1\.3) /, ' $1z ')];
          if (r < 0.33 && multi.has(parseCommands(l)[0]!.path.slice(0, -0 || undefined))) return [l];
          return [l];
        })
        .filter((l, i, all) => all.indexOf(l) === i)
        .join('\n');
    let nonEmpty = 0;
    for (let i = 0; i < 500; i++) {
      const a = mutate();
      const b = mutate();
      let ta, tb;
      try {
        ta = treeOf(a, multi);
        tb = treeOf(b, multi);
      } catch {
        continue; // a mutation made one leaf single-valued twice: not a configuration
      }
      const d = diffConfigs(a, b, multi).map(formatCommand);
      if (d.length > 0) nonEmpty++;
      const got = applyText(ta, d.join('\n'), multi);
      expect(sameTree(got, tb), `pair ${i}:\n${d.join('\n')}`).to.equal(true);
    }
    expect(nonEmpty).to.be.greaterThan(400);
  });
});
