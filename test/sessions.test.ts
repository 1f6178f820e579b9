// Derived sessions: both ends of every link agree (tunnel /30, BGP neighbor
// and remote-as, IPsec identities and proposals), iBGP meshes each site.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../dist/index.js';
import { FIXTURES } from './helpers/golden.js';

type Lines = string[];

function renderFixture(name: string): Map<string, Lines> {
  const text = readFileSync(join(FIXTURES, name, 'topology.yaml'), 'utf8');
  const result = render(text, { file: 'topology.yaml', redact: true, release: '1.4' });
  return new Map(result.files.map((f) => [f.device, f.content.split('\n')]));
}

const value = (lines: Lines, prefix: string): string[] =>
  lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length).replace(/^'|'$/g, ''));

describe('derived sessions', () => {
  for (const fixture of ['seed-000', 'three-sites']) {
    it(`${fixture}: both ends of every tunnel agree`, () => {
      const files = renderFixture(fixture);
      let tunnels = 0;
      for (const [router, lines] of files) {
        for (const peer of value(lines, 'set vpn ipsec site-to-site peer ').map((l) => l.split(' ')[0]!)) {
          const other = files.get(peer)!;
          expect(other, `${router} peers with a router vygen rendered`).to.not.equal(undefined);
          const mine = `set vpn ipsec site-to-site peer ${peer} `;
          const theirs = `set vpn ipsec site-to-site peer ${router} `;
          expect(value(lines, `${mine}authentication local-id `)).to.deep.equal(value(other, `${theirs}authentication remote-id `));
          expect(value(lines, `${mine}remote-address `)).to.deep.equal(value(other, `${theirs}authentication local-id `));
          expect(value(lines, `${mine}tunnel 1 remote prefix `)).to.deep.equal(value(other, `${theirs}tunnel 1 local prefix `));
          const types = [value(lines, `${mine}connection-type `)[0], value(other, `${theirs}connection-type `)[0]].sort();
          expect(types).to.deep.equal(['initiate', 'respond']);
          const group = (ls: Lines, p: string) => value(ls, `${p}ike-group `)[0];
          const ikeLines = (ls: Lines, g: string) => ls.filter((l) => l.startsWith(`set vpn ipsec ike-group ${g} `)).map((l) => l.replace(` ${g} `, ' G '));
          expect(ikeLines(lines, group(lines, mine)!)).to.deep.equal(ikeLines(other, group(other, theirs)!));
          tunnels++;
        }
        // Every eBGP neighbor is the other end of one of this router's tunnels.
        const own = value(lines, 'set interfaces tunnel ').filter((l) => / address /.test(l)).map((l) => l.split(' ')[2]!.replace(/'/g, ''));
        for (const n of lines.filter((l) => / remote-as /.test(l))) {
          const [, address, asn] = /neighbor (\S+) remote-as '(\d+)'/.exec(n)!;
          const ebgp = own.some((a) => a.split('/')[0]!.split('.').slice(0, 3).join('.') === address!.split('.').slice(0, 3).join('.'));
          const remote = [...files.entries()].find(([, ls]) => ls.some((l) => l.includes(`address '${address}/`)));
          expect(remote, `neighbor ${address} of ${router} is an address of another router`).to.not.equal(undefined);
          const remoteAsn = value(remote![1], 'set protocols bgp system-as ')[0];
          expect(asn, `remote-as of ${address} on ${router}`).to.equal(remoteAsn);
          if (!ebgp) expect(lines).to.include(`set protocols bgp neighbor ${address} address-family ipv4-unicast nexthop-self`);
        }
      }
      expect(tunnels).to.be.greaterThan(0);
    });
  }

  it('a site with two routers gets one iBGP session each way, with nexthop-self', () => {
    const files = renderFixture('seed-000');
    expect(files.get('tokyo-a')).to.include.members([
      "set protocols bgp neighbor 10.0.1.3 remote-as '65001'",
      'set protocols bgp neighbor 10.0.1.3 address-family ipv4-unicast nexthop-self',
    ]);
    expect(files.get('tokyo-s')).to.include.members([
      "set protocols bgp neighbor 10.0.1.2 remote-as '65001'",
      'set protocols bgp neighbor 10.0.1.2 address-family ipv4-unicast nexthop-self',
    ]);
  });

  it('swapping active and standby moves prepend and local-preference with the role', () => {
    const text = readFileSync(join(FIXTURES, 'seed-000', 'topology.yaml'), 'utf8');
    const swapped = text.replace(/role: active/g, 'role: TMP').replace(/role: standby/g, 'role: active').replace(/role: TMP/g, 'role: standby');
    const roleLines = (t: string) => {
      const r = render(t, { file: 'topology.yaml', redact: true });
      return new Map(r.files.map((f) => [f.device, f.content.split('\n').filter((l) => /STANDBY|prepend|local-preference/.test(l))]));
    };
    const a = roleLines(text);
    const b = roleLines(swapped);
    expect(a.get('tokyo-a')).to.deep.equal([]);
    expect(a.get('tokyo-s')).to.include("set policy route-map RM-TOKYO-OUT rule 10 set as-path prepend '65001 65001 65001'");
    expect(b.get('tokyo-s')).to.deep.equal([]);
    const mirrored = (a.get('tokyo-s') ?? []).map((l) => l.replace('172.16.0.6', '172.16.0.2'));
    expect(b.get('tokyo-a')).to.deep.equal(mirrored);
  });
});
