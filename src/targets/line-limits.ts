// The longest line each kind of generated file may hold, checked on every
// render. The schema caps every value and comments are cut
// (MAX_COMMENT_CHARS), so no valid topology reaches these limits; a line
// that does is a bug in vygen, refused before anything is written.
//
// * keepalived reads at most 1,023 bytes of a line and parses the rest as a
//   new line: a URL path ending in a directive at byte 1,023 would become a
//   live directive. vygen stays well below.
// * VyOS command files are pasted into a terminal, whose canonical-mode line
//   buffer holds 4,095 bytes (Linux N_TTY_BUF_SIZE); a longer line is cut.
//   Scripts and the other files are held to the same bound.
import type { OutputFile, OutputKind } from '../model/output.js';

export const KEEPALIVED_MAX_LINE_BYTES = 1000;
export const TERMINAL_MAX_LINE_BYTES = 4095;

export function maxLineBytes(kind: OutputKind): number {
  return kind === 'keepalived' ? KEEPALIVED_MAX_LINE_BYTES : TERMINAL_MAX_LINE_BYTES;
}

/** The first line of `content` longer than `max` bytes (1-based), or undefined. */
export function overlongLine(content: string, max: number): number | undefined {
  let line = 1;
  for (let start = 0; start < content.length; line++) {
    let end = content.indexOf('\n', start);
    if (end === -1) end = content.length;
    // Characters bound bytes from below (UTF-8 is 1 to 3 bytes per UTF-16 unit): measure only when close.
    if (end - start > max / 3 && Buffer.byteLength(content.slice(start, end)) > max) return line;
    start = end + 1;
  }
  return undefined;
}

export function checkLineLengths(files: readonly OutputFile[], skip: (f: OutputFile) => boolean = () => false): void {
  for (const f of files) if (!skip(f)) checkLineLength(f.path, f.kind, f.content);
}

export function checkLineLength(path: string, kind: OutputKind, content: string): void {
  const max = maxLineBytes(kind);
  const line = overlongLine(content, max);
  if (line !== undefined) throw new Error(`internal error: line ${line} of ${path} is longer than ${max} bytes`);
}
