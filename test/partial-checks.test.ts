// Every check whose input is valid runs, even when another part of the
// topology failed (issue 18 item 5): the parts with errors are left out, the
// rest is checked in the same run, and notes say which checks did not run.
// fixtures/err-five-mistakes holds the five mistakes in one run.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render, validate, formatDiagnostics, type Diagnostic } from '../dist/index.js';
import { exampleCases, fixtureCases, ROOT } from './helpers/golden.js';
import { fixtureDoc, toYaml, type Doc } from './helpers/topology.js';

const errors = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path}`);
const notes = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'note').map((d) => `${d.path}: ${d.message}`);
const psk = (n: number) => ({ psk: { env: `PSK_${n}` } });

function router(n: number, extra: Doc = {}): Doc {
  return { role: 'active', wan: { interface: 'eth0', address: `10.${n}.0.10/24`, gateway: `10.${n}.0.1` }, loopback: `10.255.${n}.1`, ...extra };
}

/** Sites a, b, c, d with one router each (a-r, b-r, ...), each with its own ASN and LAN. */
function fourSites(): Doc {
  const sites: Doc = {};
  ['a', 'b', 'c', 'd'].forEach((name, i) => {
    sites[name] = { asn: 65001 + i, networks: { connected: [`10.${i + 1}.1.0/24`] }, routers: { [`${name}-r`]: router(i + 1, { lan: { interface: 'eth1', address: `10.${i + 1}.1.2/24` } }) } };
  });
  return { vygen: 1, sites, links: [] };
}

describe('checks run when other parts failed', () => {
  it("the issue's five mistakes in one run: key typo, bad address, unknown router, overlapping subnets, same ASN on a link", () => {
    const file = 'fixtures/err-five-mistakes/topology.yaml';
    const r = validate(readFileSync(join(ROOT, file), 'utf8'), { file });
    expect(errors(r.diagnostics)).to.deep.equal([
      'unknown-key sites.tokyo.routers.tokyo-a.wan.gatway',
      'invalid-value sites.sendai.routers.sendai-a.wan.address',
      'overlapping-subnets sites.nagoya.routers.nagoya-a.lan.address',
      'unknown-router links[1].between[1]',
      'same-asn-linked links[3].between',
    ]);
    // One line each, after every error, and never an error themselves.
    const first = r.diagnostics.findIndex((d) => d.severity === 'note');
    expect(first).to.be.greaterThan(0);
    for (const d of r.diagnostics.slice(first)) {
      expect(d.severity).to.equal('note');
      expect([d.expected, d.found, d.hint, d.message.includes('\n') ? 'newline' : undefined]).to.deep.equal([undefined, undefined, undefined, undefined]);
    }
    // With the source (a terminal), errors show their line; notes stay one line.
    const text = readFileSync(join(ROOT, file), 'utf8');
    const shown = formatDiagnostics(r.diagnostics, { sources: new Map([[file, text]]) }).split('\n');
    const noteAt = shown.findIndex((l) => l.includes(' note not-checked: '));
    expect(shown.slice(0, noteAt).some((l) => /^\s+\d+ \| /.test(l))).to.equal(true);
    expect(shown.slice(noteAt, -2).every((l) => l.includes(' note not-checked: '))).to.equal(true);
    expect(notes(r.diagnostics)).to.include('sites.tokyo: reference, address, session, cloud and release checks did not run: fix the errors above');
    expect(notes(r.diagnostics)).to.include('links[0]: reference, address, session, cloud and release checks did not run: it depends on sites.tokyo, which has errors');
  });

  it('a schema error in site a hides no reference error in site c or in a link', () => {
    const doc = fourSites();
    doc.sites.a.asn = 'sixty-five thousand';
    doc.sites.c.routers['b-r'] = router(9); // b-r is site b's router
    doc.links.push({ between: ['b-r', 'd-x'], ipsec: psk(1) });
    const r = validate(toYaml(doc));
    expect(errors(r.diagnostics)).to.deep.equal(['wrong-type sites.a.asn', 'duplicate-router sites.c.routers.b-r', 'unknown-router links[0].between[1]']);
  });

  it('a link to a router of a left-out site is left out too: a note, not "unknown router"', () => {
    const doc = fourSites();
    doc.sites.a.routers['a-r'].role = 'primary';
    doc.links.push({ between: ['a-r', 'b-r'], ipsec: psk(1) }, { between: ['b-r', 'c-r'], ipsec: psk(2) });
    doc.sites.c.asn = doc.sites.b.asn; // found only if links[1] is checked
    const r = validate(toYaml(doc));
    expect(errors(r.diagnostics)).to.deep.equal(['invalid-value sites.a.routers.a-r.role', 'same-asn-linked links[1].between']);
    expect(notes(r.diagnostics)).to.include('links[0]: reference, address, session, cloud and release checks did not run: it depends on sites.a, which has errors');
  });

  it('diagnostics after a left-out link name the written links (paths and messages)', () => {
    const doc = fourSites();
    doc.links.push(
      { between: ['a-r', 'b-r'], ipsec: { psk: 'literal' } },
      { between: ['b-r', 'c-r'], id: 7, ipsec: psk(1) },
      { between: ['c-r', 'd-r'], id: 7, ipsec: psk(2) },
    );
    const r = validate(toYaml(doc));
    expect(errors(r.diagnostics)).to.deep.equal(['literal-secret links[0].ipsec.psk', 'duplicate-link-id links[2].id']);
    const dup = r.diagnostics.find((d) => d.code === 'duplicate-link-id')!;
    expect(dup.message).to.equal('link id 7 is already pinned by links[1]');
    // At the third link's id: the second `id: 7` of the file.
    const lines = toYaml(doc).split('\n');
    const ids = lines.flatMap((l, i) => (/^\s*id: 7$/.test(l) ? [i + 1] : []));
    expect(ids).to.have.length(2);
    expect(dup.line).to.equal(ids[1]);
  });

  it('a finding that rests on the whole topology is noted, not reported, while a site is left out', () => {
    const doc = fourSites();
    doc.sites.a.networks.connected = ['10.1.0.0/16'];
    doc.sites.b.networks.connected = ['10.1.5.0/24'];
    doc.sites.b.networks.more_specifics = ['10.1.5.0/24'];
    const whole = validate(toYaml(doc)).diagnostics.map((d) => `${d.severity} ${d.code}`);
    expect(whole).to.include('warning announced-more-specific');
    doc.sites.a.asn = 'x';
    const r = validate(toYaml(doc));
    expect(r.diagnostics.map((d) => d.code)).to.not.include('more-specific-of-nothing');
    expect(notes(r.diagnostics)).to.include('sites.b.networks.more_specifics[0]: the more-specific-of-nothing check did not run: it looks at the whole topology, and parts of it have errors above');
  });

  it('an error in defaults stops the checks after the schema, and says which did not run', () => {
    const doc = fourSites();
    doc.defaults = { tunnel_pool: 'nonsense' };
    doc.links.push({ between: ['a-r', 'x-r'], ipsec: psk(1) });
    const r = render(toYaml(doc), { redact: true });
    expect(errors(r.diagnostics)).to.deep.equal(['invalid-value defaults.tunnel_pool']);
    expect(notes(r.diagnostics)).to.deep.equal([': reference, address, session, cloud, release and secret checks did not run: fix the errors above']);
    expect(formatDiagnostics(r.diagnostics)).to.match(/\n1 error, 0 warnings, 1 note\n$/);
  });

  it('a valid topology has no notes, and a run with only notes and warnings would still render', () => {
    const r = render(toYaml(fourSites()), { redact: true });
    expect(r.diagnostics.filter((d) => d.severity !== 'warning')).to.deep.equal([]);
    expect(r.files.length).to.be.greaterThan(0);
  });

  it('every err-* fixture: no exception, for render and validate; notes only after errors and warnings', () => {
    const cases = fixtureCases().filter((n) => n.startsWith('err-'));
    expect(cases.length).to.be.greaterThan(40);
    for (const name of cases) {
      const file = `fixtures/${name}/topology.yaml`;
      if (!existsSync(join(ROOT, file))) continue;
      const text = readFileSync(join(ROOT, file), 'utf8');
      const cfg = join(ROOT, 'fixtures', name, 'fixture.json');
      const env = existsSync(cfg) ? (JSON.parse(readFileSync(cfg, 'utf8')) as { env?: Record<string, string> }).env : undefined;
      for (const run of [render, validate]) {
        const r = run(text, { file, ...(env ? { redact: false, env } : { redact: true }) });
        expect(r.files, name).to.deep.equal([]);
        const severities = r.diagnostics.map((d) => d.severity);
        expect(severities.indexOf('note') === -1 || severities.slice(severities.indexOf('note')).every((s) => s === 'note'), name).to.equal(true);
      }
    }
  });

  // The property behind "no spurious follow-on errors": a valid topology with
  // one broken part reports that part's error and nothing else, and no
  // warning it did not have before. Each part is broken at the schema (an
  // unknown key); links also by a reference (an unknown router) and sites by
  // a check (a more-specific the site does not announce), so the parts left
  // out after each stage are covered.
  it('every valid fixture and example: breaking any one part reports only that part', function () {
    this.timeout(600_000);
    const cases: [string, Doc][] = [
      ...fixtureCases().filter((n) => !n.startsWith('err-')).map((n): [string, Doc] => [n, fixtureDoc(n)]),
      ...exampleCases().map((n): [string, Doc] => [`examples/${n}`, fixtureDoc(join('..', 'examples', n))]),
    ];
    let broken = 0;
    for (const [name, doc] of cases) {
      const before = validate(toYaml(doc)).diagnostics;
      expect(errors(before), name).to.deep.equal([]);
      const known = new Set(before.map((d) => `${d.code} ${d.path} ${d.message}`));
      for (const { part, plant } of breakages(doc)) {
        const copy = structuredClone(doc);
        let target: Doc = copy;
        for (const seg of part) target = target[seg];
        const expected = plant(target);
        const r = validate(toYaml(copy));
        const at = `${name}: ${part.join('.')}`;
        expect(errors(r.diagnostics), at).to.deep.equal([expected]);
        const added = r.diagnostics.filter((d) => d.severity === 'warning' && !known.has(`${d.code} ${d.path} ${d.message}`));
        expect(added.map((d) => `${d.code} ${d.path}`), at).to.deep.equal([]);
        broken++;
      }
    }
    expect(broken).to.be.greaterThan(100);
  });

  it('render -o writes nothing for the five mistakes (exit 1)', () => {
    const out = mkdtempSync(join(tmpdir(), 'vygen-partial-'));
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'render', 'fixtures/err-five-mistakes/topology.yaml', '-o', join(out, 'o'), '--redact'], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status).to.equal(1);
      expect(r.stderr).to.include('5 errors, 0 warnings, 7 notes');
      expect(r.stderr).to.not.match(/\n\s+at /);
      expect(existsSync(join(out, 'o')) ? readdirSync(join(out, 'o')) : []).to.deep.equal([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

interface Breakage {
  part: string[];
  /** Breaks the part in place; the one error it must give (`code path`). */
  plant(target: Doc): string;
}

const shownPath = (segs: readonly (string | number)[]) => segs.map((s) => (typeof s === 'number' || /^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');

/** The parts of a topology that are left out on their own (src/partial/units.ts), a few of each kind, each broken. */
function breakages(doc: Doc): Breakage[] {
  const few = <T>(xs: T[]) => xs.slice(0, 5);
  const parts: string[][] = [];
  for (const s of few(Object.keys(doc.sites ?? {}))) parts.push(['sites', s]);
  for (const i of few(Object.keys(doc.links ?? []))) parts.push(['links', i]);
  for (const n of few(Object.keys(doc.nat_pairs ?? {}))) parts.push(['nat_pairs', n]);
  for (const p of few(Object.keys(doc.lvs?.pairs ?? {}))) parts.push(['lvs', 'pairs', p]);
  for (const r of few(Object.keys(doc.routers ?? {}))) parts.push(['routers', r]);
  if (doc.hub_mesh) parts.push(['hub_mesh']);
  const out: Breakage[] = parts.map((part) => ({
    part,
    plant: (t) => {
      t.planted_typo = 1;
      return `unknown-key ${shownPath([...part, 'planted_typo'])}`;
    },
  }));
  for (const part of parts) {
    if (part[0] === 'links') {
      out.push({
        part,
        plant: (t) => {
          t.between[1] = 'no-such-router';
          return `unknown-router ${shownPath([...part, 'between', 1])}`;
        },
      });
    }
    if (part[0] === 'sites') {
      out.push({
        part,
        plant: (t) => {
          t.networks ??= {};
          t.networks.more_specifics = [...(t.networks.more_specifics ?? []), '192.0.2.0/24'];
          return `more-specific-not-announced ${shownPath([...part, 'networks', 'more_specifics', t.networks.more_specifics.length - 1])}`;
        },
      });
    }
  }
  return out;
}
