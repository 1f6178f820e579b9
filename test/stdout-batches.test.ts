// `render` to standard output writes the files in batches (src/emit/stdout.ts)
// instead of one joined string: what reaches the stream must be exactly the
// files joined by the separator, encoded as UTF-8, however the batches fall,
// and a batch's buffer is used again only once the stream holds nothing.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { writeJoined } from '../dist/emit/stdout.js';
import { addSite, fixtureDoc, toYaml } from './helpers/topology.js';

describe('stdout in batches', () => {
  const cases: [string, string[]][] = [
    ['none', []],
    ['one', ['a\n']],
    ['small ones', ['a\n', 'b\n', 'c\n']],
    ['each over a batch', [`${'x'.repeat(1 << 20)}\n`, `${'y'.repeat((1 << 20) + 7)}\n`, 'z\n']],
    ['a batch boundary inside many', Array.from({ length: 3000 }, (_, i) => `set line ${i} ${'p'.repeat(700)}\n`)],
    ['characters of two, three and four bytes across batches', Array.from({ length: 2000 }, (_, i) => `set description 'é€😀 ${i} ${'ü'.repeat(300)}'\n`)],
    ['an empty file among others', ['a\n', '', 'b\n']],
  ];
  for (const [what, parts] of cases) {
    it(`${what}: the stream gets the files joined by the separator`, () => {
      const writes: Uint8Array[] = [];
      // Each chunk kept as handed over, as a stream that writes later keeps it: no batch's buffer may be reused.
      const holding = { write: (t: Uint8Array) => writes.push(t), get writableLength() { return writes.reduce((n, w) => n + w.length, 0); } };
      writeJoined(holding, parts, '\n');
      expect(Buffer.concat(writes).equals(Buffer.from(parts.join('\n'), 'utf8'))).to.equal(true);
      if (Buffer.byteLength(parts.join('\n')) > 1 << 20) expect(writes.length).to.be.greaterThan(1);
      expect(writes.every((w) => w.length > 0)).to.equal(true);
    });
    it(`${what}: a stream that writes each chunk through gets the same bytes`, () => {
      const copies: Buffer[] = [];
      const through = { write: (t: Uint8Array) => copies.push(Buffer.from(t)), writableLength: 0 };
      writeJoined(through, parts, '\n');
      expect(Buffer.concat(copies).equals(Buffer.from(parts.join('\n'), 'utf8'))).to.equal(true);
    });
  }

  // Three batches' worth of small files.
  const many = Array.from({ length: 3000 }, (_, i) => `set line ${i} ${'p'.repeat(700)}\n`);
  const expected = Buffer.from(many.join('\n'), 'utf8');

  it('one buffer serves every batch of a stream that writes synchronously', () => {
    const chunks: Uint8Array[] = [];
    const copies: Buffer[] = [];
    const sync = new Writable({
      write(chunk: Buffer, _encoding, done) {
        copies.push(Buffer.from(chunk));
        done();
      },
    });
    const write = sync.write.bind(sync);
    sync.write = ((chunk: Uint8Array) => {
      chunks.push(chunk);
      return write(chunk);
    }) as typeof sync.write;
    writeJoined(sync, many, '\n');
    expect(Buffer.concat(copies).equals(expected)).to.equal(true);
    expect(chunks.length).to.be.greaterThan(1);
    expect(new Set(chunks.map((c) => c.buffer)).size).to.equal(1);
  });

  it('a stream that writes later keeps every batch it was given intact', async () => {
    const later: Buffer[] = [];
    const slow = new Writable({
      write(chunk: Buffer, _encoding, done) {
        setImmediate(() => {
          later.push(Buffer.from(chunk));
          done();
        });
      },
    });
    const finished = new Promise((resolve) => slow.on('finish', resolve));
    writeJoined(slow, many, '\n');
    slow.end();
    await finished;
    expect(later.length).to.be.greaterThan(1);
    expect(Buffer.concat(later).equals(expected)).to.equal(true);
  });

  it('a stream that failed (its reader went away) is asked for no more parts', () => {
    let asked = 0;
    function* parts(): Generator<string> {
      for (let i = 0; i < 5000; i++) {
        asked++;
        yield `set line ${i} ${'p'.repeat(700)}\n`;
      }
    }
    const sink = { destroyed: false, writableLength: 0, write: () => { sink.destroyed = true; } };
    writeJoined(sink, parts(), '\n');
    // The first batch fills at about 1,480 parts; none is rendered after the write that failed.
    expect(asked).to.be.greaterThan(1000).and.lessThan(1500);
  });

  it('the CLI ends silently with status 141 when the reader of stdout closes it (`| head`)', async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    // 60 more sites: about 200 KB of output, more than a pipe holds, so a write meets the closed end.
    const doc = fixtureDoc('seed-000');
    let last = 'tokyo-a';
    for (let n = 1; n <= 60; n++) last = addSite(doc, n, last);
    const dir = mkdtempSync(join(tmpdir(), 'vygen-epipe-'));
    const topology = join(dir, 'topology.yaml');
    writeFileSync(topology, toYaml(doc));
    try {
      const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'render', topology, '--redact'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy()); // the reader takes its first chunk and goes
      const [code] = (await once(child, 'close')) as [number | null];
      expect(stderr).not.to.match(/EPIPE|Error|node:/);
      expect(code).to.equal(141);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failed write to stdout (`> file` on a full disk) is one line and exit 2, not a stack trace', async function () {
    if (!existsSync('/dev/full')) this.skip(); // Linux's always-full device
    const root = fileURLToPath(new URL('..', import.meta.url));
    const out = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'render', join(root, 'examples', 'inter-region-vpn', 'topology.yaml'), '--redact'], { stdio: ['ignore', out, 'pipe'] });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const [code] = (await once(child, 'close')) as [number | null];
      expect(stderr).to.match(/^vygen: cannot write to standard output: ENOSPC: no space left on device, write; the output is incomplete: do not use it$/m);
      expect(stderr).not.to.match(/^\s+at |node:internal|Node\.js v/m);
      expect(code).to.equal(2);
    } finally {
      closeSync(out);
    }
  });
});
