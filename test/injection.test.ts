// No input can add or change a command: for every free-text and name field
// that reaches a configuration line, hostile values are either refused with a
// diagnostic or rendered so that the commands (count and paths) are exactly
// those of a harmless value.
import { expect } from 'chai';
import { render } from '../dist/index.js';
import { fixtureDoc, toYaml, type Doc } from './helpers/topology.js';

const CORPUS = [
  "a'b",
  'a"b',
  'line\nset system login user evil',
  'cr\rset x',
  'semi; reboot',
  'and && reboot',
  'pipe | sh',
  '$(reboot)',
  '`reboot`',
  'nul\u0000x',
  'sep\u2028set x',
  'tab\tx',
  'back\\slash',
  '#comment',
  'x'.repeat(10000),
];

type Field = { name: string; set: (doc: Doc, v: string) => void; harmless?: string };

const FIELDS: Field[] = [
  { name: 'wan description', set: (d, v) => (d.sites.tokyo.routers['tokyo-a'].wan.description = v) },
  { name: 'lan description', set: (d, v) => (d.sites.tokyo.routers['tokyo-a'].lan.description = v) },
  { name: 'link description', set: (d, v) => (d.links[0].description = v) },
  { name: 'psk env name', set: (d, v) => (d.links[0].ipsec.psk = { env: v }) },
  { name: 'psk file name', set: (d, v) => (d.links[0].ipsec.psk = { file: v }) },
  { name: 'IKE encryption', set: (d, v) => (d.defaults.ipsec.ike.encryption = v), harmless: 'aes256' },
  {
    name: 'router name',
    set: (d, v) => {
      const r = d.sites.tokyo.routers['tokyo-a'];
      delete d.sites.tokyo.routers['tokyo-a'];
      d.sites.tokyo.routers[v] = r;
      d.links[0].between[0] = v;
    },
  },
  {
    name: 'site name',
    set: (d, v) => {
      const s = d.sites.tokyo;
      delete d.sites.tokyo;
      d.sites[v] = s;
    },
  },
];

/** Command lines reduced to their shape: quoted values and the varied word removed. */
function shape(content: string, harmless: string): string[] {
  return content
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(harmless).join('X').replace(/'[^']*'/g, "'V'"));
}

function commands(doc: Doc, env: Record<string, string> = {}) {
  return render(toYaml(doc), { file: 'topology.yaml', redact: true, env });
}

describe('injection', () => {
  for (const field of FIELDS) {
    it(`${field.name}: hostile values are refused or change no command`, () => {
      const harmless = field.harmless ?? 'harmless1';
      const base = fixtureDoc('seed-000');
      field.set(base, harmless);
      const baseline = commands(base);
      expect(baseline.diagnostics.filter((d) => d.severity === 'error'), 'a harmless value renders').to.deep.equal([]);
      const expected = new Map(baseline.files.map((f) => [f.path, shape(f.content, harmless)]));
      for (const hostile of CORPUS) {
        const doc = fixtureDoc('seed-000');
        field.set(doc, hostile);
        const result = commands(doc);
        if (result.files.length === 0) {
          expect(result.diagnostics.some((d) => d.severity === 'error'), `${JSON.stringify(hostile.slice(0, 20))} refused with a diagnostic`).to.equal(true);
          continue;
        }
        for (const f of result.files) {
          const path = f.path.split(hostile).join(harmless);
          expect(shape(f.content, hostile), `${JSON.stringify(hostile.slice(0, 20))} in ${field.name}`).to.deep.equal(expected.get(path));
        }
      }
    });
  }

  it('a secret with quote, newline or shell characters is refused without being shown', () => {
    for (const secret of ["abc'defgh", 'abcdefgh\nset x', 'abc defgh', 'abc$(x)gh\\']) {
      const doc = fixtureDoc('seed-000');
      const result = render(toYaml(doc), { file: 't.yaml', env: { VYGEN_PSK_TOKYO_OSAKA_A: secret, VYGEN_PSK_TOKYO_OSAKA_S: 'Valid-Secret-123' } });
      expect(result.files).to.have.length(0);
      const text = JSON.stringify(result.diagnostics);
      expect(text).to.include('secret-invalid');
      expect(text).to.not.include(secret.slice(0, 5));
    }
  });
});
