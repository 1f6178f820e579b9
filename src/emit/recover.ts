// Leftovers of an interrupted write (a process killed in the middle of its
// commit) beside an output directory, and rolling them back.
//
// A staging directory is only ever acted on when this machine's vygen
// created it for this output directory (its owner token matches the record in
// the private runtime directory, src/emit/runtime.ts) and git does not track
// it; its journal must name the same directory and only paths vygen writes
// (no `..`, no absolute path, no symlink on the way). Anything else beside
// the directory that looks like a staging directory is reported and left
// alone: a repository can commit one, and it is not vygen's to delete.
//
// Rolling back is idempotent: killed in the middle, the next run finishes it.
// The journal records which paths had an old file before the commit, so a
// restored old file is never mistaken for a new one and removed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ownableName } from './owns.js';
import { printable } from './printable.js';
import { checkInside, isSafeRelative, lstatOrUndefined, readRegular } from './safe-fs.js';
import { forgetStaging, stagingVerdict } from './runtime.js';
import { WriteError } from './write-error.js';

export const STAGING_INFIX = '.vygen-';

export interface Journal {
  version: 1;
  target: string;
  /** Whether the commit created the output directory. */
  created: boolean;
  /** Paths written, then paths pruned (moved aside). */
  files: string[];
  prune: string[];
  /** The paths of `files` that had an old file before the commit. */
  existed: string[];
}

export interface Recovery {
  /** What was done (rolled back, removed): one line each, for the user. */
  done: string[];
  /** Staging-like directories left alone, and why. */
  ignored: string[];
  /** Interrupted writes found but not rolled back (read-only mode). */
  interrupted: string[];
}

/** Staging directories of `target`: `.<name>.vygen-XXXXXX` beside it. */
function candidates(target: string): string[] {
  const parent = dirname(target);
  const prefix = `.${basename(target)}${STAGING_INFIX}`;
  try {
    return readdirSync(parent)
      .filter((n) => n.startsWith(prefix) && n.length === prefix.length + 6)
      .sort()
      .map((n) => join(parent, n));
  } catch {
    return [];
  }
}

function trackedByGit(path: string): boolean {
  const r = spawnSync('git', ['ls-files', '-z', '--', basename(path)], { cwd: dirname(path), encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && r.stdout !== '';
}

function corrupt(staging: string, why: string, shownDir: string): WriteError {
  return new WriteError(
    `the journal of an interrupted write to ${printable(shownDir)}, ${printable(staging)}/journal.json, ${why}: ${printable(shownDir)} may be half-written. ` +
      `Its previous files are in ${printable(staging)}/old: restore what you need from there, then remove ${printable(staging)} and render again`,
    'EJOURNAL',
    'partial',
  );
}

function parseJournal(text: string, target: string, staging: string, shownDir: string): Journal {
  let j: Partial<Journal>;
  try {
    j = JSON.parse(text) as Partial<Journal>;
  } catch {
    throw corrupt(staging, 'is not valid JSON', shownDir);
  }
  const paths = (v: unknown) => Array.isArray(v) && v.every((p) => isSafeRelative(p) && ownableName(p));
  if (j === null || typeof j !== 'object' || j.version !== 1 || typeof j.created !== 'boolean' || !paths(j.files) || !paths(j.prune) || !paths(j.existed)) {
    throw corrupt(staging, 'is not one vygen wrote (or names a path vygen does not write)', shownDir);
  }
  if (j.target !== target) throw corrupt(staging, 'names another directory', shownDir);
  return j as Journal;
}

/**
 * Finds the leftovers of writes to `target` whose process is gone. With
 * `readOnly` (render --check) nothing is changed: interrupted writes are only
 * reported. Otherwise each is rolled back and its staging directory removed.
 */
export function recover(target: string, shownDir: string, readOnly: boolean): Recovery {
  const result: Recovery = { done: [], ignored: [], interrupted: [] };
  for (const staging of candidates(target)) {
    const st = lstatOrUndefined(staging);
    if (st === undefined) continue;
    let owner: ReturnType<typeof readRegular>;
    try {
      owner = st.isDirectory() ? readRegular(join(staging, 'owner'), `${staging}/owner`, 4096) : undefined;
    } catch {
      owner = undefined; // a link or a FIFO: not one vygen made
    }
    const verdict = owner && !owner.truncated ? stagingVerdict(staging, target, owner.text) : 'foreign';
    if (verdict === 'running') continue;
    if (verdict === 'foreign' || trackedByGit(staging)) {
      result.ignored.push(`${printable(staging)} looks like a staging directory of ${printable(shownDir)} but vygen did not create it on this machine: left alone (remove it if it is yours)`);
      continue;
    }
    const journal = readRegular(join(staging, 'journal.json'), `${staging}/journal.json`, 64 * 1024 * 1024);
    if (journal === undefined) {
      // Killed before its commit started: DIR was never touched.
      if (!readOnly) removeStaging(staging);
      continue;
    }
    const j = parseJournal(journal.truncated ? '' : journal.text, target, staging, shownDir);
    if (readOnly) {
      result.interrupted.push(printable(staging));
      continue;
    }
    rollBack(target, staging, j, shownDir);
    unlinkSync(join(staging, 'journal.json'));
    removeStaging(staging);
    result.done.push(`rolled back an interrupted write to ${printable(shownDir)}`);
  }
  return result;
}

function removeStaging(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
  forgetStaging(staging);
}

function rollBack(target: string, staging: string, j: Journal, shownDir: string): void {
  const existed = new Set(j.existed);
  const written = new Set(j.files);
  const dirs = new Set<string>();
  for (const p of [...j.files, ...j.prune]) {
    checkInside(target, p, shownDir);
    for (let d = dirname(p); d !== '.'; d = dirname(d)) dirs.add(d);
    const aside = join(staging, 'old', p);
    const dest = join(target, p);
    if (lstatOrUndefined(aside) !== undefined) {
      mkdirSync(dirname(dest), { recursive: true });
      renameSync(aside, dest);
    } else if (!existed.has(p) && written.has(p) && lstatOrUndefined(join(staging, 'new', p)) === undefined && lstatOrUndefined(dest)?.isFile()) {
      // A file that had no old one and was already moved into place.
      unlinkSync(dest);
    }
    // Otherwise the commit had not reached p, or this rollback already restored it.
  }
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) removeIfEmpty(join(target, d));
  if (j.created) removeIfEmpty(target);
}

function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // gone already, or not empty: not ours to remove
  }
}
