// `vygen diff` renders only the routers whose render input changed: each side's
// router files are deferred (src/targets/deferred.ts) and carry what they are
// rendered from: the intent, header and the secret values it uses, compared
// across the sides by src/targets/render-input.ts. Sound only if the same
// input means equal content: checked on every
// fixture and example against changed secrets, file names and releases; and
// a one-link change renders the two routers of that link, not the others.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runPipeline } from '../dist/pipeline.js';
import { diffTopologies } from '../dist/diff/topology.js';
import { templateComparison } from '../dist/targets/templates.js';
import { isPending } from '../dist/targets/deferred.js';
import { sameRenderInput } from '../dist/targets/render-input.js';
import type { OutputFile } from '../dist/model/output.js';
import type { Release } from '../dist/model/topology.js';
import { FIXTURES, ROOT, exampleCases, fixtureCases } from './helpers/golden.js';

const ENV_A = new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? `secret-a-${k}-0123456789` : undefined), has: () => true });
const ENV_B = new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? (k.length % 2 === 0 ? `secret-b-${k}-0123456789` : `secret-a-${k}-0123456789`) : undefined), has: () => true });

function deferred(text: string, file: string, env: object, origin = file, release?: Release): OutputFile[] {
  const r = runPipeline({ text, file, origin, deferRender: 'compare', ...(release ? { release } : {}), secrets: { redact: false, env: env as Record<string, string>, baseDir: join(ROOT, file, '..') } });
  return r.diagnostics.some((d) => d.severity === 'error') ? [] : r.files;
}

function topologies(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const name of fixtureCases().filter((n) => !n.startsWith('err-'))) {
    const cfgPath = join(FIXTURES, name, 'fixture.json');
    const cfg = existsSync(cfgPath) ? (JSON.parse(readFileSync(cfgPath, 'utf8')) as { topology?: string }) : {};
    const file = cfg.topology ?? join('fixtures', name, 'topology.yaml');
    out.push({ file, text: readFileSync(join(ROOT, file), 'utf8') });
  }
  for (const name of exampleCases()) {
    const file = join('examples', name, 'topology.yaml');
    out.push({ file, text: readFileSync(join(ROOT, file), 'utf8') });
  }
  return out;
}

describe('diff renders only the routers whose input changed', () => {
  it('a router file is not rendered until its content is read, and then once', () => {
    const file = 'examples/inter-region-vpn/topology.yaml';
    const files = deferred(readFileSync(join(ROOT, file), 'utf8'), file, ENV_A).filter((f) => f.kind === 'vyos');
    expect(files.length).to.be.greaterThan(1);
    expect(files.every(isPending)).to.equal(true);
    const text = files[0]!.content;
    expect(isPending(files[0]!)).to.equal(false);
    expect(files[0]!.content).to.equal(text);
    expect(files.slice(1).every(isPending)).to.equal(true);
  });

  it('the same input means equal files, across changed secrets, file names and releases (every fixture)', () => {
    let compared = 0;
    let equal = 0;
    let differentSecrets = 0;
    for (const { file, text } of topologies()) {
      const variants = [
        deferred(text, file, ENV_A),
        deferred(text, file, ENV_B),
        deferred(text, file, ENV_A, 'other/name.yaml'),
        deferred(text, file, ENV_A, file, '1.3'),
        deferred(text, file, ENV_A, file, '1.5'),
      ];
      const byPath = new Map<string, OutputFile[]>();
      for (const v of variants) for (const f of v) if (f.renderedFrom !== undefined) byPath.set(`${f.path} ${f.release}`, [...(byPath.get(`${f.path} ${f.release}`) ?? []), f]);
      for (const [key, same] of byPath) {
        for (let i = 1; i < same.length; i++) {
          const a = same[0]!;
          const b = same[i]!;
          if (sameRenderInput(a.renderedFrom!, b.renderedFrom!)) {
            expect(b.content, `${file} ${key}`).to.equal(a.content);
            equal++;
          }
          else if (a.content !== b.content) differentSecrets++;
          compared++;
        }
      }
    }
    expect(compared).to.be.greaterThan(200);
    expect(equal).to.be.greaterThan(20);
    // The variants do change files (secrets, headers): the check above compared something that could differ.
    expect(differentSecrets).to.be.greaterThan(50);
  });

  const none = new Map<unknown, string>();
  const same = (a: unknown, b: unknown, sa: ReadonlyMap<unknown, string> = none, sb: ReadonlyMap<unknown, string> = none) =>
    sameRenderInput({ value: a, secrets: sa }, { value: b, secrets: sb });

  it('a secret changed under the same name is a change; the same value on both sides is not', () => {
    const refA = { kind: 'env', name: 'PSK' };
    const refB = { kind: 'env', name: 'PSK' };
    const a = { intent: { peers: [{ psk: refA }] } };
    const b = { intent: { peers: [{ psk: refB }] } };
    expect(same(a, b, new Map([[refA, 'one']]), new Map([[refB, 'two']]))).to.equal(false);
    expect(same(a, b, new Map([[refA, 'one']]), new Map([[refB, 'one']]))).to.equal(true);
    // A reference on one side only, where the other has the same fields as plain data.
    expect(same(a, b, new Map([[refA, 'one']]), none)).to.equal(false);
  });

  it('equal plain data is the same; undefined fields, key order, sets, maps and arrays are told apart', () => {
    expect(same({ a: 1, b: ['x', { c: null }], h: 'head' }, { a: 1, b: ['x', { c: null }], h: 'head' })).to.equal(true);
    expect(same({ a: 1, b: undefined }, { a: 1 })).to.equal(false);
    expect(same({ a: 1 }, { a: 1, b: undefined })).to.equal(false);
    expect(same({ a: 1, b: 2 }, { b: 2, a: 1 })).to.equal(false);
    expect(same({ a: [1, 2] }, { a: [1, 2, 3] })).to.equal(false);
    expect(same({ a: [1] }, { a: { 0: 1 } })).to.equal(false);
    expect(same({ a: '1' }, { a: 1 })).to.equal(false);
    expect(same({ a: null }, { a: {} })).to.equal(false);
    expect(same({ a: NaN }, { a: NaN })).to.equal(false);
    expect(same({ s: new Set([1]) }, { s: new Set([1]) })).to.equal(true);
    expect(same({ s: new Set([1]) }, { s: new Set([2]) })).to.equal(false);
    expect(same({ s: new Set([1]) }, { s: [1] })).to.equal(false);
    expect(same({ m: new Map([[1, 2]]) }, { m: new Map([[1, 2]]) })).to.equal(true);
    expect(same({ m: new Map([[1, 2]]) }, { m: new Map([[1, 3]]) })).to.equal(false);
  });

  it('only plain data can be the same: a class instance or a function is refused', () => {
    class Shape {
      edges = 3;
    }
    expect(() => same({ d: new Shape() }, { d: new Shape() })).to.throw(/Shape instance/);
    const f = () => 1;
    expect(() => same({ f }, { f })).to.throw(/holds a function/);
  });

  it('a one-link change renders the two routers of that link on each side, not the other routers', () => {
    const file = 'examples/inter-region-vpn/topology.yaml';
    const text = readFileSync(join(ROOT, file), 'utf8');
    const changed = text.replace(/(\n {2}- between: \[[^\]]+\])/, '$1\n    gre: { mtu: 1400 }');
    expect(changed).to.not.equal(text);
    templateComparison.renders.clear();
    templateComparison.enabled = true;
    let result;
    try {
      result = diffTopologies({ text, file }, { text: changed, file }, { redact: true });
    } finally {
      templateComparison.enabled = false;
    }
    expect(result.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
    const routers = result.files.filter((f) => f.release !== undefined);
    const changedRouters = routers.filter((f) => f.status === 'changed');
    expect(changedRouters.length).to.equal(2);
    expect(routers.length).to.equal(4);
    expect(templateComparison.renders.get('vyos/router.hbs')).to.equal(2 * changedRouters.length);
  });
});
