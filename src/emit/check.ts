// `render --check`: what differs between DIR and the files a render would
// write there. It changes nothing in or beside DIR (not even an interrupted
// write's leftovers: it reports them; it only takes DIR's lock); it reads
// only regular files, without following a link, each at most MAX_READ_BYTES;
// and it reports exactly the files that `render -o DIR --prune` would remove
// as no longer rendered (owns()).
import { join } from 'node:path';
import { unifiedPatch } from '../diff/patch.js';
import type { OutputFile } from '../pipeline.js';
import { printable } from './printable.js';
import { recover } from './recover.js';
import { lockOutput } from './runtime.js';
import { checkInside, listOutputFiles, lstatOrUndefined, MAX_READ_BYTES, outputTarget, readRegular } from './safe-fs.js';
import { ownsFile } from './write.js';
import { WriteError } from './write-error.js';
import { takeContent } from '../targets/deferred.js';

export interface Stale {
  path: string;
  status: 'changed' | 'missing' | 'extra';
  patch: string;
}

export interface CheckResult {
  stale: Stale[];
  /** Staging-like directories beside DIR that vygen did not create, left alone. */
  ignored: string[];
}

export function checkOutput(dir: string, files: readonly OutputFile[]): CheckResult {
  const shownDir = dir.replace(/\/+$/, '') || '/';
  const target = outputTarget(dir);
  if (lstatOrUndefined(target) === undefined) throw new WriteError(`cannot read ${printable(shownDir)}: no such directory`, 'ENOENT');
  const unlock = lockOutput(target, shownDir);
  try {
    const recovery = recover(target, shownDir, true);
    if (recovery.interrupted.length > 0) {
      throw new WriteError(
        `${printable(shownDir)} holds a write that was interrupted (${recovery.interrupted.join(', ')}): part old, part new. Nothing was compared; \`vygen render … -o ${printable(shownDir)}\` rolls it back first`,
        'EINTERRUPTED',
        'partial',
      );
    }
    const patch = (from: string, to: string, before: string, after: string) =>
      unifiedPatch(printable(from), printable(to), before, after, from === '/dev/null' ? '' : 'committed', to === '/dev/null' ? '' : 'rendered now');
    const tooLarge = (p: string) => `--- ${printable(`${shownDir}/${p}`)}\tcommitted\n+++ /dev/null\n(larger than ${MAX_READ_BYTES / 1024 / 1024} MiB: not shown)\n`;
    const secretNote = (p: string) => `--- ${printable(`${shownDir}/${p}`)}\tcommitted\n+++ ${printable(`${shownDir}/${p}`)}\trendered now\n(holds secret values: not shown; render with --redact to see the difference)\n`;
    const stale: Stale[] = [];
    for (const f of files) {
      checkInside(target, f.path, shownDir);
      const committed = readRegular(join(target, f.path), `${shownDir}/${f.path}`);
      const content = takeContent(f); // read once (a file rendered on read: src/targets/deferred.ts)
      if (committed !== undefined && !committed.truncated && committed.text === content) continue;
      stale.push({
        path: f.path,
        status: committed === undefined ? 'missing' : 'changed',
        // A diff of a file with keys in it would print them (into CI logs).
        patch: f.secret ? secretNote(f.path) : committed?.truncated ? tooLarge(f.path) : patch(committed === undefined ? '/dev/null' : `${shownDir}/${f.path}`, `${shownDir}/${f.path}`, committed?.text ?? '', content),
      });
    }
    const rendered = new Set(files.map((f) => f.path));
    for (const p of listOutputFiles(target, shownDir)) {
      if (rendered.has(p) || !ownsFile(target, p, 'render')) continue;
      const committed = readRegular(join(target, p), `${shownDir}/${p}`);
      stale.push({ path: p, status: 'extra', patch: committed?.truncated ? tooLarge(p) : patch(`${shownDir}/${p}`, '/dev/null', committed?.text ?? '', '') });
    }
    return { stale: stale.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), ignored: recovery.ignored };
  } finally {
    unlock();
  }
}
