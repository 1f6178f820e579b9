// What rendering a router leaves for the old generation. `vygen render`
// renders each file as it writes it and lets it go (src/targets/deferred.ts),
// so a 10,000-router render's heap should not grow with the files written.
// On Node 20 it did, by about 4.6 KB a file, until the next full collection:
// `{ ...base, newKey: v }` in the view and the compiled templates' partial
// calls made objects outlive two scavenges (src/model/extend.ts;
// docs/performance.md, the sixteenth round). Measured in a child process
// (test/helpers/render-promotion.ts) over every release's views: the
// links' tunnels, IPsec and BGP of a grown seed, dual-stack BGP, VRRP and
// IPv6 routes, router configuration, VTIs and 1.4's bare address-family
// sessions.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './helpers/golden.js';
import { grownSeed, withTopologyFile } from './helpers/topology.js';

const HELPER = fileURLToPath(new URL('./helpers/render-promotion.js', import.meta.url));
/**
 * Bytes a file's render may leave in the old generation (the median of five chunks of a thousand renders):
 * 2-41 measured, 439-10,543 before. Planted spreads: the compiled partial call 235-9,623 (every case over),
 * the IPsec peers 286-783 (all but the outside-IPv6 case, which has no IPsec), the VTIs 396 (the AWS example)
 * and 108-114 (the router configuration), the bare IPv4 address-family mark 465 (the outside-IPv6 case).
 */
const MAX_PER_RENDER = 150;

interface Measured {
  topology: string;
  release: string;
  renders: number;
  scavenges: number;
  promotedPerRender: number;
  chunks: number[];
}

describe('what rendering a file leaves in the old generation', function () {
  this.timeout(120_000);
  let measured: Measured[];
  before(() => {
    const dual = join(ROOT, 'examples/inter-region-vpn-dual-stack/topology.yaml');
    const vrrp = join(ROOT, 'fixtures/site-vrrp-dual-stack/topology.yaml');
    const routerConfig = join(ROOT, 'fixtures/router-config-dual-stack/topology.yaml');
    const aws = join(ROOT, 'examples/aws-vgw-two-tunnels/topology.yaml');
    const outsideIpv6 = join(ROOT, 'fixtures/router-config-outside-ipv6/topology.yaml');
    measured = withTopologyFile(grownSeed(40), (grown) => {
      const args = [grown, ...['1.3', '1.4', '1.5'].map((r) => `${dual}@${r}`), vrrp, `${routerConfig}@1.3`, `${routerConfig}@1.4`, `${aws}@1.3`, `${outsideIpv6}@1.4`];
      const r = spawnSync(process.execPath, [HELPER, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
      expect(r.status, r.stderr).to.equal(0);
      return JSON.parse(r.stdout) as Measured[];
    });
  });

  it('each case was measured over several scavenges', () => {
    expect(measured).to.have.length(9);
    for (const m of measured) expect(m.scavenges, `${m.topology} ${m.release}`).to.be.at.least(6);
  });

  it(`a rendered file leaves at most ${MAX_PER_RENDER} bytes behind in the old generation, in every release`, () => {
    const over = measured.filter((m) => m.promotedPerRender > MAX_PER_RENDER).map((m) => `${m.topology} (${m.release}): ${m.promotedPerRender} bytes a file (median of ${m.chunks.join(', ')}) over ${m.renders} renders`);
    expect(over, over.join('\n')).to.deep.equal([]);
  });
});
