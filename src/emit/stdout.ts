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
const BATCH_BYTES = 1 << 20;

/** What writeJoined needs of a stream: process.stdout, or a test's. */
export interface ChunkSink {
  write(chunk: Uint8Array): unknown;
  /** Bytes handed to write() and not yet written through: 0 when the stream holds no chunk. */
  readonly writableLength: number;
}

export function writeJoined(sink: ChunkSink, parts: readonly string[], separator: string): void {
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
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) put(separator);
    put(parts[i]!);
  }
  flush();
}
