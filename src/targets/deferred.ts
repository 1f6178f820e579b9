// A file rendered only when its content is read. `vygen diff` compares what
// the two sides' routers are rendered from first and renders only the routers
// whose inputs differ; every other caller renders eagerly.
import type { OutputFile } from '../model/output.js';
import { checkLineLength } from './line-limits.js';
import type { RenderInput } from './render-input.js';

const pending = new WeakSet<OutputFile>();

export function deferredFile(meta: Omit<OutputFile, 'content' | 'renderedFrom'>, renderedFrom: RenderInput, render: () => string): OutputFile {
  let content: string | undefined;
  const file = { ...meta, renderedFrom } as OutputFile;
  Object.defineProperty(file, 'content', {
    enumerable: true,
    get(): string {
      if (content === undefined) {
        content = render();
        // The check every rendered file passes, made when the content exists.
        checkLineLength(file.path, file.kind, content);
        pending.delete(file);
      }
      return content;
    },
  });
  pending.add(file);
  return file;
}

/** Not rendered yet: its line lengths are checked when it is. */
export function isPending(f: OutputFile): boolean {
  return pending.has(f);
}
