// IPv6 address math (src/net/ipv6.ts through ip-cidr, src/net/ip.ts for both
// families) against independent references: the canonical text against
// Node's WHATWG URL serializer (which prints IPv6 hosts in RFC 5952 form),
// ranges, containment and overlap against plain bigint arithmetic on the
// generated groups; and the dual-stack rendering rules of the per-router layer.
import { expect } from 'chai';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from './helpers/golden.js';
import { render } from '../dist/index.js';
import { canonical, containsIp, isUsableHostIp, overlapsIp, parseIp, reservedUse } from '../dist/net/ip.js';

/** Eight 16-bit groups, with runs of zeros likely, written in a random spelling (case, leading zeros, one :: where it may go). */
const groups = fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 });
const spelled = fc.tuple(groups, fc.boolean(), fc.boolean(), fc.nat()).map(([g, upper, pad, pick]) => {
  const words = g.map((n) => {
    const h = n.toString(16);
    const w = pad ? h.padStart(4, '0') : h;
    return upper ? w.toUpperCase() : w;
  });
  // Compress one run of zero groups (not necessarily the longest): any valid spelling.
  const runs: [number, number][] = [];
  for (let i = 0; i < 8; i++) if (g[i] === 0) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    runs.push([i, j]);
    i = j;
  }
  if (runs.length === 0 || pick % 3 === 0) return { g, text: words.join(':') };
  const [a, b] = runs[pick % runs.length]!;
  return { g, text: `${words.slice(0, a).join(':')}::${words.slice(b).join(':')}` };
});
const value = (g: number[]) => g.reduce((n, x) => (n << 16n) | BigInt(x), 0n);

describe('IPv6 address math', () => {
  it('prints every spelling in RFC 5952 form (as the WHATWG URL serializer does)', () => {
    fc.assert(
      fc.property(spelled, ({ text }) => {
        const expected = new URL(`http://[${text}]/`).hostname.slice(1, -1);
        expect(canonical(text)).to.equal(expected);
        expect(canonical(`${text}/64`)).to.equal(`${expected}/64`);
      }),
      { numRuns: 2000 },
    );
  });

  it('covers exactly the addresses of the prefix: range, containment, overlap', () => {
    fc.assert(
      fc.property(spelled, fc.integer({ min: 0, max: 128 }), spelled, fc.integer({ min: 0, max: 128 }), (a, la, b, lb) => {
        const p = parseIp(`${a.text}/${la}`);
        const size = 1n << BigInt(128 - la);
        const first = (value(a.g) / size) * size;
        expect([p.first, p.last, p.value]).to.deep.equal([first, first + size - 1n, value(a.g)]);
        const q = parseIp(`${b.text}/${lb}`);
        const inside = value(b.g) >= first && value(b.g) <= first + size - 1n;
        expect(containsIp(p, parseIp(b.text))).to.equal(inside);
        const qSize = 1n << BigInt(128 - lb);
        const qFirst = (value(b.g) / qSize) * qSize;
        expect(overlapsIp(p, q)).to.equal(first <= qFirst + qSize - 1n && qFirst <= first + size - 1n);
      }),
      { numRuns: 1000 },
    );
  });

  it('never mixes the families', () => {
    expect(containsIp(parseIp('::/0'), parseIp('10.0.0.1'))).to.equal(false);
    expect(overlapsIp(parseIp('0.0.0.0/0'), parseIp('::/0'))).to.equal(false);
    expect(containsIp(parseIp('10.0.0.0/8'), parseIp('10.1.2.3'))).to.equal(true);
  });

  it('knows hosts, the Subnet-Router anycast address and reserved ranges', () => {
    expect(isUsableHostIp(parseIp('2001:db8::/64'))).to.equal(false);
    expect(isUsableHostIp(parseIp('2001:db8::/127'))).to.equal(true);
    expect(isUsableHostIp(parseIp('2001:db8::ffff:ffff:ffff:ffff/64')), 'IPv6 has no broadcast address').to.equal(true);
    expect(isUsableHostIp(parseIp('10.0.0.255/24'))).to.equal(false);
    expect(reservedUse(parseIp('ff02::1'))).to.equal('multicast');
    expect(reservedUse(parseIp('::1'))).to.equal('loopback');
    expect(reservedUse(parseIp('2001:db8::1'))).to.equal(undefined);
  });
});

describe('IPv6 in the per-router layer', () => {
  const topology = (body: string) => `vygen: 1\nrouters:\n  r1:\n    vyos: "1.4"\n${body}`;
  const lines = (text: string) => {
    const result = render(text, { file: 't.yaml', redact: true });
    expect(result.diagnostics.filter((d) => d.severity === 'error'), JSON.stringify(result.diagnostics)).to.deep.equal([]);
    return result.files[0]!.content.split('\n');
  };

  it('renders an IPv6 neighbor under ipv6-unicast and activates it even without options', () => {
    const out = lines(topology('    interfaces: { eth0: { address: 2001:DB8::2/64 } }\n    bgp: { asn: 65001, neighbors: { "2001:db8::1": { remote_as: 65002 } } }\n'));
    expect(out).to.include('set interfaces ethernet eth0 address \'2001:db8::2/64\'');
    expect(out).to.include('set protocols bgp neighbor 2001:db8::1 address-family ipv6-unicast');
    expect(out.filter((l) => l.includes('ipv4-unicast'))).to.deep.equal([]);
  });

  it('renders IPv6 prefix-lists as prefix-list6, matched by match ipv6', () => {
    const out = lines(topology('    policy:\n      prefix_lists: { P6: { rules: [{ action: permit, prefix: "2001:db8::/32", le: 48 }] } }\n      route_maps: { RM: { rules: [{ action: permit, match: { prefix_list: P6 } }] } }\n'));
    expect(out).to.include("set policy prefix-list6 P6 rule 10 prefix '2001:db8::/32'");
    expect(out).to.include("set policy route-map RM rule 10 match ipv6 address prefix-list 'P6'");
    expect(out.some((l) => l.startsWith('set policy prefix-list P6'))).to.equal(false);
  });

  it('renders IPv6 static routes as route6, per release', () => {
    const body = '    interfaces: { eth0: { address: 2001:db8::2/64 }, tun1: { address: fd00::1/127, source_address: 10.0.0.1, remote: 10.0.0.2 } }\n    static_routes: [{ prefix: "::/0", next_hop: 2001:db8::1 }, { prefix: "fd01::/48", interface: tun1 }]\n';
    const v14 = lines(topology(body));
    expect(v14).to.include('set protocols static route6 ::/0 next-hop 2001:db8::1');
    expect(v14).to.include('set protocols static route6 fd01::/48 interface tun1');
    const v13 = lines(topology(body).replace('"1.4"', '"1.3"'));
    expect(v13).to.include('set protocols static interface-route6 fd01::/48 next-hop-interface tun1');
  });
});

describe('IPv6 DR real servers (scripts run with fake ip6tables and ip)', () => {
  // The fakes keep their state in a directory and log every call, as in real-server-script.test.ts.
  const FAKE_IP6TABLES = `#!/bin/sh
echo "ip6tables $*" >> "$FAKE_STATE/log"
rules="$FAKE_STATE/ip6tables"
touch "$rules"
[ "$1 $2" = "-t nat" ] || exit 2
op=$3
shift 3
rule="$*"
case "$op" in
  -C) grep -qxF -- "$rule" "$rules" ;;
  -A) echo "$rule" >> "$rules" ;;
  -D) grep -qxF -- "$rule" "$rules" || exit 1; grep -vxF -- "$rule" "$rules" > "$rules.new" || true; mv "$rules.new" "$rules" ;;
  *) exit 2 ;;
esac
`;
  const FAKE_IP = `#!/bin/sh
echo "ip $*" >> "$FAKE_STATE/log"
addrs="$FAKE_STATE/lo6"
touch "$addrs"
case "$*" in
  "-6 -o addr show dev lo to "*) a=\${*##* }; if grep -qxF -- "$a" "$addrs"; then echo "1: lo    inet6 $a scope global"; fi ;;
  "-6 addr add "*" dev lo") if grep -qxF -- "$4" "$addrs"; then exit 2; fi; echo "$4" >> "$addrs" ;;
  "-6 addr del "*" dev lo") grep -vxF -- "$4" "$addrs" > "$addrs.new" || true; mv "$addrs.new" "$addrs" ;;
  *) exit 2 ;;
esac
`;
  const run = (script: string) => {
    const root = mkdtempSync(join(tmpdir(), 'vygen-rs6-'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    for (const [name, body] of [['ip6tables', FAKE_IP6TABLES], ['ip', FAKE_IP]] as const) {
      writeFileSync(join(bin, name), body);
      chmodSync(join(bin, name), 0o755);
    }
    writeFileSync(join(root, 's.sh'), script);
    const go = (...args: string[]) => spawnSync('sh', [join(root, 's.sh'), ...args], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_STATE: root, VYGEN_STATE_DIR: join(root, 'run') } });
    const read = (f: string) => (existsSync(join(root, f)) ? readFileSync(join(root, f), 'utf8').split('\n').filter((l) => l !== '') : []);
    return { go, read, dispose: () => rmSync(root, { recursive: true, force: true }) };
  };
  const text = readFileSync(join(FIXTURES, 'lvs-dual-stack', 'topology.yaml'), 'utf8');
  const script = (yaml: string, path: string) => render(yaml, { file: 't.yaml', redact: true }).files.find((f) => f.path === path)!.content;

  it('takes an IPv6 VIP by an ip6tables REDIRECT once, and --remove takes it back', () => {
    const h = run(script(text, 'real-servers/web6a.sh'));
    try {
      expect(h.go().status).to.equal(0);
      expect(h.go().status).to.equal(0);
      expect(h.read('ip6tables')).to.deep.equal(['PREROUTING -d 2001:db8:5::100 -p tcp --dport 80 -j REDIRECT']);
      expect(h.go('--remove').status).to.equal(0);
      expect(h.read('ip6tables')).to.deep.equal([]);
    } finally {
      h.dispose();
    }
  });

  it('puts an IPv6 VIP on lo as a /128 with loopback-arp, once', () => {
    const h = run(script(text.replace('      nodes:', '      real_server_accept: loopback-arp\n      nodes:'), 'real-servers/web6a.sh'));
    try {
      expect(h.go().status).to.equal(0);
      expect(h.go().status).to.equal(0);
      expect(h.read('lo6')).to.deep.equal(['2001:db8:5::100/128']);
      expect(h.read('log').filter((l) => l.startsWith('ip -6 addr add'))).to.have.length(1);
      expect(h.go('--remove').status).to.equal(0);
      expect(h.read('lo6')).to.deep.equal([]);
    } finally {
      h.dispose();
    }
  });
});

describe('IPv6 on dual-stack sites', () => {
  const example = readFileSync(join(FIXTURES, '..', 'examples', 'inter-region-vpn-dual-stack', 'topology.yaml'), 'utf8');
  const setLines = (text: string) => new Map(render(text, { file: 't.yaml', redact: true }).files.map((f) => [f.device, f.content.split('\n').filter((l) => l.startsWith('set '))]));

  it('keeps every tunnel\'s IPv6 inside address when a link is appended (the /127 follows the link number)', () => {
    const before = setLines(example);
    const after = setLines(`${example}\n  - between: [tokyo-a, osaka-s]\n    ipsec: { psk: { env: VYGEN_PSK_TOKYO_A_OSAKA_S } }\n`);
    const tunnels = (m: Map<string, string[]>) => [...m.values()].flat().filter((l) => / tunnel tun\d+ address '[0-9a-f:]+\/127'/.test(l));
    expect(tunnels(before)).to.have.length(4);
    expect(tunnels(after)).to.include.members(tunnels(before));
    expect(tunnels(after)).to.have.length(6);
  });

  it('exports over IPv6 only what the site originates, then denies (RM6-<SITE>-OUT)', () => {
    const tokyo = setLines(example).get('tokyo-a')!;
    const v6 = tokyo.filter((l) => l.includes('neighbor fd00:172:16::1 ') && l.includes('route-map export'));
    expect(v6).to.deep.equal(["set protocols bgp neighbor fd00:172:16::1 address-family ipv6-unicast route-map export 'RM6-TOKYO-OUT'"]);
    expect(tokyo).to.include("set policy route-map RM6-TOKYO-OUT rule 10 match ipv6 address prefix-list 'PL6-TOKYO-OUT'");
    expect(tokyo).to.include("set policy route-map RM6-TOKYO-OUT rule 1000 action 'deny'");
    expect(tokyo.filter((l) => l.startsWith('set policy prefix-list6 PL6-TOKYO-OUT') && l.includes(' prefix '))).to.deep.equal([
      "set policy prefix-list6 PL6-TOKYO-OUT rule 10 prefix '2001:db8:1:1::/64'",
      "set policy prefix-list6 PL6-TOKYO-OUT rule 20 prefix '2001:db8:1:100::/56'",
    ]);
  });
});

describe('IPv6 through the hub mesh', () => {
  // examples/multi-region-hub with an IPv6 loopback on every router and an IPv6 network on every site.
  let n = 0;
  const text = readFileSync(join(FIXTURES, '..', 'examples', 'multi-region-hub', 'topology.yaml'), 'utf8')
    .replace('  tunnel_pool: 172.16.0.0/22\n', '  tunnel_pool: 172.16.0.0/22\n  tunnel_pool6: fd00:172::/64\n')
    .replace(/^(\s+)loopback: (\S+)$/gm, (_m, ind: string, lo: string) => `${ind}loopback: ${lo}\n${ind}ipv6: { loopback: "fd00:ffff::${++n}" }`)
    .replace(/^(\s+)networks: \{ connected: \[10\.(\d+)\.(\d+)\.0\/24\] \}$/gm, (m, ind: string, a: string, b: string) => `${m}\n${ind}ipv6: { connected: ["fd00:${a}:${b}::/64"] }`);
  const result = render(text, { file: 't.yaml', redact: true });
  const lines = (device: string) => result.files.find((f) => f.device === device)!.content.split('\n');

  it('renders without errors, an IPv6 /127 in every tunnel', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
    const tunnels = result.files.flatMap((f) => f.content.split('\n')).filter((l) => / tunnel tun\d+ address /.test(l));
    expect(tunnels.filter((l) => l.includes('/127')).length).to.equal(tunnels.filter((l) => l.includes('/30')).length);
  });

  it("a hub exports its spokes' IPv6 networks to the other hubs, as over IPv4", () => {
    const hub = lines('tokyo-hub-a').filter((l) => l.startsWith('set policy prefix-list6 PL6-TOKYO-HUB-OUT') && l.includes(' prefix '));
    expect(hub.map((l) => l.split("'")[1])).to.deep.equal(['fd00:10:1::/64', 'fd00:11:1::/64', 'fd00:12:1::/64']);
  });
});
