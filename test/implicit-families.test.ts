// VyOS 1.3 activates IPv4 unicast on every neighbor with a remote-as (its
// vyatta-cfg-quagga runs `neighbor X activate` with it, eBGP policy off), so an
// IPv6 session there would exchange IPv4 routes with no filter: the whole
// table exported, the standby's prepend bypassed. Every rendered 1.3 IPv6
// session that is not meant to carry IPv4 denies that family both ways; 1.4
// and 1.5 activate only what is written, and get nothing of the kind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { render, type Release } from '../dist/index.js';
import { ROOT } from './helpers/golden.js';

const CASES = ['examples/inter-region-vpn-dual-stack/topology.yaml', 'fixtures/router-config-dual-stack/topology.yaml', 'fixtures/router-config-other-family/topology.yaml', 'fixtures/router-config-outside-ipv6/topology.yaml'];

function files(file: string, release: Release) {
  const r = render(readFileSync(join(ROOT, file), 'utf8'), { file, redact: true, release });
  expect(r.diagnostics.filter((d) => d.severity === 'error'), file).to.deep.equal([]);
  return r.files.filter((f) => f.kind === 'vyos');
}

/** IPv6 sessions (neighbors, or the peer-group an IPv6 neighbor takes its settings from) and what their IPv4 family says. */
function ipv6Sessions(text: string): { id: string; denied: boolean; carried: boolean }[] {
  const lines = text.split('\n');
  const sessions = new Map<string, string>();
  for (const l of lines) {
    const m = /^set protocols bgp (?:\d+ )?neighbor (\S*:\S*) (?:remote-as|address-family ipv6-unicast peer-group '?([^' ]+)'?|peer-group '?([^' ]+)'?)/.exec(l);
    if (m) sessions.set(m[1]!, m[2] ?? m[3] ? `peer-group ${m[2] ?? m[3]}` : `neighbor ${m[1]}`);
  }
  return [...new Set(sessions.values())].map((id) => {
    const own = lines.filter((l) => new RegExp(`^set protocols bgp (?:\\d+ )?${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} address-family ipv4-unicast`).test(l));
    const denied = own.some((l) => l.endsWith("route-map export 'VYGEN-NO-ROUTES'")) && own.some((l) => l.endsWith("route-map import 'VYGEN-NO-ROUTES'"));
    return { id, denied, carried: own.length > 0 && !denied };
  });
}

describe('IPv6 sessions carry no IPv4 routes where the release would activate them (VyOS 1.3)', () => {
  it('1.3: every IPv6 session not written to carry IPv4 denies its IPv4 routes both ways, and the map exists', () => {
    let denied = 0;
    for (const file of CASES) {
      for (const f of files(file, '1.3')) {
        const sessions = ipv6Sessions(f.content);
        for (const s of sessions) expect(s.denied || s.carried, `${file} ${f.path} ${s.id}`).to.equal(true);
        if (sessions.some((s) => s.denied)) {
          expect(f.content, f.path).to.include("set policy route-map VYGEN-NO-ROUTES rule 10 action 'deny'");
          denied++;
        }
      }
    }
    expect(denied).to.be.greaterThan(5);
  });

  it('a session written to carry IPv4 over IPv6 keeps its own IPv4 policy (and the extended next hop), not the deny', () => {
    const r2 = files('fixtures/router-config-other-family/topology.yaml', '1.3').find((f) => f.path === 'r2.vyos')!.content;
    expect(r2).to.include('neighbor fd00:12::1 capability extended-nexthop');
    expect(r2).to.not.match(/neighbor fd00:12::1 address-family ipv4-unicast route-map .*VYGEN-NO-ROUTES/);
  });

  it('1.4 and 1.5 activate only what is written: no deny map anywhere', () => {
    for (const release of ['1.4', '1.5'] as const) for (const file of CASES) for (const f of files(file, release)) expect(f.content, `${release} ${f.path}`).to.not.include('VYGEN-NO-ROUTES');
  });
});
