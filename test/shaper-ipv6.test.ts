// Shaper classes on a router with IPv6: a class by role matches the role's
// IPv6 networks (an `ip` match never sees an IPv6 packet), a class by
// protocol or port gets an `ipv6` twin of each match, and no match mixes the
// families (VyOS 1.3 refuses a match on both ip and ipv6).
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderFixture } from './helpers/fake-aws.js';
import { fixtureCases } from './helpers/golden.js';

const matchLines = (text: string) => text.split('\n').filter((l) => / class \d+ match m\d+ /.test(l));

describe('shaper classes and IPv6', () => {
  it('a class by role matches the role\'s IPv6 networks, a class by port gets IPv6 twins', () => {
    const lines = matchLines(renderFixture('firewall-dual-stack').get('tokyo-a.vyos')!);
    expect(lines).to.include.members([
      "set qos policy shaper SHAPE-TOKYO-A-TUN0 class 10 match m3 ipv6 source address '2001:db8:2:1::/64'",
      "set qos policy shaper SHAPE-TOKYO-A-TUN0 class 10 match m4 ipv6 source address '2001:db8:2:100::/56'",
      "set qos policy shaper SHAPE-TOKYO-A-TUN0 class 11 match m2 ipv6 destination port '22'",
      "set qos policy shaper SHAPE-TOKYO-A-TUN0 class 11 match m2 ipv6 protocol 'tcp'",
    ]);
  });

  it('an IPv4-only router\'s shaper has no ipv6 match', () => {
    for (const r of ['tokyo-a']) {
      const text = renderFixture('firewall-sessions').get(`${r}.vyos`)!;
      expect(matchLines(text).length).to.be.greaterThan(0);
      expect(matchLines(text).some((l) => / ipv6 /.test(l))).to.equal(false);
    }
  });

  it('no match of any fixture names both families', () => {
    let seen = 0;
    for (const name of fixtureCases().filter((n) => !n.startsWith('err-') && existsSync(join('fixtures', n, 'topology.yaml')))) {
      for (const [path, text] of renderFixture(name)) {
        if (!path.endsWith('.vyos')) continue;
        const families = new Map<string, Set<string>>();
        for (const l of matchLines(text)) {
          const m = / (shaper \S+ class \d+ match m\d+) (ipv6|ip) /.exec(l);
          if (!m) continue;
          seen++;
          (families.get(m[1]!) ?? families.set(m[1]!, new Set()).get(m[1]!)!).add(m[2]!);
        }
        for (const [match, f] of families) expect(f.size, `${name} ${path} ${match}`).to.equal(1);
      }
    }
    expect(seen).to.be.greaterThan(0);
  });
});
