// Every failover, Serf and NAT file vygen writes for the fixtures and the
// examples: shell scripts pass `sh -n` and shellcheck (required under
// CI=true, skipped loudly elsewhere), each file says in its first lines which
// device it is for, what it is and which topology it came from, the same
// input gives the same bytes, and the roles decide what each router's files say.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from '../dist/index.js';
import { FIXTURES, ROOT } from './helpers/golden.js';
import { findTool, requireTool } from './helpers/lvs.js';
import { fixtureDoc, toYaml } from './helpers/topology.js';
import { Sandbox } from './helpers/fake-aws.js';

const SHELLCHECK = findTool('shellcheck');
const SCRIPT = /\.(failover|serf-handler|nat-watch|nat|vrrp-health|source-dest-check|scale-up)\.sh$/;
const OURS = /\.(failover\.sh|serf-handler\.sh|serf\.json|nat-watch\.sh|nat-watch\.service|nat\.sh|vrrp-health\.sh|source-dest-check\.sh|scale-up\.sh|iam-policy\.json|security-groups\.json)$|^[^/]+\.sysctl\.conf$/;

interface Case {
  name: string;
  file: string;
  text: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const [dir, label] of [[FIXTURES, 'fixtures'], [join(ROOT, 'examples'), 'examples']] as const) {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name, 'topology.yaml');
      if (name.startsWith('err-') || !existsSync(p)) continue;
      out.push({ name: `${label}/${name}`, file: `${label}/${name}/topology.yaml`, text: readFileSync(p, 'utf8') });
    }
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'vygen-scripts-lint-'));
after(() => rmSync(work, { recursive: true, force: true }));

// Only the files of the scripts target (an LVS director's sysctl.conf is the keepalived target's).
const rendered = cases().flatMap((c, i) => {
  const result = render(c.text, { file: c.file, redact: true });
  if (result.diagnostics.some((d) => d.severity === 'error')) return [];
  const natNodes = new Set(result.files.filter((f) => f.path.endsWith('.nat-watch.sh')).map((f) => f.device));
  const files = result.files.filter((f) => OURS.test(f.path) && (!f.path.endsWith('.sysctl.conf') || natNodes.has(f.device)));
  if (files.length === 0) return [];
  const dir = join(work, String(i));
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.path), f.content);
  return [{ ...c, dir, files }];
});

describe('failover, Serf and NAT files of every fixture and example', () => {
  const scripts = rendered.flatMap((r) => r.files.filter((f) => SCRIPT.test(f.path)).map((f) => ({ label: `${r.name}/${f.path}`, path: join(r.dir, f.path) })));

  it('the cases with such files are all here', () => {
    expect(rendered.map((r) => r.name)).to.include.members([
      'examples/aws-active-standby',
      'examples/ha-nat',
      'examples/inter-region-vpn-serf',
      'fixtures/aws-active-standby',
      'fixtures/ha-nat',
      'fixtures/inter-region-vpn-serf',
    ]);
    for (const suffix of ['.failover.sh', '.serf-handler.sh', '.nat-watch.sh', '.nat.sh', '.vrrp-health.sh', '.source-dest-check.sh', '.scale-up.sh']) {
      expect(scripts.some((s) => s.label.endsWith(suffix)), suffix).to.equal(true);
    }
  });

  it('every script parses with sh -n', () => {
    const failures = scripts
      .map((s) => ({ s, r: spawnSync('sh', ['-n', s.path], { encoding: 'utf8' }) }))
      .filter(({ r }) => r.status !== 0)
      .map(({ s, r }) => `${s.label}: ${r.stderr}`);
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('every script passes shellcheck', function () {
    const bin = requireTool(this, 'shellcheck', SHELLCHECK, 'the failover, Serf and NAT scripts were not checked by shellcheck');
    const r = spawnSync(bin, ['--shell=sh', '--severity=style', ...scripts.map((s) => s.path)], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).to.equal(0);
  });

  it('every script starts with #!/bin/sh and its header, then runs under set -eu', () => {
    for (const r of rendered) {
      for (const f of r.files.filter((x) => SCRIPT.test(x.path))) {
        const lines = f.content.split('\n');
        expect(lines[0], f.path).to.equal('#!/bin/sh');
        expect(lines[1], f.path).to.match(new RegExp(`^# vygen: .* of (router|NAT node|site|nat pair) ${f.device} \\(.*\\) -- from ${r.file}$`));
        const firstCommand = lines.find((l) => l !== '' && !l.startsWith('#'));
        expect(firstCommand, f.path).to.equal('set -eu');
      }
    }
  });

  it('every unit and sysctl.conf names its device, what it is and the topology in its first line', () => {
    for (const r of rendered) {
      for (const f of r.files.filter((x) => /\.(service|conf)$/.test(x.path))) {
        expect(f.content.split('\n')[0], f.path).to.match(new RegExp(`^# vygen: (systemd unit of the NAT watch|sysctl\\.conf) of NAT node ${f.device} \\(.*\\) -- from ${r.file}$`));
      }
    }
  });

  it('every unit keeps the watch running', () => {
    for (const r of rendered) {
      for (const f of r.files.filter((x) => x.path.endsWith('.service'))) {
        expect(f.content, f.path).to.match(/^Restart=always$/m);
        expect(f.content, f.path).to.match(/^ExecStart=\/\S+\/vygen-nat-watch\.sh$/m);
      }
    }
  });

  it('renders the same bytes twice', () => {
    for (const r of rendered) {
      const again = render(r.text, { file: r.file, redact: true }).files.filter((f) => OURS.test(f.path));
      for (const f of r.files) expect(again.find((x) => x.path === f.path)?.content, `${r.name}/${f.path}`).to.equal(f.content);
    }
  });

  it('shellcheck fails a script with an unquoted expansion (the check can fail)', function () {
    const bin = requireTool(this, 'shellcheck', SHELLCHECK, 'the shellcheck check could not be tested');
    const bad = join(work, 'bad.sh');
    writeFileSync(bad, '#!/bin/sh\nset -eu\nx=$1\naws ec2 replace-route --route-table-id $x\n');
    expect(spawnSync(bin, ['--shell=sh', '--severity=style', bad], { encoding: 'utf8' }).status).to.not.equal(0);
  });
});

describe('the roles decide what each router\'s files say', () => {
  const swap = (doc: Record<string, any>, site: string, a: string, b: string) => {
    const routers = doc.sites[site].routers;
    [routers[a].role, routers[b].role] = [routers[b].role, routers[a].role];
  };
  const filesOf = (doc: Record<string, any>) => new Map(render(toYaml(doc), { file: 'topology.yaml', redact: true }).files.map((f) => [f.path, f.content]));

  it('Serf tags: swapping active and standby swaps the role each agent announces', () => {
    const doc = fixtureDoc('inter-region-vpn-serf');
    const before = filesOf(doc);
    swap(doc, 'tokyo', 'tokyo-a', 'tokyo-s');
    const after = filesOf(doc);
    const role = (files: Map<string, string>, r: string) => JSON.parse(files.get(`${r}.serf.json`)!).tags.role;
    expect([role(before, 'tokyo-a'), role(before, 'tokyo-s')]).to.deep.equal(['active', 'standby']);
    expect([role(after, 'tokyo-a'), role(after, 'tokyo-s')]).to.deep.equal(['standby', 'active']);
    expect(role(after, 'osaka-a'), 'the other site is unchanged').to.equal('active');
    expect(after.get('tokyo-a.failover.sh')!.split('\n')[1]).to.include('(site tokyo, standby)');
    expect(after.get('tokyo-s.serf-handler.sh')!.split('\n')[1]).to.include('(site tokyo, active)');
  });

  it('VRRP: swapping active and standby swaps the priority lines, the failover scripts follow', () => {
    const doc = fixtureDoc('aws-active-standby');
    const before = filesOf(doc);
    swap(doc, 'tokyo', 'tokyo-a', 'tokyo-s');
    const after = filesOf(doc);
    const priority = (files: Map<string, string>, r: string) => files.get(`${r}.vyos`)!.split('\n').filter((l) => / priority /.test(l));
    expect(priority(before, 'tokyo-a')).to.not.deep.equal(priority(before, 'tokyo-s'));
    expect(priority(after, 'tokyo-a')).to.deep.equal(priority(before, 'tokyo-s'));
    expect(priority(after, 'tokyo-s')).to.deep.equal(priority(before, 'tokyo-a'));
    expect(after.get('tokyo-a.failover.sh')!.split('\n')[1]).to.include('(site tokyo, standby)');
    // Each script still moves everything to its own instance.
    expect(after.get('tokyo-a.failover.sh')).to.include("'--instance-id' 'i-0aaaaaaaaaaaaaaa1'");
    expect(after.get('tokyo-a.failover.sh')).to.not.include('i-0bbbbbbbbbbbbbbb2');
  });
});

describe('no topology value can change a script', () => {
  it('a hostile topology file name stays in the comments', () => {
    const text = readFileSync(join(FIXTURES, 'aws-active-standby', 'topology.yaml'), 'utf8');
    const file = 'evil $(touch PWNED) `touch PWNED`\nset -x; touch PWNED\\.yaml';
    const harmless = new Map(render(text, { file: 'x.yaml', redact: true }).files.map((f) => [f.path, f.content]));
    const box = new Sandbox();
    try {
      box.write('load', '0.00 0.00 0.00 1/1 1\n');
      box.write('bin/vtysh', '#!/bin/sh\necho "  BGP state = Established, up for 00:00:01"\n', true);
      for (const f of render(text, { file, redact: true }).files.filter((x) => OURS.test(x.path))) {
        if (f.path.endsWith('.json')) {
          // JSON has no comments: the file name may only be a string value of the "vygen" key.
          const data = (s: string) => { const { vygen: _, ...rest } = JSON.parse(s); return rest; };
          expect(data(f.content), f.path).to.deep.equal(data(harmless.get(f.path)!));
          continue;
        }
        const code = (s: string) => s.split('\n').filter((l) => !l.startsWith('#'));
        expect(code(f.content), f.path).to.deep.equal(code(harmless.get(f.path)!));
        if (!SCRIPT.test(f.path)) continue;
        const r = box.run(box.write('s.sh', f.content), [], { DRY_RUN: '1', VYGEN_LOADAVG: join(box.root, 'load') });
        expect(r.status, `${f.path}: ${r.stderr}`).to.equal(0);
        expect(box.exists('PWNED')).to.equal(false);
      }
    } finally {
      box.dispose();
    }
  });
});
