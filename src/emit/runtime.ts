// State that a repository cannot forge: it lives in the user's private
// runtime directory ($XDG_RUNTIME_DIR/vygen, else <tmpdir>/vygen-<uid>, mode
// 0700 and owned by the user), never beside the output directory.
//
// * A lock per output directory, so two renders into one directory cannot mix.
// * An owner record per staging directory: recovery touches a staging
//   directory only when the record here names it and holds the random token
//   found in it, so a `.rendered.vygen-XXXXXX/journal.json` committed to a
//   repository is never acted on.
// * A record per output directory of what its last render was made from and
//   which files it left (render-record.ts).
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { printable } from './printable.js';
import { WriteError } from './write-error.js';

interface Identity {
  host: string;
  boot: string;
  pid: number;
}

let bootId: string | undefined;
function boot(): string {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = '';
    }
  }
  return bootId;
}

function me(): Identity {
  return { host: hostname(), boot: boot(), pid: process.pid };
}

/** Whether the process `id` names is still running (only knowable on this host, since this boot). */
function running(id: Partial<Identity>): boolean {
  if (id.host !== hostname() || id.boot !== boot() || typeof id.pid !== 'number' || !(id.pid > 0)) return false;
  if (id.pid === process.pid) return true;
  try {
    process.kill(id.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A directory that exists, is not a link, is owned by this user and closed to everyone else. */
function privateDir(path: string, create: boolean): boolean {
  if (create) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
  }
  try {
    const st = lstatSync(path);
    const uid = process.getuid?.();
    return st.isDirectory() && !st.isSymbolicLink() && (uid === undefined || st.uid === uid) && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

let cached: string | undefined;

/** vygen's private runtime directory (created on first use). */
export function runtimeDir(): string {
  if (cached !== undefined) return cached;
  const xdg = process.env.XDG_RUNTIME_DIR;
  if (xdg && xdg.startsWith('/') && privateDir(xdg, false) && privateDir(join(xdg, 'vygen'), true)) {
    cached = join(xdg, 'vygen');
  } else {
    const dir = join(tmpdir(), `vygen-${process.getuid?.() ?? 'user'}`);
    if (!privateDir(dir, true)) {
      throw new WriteError(`${printable(dir)} is not a private directory of this user (mode 0700, owned by you, not a link): vygen keeps its locks there; remove it or set XDG_RUNTIME_DIR`, 'ERUNTIME');
    }
    cached = dir;
  }
  for (const sub of ['locks', 'staging', 'renders']) mkdirSync(join(cached, sub), { recursive: true, mode: 0o700 });
  return cached;
}

// node:crypto takes tens of ms to load and only a write to -o DIR needs it: loaded then.
const crypto = () => process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
const key = (path: string) => crypto().createHash('sha256').update(path).digest('hex').slice(0, 40);

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the lock of output directory `target` (an absolute path), or fails
 * naming the process that holds it. A lock left by a process that is gone
 * (killed) is taken over. Returns the function that releases it.
 */
export function lockOutput(target: string, shownDir: string): () => void {
  const path = join(runtimeDir(), 'locks', `${key(target)}.lock`);
  const content = `${JSON.stringify({ ...me(), target })}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createExclusive(path, content)) {
      return () => {
        try {
          if (readFileSync(path, 'utf8') === content) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    }
    const holder = readJson(path);
    if (holder && running(holder)) {
      throw new WriteError(`another vygen (pid ${String(holder.pid)}) is writing ${printable(shownDir)}; run again when it has finished`, 'ELOCKED');
    }
    try {
      unlinkSync(path); // left by a process that is gone
    } catch {
      // taken over by another run meanwhile: the next attempt decides
    }
  }
  throw new WriteError(`cannot lock ${printable(shownDir)}: another vygen keeps taking the lock`, 'ELOCKED');
}

export interface StagingOwner {
  /** What the staging directory's `owner` file holds. */
  ownerFile: string;
  /** Call once the staging directory is gone. */
  forget(): void;
}

/** Registers a fresh staging directory as this process's. */
export function claimStaging(staging: string, target: string): StagingOwner {
  const token = crypto().randomBytes(16).toString('hex');
  const record = join(runtimeDir(), 'staging', `${key(staging)}.json`);
  const ownerFile = `${JSON.stringify({ ...me(), token })}\n`;
  forgetStaging(staging); // a record of an earlier directory of the same name
  if (!createExclusive(record, `${JSON.stringify({ staging, target, token })}\n`)) throw new WriteError(`cannot register ${printable(staging)}`, 'ERUNTIME');
  return { ownerFile, forget: () => forgetStaging(staging) };
}

export type StagingVerdict = 'ours' | 'running' | 'foreign';

/**
 * Whether `staging` (beside `target`) was created by vygen on this machine
 * for `target`: its owner token matches the record kept in the runtime
 * directory. 'running' when its process is still alive.
 */
export function stagingVerdict(staging: string, target: string, ownerFileText: string): StagingVerdict {
  const record = readJson(join(runtimeDir(), 'staging', `${key(staging)}.json`));
  let owner: Record<string, unknown> | undefined;
  try {
    owner = JSON.parse(ownerFileText) as Record<string, unknown>;
  } catch {
    owner = undefined;
  }
  if (!record || !owner || record.staging !== staging || record.target !== target || typeof record.token !== 'string' || record.token !== owner.token) return 'foreign';
  return running(owner) && owner.pid !== process.pid ? 'running' : 'ours';
}

export function forgetStaging(staging: string): void {
  try {
    unlinkSync(join(runtimeDir(), 'staging', `${key(staging)}.json`));
  } catch {
    // already gone
  }
}
