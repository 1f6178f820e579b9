// Writing a render: all files or none, only inside the output directory.
//
// 0. The output directory is locked (src/emit/runtime.ts), so two runs never
//    mix their files, and the leftovers of an interrupted earlier write are
//    rolled back (src/emit/recover.ts). No path vygen writes may pass
//    through a symbolic link (src/emit/safe-fs.ts): a pull request can
//    commit `rendered/real-servers -> /etc/profile.d`.
// 1. Every file that differs from the one in place is written into a fresh
//    staging directory beside the output directory (`.<dir>.vygen-XXXXXX`,
//    same filesystem), registered as this process's in the runtime directory,
//    as it is compared (each file's content is read once, and let go after):
//    nothing in the output directory has changed yet, so any error (or a
//    kill) here leaves it as it was.
// 2. A journal naming every path about to change (and which of them had an
//    old file) is written into staging.
// 3. Commit: per path, the old file (if any) is renamed into staging/old,
//    then the new one is renamed into place; with `prune`, stale vygen files
//    are renamed into staging/old too. Renames on one filesystem are atomic
//    and need no space; if one fails anyway (a file where a directory must
//    be, permissions), every rename done so far is undone in reverse order.
// 4. The journal is removed (the commit point), then staging with the old files.
//
// Files vygen does not own (src/emit/owns.ts) are never touched. A process
// killed with SIGKILL in step 3 leaves its staging directory and journal: the
// next write to the same directory rolls the commit back first. SIGINT and
// SIGTERM cannot interrupt step 3 (Node delivers signals between synchronous
// calls, and the CLI, told by beforeChange, handles them once the write
// returns); before it, they end the process with the directory as it was.
//
// A file holding a secret value (OutputFile.secret) is created with mode
// 0600; scripts 0755, everything else 0644.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { OutputFile } from '../pipeline.js';
import { HEAD_BYTES, ownableName, owns, type Writer } from './owns.js';
import { printable } from './printable.js';
import { recover, STAGING_INFIX, type Journal } from './recover.js';
import { claimStaging, lockOutput, type StagingOwner } from './runtime.js';
import { checkInside, isSafeRelative, listOutputFiles, lstatOrUndefined, outputTarget, readHead } from './safe-fs.js';
import { asWriteError, WriteError } from './write-error.js';
import { verifiedIdentity } from './unchanged.js';
import { directoryIdentities, forgetRender, recordRender, type Verified } from './render-record.js';
import { takeContent } from '../targets/deferred.js';

export { WriteError } from './write-error.js';
export type { WriteState } from './write-error.js';

export interface WriteOptions {
  /** Remove the files in the directory that `writer` owns and this write does not write. */
  prune?: boolean;
  /** Whose files count as stale when not written: render's (default) or diff's. */
  writer?: Writer;
  /** Report stale files at all (default true). */
  stale?: boolean;
  /**
   * The key of everything the files were rendered from (render-record.ts):
   * when every file is already in place, the next render with this key may
   * take them as they are without rendering.
   */
  record?: string;
  /**
   * Called once, just before the output directory changes (the commit, or the
   * record of a render found in place), after every file is rendered and
   * staged: the CLI holds signals back from there, and a signal before it
   * ends the process with the directory as it was.
   */
  beforeChange?: () => void;
}

export interface WriteResult {
  /** Relative paths of the render (written, or already identical: see unchanged). */
  written: string[];
  /** Of those, the files that already held exactly this content and mode: not rewritten (mtime kept). */
  unchanged: string[];
  /** vygen files in the directory that this write does not write (removed with prune). */
  stale: string[];
  /** Stale files removed. */
  pruned: string[];
  /** What was done about an interrupted earlier write (rolled back) before this one. */
  recovered: string[];
  /** Staging-like directories beside the output directory that were left alone. */
  ignored: string[];
}

/** The file mode of an output file: secrets private to the user, scripts executable. */
export function modeOf(f: Pick<OutputFile, 'path' | 'secret'>): number {
  if (f.secret) return f.path.endsWith('.sh') ? 0o700 : 0o600;
  return f.path.endsWith('.sh') ? 0o755 : 0o644;
}

/** Whether vygen (as `writer`) owns the file at `rel` below `target`: by name, then by its first bytes. */
export function ownsFile(target: string, rel: string, writer: Writer): boolean {
  return ownableName(rel) && owns(rel, readHead(join(target, rel), HEAD_BYTES), writer);
}

export function writeAtomically(outDir: string, files: readonly OutputFile[], options: WriteOptions = {}): WriteResult {
  const target = outputTarget(outDir);
  const parent = dirname(target);
  const shownDir = outDir.replace(/\/+$/, '') || '/';
  const paths = files.map((f) => f.path);
  for (const p of paths) if (!isSafeRelative(p) || !ownableName(p)) throw new Error(`internal error: output path ${JSON.stringify(p)}`);
  mkdirSync(parent, { recursive: true });
  const unlock = lockOutput(target, shownDir);
  let renderError: unknown;
  try {
    const recovery = recover(target, shownDir, false);
    for (const p of paths) checkInside(target, p, shownDir);
    const dirsBefore = options.record !== undefined ? directoryIdentities(target) : undefined;
    const writing = new Set(paths);
    const writer = options.writer ?? 'render';
    const stale = options.stale === false ? [] : listOutputFiles(target, shownDir).filter((p) => !writing.has(p) && ownsFile(target, p, writer));
    const prune = options.prune ? stale : [];
    const at = Date.now();
    const verified: Verified[] = [];
    const changed: string[] = [];
    let staging: Staging | undefined;
    try {
      // Each file's content is read once: compared with the file in place, staged when it differs, then let go
      // (a file rendered on read is not held after it is written: src/targets/deferred.ts).
      for (const f of files) {
        let content: string;
        try {
          content = takeContent(f);
        } catch (e) {
          renderError = e; // vygen's own error, not the directory's: it propagates as it is
          throw e;
        }
        const mode = modeOf(f);
        const st = verifiedIdentity(join(target, f.path), content, mode);
        if (st) {
          verified.push({ path: f.path, st, at });
        } else {
          staging ??= openStaging(target, parent);
          stageFile(staging, f.path, content, mode);
          changed.push(f.path);
        }
      }
      if (changed.length > 0 || prune.length > 0 || !existsSync(target)) {
        options.beforeChange?.();
        forgetRender(target);
        staging ??= openStaging(target, parent);
        commitStaged(staging, target, shownDir, changed, prune);
      } else if (options.record !== undefined && dirsBefore && stale.length === 0 && recovery.done.length + recovery.ignored.length === 0) {
        options.beforeChange?.();
        recordRender(target, options.record, verified, dirsBefore);
      }
    } finally {
      if (staging) closeStaging(staging);
    }
    return { written: paths, unchanged: verified.map((v) => v.path), stale, pruned: prune, recovered: recovery.done, ignored: recovery.ignored };
  } catch (e) {
    if (e === renderError) throw e;
    throw asWriteError(e, 'unchanged');
  } finally {
    unlock();
  }
}

/** Step 1's directory, as long as it is needed: kept only when a failed commit leaves it for the next run. */
interface Staging {
  dir: string;
  owner: StagingOwner;
  keep: boolean;
}

function openStaging(target: string, parent: string): Staging {
  const dir = mkdtempSync(join(parent, `.${basename(target)}${STAGING_INFIX}`));
  const staging: Staging = { dir, owner: claimStaging(dir, target), keep: false };
  try {
    writeFileSync(join(dir, 'owner'), staging.owner.ownerFile, { mode: 0o600 });
  } catch (e) {
    closeStaging(staging);
    throw e;
  }
  return staging;
}

function stageFile(staging: Staging, path: string, content: string, mode: number): void {
  const p = join(staging.dir, 'new', path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content, { mode });
}

/** Steps 2 to 4 for the files staged. */
function commitStaged(staging: Staging, target: string, shownDir: string, paths: readonly string[], prune: readonly string[]): void {
  const journal: Journal = { version: 1, target, created: !existsSync(target), files: [...paths], prune: [...prune], existed: paths.filter((p) => lstatOrUndefined(join(target, p)) !== undefined) };
  writeFileSync(join(staging.dir, 'journal.json'), `${JSON.stringify(journal)}\n`, { mode: 0o600 });
  const failed = commit(target, staging.dir, paths, prune);
  if (failed) {
    if (failed.undone) throw failed.error;
    staging.keep = true;
    const code = (failed.error as NodeJS.ErrnoException).code ?? (failed.error as Error).message;
    throw new WriteError(`${code}, and undoing the renames done so far failed too`, code, 'partial');
  }
  try {
    unlinkSync(join(staging.dir, 'journal.json'));
  } catch (e) {
    staging.keep = true;
    throw new WriteError(
      `the new render is in place, but ${printable(staging.dir)}/journal.json could not be removed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): remove ${printable(staging.dir)}, or the next render into ${printable(shownDir)} rolls this one back`,
      'EJOURNAL',
      'new',
    );
  }
}

function closeStaging(staging: Staging): void {
  if (staging.keep) return;
  try {
    rmSync(staging.dir, { recursive: true, force: true });
    staging.owner.forget();
  } catch {
    // Without its journal, a leftover staging directory is removed by the next run.
  }
}

/** Step 3: the renames. undefined when done; else the error, and whether every rename done was undone. */
function commit(target: string, staging: string, files: readonly string[], prune: readonly string[]): { error: unknown; undone: boolean } | undefined {
  const undo: (() => void)[] = [];
  try {
    if (!existsSync(target)) {
      mkdirSync(target);
      undo.push(() => rmdirSync(target));
    }
    const moveOld = (p: string) => {
      const dest = join(target, p);
      if (lstatOrUndefined(dest) === undefined) return;
      const aside = join(staging, 'old', p);
      mkdirSync(dirname(aside), { recursive: true });
      renameSync(dest, aside);
      undo.push(() => renameSync(aside, dest));
    };
    for (const p of files) {
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
    let complete = true;
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        complete = false; // keep undoing the rest; the journal lets the next run finish
      }
    }
    return { error: e, undone: complete };
  }
  // Directories that pruning emptied (real-servers/ once no DR server is left).
  for (const p of prune) {
    const dir = dirname(join(target, p));
    try {
      if (dir !== target && readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      // The render is in place; an empty directory left over is harmless.
    }
  }
  return undefined;
}

/** The directories below target that must be created to hold `p`, outermost first. */
function missingDirs(target: string, p: string): string[] {
  const out: string[] = [];
  const parts = p.split('/').slice(0, -1);
  for (let i = 0; i < parts.length; i++) {
    const dir = join(target, ...parts.slice(0, i + 1));
    if (lstatOrUndefined(dir) === undefined) out.push(dir);
  }
  return out;
}
