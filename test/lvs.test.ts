// LVS pairs through the library: what the two directors' files share, VRID
// assignment, auth_pass handling (length, characters, redaction), determinism,
// and that no topology value can add a directive or a command.
import { expect } from 'chai';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, type File } from '../dist/index.js';
import { keepalivedWord, shellQuoted, sysctlKey, sysctlValue } from '../dist/targets/quote.js';
import { ROOT } from './helpers/golden.js';
import { lvsCases } from './helpers/lvs.js';

type Doc = Record<string, any>;

function pairDoc(extra: Doc = {}, name = 'web', base = 2): Doc {
  return {
    nodes: [
      { name: `${name}-a`, role: 'master', interface: 'eth0', address: `10.0.0.${base}/24` },
      { name: `${name}-b`, role: 'backup', interface: 'eth0', address: `10.0.0.${base + 1}/24` },
    ],
    vips: [{ address: `10.0.0.${100 + base}` }],
    ...extra,
  };
}

function run(pairs: Doc, options: Parameters<typeof render>[1] = {}, segments?: Doc) {
  const doc: Doc = { vygen: 1, lvs: { ...(segments ? { segments } : {}), pairs } };
  return render(yaml.dump(doc), { file: 'topology.yaml', redact: true, ...options });
}

function file(files: File[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} among ${files.map((x) => x.path).join(', ')}`);
  return f.content;
}

function codes(r: ReturnType<typeof render>): string[] {
  return r.diagnostics.filter((d) => d.severity !== 'note').map((d) => d.code);
}

// Lines of a director's keepalived.conf that may differ from its peer's.
const MAY_DIFFER = [
  /^# vygen: keepalived\.conf of director \S+ \(LVS pair \S+, (master|backup|(master|backup) of [^)]+)\) -- keepalived 2\.2 -- from \S+$/,
  // Active/active: the sync daemon's note names what the other director's MASTER instances lose.
  /^# the MASTER of \S+ sends and the other director receives: .*$/,
  /^ {2}router_id \S+$/,
  /^ {2}state (MASTER|BACKUP)$/,
  /^ {2}priority \d+$/,
  /^ {2}interface \S+$/,
  /^ {2}unicast_src_ip \S+$/,
  /^ {4}\d+\.\d+\.\d+\.\d+$/, // the unicast peer
  /^ {4}\S+ dev \S+$/, // a VIP on the node's own interface
];

describe('LVS pairs', () => {
  describe('the two directors of a pair', () => {
    for (const c of lvsCases()) {
      it(`${c.name}: differ only in the lines that must`, () => {
        const r = render(c.text, { file: c.file, redact: true });
        const confs = r.files.filter((f) => f.path.endsWith('.keepalived.conf'));
        const byPair = new Map<string, string[]>();
        for (const f of confs) {
          const pair = /\(LVS pair (\S+),/.exec(f.content)![1]!;
          byPair.set(pair, [...(byPair.get(pair) ?? []), f.content]);
        }
        expect(byPair.size).to.be.at.least(1);
        for (const [pair, [a, b]] of byPair) {
          const la = a!.split('\n');
          const lb = b!.split('\n');
          expect(la.length, `${pair}: same number of lines`).to.equal(lb.length);
          const differing = la.map((l, i) => [l, lb[i]!] as const).filter(([x, y]) => x !== y);
          expect(differing.length, `${pair}: the headers and router_id differ at least`).to.be.at.least(2);
          for (const [x, y] of differing) {
            expect(MAY_DIFFER.some((re) => re.test(x) && re.test(y)), `${pair}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`).to.equal(true);
          }
        }
      });
    }

    it('start as MASTER and BACKUP with the role priorities 150 and 100', () => {
      const r = run({ web: pairDoc() });
      expect(file(r.files, 'web-a.keepalived.conf')).to.match(/state MASTER\n {2}interface eth0\n {2}virtual_router_id 1\n {2}priority 150\n/);
      expect(file(r.files, 'web-b.keepalived.conf')).to.match(/state BACKUP\n {2}interface eth0\n {2}virtual_router_id 1\n {2}priority 100\n/);
    });

    it('both start as BACKUP with nopreempt or preempt_delay (keepalived ignores both on a MASTER)', () => {
      for (const extra of [{ preempt: false }, { preempt_delay: 15 }]) {
        const r = run({ web: pairDoc(extra) });
        expect(r.diagnostics).to.deep.equal([]);
        for (const f of r.files.filter((x) => x.path.endsWith('.keepalived.conf'))) expect(f.content).to.match(/state BACKUP\n/).and.not.match(/state MASTER/);
      }
    });

    it('use unicast peers on a segment without multicast, each pointing at the other', () => {
      const r = run({ web: pairDoc() }, {}, { cloud: { network: '10.0.0.0/24', multicast: false } });
      expect(file(r.files, 'web-a.keepalived.conf')).to.include('  unicast_src_ip 10.0.0.2\n  unicast_peer {\n    10.0.0.3\n  }\n');
      expect(file(r.files, 'web-b.keepalived.conf')).to.include('  unicast_src_ip 10.0.0.3\n  unicast_peer {\n    10.0.0.2\n  }\n');
      const multicast = run({ web: pairDoc() });
      expect(file(multicast.files, 'web-a.keepalived.conf')).to.not.include('unicast');
    });
  });

  describe('VRIDs', () => {
    it('are assigned per segment, skipping reserved and pinned ones, in file order', () => {
      const r = run(
        { a: pairDoc({}, 'a', 2), b: pairDoc({ vrid: 3 }, 'b', 4), c: pairDoc({}, 'c', 6), d: { ...pairDoc({}, 'd', 2), nodes: pairDoc({}, 'd', 2).nodes.map((n: Doc, i: number) => ({ ...n, address: `10.9.0.${2 + i}/24` })), vips: [{ address: '10.9.0.100' }] } },
        {},
        { office: { network: '10.0.0.0/24', reserved_vrids: [1, 2] } },
      );
      expect(r.diagnostics).to.deep.equal([]);
      const vrid = (node: string) => /virtual_router_id (\d+)/.exec(file(r.files, `${node}.keepalived.conf`))![1];
      expect([vrid('a-a'), vrid('b-a'), vrid('c-a'), vrid('d-a')]).to.deep.equal(['4', '3', '5', '1']);
    });

    it('run out with a diagnostic when the segment has none left', () => {
      const all = Array.from({ length: 255 }, (_, i) => i + 1);
      const r = run({ web: pairDoc() }, {}, { full: { network: '10.0.0.0/24', reserved_vrids: all } });
      expect(codes(r)).to.deep.equal(['lvs-vrid-exhausted']);
    });
  });

  describe('auth_pass', () => {
    const withPass = { auth_pass: { env: 'VRRP_PASS' } };

    it('is written when it has 1 to 8 characters', () => {
      const r = run({ web: pairDoc(withPass) }, { redact: false, env: { VRRP_PASS: 'Ab3-x.9Z' } });
      expect(r.diagnostics).to.deep.equal([]);
      expect(file(r.files, 'web-a.keepalived.conf')).to.include('    auth_type PASS\n    auth_pass Ab3-x.9Z\n');
    });

    it('is refused at the secret when longer than 8 characters, as keepalived would cut it', () => {
      const r = run({ web: pairDoc(withPass) }, { redact: false, env: { VRRP_PASS: '123456789' } });
      expect(r.files).to.deep.equal([]);
      expect(codes(r)).to.deep.equal(['secret-too-long']);
      expect(r.diagnostics[0]!.path).to.equal('lvs.pairs.web.auth_pass.env');
      expect(JSON.stringify(r.diagnostics)).to.not.include('123456789');
    });

    it('is refused when it holds a character keepalived would misread', () => {
      for (const bad of ['ab#c', 'a{b}', 'x$y', 'a"b', '!abc']) {
        const r = run({ web: pairDoc(withPass) }, { redact: false, env: { VRRP_PASS: bad } });
        expect(codes(r), bad).to.deep.equal(['secret-invalid']);
      }
    });

    it('redacted, is an 8-character placeholder, and the header names the reference', () => {
      const r = run({ web: pairDoc(withPass) });
      const conf = file(r.files, 'web-a.keepalived.conf');
      const pass = /^ {4}auth_pass (\S+)$/m.exec(conf)![1]!;
      expect(pass.length).to.be.at.most(8);
      expect(pass).to.equal('REDACTED');
      expect(conf.split('\n')[2]).to.equal('# auth_pass is redacted: REDACTED stands for the secret in env VRRP_PASS');
    });
  });

  describe('output', () => {
    it('is byte-identical from run to run and holds no absolute path', () => {
      for (const c of lvsCases()) {
        const a = render(c.text, { file: c.file, redact: true }).files;
        const b = render(c.text, { file: c.file, redact: true }).files;
        expect(a).to.deep.equal(b);
        for (const f of a) expect(f.content, `${c.name}/${f.path}`).to.not.match(/\/work\/|\/tmp\/|\/home\//);
      }
    });

    it('names the node, the pair, the topology and keepalived 2.2 on line 1', () => {
      const r = run({ web: pairDoc({ virtual_servers: [{ address: '10.0.0.102', port: 80, lb_kind: 'DR', real_servers: [{ address: '10.0.0.9', port: 80, tcp_check: {} }] }] }) });
      expect(file(r.files, 'web-b.keepalived.conf').split('\n')[0]).to.equal('# vygen: keepalived.conf of director web-b (LVS pair web, backup) -- keepalived 2.2 -- from topology.yaml');
      expect(file(r.files, 'web-b.sysctl.conf').split('\n')[0]).to.equal('# vygen: sysctl.conf of director web-b (LVS pair web, backup) -- keepalived 2.2 -- from topology.yaml');
      expect(file(r.files, 'real-servers/10.0.0.9.sh').split('\n').slice(0, 2)).to.deep.equal([
        '#!/bin/sh',
        '# vygen: real server 10.0.0.9 (10.0.0.9) behind LVS pair web, lb_kind DR -- keepalived 2.2 -- from topology.yaml',
      ]);
    });

    it('writes scripts only for DR, and NAT sysctls only for NAT', () => {
      const vs = (lb_kind: string) => [{ address: '10.0.0.102', port: 80, lb_kind, real_servers: [{ address: '10.0.0.9', port: 80, tcp_check: {} }] }];
      const dr = run({ web: pairDoc({ virtual_servers: vs('DR') }) });
      expect(dr.files.map((f) => f.path)).to.include('real-servers/10.0.0.9.sh');
      expect(file(dr.files, 'web-a.sysctl.conf')).to.include('net.ipv4.ip_forward = 1\n').and.not.include('send_redirects');
      const nat = run({ web: pairDoc({ virtual_servers: vs('NAT') }) });
      expect(nat.files.map((f) => f.path).some((p) => p.endsWith('.sh'))).to.equal(false);
      expect(file(nat.files, 'web-a.sysctl.conf')).to.include('net.ipv4.conf.all.send_redirects = 0\n').and.include('net.ipv4.conf.eth0.send_redirects = 0\n');
    });

    it("the LVS page's example of every key renders without a diagnostic", () => {
      const section = readFileSync(join(ROOT, 'docs', 'lvs.md'), 'utf8');
      const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
      const r = render(example, { file: 'docs/lvs.md', redact: false, env: { VRRP_PASS: 'abc12345' } });
      expect(r.diagnostics).to.deep.equal([]);
      expect(r.files.map((f) => f.path)).to.include.members(['lb.keepalived.conf', 'lb-backup.keepalived.conf', 'real-servers/real1.sh']);
    });

    it('a site-less topology with only LVS pairs is valid', () => {
      const r = run({ web: pairDoc() });
      expect(r.diagnostics).to.deep.equal([]);
      expect(r.files.map((f) => f.path)).to.deep.equal(['web-a.keepalived.conf', 'web-a.sysctl.conf', 'web-b.keepalived.conf', 'web-b.sysctl.conf']);
    });
  });

  describe('injection', () => {
    it('the schema refuses values that would add a directive or a command', () => {
      const attempts: [string, Doc][] = [
        ['interface', pairDoc({ nodes: [{ name: 'a', role: 'master', interface: 'eth0 }\nnotify_master /bin/x', address: '10.0.0.2/24' }, pairDoc().nodes[1]] })],
        ['vip dev', pairDoc({ vips: [{ address: '10.0.0.100', dev: 'eth0\n}' }] })],
        ['notify', pairDoc({ notify: { master: '/bin/sh -c reboot' } })],
        ['track script name', pairDoc({ track_scripts: { 'x}\nvrrp_script y': { script: '/bin/true' } } })],
        ['url path', pairDoc({ virtual_servers: [{ address: '10.0.0.102', port: 80, lb_kind: 'DR', real_servers: [{ address: '10.0.0.9', port: 80, http_get: { path: '/a }\n  }' } }] }] })],
        ['real server name', pairDoc({ virtual_servers: [{ address: '10.0.0.102', port: 80, lb_kind: 'DR', real_servers: [{ name: "x';reboot;'", address: '10.0.0.9', port: 80, tcp_check: {} }] }] })],
        ['pair name', { 'a b': pairDoc() }],
      ];
      for (const [what, pair] of attempts) {
        const pairs = what === 'pair name' ? pair : { web: pair };
        const r = run(pairs);
        expect(r.files, what).to.deep.equal([]);
        expect(r.diagnostics.some((d) => d.severity === 'error'), what).to.equal(true);
      }
    });

    it('the output helpers refuse what their format would misread', () => {
      for (const bad of ['a b', 'a{', '}', '"x', '#x', '!x', '$x', 'a\nb', '', '@x', '~x']) expect(() => keepalivedWord(bad), JSON.stringify(bad)).to.throw(/internal error/);
      expect(keepalivedWord('/healthchk.html?a=1&b=%20')).to.equal('/healthchk.html?a=1&b=%20');
      expect(shellQuoted("it's")).to.equal("'it'\\''s'");
      expect(shellQuoted('$(reboot)')).to.equal("'$(reboot)'");
      expect(() => shellQuoted('a\nb')).to.throw(/internal error/);
      expect(() => sysctlKey('net.ipv4.ip_forward = 1\nkernel.x')).to.throw(/internal error/);
      expect(() => sysctlValue('1 2')).to.throw(/internal error/);
    });
  });
});
