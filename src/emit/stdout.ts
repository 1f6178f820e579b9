// Many files to one stream, joined by a separator, in batches: a 10,000-router
// render to stdout never holds the joined text (and its encoded copy) besides
// the files themselves. Stdout to a file, a pipe or a terminal is synchronous
// on Linux, so each batch is written before the next is built.
const BATCH_CHARS = 1 << 20;

export function writeJoined(write: (text: string) => unknown, parts: readonly string[], separator: string): void {
  let batch: string[] = [];
  let size = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) batch.push(separator);
    batch.push(parts[i]!);
    size += parts[i]!.length;
    if (size >= BATCH_CHARS) {
      write(batch.join(''));
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) write(batch.join(''));
}
