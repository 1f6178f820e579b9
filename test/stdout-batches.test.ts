// `render` to standard output writes the files in batches (src/emit/stdout.ts)
// instead of one joined string: what reaches the stream must be exactly the
// files joined by the separator, encoded as UTF-8, however the batches fall.
import { expect } from 'chai';
import { writeJoined } from '../dist/emit/stdout.js';

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
      writeJoined((t) => writes.push(t), parts, '\n');
      expect(Buffer.concat(writes).equals(Buffer.from(parts.join('\n'), 'utf8'))).to.equal(true);
      if (Buffer.byteLength(parts.join('\n')) > 1 << 20) expect(writes.length).to.be.greaterThan(1);
      expect(writes.every((w) => w.length > 0)).to.equal(true);
    });
  }
});
