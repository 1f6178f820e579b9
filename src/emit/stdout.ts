// Many files to one stream, joined by a separator, in batches: a 10,000-router
// render to stdout never holds the joined text (and its encoded copy) besides
// the files themselves. Each file is encoded straight into the batch's buffer
// (no joined string to encode again).
//
// One buffer serves every batch while the stream takes each chunk whole as it
// is written: stdout to a file, a pipe or a terminal is synchronous on Linux,
// and a stream that holds nothing afterwards (`writableLength` 0) keeps no
// reference to the chunk. A fresh buffer per batch was external memory that
// only a garbage collection gives back, and the write phase allocates almost
// nothing on V8's heap to trigger one: a 5,000-site render to stdout peaked
// about 40 MB higher (docs/performance.md). Where a stream does keep a chunk
// to write later, the next batch gets a buffer of its own.
import type { OutputFile } from '../model/output.js';
import { takeContent } from '../targets/deferred.js';

const BATCH_BYTES = 1 << 20;

/** What writeJoined needs of a stream: process.stdout, or a test's. */
export interface ChunkSink {
  write(chunk: Uint8Array): unknown;
  /** Bytes handed to write() and not yet written through: 0 when the stream holds no chunk. */
  readonly writableLength: number;
  /** Set once a write failed (the reader went away: EPIPE): nothing more is rendered for it. */
  readonly destroyed?: boolean;
}

/** `parts` is read one at a time: a generator may render each part as it is asked for (src/targets/deferred.ts). */
export function writeJoined(sink: ChunkSink, parts: Iterable<string>, separator: string): void {
  let batch: Buffer | undefined;
  let used = 0;
  const flush = () => {
    if (batch && used > 0) {
      sink.write(batch.subarray(0, used));
      if (sink.writableLength !== 0) batch = undefined; // the stream still holds it
    }
    used = 0;
  };
  const put = (text: string) => {
    // A UTF-16 unit is at most 3 bytes of UTF-8: what might not fit starts a new batch, or goes alone.
    const most = text.length * 3;
    if (used + most > BATCH_BYTES) flush();
    if (most > BATCH_BYTES) {
      if (text.length > 0) sink.write(Buffer.from(text, 'utf8'));
      return;
    }
    batch ??= Buffer.allocUnsafe(BATCH_BYTES);
    used += batch.write(text, used, 'utf8');
  };
  const next = parts[Symbol.iterator]();
  for (let first = true; sink.destroyed !== true; first = false) {
    let part: IteratorResult<string>;
    try {
      part = next.next();
    } catch (e) {
      flush(); // what was handed over reaches the stream whole: the output stops at a part's end
      throw e;
    }
    if (part.done) return flush();
    if (!first) put(separator);
    put(part.value);
  }
}

/**
 * `render` to stdout: each file is rendered as the stream asks for it and let
 * go once handed over (src/targets/deferred.ts), so no render holds every file.
 * Every check of the topology ran before the first byte; what can still fail
 * here is vygen's own guard on a rendered line (src/targets/line-limits.ts).
 * The output then stops at a file's end, and `warn` says how far it got.
 */
export function writeFiles(sink: ChunkSink, files: readonly OutputFile[], separator: string, warn: (line: string) => void): void {
  let handed = 0;
  function* contents(): Generator<string> {
    for (const f of files) {
      yield takeContent(f);
      handed++;
    }
  }
  try {
    writeJoined(sink, contents(), separator);
  } catch (e) {
    warn(`vygen: the output is incomplete: ${handed} of ${files.length} files were written before this error; do not use it\n`);
    throw e;
  }
}
