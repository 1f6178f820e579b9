// A unified diff of two texts (npm `diff`), without the `Index:` / `====`
// preamble jsdiff adds: `--- from`, `+++ to`, hunks, as `diff -u` prints them.
import { createTwoFilesPatch } from 'diff';

export function unifiedPatch(from: string, to: string, before: string, after: string, fromLabel = '', toLabel = ''): string {
  return createTwoFilesPatch(from, to, before, after, fromLabel, toLabel).replace(/^(Index: .*\n)?=+\n/, '');
}
