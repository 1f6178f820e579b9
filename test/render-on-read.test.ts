// `vygen render` renders each file as it is written and lets it go after
// (src/targets/deferred.ts): to stdout (src/emit/stdout.ts), into -o DIR
// (src/emit/write.ts) and for --check (src/emit/check.ts). What is written must
// be what the eager render gives, byte for byte; each file is rendered once and
// not held after; and a file whose render fails (vygen's own line guard) stops
// the output at a file's end on stdout, and leaves DIR as it was.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { render } from '../dist/index.js';
import { deferredFile, releaseContent, transformedFile } from '../dist/targets/deferred.js';
import { writeFiles } from '../dist/emit/stdout.js';
import { writeAtomically, WriteError } from '../dist/emit/write.js';
import { checkOutput } from '../dist/emit/check.js';
import { wrapCommands, parseWrap } from '../dist/emit/wrap.js';
import type { OutputFile } from '../dist/model/output.js';
import { ROOT, exampleCases } from './helpers/golden.js';

const CLI = join(ROOT, 'dist', 'cli.js');

/** Deferred router files that count their renders; `failAt` makes that file's render throw, as the line guard does. */
function counted(n: number, failAt?: number): { files: OutputFile[]; renders: number[] } {
  const renders = Array.from({ length: n }, () => 0);
  const files = renders.map((_, i) =>
    deferredFile({ path: `r${i}.vyos`, device: `r${i}`, kind: 'vyos' }, undefined, () => {
      renders[i]!++;
      if (i === failAt) throw new Error(`internal error: line 1 of r${i}.vyos is longer than 4095 bytes`);
      return `# vygen: generated\nset system host-name 'r${i}'\n`;
    }),
  );
  return { files, renders };
}

const expectedText = (n: number) => Array.from({ length: n }, (_, i) => `# vygen: generated\nset system host-name 'r${i}'\n`);

describe('files rendered on read', () => {
  it('a released file is rendered again when read, to the same content; an eager one keeps its content', () => {
    const { files, renders } = counted(1);
    const f = files[0]!;
    const first = f.content;
    expect(f.content).to.equal(first);
    expect(renders[0]).to.equal(1);
    releaseContent(f);
    expect(renders[0]).to.equal(1);
    expect(f.content).to.equal(first);
    expect(renders[0]).to.equal(2);
    const eager: OutputFile = { path: 'x.vyos', device: 'x', kind: 'vyos', content: 'set x\n' };
    releaseContent(eager);
    expect(eager.content).to.equal('set x\n');
  });

  it('a file whose line guard fails never hands out its content: each read renders, checks and fails again', () => {
    let renders = 0;
    const f = deferredFile({ path: 'long.vyos', device: 'long', kind: 'vyos' }, undefined, () => {
      renders++;
      return `set system host-name '${'x'.repeat(5000)}'\n`;
    });
    expect(() => f.content).to.throw(/line 1 of long\.vyos is longer than/);
    expect(() => f.content).to.throw(/line 1 of long\.vyos is longer than/);
    expect(renders).to.equal(2);
  });

  it('a transformed file is not rendered before it is read, and lets its source go', () => {
    const { files, renders } = counted(1);
    const wrapped = transformedFile(files[0]!, (c) => `configure\n${c}commit\n`);
    expect(renders[0]).to.equal(0);
    expect(wrapped.path).to.equal('r0.vyos');
    expect(wrapped.content).to.equal(`configure\n${expectedText(1)[0]}commit\n`);
    expect(renders[0]).to.equal(1);
    void files[0]!.content; // released by the transform: rendered again
    expect(renders[0]).to.equal(2);
  });

  it('to stdout: the files joined, each rendered once and let go after', () => {
    const { files, renders } = counted(2500);
    const writes: Buffer[] = [];
    writeFiles({ write: (b: Uint8Array) => writes.push(Buffer.from(b)), writableLength: 0 }, files, '\n', () => expect.fail('no warning'));
    expect(Buffer.concat(writes).toString('utf8')).to.equal(expectedText(2500).join('\n'));
    expect(renders.every((r) => r === 1)).to.equal(true);
    void files[7]!.content;
    expect(renders[7], 'not held after it was written').to.equal(2);
  });

  it('to stdout: a file whose render fails ends the output after the file before it, and says so', () => {
    const { files } = counted(2500, 1800);
    const writes: Buffer[] = [];
    const warnings: string[] = [];
    expect(() => writeFiles({ write: (b: Uint8Array) => writes.push(Buffer.from(b)), writableLength: 0 }, files, '\n', (l) => warnings.push(l))).to.throw(/internal error: line 1 of r1800\.vyos/);
    expect(Buffer.concat(writes).toString('utf8')).to.equal(expectedText(1800).join('\n'));
    expect(warnings).to.deep.equal(['vygen: the output is incomplete: 1800 of 2500 files were written before this error; do not use it\n']);
  });

  describe('into a directory', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'vygen-on-read-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('each file is rendered once, written into a fresh, an identical and a partly changed directory, and let go after', () => {
      const out = join(dir, 'out');
      for (const round of ['fresh', 'identical']) {
        const { files, renders } = counted(50);
        const w = writeAtomically(out, files);
        expect(renders.every((r) => r === 1), round).to.equal(true);
        expect(w.unchanged.length, round).to.equal(round === 'fresh' ? 0 : 50);
        void files[3]!.content;
        expect(renders[3], `${round}: not held after it was written`).to.equal(2);
      }
      expect(readdirSync(out).sort()).to.deep.equal(Array.from({ length: 50 }, (_, i) => `r${i}.vyos`).sort());
      expect(readFileSync(join(out, 'r9.vyos'), 'utf8')).to.equal(expectedText(10)[9]);
      const { files, renders } = counted(50);
      const changed = files.map((f, i) => (i === 20 ? transformedFile(f, (c) => `${c}set system domain-name 'example.net'\n`) : f));
      const w = writeAtomically(out, changed);
      expect(renders.every((r) => r === 1)).to.equal(true);
      expect(w.unchanged.length).to.equal(49);
      expect(readFileSync(join(out, 'r20.vyos'), 'utf8')).to.match(/domain-name/);
      const checked = checkOutput(out, counted(50).files);
      expect(checked.stale.map((s) => s.path)).to.deep.equal(['r20.vyos']);
    });

    it('a file whose render fails leaves the directory as it was, no staging directory beside it, and the error as it is', () => {
      const out = join(dir, 'out');
      writeAtomically(out, counted(50).files);
      const before = readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]);
      const { files } = counted(50, 30);
      const changed = files.map((f) => transformedFile(f, (c) => `${c}set system domain-name 'example.net'\n`));
      let thrown: unknown;
      try {
        writeAtomically(out, changed);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).to.be.instanceOf(Error);
      expect(thrown, 'vygen’s own error is not reported as the directory’s').to.not.be.instanceOf(WriteError);
      expect((thrown as Error).message).to.match(/internal error: line 1 of r30\.vyos/);
      expect(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')])).to.deep.equal(before);
      expect(readdirSync(dirname(out))).to.deep.equal(['out']);
    });
  });

  describe('the CLI writes what the eager render gives', () => {
    const cases = exampleCases().map((name) => join('examples', name, 'topology.yaml'));
    for (const file of cases) {
      it(`${file}: to stdout, with --wrap and into -o DIR`, () => {
        const text = readFileSync(join(ROOT, file), 'utf8');
        const eager = render(text, { file, redact: true });
        expect(eager.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
        const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'render', file, '--redact', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
        const plain = run([]);
        expect(plain.status, plain.stderr).to.equal(0);
        expect(plain.stdout).to.equal(eager.files.map((f) => f.content).join('\n'));
        const wrap = parseWrap('configure');
        const wrapped = run(['--wrap', 'configure']);
        expect(wrapped.status, wrapped.stderr).to.equal(0);
        expect(wrapped.stdout).to.equal(eager.files.map((f) => (f.kind === 'vyos' ? wrapCommands(f.content, wrap) : f.content)).join('\n'));
        const dir = mkdtempSync(join(tmpdir(), 'vygen-on-read-cli-'));
        try {
          const written = run(['-o', join(dir, 'out')]);
          expect(written.status, written.stderr).to.equal(0);
          for (const f of eager.files) expect(readFileSync(join(dir, 'out', f.path), 'utf8'), f.path).to.equal(f.content);
          expect(existsSync(join(dir, 'out'))).to.equal(true);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
});
