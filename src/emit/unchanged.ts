// `render -o` leaves a file alone when it already holds exactly what would be
// written (same bytes, same mode): its mtime stays, so make, rsync and
// editors see no change, and an unchanged render commits nothing at all.
// Read without following a symbolic link; anything but a regular file counts
// as changed (the commit then replaces it or reports it, as before).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

const NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export function holdsExactly(path: string, content: string, mode: number): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, NO_FOLLOW);
    const st = fstatSync(fd);
    const want = Buffer.from(content, 'utf8');
    if (!st.isFile() || st.size !== want.length || (st.mode & 0o7777) !== mode) return false;
    const have = Buffer.alloc(want.length);
    let got = 0;
    while (got < have.length) {
      const n = readSync(fd, have, got, have.length - got, got);
      if (n === 0) return false;
      got += n;
    }
    return have.equals(want);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
