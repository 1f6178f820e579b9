// `render -o DIR` of an input it already wrote into DIR renders nothing again.
//
// A render that found every file of DIR already holding exactly what it
// rendered records a key of everything the files are made from (this build of
// vygen, the topology's text and name, the options, every resolved secret)
// and the identity of each file and directory as it verified them (device,
// inode, size, mode, mtime and ctime in nanoseconds). The next render with the
// same key takes the files as they are if every one still has that identity,
// and reports them unchanged without rendering them.
//
// Why it cannot keep a wrong file in place:
// * The record lives in the user's private runtime directory (runtime.ts),
//   never in DIR: a repository cannot commit or forge one. Its key is an HMAC
//   with a random key kept there too, so it reveals nothing of the secrets.
// * A file is trusted by an identity taken while its bytes were compared with
//   the render, not by a hash anyone could copy: a checkout, an edit, a copy
//   or a rename gives it another inode or ctime, and user space cannot set a
//   ctime back. A directory's ctime changes with every entry added or
//   removed, so planted extra files are noticed too.
// * Timestamps advance in clock ticks (whole seconds on some filesystems): a
//   change in the same tick as the last one keeps the identity. So, as git
//   treats "racily clean" files, an identity is recorded only when it was
//   older than a margin when verified; files just written are not, and the
//   render after a write is a full one (it rewrites nothing and records).
// * Anything unexpected (no build id, a leftover staging directory, a record
//   that does not parse, a lock held) means a full render, which compares
//   every file.
import { closeSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { OUTPUT_SUBDIRS } from './owns.js';
import { recover } from './recover.js';
import { lockOutput, runtimeDir } from './runtime.js';
import { isSafeRelative, outputTarget } from './safe-fs.js';

const crypto = () => process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
// Written by the build (scripts/build-id.mjs): a hash of the built code, templates/ and schemas/.
const BUILD_ID = new URL('../../dist/build-id.txt', import.meta.url);
const VERSION = 1;
/** How much older than its verification an identity must be; ten ticks of a 100 Hz clock. */
const MARGIN_NS = 100_000_000n;
/** The same on a filesystem keeping whole seconds (FAT keeps two). */
const COARSE_MARGIN_NS = 2_500_000_000n;

interface Identity {
  path: string;
  /** dev, ino, size, mode, mtimeNs, ctimeNs, in decimal. */
  id: string;
}

interface RenderRecord {
  version: number;
  target: string;
  key: string;
  files: Identity[];
  dirs: Identity[];
}

/** A file's status taken while its content was compared with the render, and when. */
export interface Verified {
  path: string;
  st: BigIntStats;
  /** Date.now() before the comparison started. */
  at: number;
}

let buildId: string | null | undefined;

function build(): string | null {
  if (buildId === undefined) {
    try {
      buildId = readFileSync(BUILD_ID, 'utf8').trim() || null;
    } catch {
      buildId = null;
    }
  }
  return buildId;
}

/** The key of a render's whole input; undefined when this build has no id (a checkout never built). */
export function renderKey(material: unknown): string | undefined {
  const id = build();
  if (id === null) return undefined;
  try {
    return crypto().createHmac('sha256', userKey()).update(JSON.stringify([VERSION, id, process.version, material])).digest('hex');
  } catch {
    return undefined; // no private runtime directory: every render is a full one, and its write says why
  }
}

function userKey(): Buffer {
  const path = join(runtimeDir(), 'renders', 'key');
  try {
    const k = readFileSync(path);
    if (k.length === 32) return k;
  } catch {
    // made below
  }
  const k = crypto().randomBytes(32);
  writePrivate(path, k);
  return k;
}

function recordPath(target: string): string {
  return join(runtimeDir(), 'renders', `${crypto().createHash('sha256').update(target).digest('hex').slice(0, 40)}.json`);
}

function identity(st: BigIntStats): string {
  return [st.dev, st.ino, st.size, st.mode, st.mtimeNs, st.ctimeNs].join(' ');
}

function stat(path: string): BigIntStats | undefined {
  try {
    return lstatSync(path, { bigint: true });
  } catch {
    return undefined;
  }
}

/** DIR and its output subdirectories, as they are now (undefined: DIR is not a directory). */
export function directoryIdentities(target: string): Verified[] | undefined {
  const at = Date.now();
  const out: Verified[] = [];
  for (const d of ['', ...OUTPUT_SUBDIRS]) {
    const st = stat(join(target, d));
    if (st?.isDirectory()) out.push({ path: d, st, at });
    else if (d === '' || st !== undefined) return undefined;
  }
  return out;
}

/** Old enough when verified that a change after it would have changed it. */
export function settled(v: Verified): boolean {
  const whole = v.st.mtimeNs % 1_000_000_000n === 0n && v.st.ctimeNs % 1_000_000_000n === 0n;
  const newest = v.st.mtimeNs > v.st.ctimeNs ? v.st.mtimeNs : v.st.ctimeNs;
  return BigInt(v.at) * 1_000_000n - newest > (whole ? COARSE_MARGIN_NS : MARGIN_NS);
}

function parse(text: string, target: string): RenderRecord | undefined {
  try {
    const r = JSON.parse(text) as RenderRecord;
    // Only paths vygen writes, even from a record no repository can reach: it is read, never trusted further.
    const valid = (xs: unknown, path: (p: string) => boolean) => Array.isArray(xs) && xs.every((x: Identity) => typeof x?.path === 'string' && path(x.path) && typeof x.id === 'string');
    const dir = (p: string) => p === '' || OUTPUT_SUBDIRS.has(p);
    if (r?.version !== VERSION || r.target !== target || typeof r.key !== 'string' || !valid(r.files, isSafeRelative) || !valid(r.dirs, dir)) return undefined;
    return r;
  } catch {
    return undefined;
  }
}

const ids = (vs: readonly Verified[]): Identity[] => vs.map((v) => ({ path: v.path, id: identity(v.st) }));
const same = (a: readonly Identity[], b: readonly Identity[]) => a.length === b.length && a.every((x, i) => x.path === b[i]!.path && x.id === b[i]!.id);

/**
 * The files of DIR's last render when `key` is what it was rendered from and
 * DIR is exactly as that render verified it; undefined: render and write as usual.
 */
export function unchangedRender(outDir: string, key: string): string[] | undefined {
  try {
    const target = outputTarget(outDir);
    const record = parse(readFileSync(recordPath(target), 'utf8'), target);
    if (!record || record.key !== key) return undefined;
    const shownDir = outDir.replace(/\/+$/, '') || '/';
    const unlock = lockOutput(target, shownDir);
    try {
      const leftovers = recover(target, shownDir, true);
      if (leftovers.ignored.length + leftovers.interrupted.length > 0) return undefined; // the full write reports them, and rolls back
      const dirs = directoryIdentities(target);
      const files: Identity[] = [];
      for (const f of record.files) {
        const st = stat(join(target, f.path));
        if (!st?.isFile()) return undefined;
        files.push({ path: f.path, id: identity(st) });
      }
      return dirs && same(ids(dirs), record.dirs) && same(files, record.files) ? record.files.map((f) => f.path) : undefined;
    } finally {
      unlock();
    }
  } catch {
    return undefined; // the full write reports what is wrong
  }
}

/**
 * After a write that found every file already in place (`files`, verified)
 * in directories that did not change while it looked (`dirsBefore`): what the
 * next render with `key` may take as it is. Nothing is recorded unless every
 * identity is settled.
 */
export function recordRender(target: string, key: string, files: readonly Verified[], dirsBefore: readonly Verified[]): void {
  const dirsAfter = directoryIdentities(target);
  if (!dirsAfter || !same(ids(dirsAfter), ids(dirsBefore)) || ![...files, ...dirsBefore].every(settled)) {
    forgetRender(target);
    return;
  }
  const record: RenderRecord = { version: VERSION, target, key, files: ids(files), dirs: ids(dirsBefore) };
  try {
    writePrivate(recordPath(target), Buffer.from(`${JSON.stringify(record)}\n`));
  } catch {
    // Only the next render's shortcut is lost; the files are in place.
  }
}

/** DIR's next render is a full one. */
export function forgetRender(target: string): void {
  try {
    unlinkSync(recordPath(target));
  } catch {
    // there was none
  }
}

/** Written beside, then renamed: a reader sees the old record or the new one, never half of one. */
function writePrivate(path: string, content: Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
