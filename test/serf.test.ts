// Seed 000's Serf trigger: the agent configuration vygen writes, and the
// event handler fed member lines on stdin the way Serf writes them (name,
// address, role, tags, tab-separated): it runs the failover script only for
// another router of its own site that failed or left.
import { expect } from 'chai';
import { render, validate } from '../dist/index.js';
import { serfDetection } from '../dist/features/failover/intents.js';
import { Sandbox, renderFixture } from './helpers/fake-aws.js';
import { fixtureDoc, toYaml } from './helpers/topology.js';

const TAB = '\t';
const member = (name: string, address: string, role: string, tags: string) => [name, address, role, tags].join(TAB);

describe('Serf agent configuration', () => {
  const files = renderFixture('inter-region-vpn-serf');

  it('names the node, its role and site, joins the site\'s other router, with the BGP timers', () => {
    expect(JSON.parse(files.get('tokyo-s.serf.json')!)).to.deep.equal({
      node_name: 'tokyo-s',
      tags: { role: 'standby', site: 'tokyo' },
      bind: '10.0.1.5',
      retry_join: ['10.0.1.4'],
      encrypt_key: 'REDACTED:env:VYGEN_SERF_TOKYO',
      profile: 'lan',
      reconnect_interval: '4s',
      reconnect_timeout: '12s',
      tombstone_timeout: '12s',
      event_handlers: ['member-failed,member-leave=/config/scripts/vygen-serf-handler.sh'],
    });
  });

  it('is written with a fixed key order, 2-space indent and a final newline', () => {
    const text = files.get('osaka-a.serf.json')!;
    expect(text).to.equal(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(Object.keys(JSON.parse(text))).to.deep.equal(['node_name', 'tags', 'bind', 'retry_join', 'encrypt_key', 'profile', 'reconnect_interval', 'reconnect_timeout', 'tombstone_timeout', 'event_handlers']);
    expect(renderFixture('inter-region-vpn-serf').get('osaka-a.serf.json')).to.equal(text);
  });

  it('holds only keys Serf knows (it refuses unknown ones)', () => {
    const known = new Set(['node_name', 'tags', 'bind', 'retry_join', 'encrypt_key', 'profile', 'reconnect_interval', 'reconnect_timeout', 'tombstone_timeout', 'event_handlers']);
    for (const [path, text] of files) if (path.endsWith('.serf.json')) for (const k of Object.keys(JSON.parse(text))) expect(known.has(k), `${path}: ${k}`).to.equal(true);
  });
});

describe('Serf event handler', () => {
  const files = renderFixture('inter-region-vpn-serf');
  let box: Sandbox;
  let handler: string;
  let recorder: string;

  beforeEach(() => {
    box = new Sandbox();
    handler = box.write('tokyo-s.serf-handler.sh', files.get('tokyo-s.serf-handler.sh')!, true);
    recorder = box.write('failover.sh', '#!/bin/sh\necho "failover $*" >> "$FAKE_STATE/log"\n', true);
  });
  afterEach(() => box.dispose());

  const feed = (event: string, lines: string[], failover = recorder) =>
    box.run(handler, [], { SERF_EVENT: event, VYGEN_FAILOVER_SCRIPT: failover }, lines.map((l) => `${l}\n`).join(''));
  const ran = (r: ReturnType<typeof feed>) => r.calls.filter((c) => c.startsWith('failover')).length;

  it('runs the failover when the site\'s other router failed', () => {
    const r = feed('member-failed', [member('tokyo-a', '10.0.1.2', 'active', 'role=active,site=tokyo')]);
    expect(r.status, r.stderr).to.equal(0);
    expect(ran(r)).to.equal(1);
    expect(r.stderr).to.include('member-failed of tokyo-a');
  });

  it('runs it when the other router left, whatever the order of its tags', () => {
    expect(ran(feed('member-leave', [member('tokyo-a', '10.0.1.2', 'active', 'site=tokyo,role=active')]))).to.equal(1);
  });

  it('runs it once for several members, and reads a last line without a newline', () => {
    const input = `${member('osaka-a', '10.1.1.2', 'active', 'role=active,site=osaka')}\n${member('tokyo-a', '10.0.1.2', 'active', 'role=active,site=tokyo')}`;
    const r = box.run(handler, [], { SERF_EVENT: 'member-failed', VYGEN_FAILOVER_SCRIPT: recorder }, input);
    expect(r.status, r.stderr).to.equal(0);
    expect(ran(r)).to.equal(1);
  });

  it('reads the tags when the member has no role (Serf writes an empty field)', () => {
    expect(ran(feed('member-failed', [member('tokyo-a', '10.0.1.2', '', 'site=tokyo')]))).to.equal(1);
  });

  it('ignores a router of another site', () => {
    const r = feed('member-failed', [member('osaka-a', '10.1.1.2', 'active', 'role=active,site=osaka')]);
    expect(r.status, r.stderr).to.equal(0);
    expect(ran(r)).to.equal(0);
  });

  it('ignores itself', () => {
    expect(ran(feed('member-leave', [member('tokyo-s', '10.0.1.3', 'standby', 'role=standby,site=tokyo')]))).to.equal(0);
  });

  it('ignores a site whose name only starts like its own', () => {
    expect(ran(feed('member-failed', [member('tokyo2-a', '10.9.1.2', 'active', 'role=active,site=tokyo2')]))).to.equal(0);
  });

  it('ignores other events and lines that are not member lines', () => {
    expect(ran(feed('member-join', [member('tokyo-a', '10.0.1.2', 'active', 'role=active,site=tokyo')]))).to.equal(0);
    expect(ran(feed('user', [member('tokyo-a', '10.0.1.2', 'active', 'role=active,site=tokyo')]))).to.equal(0);
    expect(ran(feed('member-failed', ['tokyo-a site=tokyo']))).to.equal(0);
    const none = box.run(handler, [], { VYGEN_FAILOVER_SCRIPT: recorder }, `${member('tokyo-a', '10.0.1.2', 'active', 'site=tokyo')}\n`);
    expect(none.status).to.equal(0);
    expect(ran(none)).to.equal(0);
  });

  it('runs the router\'s own failover script end to end (DRY_RUN passed on)', () => {
    const failover = box.write('tokyo-s.failover.sh', files.get('tokyo-s.failover.sh')!, true);
    const r = box.run(handler, [], { SERF_EVENT: 'member-failed', VYGEN_FAILOVER_SCRIPT: failover, DRY_RUN: '1' }, `${member('tokyo-a', '10.0.1.2', 'active', 'role=active,site=tokyo')}\n`);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.aws, 'DRY_RUN=1: no aws').to.deep.equal([]);
    expect(r.stdout.trimEnd().split('\n')).to.have.length(4);
    expect(r.stdout).to.include('--network-interface-id eni-0b0b0b0b0b0b0b0b2');
    const real = box.run(handler, [], { SERF_EVENT: 'member-failed', VYGEN_FAILOVER_SCRIPT: failover }, `${member('tokyo-a', '10.0.1.2', 'active', 'role=active,site=tokyo')}\n`);
    expect(real.status, real.stderr).to.equal(0);
    expect(real.aws.filter((c) => c.includes(' create-route '))).to.have.length(4); // no routes in the fake yet
    expect(box.read('routes')).to.have.length(4);
  });
});

describe('Serf gossip key and failure detection (issue 13)', () => {
  const doc = () => fixtureDoc('inter-region-vpn-serf');
  const KEY = Buffer.alloc(32, 7).toString('base64');

  it('a site with failover: serf and no encrypt_key is refused', () => {
    const d = doc();
    delete d.sites.tokyo.aws.serf;
    const codes = validate(toYaml(d), { file: 't.yaml' }).diagnostics.map((x) => x.code);
    expect(codes).to.include('serf-needs-key');
  });

  it('reads the key from its reference, writes it into the agent configuration and nowhere else', () => {
    const r = render(toYaml(doc()), { file: 't.yaml', env: { VYGEN_SERF_TOKYO: KEY, VYGEN_SERF_OSAKA: KEY, VYGEN_PSK_TOKYO_OSAKA_A: 'Key-aaaaaaaa', VYGEN_PSK_TOKYO_OSAKA_S: 'Key-ssssssss' } });
    expect(r.diagnostics.filter((x) => x.severity === 'error'), JSON.stringify(r.diagnostics)).to.deep.equal([]);
    const withKey = r.files.filter((f) => f.content.includes(KEY)).map((f) => f.path);
    expect(withKey.sort()).to.deep.equal(['osaka-a.serf.json', 'osaka-s.serf.json', 'tokyo-a.serf.json', 'tokyo-s.serf.json']);
    expect(JSON.parse(r.files.find((f) => f.path === 'tokyo-s.serf.json')!.content).encrypt_key).to.equal(KEY);
  });

  it('refuses a key that is not the base64 of 16, 24 or 32 bytes, without showing it', () => {
    const bad = Buffer.alloc(20, 7).toString('base64');
    const r = render(toYaml(doc()), { file: 't.yaml', env: { VYGEN_SERF_TOKYO: bad, VYGEN_SERF_OSAKA: KEY, VYGEN_PSK_TOKYO_OSAKA_A: 'Key-aaaaaaaa', VYGEN_PSK_TOKYO_OSAKA_S: 'Key-ssssssss' } });
    const d = r.diagnostics.filter((x) => x.severity === 'error');
    expect(d.map((x) => x.code)).to.deep.equal(['secret-invalid']);
    expect(d[0]!.path).to.equal('sites.tokyo.aws.serf.encrypt_key.env');
    expect(JSON.stringify(r.diagnostics)).to.not.include(bad);
    expect(r.files).to.deep.equal([]);
  });

  it('detection comes from the profile, is stated in the handler, and fits the BGP holdtime', () => {
    const handler = renderFixture('inter-region-vpn-serf').get('tokyo-s.serf-handler.sh')!;
    expect(handler).to.include('# Failure detection (Serf profile lan');
    expect(handler).to.include('member-failed comes at most 5.5s after a router fails, within the');
    expect(handler).to.include('BGP holdtime (12s)');
    expect(handler).to.match(/reconnect_interval \(4s\) and reconnect_timeout \/ tombstone_timeout \(12s \/ 12s\)\n# only set how often/);
    expect(handler, 'the old claim is gone').to.not.match(/equal (to )?the BGP timers/);
  });

  it('chooses the slowest profile within the holdtime', () => {
    expect(serfDetection(2, 12)).to.include({ profile: 'lan', seconds: 5.5 });
    expect(serfDetection(2, 90)).to.include({ profile: 'wan', seconds: 38 });
    expect(serfDetection(2, 5)).to.include({ profile: 'local', seconds: 4.2 });
    expect(serfDetection(2, 3), 'none fits: the fastest').to.include({ profile: 'local' });
    expect(serfDetection(3, 12)).to.include({ profile: 'lan', seconds: 6.5 });
    expect(serfDetection(2, 0), 'holdtime 0: Serf\'s default').to.include({ profile: 'lan' });
  });
});
