// `render -o` leaves a file alone when it already holds exactly what would be
// written (same bytes, same mode): its mtime stays, so make, rsync and
// editors see no change, and an unchanged render commits nothing at all.
// Read without following a symbolic link; anything but a regular file counts
// as changed (the commit then replaces it or reports it, as before).
import { closeSync, constants, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';

const NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * The file's status when it holds exactly `content` with `mode`, taken before
 * its bytes were read and unchanged after (render-record.ts trusts it).
 */
export function verifiedIdentity(path: string, content: string, mode: number): BigIntStats | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, NO_FOLLOW);
    const st = fstatSync(fd, { bigint: true });
    const want = Buffer.from(content, 'utf8');
    if (!st.isFile() || st.size !== BigInt(want.length) || (Number(st.mode) & 0o7777) !== mode) return undefined;
    const have = Buffer.alloc(want.length);
    let got = 0;
    while (got < have.length) {
      const n = readSync(fd, have, got, have.length - got, got);
      if (n === 0) return undefined;
      got += n;
    }
    if (!have.equals(want)) return undefined;
    const after = fstatSync(fd, { bigint: true });
    return after.ctimeNs === st.ctimeNs && after.mtimeNs === st.mtimeNs && after.size === st.size ? st : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
