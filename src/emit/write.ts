// Writing a render: all files or none. Everything is written into a fresh
// temporary directory beside the output directory (same filesystem), then
// each file is renamed into place; an error before the renames leaves the
// output directory exactly as it was.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { OutputFile } from '../pipeline.js';

export function writeAtomically(outDir: string, files: readonly OutputFile[]): void {
  const target = resolve(outDir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.vygen-`));
  try {
    for (const f of files) {
      const p = join(staging, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content, { mode: f.path.endsWith('.sh') ? 0o755 : 0o644 });
    }
    mkdirSync(target, { recursive: true });
    for (const f of files) {
      const dest = join(target, f.path);
      mkdirSync(dirname(dest), { recursive: true });
      renameSync(join(staging, f.path), dest);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
