// Reading and checking an output directory that a pull request may have
// prepared: symlinks, FIFOs, devices and huge files are all attacker input.
// Nothing here follows a symlink (files are opened with O_NOFOLLOW, every
// path component vygen writes through is lstat-ed), nothing reads without a
// bound, and every failure is a WriteError naming the path, not a stack trace.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { OUTPUT_SUBDIRS } from './owns.js';
import { printable } from './printable.js';
import { WriteError } from './write-error.js';

/** The largest committed file `render --check` reads (a rendered file is far smaller; a larger one differs, unread). */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

const NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new WriteError(`cannot read ${printable(path)}: ${code ?? (e as Error).message}`, code ?? 'EREAD');
  }
}

const symlinkError = (shown: string) =>
  new WriteError(`${printable(shown)} is a symbolic link: vygen writes and reads only regular files and directories in the output directory (remove the link)`, 'ESYMLINK');

/**
 * The absolute path of the output directory `outDir`, refused when it or any
 * component of it below the working directory is a symbolic link: a
 * committed `rendered -> /etc/profile.d` would otherwise receive the files.
 * (Components above the working directory are the machine's, not the
 * repository's.) Also refused: a DIR that exists and is not a directory.
 */
export function outputTarget(outDir: string): string {
  const target = resolve(outDir);
  const cwd = process.cwd();
  const below = relative(cwd, target);
  const inside = below !== '' && !below.startsWith('..') && !isAbsolute(below);
  const parts = inside ? below.split(sep) : [];
  const check = inside ? parts.map((_, i) => join(cwd, ...parts.slice(0, i + 1))) : [target];
  for (const p of check) {
    const st = lstatOrUndefined(p);
    if (st === undefined) break;
    if (st.isSymbolicLink()) throw symlinkError(p === target ? outDir : relative(cwd, p));
    if (!st.isDirectory()) throw new WriteError(`${printable(p === target ? outDir : relative(cwd, p))} is not a directory`, 'ENOTDIR');
  }
  return target;
}

/**
 * Refuses a path vygen is about to write (or read) below `target` when one of
 * its components is a symbolic link, or the file itself is a directory.
 */
export function checkInside(target: string, rel: string, shownDir: string): void {
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    const sub = parts.slice(0, i + 1).join('/');
    const st = lstatOrUndefined(join(target, ...parts.slice(0, i + 1)));
    if (st === undefined) return;
    if (st.isSymbolicLink()) throw symlinkError(`${shownDir}/${sub}`);
    if (i === parts.length - 1 && st.isDirectory()) throw new WriteError(`${printable(`${shownDir}/${sub}`)} is a directory`, 'EISDIR');
  }
}

/** A relative output path vygen can write: '/'-separated names, none empty, '.', '..', hidden or with a backslash. */
export function isSafeRelative(p: unknown): p is string {
  return typeof p === 'string' && p !== '' && !p.startsWith('/') && !p.includes('\\') && !p.includes('\0') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !s.startsWith('.'));
}

/**
 * A regular file's content, at most `max` bytes (undefined when it does not
 * exist; `truncated` when it is longer). A symlink, FIFO, device or directory
 * is a WriteError naming it.
 */
export function readRegular(path: string, shown: string, max = MAX_READ_BYTES): { text: string; truncated: boolean } | undefined {
  let fd: number;
  try {
    fd = openSync(path, NO_FOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw symlinkError(shown);
    throw new WriteError(`cannot read ${printable(shown)}: ${code ?? (e as Error).message}`, code ?? 'EREAD');
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new WriteError(`${printable(shown)} is not a regular file`, 'ENOTREG');
    const size = Math.min(st.size, max);
    const buf = Buffer.alloc(size + 1);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return { text: buf.subarray(0, Math.min(got, max)).toString('utf8'), truncated: got > max };
  } catch (e) {
    if (e instanceof WriteError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new WriteError(`cannot read ${printable(shown)}: ${code ?? (e as Error).message}`, code ?? 'EREAD');
  } finally {
    closeSync(fd);
  }
}

/**
 * The regular files where vygen writes: the top level of `target` and its
 * output subdirectories (real-servers/), as '/'-separated relative paths,
 * hidden names skipped. A symbolic link there is refused; other entries
 * (directories, a FIFO named like nothing vygen writes) are left alone.
 */
export function listOutputFiles(target: string, shownDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && prefix === '') return;
      throw new WriteError(`cannot read ${printable(`${shownDir}/${prefix}`.replace(/\/$/, ''))}: ${code ?? (e as Error).message}`, code ?? 'EREAD');
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const rel = `${prefix}${name}`;
      const st = lstatOrUndefined(join(dir, name));
      if (st === undefined) continue;
      if (st.isSymbolicLink()) throw symlinkError(`${shownDir}/${rel}`);
      if (st.isDirectory()) {
        if (prefix === '' && OUTPUT_SUBDIRS.has(name)) walk(join(dir, name), `${rel}/`);
      } else if (st.isFile()) out.push(rel);
    }
  };
  walk(target, '');
  return out;
}

/** The first `bytes` of a regular file ('' for anything else): what owns() looks at. */
export function readHead(path: string, bytes: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, NO_FOLLOW);
    if (!fstatSync(fd).isFile()) return '';
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
