// Tunnel MTU and TCP MSS under IPsec: the overhead arithmetic against the
// worked example of RFC 4303/3948 sizes, and what a render does with it.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../dist/index.js';
import { espPacketSize, fittingMtu, GRE_OVERHEAD, mssFor } from '../dist/net/esp.js';
import { ROOT } from './helpers/golden.js';

const CBC_SHA1 = { encryption: 'aes128', hash: 'sha1' };

describe('IPsec MTU arithmetic', () => {
  it('a 1414-byte GRE payload is 1496 bytes with AES-CBC + SHA1-96, 1504 with NAT-T', () => {
    expect(espPacketSize(1414 + GRE_OVERHEAD, { ...CBC_SHA1, natT: false })).to.equal(1496);
    expect(espPacketSize(1414 + GRE_OVERHEAD, { ...CBC_SHA1, natT: true })).to.equal(1504);
  });

  it('the fitting MTU is the largest whose packet fits, for CBC, GCM and VTI payloads', () => {
    for (const s of [{ ...CBC_SHA1, natT: true }, { ...CBC_SHA1, natT: false }, { encryption: 'aes256gcm128', hash: 'sha256', natT: true }]) {
      for (const inner of [0, GRE_OVERHEAD]) {
        const m = fittingMtu(1500, inner, s);
        expect(espPacketSize(m + inner, s), JSON.stringify({ s, inner })).to.be.at.most(1500);
        expect(espPacketSize(m + 1 + inner, s), JSON.stringify({ s, inner })).to.be.above(1500);
      }
    }
  });

  it('every rendered tunnel and VTI clamps the TCP MSS to what the path carries', () => {
    const file = 'examples/inter-region-vpn/topology.yaml';
    const r = render(readFileSync(join(ROOT, file), 'utf8'), { file, redact: true });
    const w = r.diagnostics.filter((d) => d.code === 'mtu-exceeds-path');
    expect(w.map((d) => d.path)).to.deep.equal(['defaults.gre.mtu']);
    for (const f of r.files.filter((x) => x.kind === 'vyos')) {
      const tunnels = new Set([...f.content.matchAll(/^set interfaces tunnel (tun\d+) /gm)].map((m) => m[1]));
      for (const t of tunnels) expect(f.content, `${f.path} ${t}`).to.include(`set interfaces tunnel ${t} ip adjust-mss '1358'`);
    }
    const aws = 'examples/aws-active-standby/topology.yaml';
    const ra = render(readFileSync(join(ROOT, aws), 'utf8'), { file: aws, redact: true });
    for (const f of ra.files.filter((x) => x.kind === 'vyos' && /vti/.test(x.content))) {
      const vtis = new Set([...f.content.matchAll(/^set interfaces vti (vti\d+) /gm)].map((m) => m[1]));
      for (const v of vtis) expect(f.content, `${f.path} ${v}`).to.match(new RegExp(`set interfaces vti ${v} ip adjust-mss '(\\d+)'`));
      for (const m of f.content.matchAll(/ip adjust-mss '(\d+)'/g)) expect(Number(m[1])).to.be.at.most(1379);
    }
  });

  it('an unwritten GRE MTU is the fitting one, the same on both ends', () => {
    const text = readFileSync(join(ROOT, 'fixtures/seed-000/topology.yaml'), 'utf8').replace(/\n\s*gre: \{ mtu: \d+ \}/, '');
    const r = render(text, { file: 't.yaml', redact: true });
    expect(r.diagnostics.filter((d) => d.code === 'mtu-exceeds-path')).to.deep.equal([]);
    const mtus = r.files.flatMap((f) => [...f.content.matchAll(/tunnel tun\d+ mtu '(\d+)'/g)].map((m) => m[1]));
    expect(new Set(mtus)).to.deep.equal(new Set(['1398']));
  });

  it('no clamp below the 536 VyOS accepts (a tiny written MTU: found by the fuzz check)', () => {
    expect(mssFor(575)).to.equal(undefined);
    expect(mssFor(576)).to.equal(536);
    expect(mssFor(1500, 1379)).to.equal(1379);
    const file = 'fixtures/cloud-static/topology.yaml';
    const text = readFileSync(join(ROOT, file), 'utf8').replace('mtu: 1400', 'mtu: 500');
    const r = render(text, { file, redact: true });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
    for (const f of r.files.filter((x) => x.kind === 'vyos')) {
      for (const m of f.content.matchAll(/adjust-mss '(\d+)'/g)) expect(Number(m[1]), f.path).to.be.at.least(536);
    }
  });
});
