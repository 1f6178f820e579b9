// Writing a render: all files or none.
//
// 1. Everything is written into a fresh staging directory beside the output
//    directory (`.<dir>.vygen-XXXXXX`, same filesystem), which also holds the
//    owner's pid: nothing in the output directory has changed yet, so any
//    error (or a kill) here leaves it as it was.
// 2. A journal naming every path about to change is written into staging.
// 3. Commit: per path, the old file (if any) is renamed into staging/old,
//    then the new one is renamed into place; with `prune`, stale vygen files
//    are renamed into staging/old too. Renames on one filesystem are atomic
//    and need no space, so this step cannot fail for lack of room; if it fails
//    anyway (a file where a directory must be, permissions), every rename done
//    so far is undone in reverse order and the error is thrown: the directory
//    is exactly as before.
// 4. A `committed` marker, then staging (with the old files) is removed.
//
// Files that are not vygen outputs are never touched. A process killed with
// SIGKILL in the middle of step 3 leaves its staging directory and journal:
// the next write to (or --check of) the same directory rolls the commit back
// first, restoring the old files. SIGINT/SIGTERM cannot interrupt step 3
// (Node delivers signals between synchronous calls, and the CLI handles them
// once the write returns).
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { OutputFile } from '../pipeline.js';

export interface WriteOptions {
  /** Remove the vygen files in the directory that this render does not write. */
  prune?: boolean;
  /** Which existing files count as vygen's (stale when not written): default none. */
  owned?: (relativePath: string, head: string) => boolean;
}

export interface WriteResult {
  /** Relative paths written. */
  written: string[];
  /** vygen files in the directory that this render does not write (removed with prune). */
  stale: string[];
  /** Stale files removed. */
  pruned: string[];
  /** What was done about an interrupted earlier write (rolled back) before this one. */
  recovered: string[];
}

const STAGING_INFIX = '.vygen-';

export class WriteError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * vygen's own output files, by name and by their first lines: every file
 * vygen writes begins with a `# vygen` header (after a `#!` line for
 * scripts), except the Serf configuration, which names vygen's handler.
 */
const OUTPUT_NAME = /^(?:[^/]+\.(?:vyos|vyos-diff|keepalived\.conf|sysctl\.conf|failover\.sh|serf\.json|serf-handler\.sh|nat-watch\.sh|nat-watch\.service|nat\.sh)|real-servers\/[^/]+\.(?:sh|service))$/;

export function isVygenOutput(relativePath: string, head: string): boolean {
  if (!OUTPUT_NAME.test(relativePath)) return false;
  if (relativePath.endsWith('.serf.json')) return head.includes('vygen-serf-handler');
  return /^(#![^\n]*\n)?# vygen/.test(head);
}

/** The output directory's real path (a symlink to a directory elsewhere gets its staging there, on its filesystem). */
function targetOf(outDir: string): string {
  const target = resolve(outDir);
  try {
    return realpathSync(target);
  } catch {
    return target;
  }
}

export function writeAtomically(outDir: string, files: readonly OutputFile[], options: WriteOptions = {}): WriteResult {
  const target = targetOf(outDir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const recovered = recoverInterrupted(target);
  if (existsSync(target) && !statSync(target).isDirectory()) throw new WriteError(`${outDir} is not a directory`, 'ENOTDIR');

  const paths = files.map((f) => f.path);
  for (const p of paths) {
    if (p === '' || p.startsWith('/') || p.split('/').some((s) => s === '' || s === '.' || s === '..')) throw new Error(`internal error: output path ${JSON.stringify(p)}`);
    const existing = lstatOrUndefined(join(target, p));
    if (existing?.isDirectory()) throw new WriteError(`${join(outDir, p)} is a directory`, 'EISDIR');
  }
  const writing = new Set(paths);
  const stale = options.owned ? listFiles(target).filter((p) => !writing.has(p) && options.owned!(p, head(join(target, p)))) : [];
  const prune = options.prune ? stale : [];

  const staging = mkdtempSync(join(parent, `.${basename(target)}${STAGING_INFIX}`));
  writeFileSync(join(staging, 'owner'), `${process.pid}\n`);
  try {
    for (const f of files) {
      const p = join(staging, 'new', f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content, { mode: f.path.endsWith('.sh') ? 0o755 : 0o644 });
    }
    writeFileSync(join(staging, 'journal.json'), `${JSON.stringify({ target, created: !existsSync(target), files: paths, prune })}\n`);
    commit(target, staging, paths, prune);
    writeFileSync(join(staging, 'committed'), '');
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { written: paths, stale, pruned: prune, recovered };
}

/** Step 3: the renames, undone on the first error. */
function commit(target: string, staging: string, files: readonly string[], prune: readonly string[]): void {
  const undo: (() => void)[] = [];
  const delay = testDelay();
  try {
    if (!existsSync(target)) {
      mkdirSync(target);
      undo.push(() => rmdirSync(target));
    }
    if (delay > 0) process.stderr.write(`vygen test hook: committing ${files.length + prune.length} paths\n`);
    const moveOld = (p: string) => {
      const dest = join(target, p);
      if (lstatOrUndefined(dest) === undefined) return;
      const aside = join(staging, 'old', p);
      mkdirSync(dirname(aside), { recursive: true });
      renameSync(dest, aside);
      undo.push(() => renameSync(aside, dest));
    };
    for (const p of files) {
      if (delay > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delay);
      moveOld(p);
      for (const dir of missingDirs(target, p)) {
        mkdirSync(dir);
        undo.push(() => rmdirSync(dir));
      }
      const from = join(staging, 'new', p);
      const dest = join(target, p);
      renameSync(from, dest);
      undo.push(() => renameSync(dest, from));
    }
    for (const p of prune) moveOld(p);
  } catch (e) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Keep undoing the rest; the original error is what the user needs.
      }
    }
    throw e;
  }
  // Directories that pruning emptied (real-servers/ once no DR server is left).
  for (const p of prune) {
    const dir = dirname(join(target, p));
    if (dir !== target && existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
}

/** The directories below target that must be created to hold `p`, outermost first. */
function missingDirs(target: string, p: string): string[] {
  const out: string[] = [];
  let dir = dirname(join(target, p));
  while (dir !== target && dir.startsWith(target + sep) && lstatOrUndefined(dir) === undefined) {
    out.unshift(dir);
    dir = dirname(dir);
  }
  return out;
}

/**
 * Leftovers of writes to `outDir` whose process is gone: a staging directory
 * is removed; one whose commit had started and not finished is rolled back
 * first, so the directory holds the old files again. Returns what it did.
 */
export function recoverInterrupted(outDir: string): string[] {
  const target = targetOf(outDir);
  const parent = dirname(target);
  const prefix = `.${basename(target)}${STAGING_INFIX}`;
  const done: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(prefix) && n.length === prefix.length + 6);
  } catch {
    return done;
  }
  for (const name of names.sort()) {
    const staging = join(parent, name);
    const owner = Number(readOrEmpty(join(staging, 'owner')).trim());
    if (owner > 0 && owner !== process.pid && alive(owner)) continue;
    const journal = readOrEmpty(join(staging, 'journal.json'));
    if (journal !== '' && !existsSync(join(staging, 'committed'))) {
      const j = JSON.parse(journal) as { target: string; created: boolean; files: string[]; prune: string[] };
      if (j.target === target) {
        rollBack(target, staging, j.files, j.prune, j.created);
        done.push(`rolled back an interrupted write to ${outDir}`);
      }
    }
    rmSync(staging, { recursive: true, force: true });
  }
  return done;
}

function rollBack(target: string, staging: string, files: readonly string[], prune: readonly string[], created: boolean): void {
  const dirs = new Set<string>();
  for (const p of [...files, ...prune]) {
    for (let d = dirname(join(target, p)); d !== target && d.startsWith(target + sep); d = dirname(d)) dirs.add(d);
    const aside = join(staging, 'old', p);
    const dest = join(target, p);
    if (lstatOrUndefined(aside) !== undefined) {
      mkdirSync(dirname(dest), { recursive: true });
      renameSync(aside, dest);
    } else if (files.includes(p) && lstatOrUndefined(join(staging, 'new', p)) === undefined && lstatOrUndefined(dest) !== undefined) {
      // A new file that had no old one: it was moved in; take it out again.
      unlinkSync(dest);
    }
  }
  // Directories the commit created, innermost first, and the output directory itself.
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) removeIfEmpty(d);
  if (created) removeIfEmpty(target);
}

function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // gone already, or not ours to remove
  }
}

/** Relative '/'-separated paths of the regular files below dir (none if it does not exist); dot-files skipped. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const st = lstatOrUndefined(join(d, name));
      if (st?.isDirectory()) {
        if (prefix === '') walk(join(d, name), `${name}/`);
      } else if (st?.isFile()) out.push(`${prefix}${name}`);
    }
  };
  walk(dir, '');
  return out;
}

/** The first 512 bytes of a file, as text ('' if unreadable). */
function head(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(512);
    return buf.subarray(0, readSync(fd, buf, 0, 512, 0)).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Test hook, for test/atomic-output.test.ts only: VYGEN_TEST_COMMIT_DELAY_MS
 * waits that long before each rename of the commit (and says on stderr when
 * the commit starts), so a test can signal the process in the middle of it.
 */
function testDelay(): number {
  const v = Number(process.env.VYGEN_TEST_COMMIT_DELAY_MS ?? 0);
  return Number.isFinite(v) && v > 0 ? Math.min(v, 10000) : 0;
}
