// The build's generated CommonJS modules (the schema validator, the compiled
// templates: 1.6 MB of JavaScript) loaded with V8's code cache. Compiling them
// was a fifth of a cold `vygen render` of a small topology; the build writes
// each module's cache beside it (scripts/code-cache.mjs) after a render has
// compiled the functions a render runs. V8 checks a cache against the source
// and its own version and flags, and compiles normally when it does not match
// (another Node.js than the build's). It does not check everything: its
// "source hash" is the source's length, and a damaged cache can crash the
// process. So each cache starts with CRC-32s of the source it was made from and
// of itself; one that does not match is never handed to V8. A cache can cost
// time but never change what runs.
import { isAscii } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const scripts = new Map<string, vm.Script>();
const sources = new Map<string, Buffer>();
const MAGIC = 0x76796763; // "vygc"
const HEADER = 12;
type CacheFile = { data: Buffer } | 'rejected' | 'none';

/** The V8 data of a cache file, if it was made from `source` and is whole. */
function readCache(file: Buffer, source: Buffer): CacheFile {
  if (file.length < HEADER || file.readUInt32BE(0) !== MAGIC) return 'rejected';
  const data = file.subarray(HEADER);
  if (file.readUInt32BE(4) !== crc32(source) || file.readUInt32BE(8) !== crc32(data)) return 'rejected';
  return { data };
}
/** Whether V8 used each loaded module's cache (test/code-cache.test.ts). */
export const cacheUse = new Map<string, 'used' | 'rejected' | 'none'>();

/**
 * Like require(file) for a generated module; throws as require does when it is
 * missing. `scope` adds names the module's code can use (its own import() cannot
 * run from a code cache: the bundled CLI gets the lab this way). `provided`
 * holds modules the caller has already loaded, by the name the module requires
 * them by: a require from disk is a resolution, a read and a compile (the schema
 * validator's one was 2–4 ms of every start).
 */
export function loadGenerated(url: URL, scope: Readonly<Record<string, unknown>> = {}, provided: Readonly<Record<string, unknown>> = {}): unknown {
  const file = fileURLToPath(url);
  const bytes = readFileSync(file);
  // The build writes them ASCII-only (scripts/ascii-source.mjs): as latin1 that is a copy,
  // where decoding 2.5 MB of UTF-8 took about 10 ms of every start.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  let cache: CacheFile = 'none';
  try {
    cache = readCache(readFileSync(`${file}.v8-cache`), bytes);
  } catch {
    cache = 'none'; // no cache: compiled as require would
  }
  const cachedData = typeof cache === 'object' ? cache.data : undefined;
  // require's own wrapper, on the first line so that line numbers stay the file's.
  const names = Object.keys(scope);
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname${names.map((n) => `, ${n}`).join('')}) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  scripts.set(file, script);
  sources.set(file, bytes);
  cacheUse.set(file, cache === 'none' ? 'none' : cache === 'rejected' || script.cachedDataRejected ? 'rejected' : 'used');
  const module = { exports: {} as unknown };
  const fromDisk = createRequire(file);
  const require = Object.keys(provided).length === 0 ? fromDisk : (id: string): unknown => (Object.hasOwn(provided, id) ? provided[id] : fromDisk(id));
  (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, require, module, file, dirname(file), ...names.map((n) => scope[n]));
  return module.exports;
}

/** The build step: each loaded module's code cache, with every function compiled so far. */
export function writeCodeCaches(): string[] {
  const written: string[] = [];
  for (const [file, script] of scripts) {
    const data = script.createCachedData();
    const header = Buffer.alloc(HEADER);
    header.writeUInt32BE(MAGIC, 0);
    header.writeUInt32BE(crc32(sources.get(file)!), 4);
    header.writeUInt32BE(crc32(data), 8);
    writeFileSync(`${file}.v8-cache`, Buffer.concat([header, data]));
    written.push(file);
  }
  return written;
}
