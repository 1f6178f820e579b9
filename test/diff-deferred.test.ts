// `vygen diff` renders only the routers whose render input changed: each side's
// router files are deferred (src/targets/deferred.ts) and carry a fingerprint of
// the intent, header and the secret values it uses (src/targets/fingerprint.ts).
// Sound only if an equal fingerprint means equal content: checked on every
// fixture and example against changed secrets, file names and releases; and
// a one-link change renders the two routers of that link, not the others.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runPipeline } from '../dist/pipeline.js';
import { diffTopologies } from '../dist/diff/topology.js';
import { templateComparison } from '../dist/targets/templates.js';
import { isPending } from '../dist/targets/deferred.js';
import { fingerprint } from '../dist/targets/fingerprint.js';
import type { OutputFile } from '../dist/model/output.js';
import type { Release } from '../dist/model/topology.js';
import { FIXTURES, ROOT, exampleCases, fixtureCases } from './helpers/golden.js';

const ENV_A = new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? `secret-a-${k}-0123456789` : undefined), has: () => true });
const ENV_B = new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? (k.length % 2 === 0 ? `secret-b-${k}-0123456789` : `secret-a-${k}-0123456789`) : undefined), has: () => true });

function deferred(text: string, file: string, env: object, origin = file, release?: Release): OutputFile[] {
  const r = runPipeline({ text, file, origin, deferRender: true, ...(release ? { release } : {}), secrets: { redact: false, env: env as Record<string, string>, baseDir: join(ROOT, file, '..') } });
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

  it('equal fingerprints mean equal files, across changed secrets, file names and releases (every fixture)', () => {
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
      for (const v of variants) for (const f of v) if (f.fingerprint !== undefined) byPath.set(`${f.path} ${f.release}`, [...(byPath.get(`${f.path} ${f.release}`) ?? []), f]);
      for (const [key, same] of byPath) {
        for (let i = 1; i < same.length; i++) {
          const a = same[0]!;
          const b = same[i]!;
          if (a.fingerprint === b.fingerprint) {
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

  it('a secret changed under the same name changes the fingerprint', () => {
    const ref = { kind: 'env', name: 'PSK' };
    const input = { intent: { peers: [{ psk: ref }] } };
    expect(fingerprint(input, new Map([[ref, 'one']]))).to.not.equal(fingerprint(input, new Map([[ref, 'two']])));
  });

  it('undefined fields, sets and maps are told apart; a class instance is refused', () => {
    expect(fingerprint({ a: 1, b: undefined })).to.not.equal(fingerprint({ a: 1 }));
    expect(fingerprint({ s: new Set([1]) })).to.not.equal(fingerprint({ s: new Set([2]) }));
    expect(fingerprint({ m: new Map([[1, 2]]) })).to.not.equal(fingerprint({ m: new Map([[1, 3]]) }));
    class Shape {
      edges = 3;
    }
    expect(() => fingerprint({ d: new Shape() })).to.throw(/Shape instance/);
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
