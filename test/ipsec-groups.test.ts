// IKE/ESP groups are shared by identical proposals and named by content
// (issue 18 item 3).
import { expect } from 'chai';
import { render } from '../dist/index.js';
import { addSite, fixtureDoc, toYaml, type Doc } from './helpers/topology.js';
import { ipsecSettings } from '../dist/features/links/ipsec-settings.js';
import { AWS_VPN, DEFAULTS } from '../dist/model/defaults.js';

function files(doc: Doc): Map<string, string> {
  const r = render(toYaml(doc), { redact: true });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
  return new Map(r.files.map((f) => [f.device, f.content]));
}

const groups = (text: string, kind: 'ike' | 'esp') => [...new Set([...text.matchAll(new RegExp(`^set vpn ipsec ${kind}-group (\\S+) `, 'gm'))].map((m) => m[1]))];

/** seed-000 without defaults.ipsec, plus two more sites linked to tokyo-a: a 3-link router (links 0, 2 and 3). */
function mesh(): Doc {
  const doc = fixtureDoc('seed-000');
  delete doc.defaults.ipsec;
  addSite(doc, 1, 'tokyo-a');
  addSite(doc, 2, 'tokyo-a');
  return doc;
}

describe('IPsec groups', () => {
  it('links on the built-in proposals share one IKE and one ESP group', () => {
    const tokyo = files(mesh()).get('tokyo-a')!;
    expect(tokyo.match(/ peer \S+ ike-group /g)).to.have.length(3);
    expect(groups(tokyo, 'ike')).to.deep.equal(['IKE-DEFAULT']);
    expect(groups(tokyo, 'esp')).to.deep.equal(['ESP-DEFAULT']);
  });

  it('a link that spells out the default proposal shares the default group', () => {
    const doc = mesh();
    doc.links[0].ipsec.ike = { key_exchange: 'ikev2', encryption: 'aes256', hash: 'sha256', dh_group: 14, lifetime: 28800 };
    doc.links[0].ipsec.esp = { encryption: 'aes256', hash: 'sha256', pfs: 14, lifetime: 3600 };
    expect(groups(files(doc).get('tokyo-a')!, 'ike')).to.deep.equal(['IKE-DEFAULT']);
  });

  it('two links with the same own proposal share one group; a different link gets its own', () => {
    const doc = mesh();
    const strong = { key_exchange: 'ikev2', encryption: 'aes256gcm128', hash: 'sha384', dh_group: 20, lifetime: 28800 };
    doc.links[2].ipsec.ike = strong;
    doc.links[3].ipsec.ike = { ...strong };
    const tokyo = files(doc).get('tokyo-a')!;
    expect(tokyo.match(/ike-group 'IKE-IKEV2-AES256GCM128-SHA384-DH20-28800-DPD-RESTART-15-60'/g)).to.have.length(2);
    expect(groups(tokyo, 'ike')).to.deep.equal(['IKE-DEFAULT', 'IKE-IKEV2-AES256GCM128-SHA384-DH20-28800-DPD-RESTART-15-60']);
    expect(groups(tokyo, 'esp')).to.deep.equal(['ESP-DEFAULT']);
  });

  it('editing one link renames no other link\'s group', () => {
    const before = mesh();
    before.links[2].ipsec.esp = { encryption: 'aes128', hash: 'sha1', pfs: 14, lifetime: 1800 };
    before.links[3].ipsec.esp = { encryption: 'aes256', hash: 'sha512', pfs: 'disable', lifetime: 3600 };
    const after = structuredClone(before);
    after.links[3].ipsec.esp.lifetime = 7200;
    const a = files(before);
    const b = files(after);
    // Only the edited link's ends change, and on its router only its own group.
    for (const [device, text] of a) if (device !== 'tokyo-a' && device !== 'site2-r') expect(b.get(device), device).to.equal(text);
    const peer = (text: string, name: string) => text.match(new RegExp(`peer ${name} default-esp-group '(\\S+)'`))![1];
    for (const name of ['osaka-a', 'site1-r']) expect(peer(b.get('tokyo-a')!, name)).to.equal(peer(a.get('tokyo-a')!, name));
    expect(peer(b.get('tokyo-a')!, 'site2-r')).to.equal('ESP-AES256-SHA512-NOPFS-7200-TUNNEL');
  });

  it('a DPD difference alone gives a link its own IKE group', () => {
    const doc = mesh();
    doc.links[0].ipsec.dpd = { action: 'trap', interval: 15, timeout: 60 };
    expect(groups(files(doc).get('tokyo-a')!, 'ike')).to.deep.equal(['IKE-DEFAULT', 'IKE-IKEV2-AES256-SHA256-DH14-28800-DPD-TRAP-15-60']);
  });
});

// Objects that write none of ike/esp/dpd share the proposals their defaults
// give (one set per defaults and base); a written key still makes its own.
describe('IPsec settings shared by objects that write no proposal', () => {
  it('two links without a proposal share the defaults\' objects; a written one has its own', () => {
    const defaults = { ike: { lifetime: 3600 } };
    const a = ipsecSettings({}, defaults, ['links', 0, 'ipsec'], DEFAULTS);
    const b = ipsecSettings({}, defaults, ['links', 1, 'ipsec'], DEFAULTS);
    const own = ipsecSettings({ esp: { lifetime: 1800 } }, defaults, ['links', 2, 'ipsec'], DEFAULTS);
    expect(a.ike).to.equal(b.ike);
    expect(a.esp).to.equal(b.esp);
    expect(a.dpd).to.equal(b.dpd);
    expect(a.ike.lifetime).to.equal(3600);
    expect(own.esp).to.not.equal(a.esp);
    expect(own.esp.lifetime).to.equal(1800);
    expect(own.ike).to.equal(a.ike);
    // Where each came from stays the object's own.
    expect(a.paths).to.deep.equal({ ike: ['defaults', 'ipsec', 'ike'], esp: ['links', 0, 'ipsec'], dpd: ['links', 0, 'ipsec'] });
    expect(own.paths.esp).to.deep.equal(['links', 2, 'ipsec', 'esp']);
  });

  it('the same defaults over another base give that base\'s values', () => {
    const defaults = {};
    const built = ipsecSettings({}, defaults, ['links', 0, 'ipsec'], DEFAULTS);
    const aws = ipsecSettings({}, defaults, ['sites', 's', 'vpn'], AWS_VPN);
    expect(built.ike).to.deep.equal(DEFAULTS.ike);
    expect(aws.ike).to.deep.equal(AWS_VPN.ike);
    expect(aws.esp).to.deep.equal(AWS_VPN.esp);
    expect(aws.dpd).to.deep.equal(AWS_VPN.dpd);
  });
});
