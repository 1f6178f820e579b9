// Several VRRP instances per director pair (issue 14): the one VRID allocator
// per segment that sees the VyOS sites' VRRP groups first, active/active
// pairs, connection sync by default, the persistent DR set-up, and the
// schema describing every LVS key.
import { expect } from 'chai';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, type File } from '../dist/index.js';
import { FIXTURES, ROOT } from './helpers/golden.js';

type Doc = Record<string, any>;

const fixture = (name: string) => readFileSync(join(FIXTURES, name, 'topology.yaml'), 'utf8');

function file(files: File[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} among ${files.map((x) => x.path).join(', ')}`);
  return f.content;
}

const errors = (r: ReturnType<typeof render>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path}`);

/** The vrrp_instance blocks of a keepalived.conf, by name: [state, vrid, priority]. */
function instances(conf: string): Record<string, [string, number, number]> {
  const out: Record<string, [string, number, number]> = {};
  for (const m of conf.matchAll(/^vrrp_instance (\S+) \{\n {2}state (\S+)\n {2}interface \S+\n {2}virtual_router_id (\d+)\n {2}priority (\d+)\n/gm)) {
    out[m[1]!] = [m[2]!, Number(m[3]), Number(m[4])];
  }
  return out;
}

const site = (vrrp: Doc): Doc => ({
  asn: 65001,
  vrrp,
  routers: {
    'tokyo-a': { role: 'active', wan: { interface: 'eth0', address: '10.0.0.10/24', gateway: '10.0.0.1' }, lan: { interface: 'eth1', address: '10.0.1.2/24' }, loopback: '10.255.0.1' },
    'tokyo-s': { role: 'standby', wan: { interface: 'eth0', address: '10.0.0.11/24', gateway: '10.0.0.1' }, lan: { interface: 'eth1', address: '10.0.1.3/24' }, loopback: '10.255.0.2' },
  },
});

const lanPair = (extra: Doc = {}): Doc => ({
  nodes: [
    { name: 'lb1', role: 'master', interface: 'eth0', address: '10.0.1.20/24' },
    { name: 'lb2', role: 'backup', interface: 'eth0', address: '10.0.1.21/24' },
  ],
  vips: [{ address: '10.0.1.100' }],
  ...extra,
});

describe('LVS: one VRID allocator per segment, routers and directors alike', () => {
  it('gives an unpinned pair on a site\'s LAN the lowest VRID the site\'s VRRP group does not hold (issue 11, bug 1)', () => {
    const r = render(fixture('lvs-vrid-after-site'), { file: 'fixtures/lvs-vrid-after-site/topology.yaml', redact: true });
    expect(errors(r)).to.deep.equal([]);
    expect(instances(file(r.files, 'lb1.keepalived.conf')).web).to.deep.equal(['MASTER', 2, 150]);
    expect(file(r.files, 'tokyo-a.vyos')).to.match(/vrrp group \S+ .*vrid '1'/);
  });

  it('sees a site\'s default VRID too, and the segment\'s reserved ones', () => {
    const doc = { vygen: 1, sites: { tokyo: site({ address: '10.0.1.1/24' }) }, lvs: { segments: { lan: { network: '10.0.1.0/24', reserved_vrids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 11] } }, pairs: { web: lanPair() } } };
    const r = render(yaml.dump(doc), { file: 'topology.yaml', redact: true });
    expect(errors(r)).to.deep.equal([]);
    expect(instances(file(r.files, 'lb1.keepalived.conf')).web![1], 'not 10 (the site\'s default), not 11 (reserved)').to.equal(12);
  });

  it('still refuses a pinned VRID equal to the site\'s', () => {
    const doc = { vygen: 1, sites: { tokyo: site({ address: '10.0.1.1/24', vrid: 5 }) }, lvs: { pairs: { web: lanPair({ vrid: 5 }) } } };
    expect(errors(render(yaml.dump(doc), { file: 'topology.yaml', redact: true }))).to.deep.equal(['vrid-conflict lvs.pairs.web.vrid']);
  });

  it('numbers the instances of one pair per segment, skipping each other', () => {
    const r = render(fixture('lvs-options'), { file: 'fixtures/lvs-options/topology.yaml', redact: true });
    const got = instances(file(r.files, 'edge-a.keepalived.conf'));
    expect(got.front![1]).to.equal(1);
    expect(got.back![1], 'another segment: VRID 1 is free there').to.equal(1);
    const two = { vygen: 1, lvs: { pairs: { p: { nodes: lanPair().nodes, instances: { A: { vips: [{ address: '10.0.1.100' }] }, B: { master: 'lb2', vips: [{ address: '10.0.1.101' }] } } } } } };
    const r2 = render(yaml.dump(two), { file: 'topology.yaml', redact: true });
    expect(instances(file(r2.files, 'lb1.keepalived.conf'))).to.deep.equal({ A: ['MASTER', 1, 150], B: ['BACKUP', 2, 100] });
    expect(instances(file(r2.files, 'lb2.keepalived.conf'))).to.deep.equal({ A: ['BACKUP', 1, 100], B: ['MASTER', 2, 150] });
  });
});

describe('LVS: active/active (keepalived\'s case study, examples/lvs-active-active)', () => {
  const text = readFileSync(join(ROOT, 'examples', 'lvs-active-active', 'topology.yaml'), 'utf8');
  const r = render(text, { file: 'examples/lvs-active-active/topology.yaml', redact: true });

  it('is the fixture lvs-active-active, which holds its goldens', () => {
    expect(fixture('lvs-active-active')).to.equal(text);
  });

  it('makes each director MASTER of its own sync group at 150 and BACKUP of the other at 100', () => {
    expect(r.diagnostics).to.deep.equal([]);
    expect(instances(file(r.files, 'director1.keepalived.conf'))).to.deep.equal({ VI_1: ['MASTER', 51, 150], VI_2: ['MASTER', 52, 150], VI_3: ['BACKUP', 53, 100], VI_4: ['BACKUP', 54, 100] });
    expect(instances(file(r.files, 'director2.keepalived.conf'))).to.deep.equal({ VI_1: ['BACKUP', 51, 100], VI_2: ['BACKUP', 52, 100], VI_3: ['MASTER', 53, 150], VI_4: ['MASTER', 54, 150] });
    for (const d of ['director1', 'director2']) {
      const conf = file(r.files, `${d}.keepalived.conf`);
      expect(conf).to.include('vrrp_sync_group VG1 {\n  group {\n    VI_1\n    VI_2\n  }\n}');
      expect(conf).to.include('vrrp_sync_group VG2 {\n  group {\n    VI_3\n    VI_4\n  }\n}');
    }
  });

  it('writes the case study\'s global_defs: router_id LVS_MAIN on director1, the notification settings on both', () => {
    expect(file(r.files, 'director1.keepalived.conf')).to.match(/^ {2}router_id LVS_MAIN$/m);
    expect(file(r.files, 'director2.keepalived.conf')).to.match(/^ {2}router_id director2$/m);
    for (const d of ['director1', 'director2']) {
      expect(file(r.files, `${d}.keepalived.conf`)).to.include(
        '  notification_email {\n    admin@domain.com\n    0633225522@domain.com\n  }\n  notification_email_from keepalived@domain.com\n  smtp_server 192.168.200.20\n  smtp_connect_timeout 30\n',
      );
    }
  });
});

describe('LVS: connection sync (lvs_sync_daemon)', () => {
  const service = (protocol: string) => ({ address: '10.0.1.100', port: 80, protocol, lvs_method: 'NAT', real_servers: [{ address: '10.0.1.30', port: 80, tcp_check: {} }] });
  const confOf = (pair: Doc, segments?: Doc) => file(render(yaml.dump({ vygen: 1, lvs: { ...(segments ? { segments } : {}), pairs: { web: pair } } }), { file: 'topology.yaml', redact: true }).files, 'lb1.keepalived.conf');

  it('is on by default for a TCP service, and the header says what it needs', () => {
    const conf = confOf(lanPair({ virtual_servers: [service('TCP')] }));
    expect(conf).to.match(/^ {2}lvs_sync_daemon eth0 web$/m);
    expect(conf).to.match(/^# it needs multicast on eth0 between the directors \(IPVS sends the connection state to 224\.0\.0\.81, UDP port 8848\): allow it$/m);
  });

  it('is off for UDP only, with lvs_sync: false, and on a segment without multicast (which says why)', () => {
    expect(confOf(lanPair({ virtual_servers: [service('UDP')] }))).to.not.include('lvs_sync_daemon');
    const off = confOf(lanPair({ lvs_sync: false, virtual_servers: [service('TCP')] }));
    expect(off).to.not.include('lvs_sync_daemon');
    expect(off).to.match(/^# no connection sync \(lvs_sync: false\): a failover resets established connections$/m);
    const cloud = confOf(lanPair({ virtual_servers: [service('TCP')] }), { lan: { network: '10.0.1.0/24', multicast: false } });
    expect(cloud).to.not.include('lvs_sync_daemon');
    expect(cloud).to.match(/^# no connection sync: segment lan has no multicast/m);
  });
});

describe('LVS: DR real servers that survive a reboot', () => {
  const r = render(fixture('lvs-seed-004'), { file: 'fixtures/lvs-seed-004/topology.yaml', redact: true });

  it('ship a systemd unit beside each script that runs it at boot and undoes it on stop', () => {
    const unit = file(r.files, 'real-servers/real1.service');
    const script = /^#\s+install -m 0755 real1\.sh (\S+)$/m.exec(unit)?.[1];
    expect(script).to.equal('/usr/local/sbin/vygen-real-server-real1');
    expect(unit).to.match(new RegExp(`^ExecStart=${script}$`, 'm'));
    expect(unit).to.match(new RegExp(`^ExecStop=${script} --remove$`, 'm'));
    expect(unit).to.match(/^Type=oneshot$/m).and.match(/^RemainAfterExit=yes$/m).and.match(/^WantedBy=multi-user\.target$/m);
    expect(unit).to.match(/^After=network-online\.target .*netfilter-persistent\.service/m);
  });

  it('scope each REDIRECT to a service\'s protocol and port, one per address of a group and its ranges', () => {
    expect(file(r.files, 'real-servers/real1.sh')).to.match(/^ {2}accept_service '10\.5\.0\.100' 'tcp' '80'$/m);
    const opts = render(fixture('lvs-options'), { file: 'fixtures/lvs-options/topology.yaml', redact: true });
    const web1 = file(opts.files, 'real-servers/web1.sh');
    expect([...web1.matchAll(/^ {2}accept_service (.*)$/gm)].map((m) => m[1])).to.deep.equal(["'10.30.0.101' 'tcp' '80'", "'10.30.0.102' 'tcp' '80'", "'10.30.0.103' 'tcp' '80'"]);
  });
});

describe('LVS: the schema describes every key', () => {
  it('has a description on every property and every definition of the lvs part', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'topology.schema.json'), 'utf8'));
    const missing: string[] = [];
    const walk = (node: any, where: string) => {
      if (!node || typeof node !== 'object') return;
      for (const [k, v] of Object.entries<any>(node.properties ?? {})) {
        if (v === true || v === false) continue;
        if (typeof v.description !== 'string' || v.description === '') missing.push(`${where}.${k}`);
        walk(v, `${where}.${k}`);
      }
      for (const key of ['items', 'additionalProperties', 'then', 'else']) if (node[key] && typeof node[key] === 'object') walk(node[key], `${where}[${key}]`);
      for (const [i, b] of (node.oneOf ?? []).entries()) walk(b, `${where}|${i}`);
    };
    const lvsDefs = Object.entries<any>(schema.$defs).filter(([name]) => name.startsWith('lvs'));
    expect(lvsDefs.length).to.be.at.least(20);
    for (const [name, def] of lvsDefs) {
      if (typeof def.description !== 'string') missing.push(name);
      walk(def, name);
    }
    expect(missing).to.deep.equal([]);
  });
});
