// How generated files name their topology (line 2 of every file): the same
// name whatever directory vygen runs in, so `render --check` and the goldens
// do not depend on where the command was typed. Inside a git work tree it is
// the path from the work tree's root; elsewhere only the file's name.
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

export const STDIN_NAME = '<stdin>';

export function originName(path: string): string {
  if (path === '-') return STDIN_NAME;
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    real = resolve(path);
  }
  const root = gitRoot(dirname(real));
  return root === undefined ? basename(real) : relative(root, real).split(sep).join('/');
}

/** The nearest directory holding `.git` (a directory, or a file in a linked work tree or submodule). */
function gitRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
