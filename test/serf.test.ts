// Seed 000's Serf trigger: the agent configuration vygen writes, and the
// event handler fed member lines on stdin the way Serf writes them (name,
// address, role, tags, tab-separated): it runs the failover script only for
// another router of its own site that failed or left.
import { expect } from 'chai';
import { Sandbox, renderFixture } from './helpers/fake-aws.js';

const TAB = '\t';
const member = (name: string, address: string, role: string, tags: string) => [name, address, role, tags].join(TAB);

describe('Serf agent configuration', () => {
  const files = renderFixture('inter-region-vpn-serf');

  it('names the node, its role and site, joins the site\'s other router, with the BGP timers', () => {
    expect(JSON.parse(files.get('tokyo-s.serf.json')!)).to.deep.equal({
      node_name: 'tokyo-s',
      tags: { role: 'standby', site: 'tokyo' },
      bind: '10.0.1.3',
      retry_join: ['10.0.1.2'],
      reconnect_interval: '4s',
      reconnect_timeout: '12s',
      tombstone_timeout: '12s',
      event_handlers: ['member-failed,member-leave=/config/scripts/vygen-serf-handler.sh'],
    });
  });

  it('is written with a fixed key order, 2-space indent and a final newline', () => {
    const text = files.get('osaka-a.serf.json')!;
    expect(text).to.equal(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(Object.keys(JSON.parse(text))).to.deep.equal(['node_name', 'tags', 'bind', 'retry_join', 'reconnect_interval', 'reconnect_timeout', 'tombstone_timeout', 'event_handlers']);
    expect(renderFixture('inter-region-vpn-serf').get('osaka-a.serf.json')).to.equal(text);
  });

  it('holds only keys Serf knows (it refuses unknown ones)', () => {
    const known = new Set(['node_name', 'tags', 'bind', 'retry_join', 'reconnect_interval', 'reconnect_timeout', 'tombstone_timeout', 'event_handlers']);
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
