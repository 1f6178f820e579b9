// Many files to one stream, joined by a separator, in batches: a 10,000-router
// render to stdout never holds the joined text (and its encoded copy) besides
// the files themselves. Each file is encoded straight into the batch's buffer
// (no joined string to encode again). Stdout to a file, a pipe or a terminal
// is synchronous on Linux, so each batch is written before the next is built;
// where a stream keeps a chunk to write later, each batch is a buffer of its own.
const BATCH_BYTES = 1 << 20;

export function writeJoined(write: (chunk: Uint8Array) => unknown, parts: readonly string[], separator: string): void {
  let batch: Buffer | undefined;
  let used = 0;
  const flush = () => {
    if (batch && used > 0) write(batch.subarray(0, used));
    batch = undefined;
    used = 0;
  };
  const put = (text: string) => {
    // A UTF-16 unit is at most 3 bytes of UTF-8: what might not fit starts a new batch, or goes alone.
    const most = text.length * 3;
    if (used + most > BATCH_BYTES) flush();
    if (most > BATCH_BYTES) {
      if (text.length > 0) write(Buffer.from(text, 'utf8'));
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
