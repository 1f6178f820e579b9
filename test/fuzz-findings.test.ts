// Regression tests for what the fuzzer (npm run fuzz, and the CI's
// vyos-check / keepalived -t of fuzzed renders) found. Each was a real bug:
// output that moved with the order of keys, diagnostics that a value could
// break, or configurations the real tools refuse or silently change.
import { expect } from 'chai';
import { formatPath, shown } from '../dist/diagnostics.js';
import { render } from '../dist/index.js';
import { dump } from './fuzz/mutate.js';
import { fixtureDoc, type Doc } from './helpers/topology.js';

const errors = (doc: Doc, release?: '1.3' | '1.4' | '1.5') =>
  render(dump(doc), { file: 't.yaml', redact: true, ...(release ? { release } : {}) })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.code} ${d.path}`);

/** Three routers in one site, listed in the given order. */
function threeRouters(order: string[]): Doc {
  const doc = fixtureDoc('seed-000');
  const tokyo = doc.sites.tokyo;
  const third = { role: 'standby', wan: { interface: 'eth0', address: '10.0.0.12/24', gateway: '10.0.0.1' }, lan: { interface: 'eth1', address: '10.0.1.4/24' }, loopback: '10.255.0.3' };
  const all: Doc = { ...tokyo.routers, 'tokyo-t': third };
  tokyo.routers = Object.fromEntries(order.map((n) => [n, all[n]]));
  tokyo.vrrp = { address: '10.0.1.1/24' };
  return doc;
}

describe('fuzz findings', () => {
  it('the order of a site\'s routers moves no iBGP neighbor, VRRP peer or file', () => {
    const a = render(dump(threeRouters(['tokyo-a', 'tokyo-s', 'tokyo-t'])), { file: 't.yaml', redact: true });
    const b = render(dump(threeRouters(['tokyo-t', 'tokyo-a', 'tokyo-s'])), { file: 't.yaml', redact: true });
    expect(a.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
    const byPath = (r: typeof a) => Object.fromEntries(r.files.map((f) => [f.path, f.content]));
    expect(byPath(b)).to.deep.equal(byPath(a));
    expect(a.files.find((f) => f.path === 'tokyo-a.vyos')!.content).to.match(/neighbor 10\.0\.1\.3 [^\n]*\n(.*\n)*.*neighbor 10\.0\.1\.4 /);
  });

  it('diagnostics escape line separators, C1 controls and bidirectional overrides, and cut long keys', () => {
    for (const c of ['\u2028', '\u2029', '\u0085', '\u009b', '\u202e', '\u2066']) {
      expect(shown(`a${c}b`)).to.equal(`"a\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}b"`);
      expect(formatPath(['sites', `x${c}`])).to.equal(`sites["x\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}"]`);
    }
    expect(formatPath(['sites', 'x'.repeat(10000)]).length).to.be.below(100);
    const r = render(`vygen: 1\nsites:\n  "evil\u2028error fake": {}\n`, { file: 't.yaml' });
    expect(JSON.stringify(r.diagnostics)).to.not.match(/[\u2028\u0085]/);
  });

  it('a hub-mesh hub whose only router is a duplicate is a diagnostic, not a crash', () => {
    const router = { role: 'active', wan: { interface: 'eth0', address: '198.18.0.10/24' }, loopback: '10.255.0.1' };
    const doc: Doc = { vygen: 1, sites: { a: { asn: 64512, routers: { aa: router } }, b: { asn: 64519, routers: { aa: router } } }, hub_mesh: { psk_env_prefix: 'K', regions: [{ hub: 'b' }, { hub: 'a' }] } };
    expect(errors(doc)).to.deep.equal(['duplicate-router sites.b.routers.aa']);
  });

  it('a GRE tunnel MTU below 1280 is refused on every release (VyOS gives tunnels an IPv6 link-local address)', () => {
    for (const release of ['1.3', '1.4', '1.5'] as const) {
      const doc = fixtureDoc('seed-000');
      doc.links[0].gre = { mtu: 1279 };
      expect(errors(doc, release)).to.deep.equal(['out-of-range links[0].gre.mtu']);
      doc.links[0].gre = { mtu: 1280 };
      expect(errors(doc, release)).to.deep.equal([]);
    }
  });

  it('ESP transport mode is refused for GRE peers on every release, and with a VTI on 1.3', () => {
    for (const release of ['1.3', '1.4', '1.5'] as const) {
      const doc = fixtureDoc('seed-000');
      doc.links[0].ipsec.esp = { mode: 'transport' };
      expect(errors(doc, release)).to.deep.equal(['unsupported-value links[0].ipsec.esp.mode']);
    }
    const cloud = fixtureDoc('aws-active-standby');
    const router = Object.values<Doc>(cloud.sites).flatMap((s) => Object.values<Doc>(s.routers)).find((r) => r.vpn_connections)!;
    router.vpn_connections[0].esp = { mode: 'transport' };
    expect(errors(cloud, '1.3')).to.have.length(1);
    expect(errors(cloud, '1.3')[0]).to.match(/^unsupported-value .*vpn_connections\[0\]\.esp\.mode$/);
    expect(errors(cloud, '1.4')).to.deep.equal([]);
  });

  it('LVS: TUN real-server and DR/TUN sorry-server ports must be the virtual server\'s (keepalived resets them)', () => {
    const doc = fixtureDoc('lvs-seed-004');
    const vs = doc.lvs.pairs.VI_1.virtual_servers[0];
    vs.lb_kind = 'TUN';
    vs.real_servers[0].port = 8080;
    vs.sorry_server = { address: '10.5.0.50', port: 8081 };
    expect(errors(doc)).to.deep.equal(['lvs-port-mismatch lvs.pairs.VI_1.virtual_servers[0].real_servers[0].port', 'lvs-port-mismatch lvs.pairs.VI_1.virtual_servers[0].sorry_server.port']);
    vs.lb_kind = 'NAT';
    expect(errors(doc)).to.deep.equal([]);
  });

  it('LVS: a virtual server whose real servers all have weight 0 is refused', () => {
    const doc = fixtureDoc('lvs-seed-004');
    for (const rs of doc.lvs.pairs.VI_1.virtual_servers[0].real_servers) rs.weight = 0;
    expect(errors(doc)).to.deep.equal(['lvs-no-weight lvs.pairs.VI_1.virtual_servers[0].real_servers']);
    doc.lvs.pairs.VI_1.virtual_servers[0].real_servers[1].weight = 1;
    expect(errors(doc)).to.deep.equal([]);
  });

  it('LVS: priority 255 with preempt: false is refused (keepalived drops nopreempt)', () => {
    const doc = fixtureDoc('lvs-seed-004');
    const pair = doc.lvs.pairs.VI_1;
    pair.preempt = false;
    pair.nodes[0].priority = 255;
    expect(errors(doc)).to.deep.equal(['lvs-nopreempt-with-255 lvs.pairs.VI_1.nodes[0].priority']);
    pair.nodes[0].priority = 254;
    expect(errors(doc)).to.deep.equal([]);
  });
});
