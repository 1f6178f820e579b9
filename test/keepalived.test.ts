// The real tools on what vygen generates for LVS pairs: `keepalived -t` on
// every keepalived.conf of every fixture and example with LVS pairs, `sh -n`
// and shellcheck on every real-server script. Under CI=true a missing tool
// fails the suite; elsewhere the suite says loudly what it skipped.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { render, type File } from '../dist/index.js';
import { findTool, keepalivedCheck, lvsCases, requireTool } from './helpers/lvs.js';

const KEEPALIVED = findTool('keepalived', ['/usr/sbin', '/sbin', '/usr/local/sbin']);
const SHELLCHECK = findTool('shellcheck');

interface Rendered {
  name: string;
  dir: string;
  files: File[];
}

const cases = lvsCases();
const work = mkdtempSync(join(tmpdir(), 'vygen-keepalived-'));
const rendered: Rendered[] = cases.map((c, i) => {
  const result = render(c.text, { file: c.file, redact: true });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${c.name} does not render: ${errors.map((d) => `${d.line}:${d.col} ${d.code}`).join(', ')}`);
  const dir = join(work, String(i));
  for (const f of result.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return { name: c.name, dir, files: result.files };
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('keepalived -t on every generated keepalived.conf', () => {
  it('finds the LVS fixtures and the example', () => {
    const names = cases.map((c) => c.name);
    expect(names).to.include.members(['examples/lvs-pair', 'fixtures/lvs-seed-004', 'fixtures/lvs-unicast', 'fixtures/lvs-nat-tcp-check', 'fixtures/lvs-with-routers']);
  });

  for (const r of rendered) {
    const confs = r.files.filter((f) => f.path.endsWith('.keepalived.conf'));
    it(`${r.name}: every director's keepalived.conf is accepted (${confs.length} files)`, function () {
      const bin = requireTool(this, 'keepalived', KEEPALIVED, 'the generated keepalived.conf files were not parsed by keepalived -t');
      expect(confs.length, 'an LVS case renders at least two directors').to.be.at.least(2);
      const failures: string[] = [];
      for (const f of confs) {
        const verdict = keepalivedCheck(bin, join(r.dir, f.path), r.dir, f.path);
        if (!verdict.ok) failures.push(`${f.path}: ${verdict.reason}`);
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });
  }

  describe('the check itself', () => {
    const check = (name: string, text: string) => {
      const file = join(work, `${name}.conf`);
      writeFileSync(file, text);
      return keepalivedCheck(KEEPALIVED!, file, work, name);
    };
    const instance = (extra: string) =>
      `vrrp_instance t {\n  state MASTER\n  interface eth0\n  virtual_router_id 9\n  priority 100\n${extra}  virtual_ipaddress {\n    10.0.0.9 dev eth0\n  }\n}\n`;

    it('accepts a minimal valid instance', function () {
      requireTool(this, 'keepalived', KEEPALIVED, 'the keepalived check could not be tested');
      expect(check('valid', instance('')).ok).to.equal(true);
    });

    it('rejects an unknown keyword', function () {
      requireTool(this, 'keepalived', KEEPALIVED, 'the keepalived check could not be tested');
      const v = check('unknown-keyword', instance('  no_such_keyword 1\n'));
      expect(v.ok).to.equal(false);
      expect(v.reason).to.match(/no_such_keyword/);
    });

    it('rejects what keepalived only warns about (auth_pass cut to 8 characters)', function () {
      requireTool(this, 'keepalived', KEEPALIVED, 'the keepalived check could not be tested');
      const v = check('long-pass', instance('  authentication {\n    auth_type PASS\n    auth_pass 123456789\n  }\n'));
      expect(v.ok).to.equal(false);
      expect(v.reason).to.match(/Truncating auth_pass/);
    });

    it('rejects a missing include (the -e flag)', function () {
      const bin = requireTool(this, 'keepalived', KEEPALIVED, 'the keepalived check could not be tested');
      expect(keepalivedCheck(bin, join(work, 'does-not-exist.conf'), work, 'missing').ok).to.equal(false);
    });

    it('fails on a crash (HTTP_GET without url, which keepalived 2.2.7 does not survive)', function () {
      requireTool(this, 'keepalived', KEEPALIVED, 'the keepalived check could not be tested');
      const v = check('crash', 'virtual_server 10.0.0.9 80 {\n  lb_kind DR\n  real_server 10.0.0.10 80 {\n    HTTP_GET {\n      connect_timeout 3\n    }\n  }\n}\n');
      expect(v.ok).to.equal(false);
    });
  });
});

describe('real-server scripts', () => {
  const scripts = rendered.flatMap((r) => r.files.filter((f) => f.path.endsWith('.sh')).map((f) => ({ label: `${r.name}/${f.path}`, path: join(r.dir, f.path) })));

  it('there are scripts to check', () => {
    expect(scripts.length).to.be.at.least(4);
  });

  it('every script parses with sh -n', () => {
    const failures = scripts
      .map((s) => ({ s, r: spawnSync('sh', ['-n', s.path], { encoding: 'utf8' }) }))
      .filter(({ r }) => r.status !== 0)
      .map(({ s, r }) => `${s.label}: ${r.stderr}`);
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('every script passes shellcheck', function () {
    const bin = requireTool(this, 'shellcheck', SHELLCHECK, 'the real-server scripts were not checked by shellcheck');
    const r = spawnSync(bin, ['--shell=sh', '--severity=style', ...scripts.map((s) => s.path)], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).to.equal(0);
  });

  it('shellcheck finds a problem in a broken script (the check can fail)', function () {
    const bin = requireTool(this, 'shellcheck', SHELLCHECK, 'the shellcheck check could not be tested');
    const bad = join(work, 'bad.sh');
    writeFileSync(bad, '#!/bin/sh\nset -eu\nvip=$1\niptables -t nat -C PREROUTING -d $vip -j REDIRECT\n');
    expect(spawnSync(bin, ['--shell=sh', bad], { encoding: 'utf8' }).status).to.not.equal(0);
  });
});
