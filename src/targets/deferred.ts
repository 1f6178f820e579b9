// A file rendered only when its content is read. `vygen diff` compares what
// the two sides' routers are rendered from first and renders only the routers
// whose inputs differ. `vygen render` writes each file as it is rendered and
// then lets its content go (releaseContent), so a 10,000-router render never
// holds every file at once (docs/performance.md, the fourteenth round).
import type { OutputFile } from '../model/output.js';
import { checkLineLength } from './line-limits.js';
import type { RenderInput } from './render-input.js';

const pending = new WeakSet<OutputFile>();
const releases = new WeakMap<OutputFile, () => void>();

export function deferredFile(meta: Omit<OutputFile, 'content' | 'renderedFrom'>, renderedFrom: RenderInput | undefined, render: () => string): OutputFile {
  let content: string | undefined;
  const file = (renderedFrom ? { ...meta, renderedFrom } : { ...meta }) as OutputFile;
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
  releases.set(file, () => {
    content = undefined;
  });
  return file;
}

/** Not rendered yet: its line lengths are checked when it is. */
export function isPending(f: OutputFile): boolean {
  return pending.has(f);
}

/**
 * The caller has written the file: a deferred file drops its content (read
 * again, it is rendered again, the same). A file rendered eagerly keeps it.
 */
export function releaseContent(f: OutputFile): void {
  releases.get(f)?.();
}

/** The content, read once by a writer that has no further use for the file's copy: it is let go as it is handed over. */
export function takeContent(f: OutputFile): string {
  const content = f.content;
  releaseContent(f);
  return content;
}

/** `f` with `transform` applied to its content when that is read; f's own content is let go once transformed. */
export function transformedFile(f: OutputFile, transform: (content: string) => string): OutputFile {
  // Copied field by field from the descriptors: a spread would read (render) the content.
  const meta: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(f))) if (k !== 'content' && k !== 'renderedFrom') meta[k] = d.value;
  return deferredFile(meta as Omit<OutputFile, 'content' | 'renderedFrom'>, undefined, () => {
    return transform(takeContent(f));
  });
}
