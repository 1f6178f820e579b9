// What every start of `vygen` pays before it reads the topology, kept off the
// path where a command does not need it (docs/performance.md, the tenth
// round): builtins that only some commands use, the IPv6 parser for a
// topology without IPv6, UTF-8 decoding of the generated modules, and a
// module the schema validator required from node_modules.
import { spawnSync } from 'node:child_process';
import { isAscii } from 'node:buffer';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { expect } from 'chai';
import { GENERATED_MODULES } from './helpers/generated-modules.js';
import { ROOT } from './helpers/golden.js';

/**
 * A fresh `vygen ARGS` process, with `what` (an expression: process.moduleLoadList,
 * require.cache's keys) recorded when it exits.
 */
function vygenRecording(args: string[], what: string): { status: number | null; stderr: string; recorded: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'vygen-start-'));
  try {
    const preload = join(dir, 'record.cjs');
    const out = join(dir, 'recorded.json');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(${what})));`);
    const r = spawnSync(process.execPath, ['-r', preload, join(ROOT, 'dist/cli.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr, recorded: JSON.parse(readFileSync(out, 'utf8')) as string[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('cold start', () => {
  let asciiSource: (code: string, what: string) => string;
  before(async () => {
    ({ asciiSource } = (await import(join(ROOT, 'scripts/ascii-source.mjs'))) as { asciiSource: typeof asciiSource });
  });

  it('a render does not load node:child_process (only diff --base and a render directory’s recovery run git)', () => {
    const r = vygenRecording(['render', 'examples/inter-region-vpn/topology.yaml', '--redact'], 'process.moduleLoadList');
    expect(r.status, r.stderr).to.equal(0);
    const loaded = r.recorded;
    expect(loaded).to.include('NativeModule fs'); // the record works
    expect(loaded.filter((m) => /child_process/.test(m))).to.deep.equal([]);
  });

  it('a topology without IPv6 never runs the IPv6 parser, one with IPv6 does', () => {
    const run = (calls: string) => {
      const script = `
        const ip = await import(${JSON.stringify(join(ROOT, 'dist/net/ip.js'))});
        const { ipv6Parses } = await import(${JSON.stringify(join(ROOT, 'dist/net/ipv6.js'))});
        const said = [${calls}];
        process.stdout.write(JSON.stringify({ said, parses: ipv6Parses() }));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      return JSON.parse(r.stdout) as { said: unknown[]; parses: number };
    };
    const v4 = run(`ip.reservedUse(ip.parseIp('127.0.0.1')), ip.reservedUse(ip.parseIp('10.1.2.3')), ip.isLinkLocal6(ip.parseIp('169.254.1.1'))`);
    expect(v4).to.deep.equal({ said: ['loopback', null, false], parses: 0 });
    const v6 = run(`ip.reservedUse(ip.parseIp('::1')), ip.reservedUse(ip.parseIp('2001:db8::1')), ip.isLinkLocal6(ip.parseIp('fe80::1')), ip.reservedUse(ip.parseIp('224.0.0.5'))`);
    expect(v6.said).to.deep.equal(['loopback', null, true, 'multicast']);
    expect(v6.parses).to.be.greaterThan(0);
  });

  it('the schema validator gets ajv’s runtime from the bundle, not from disk, and still counts characters, not UTF-16 units', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vygen-ucs2-'));
    try {
      const fixture = readFileSync(join(ROOT, 'fixtures/cloud-static/topology.yaml'), 'utf8');
      if (!fixture.includes('description: office')) throw new Error('fixtures/cloud-static changed: this test edits its LAN description');
      const write = (name: string, emoji: number) => {
        writeFileSync(join(dir, name), fixture.replace('description: office', `description: "${'😀'.repeat(emoji)}"`));
        return join(dir, name);
      };
      const validate = (file: string) => vygenRecording(['validate', file], 'Object.keys(require.cache)');
      // 255 characters (510 UTF-16 units) is within the schema's maxLength; what VyOS accepts is the release check's.
      const at = validate(write('at.yaml', 255));
      expect(at.stderr).to.not.match(/more than 255 characters/);
      expect(at.stderr).to.match(/a description of 510 characters is outside what VyOS/);
      expect(at.recorded.filter((f) => f.includes('node_modules'))).to.deep.equal([]);
      expect(at.recorded.length).to.be.greaterThan(0); // the record works
      const over = validate(write('over.yaml', 256));
      expect(over.status).to.equal(1);
      expect(over.stderr).to.match(/must NOT have more than 255 characters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every generated module is ASCII, so that it is loaded as latin1 rather than decoded as UTF-8', () => {
    for (const m of GENERATED_MODULES) expect(isAscii(readFileSync(join(ROOT, m))), m).to.equal(true);
  });

  it('a generated module that is not ASCII still loads as UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vygen-utf8-'));
    try {
      const file = join(dir, 'm.cjs');
      writeFileSync(file, "module.exports = { said: 'é → 😀' };\n");
      const script = `
        const { loadGenerated } = await import(${JSON.stringify(join(ROOT, 'dist/load/generated-module.js'))});
        process.stdout.write(JSON.stringify(loadGenerated(new URL('file://' + ${JSON.stringify(file)}))));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout)).to.deep.equal({ said: 'é → 😀' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asciiSource escapes what is not ASCII without changing what the code means, and refuses an escape it cannot keep', () => {
    const code = [
      '// a comment – with “quotes” and 😀',
      "const s = 'é→😀';",
      'const t = `x ${s} ü`;',
      'const r = /^[é-ü]+$/u.test("ëö") && /😀/u.test("😀") && /^.$/u.test("😀");',
      'const ü = 1;',
      'const j = {"k→": "v…"};',
      'result = [s, t, r, ü, Object.keys(j)[0], j["k→"]];',
    ].join('\n');
    const escaped = asciiSource(code, 'test');
    expect(isAscii(Buffer.from(escaped))).to.equal(true);
    const run = (c: string) => {
      const box: { result?: unknown } = {};
      vm.runInNewContext(c, box);
      return box.result;
    };
    expect(run(escaped)).to.deep.equal(run(code));
    expect(run(code)).to.deep.equal(['é→😀', 'x é→😀 ü', true, 1, 'k→', 'v…']);
    expect(() => asciiSource("const s = '\\é';", 'test')).to.throw(/after a backslash at offset 12/);
  });
});
