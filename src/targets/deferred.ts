// A file rendered only when its content is read. `vygen diff` compares what
// the two sides' routers are rendered from first and renders only the routers
// whose inputs differ. `vygen render` writes each file as it is rendered and
// then lets its content go (releaseContent), so a 10,000-router render never
// holds every file at once (docs/performance.md, the fourteenth round).
//
// Every deferred file shares one getter and keeps its state under a symbol:
// a getter closure per file gave every file a hidden class of its own (about
// 1.4 KB a file with its header, 14 MB at 10,000 routers; the fifteenth round).
import type { OutputFile } from '../model/output.js';
import { checkLineLength } from './line-limits.js';
import type { RenderInput } from './render-input.js';
import { extend } from '../model/extend.js';

interface State {
  render: () => string;
  content: string | undefined;
  /** Rendered once, and its line lengths checked then. */
  checked: boolean;
}

const STATE: unique symbol = Symbol('vygen deferred file');
type Deferred = OutputFile & { [STATE]: State };

function content(this: Deferred): string {
  const s = this[STATE];
  if (s.content === undefined) {
    const text = s.render();
    // The check every rendered file passes, made before the content is handed out (a failed one never is).
    if (!s.checked) checkLineLength(this.path, this.kind, text);
    s.checked = true;
    s.content = text;
  }
  return s.content;
}

const CONTENT: PropertyDescriptor = { enumerable: true, configurable: false, get: content };

export function deferredFile(meta: Omit<OutputFile, 'content' | 'renderedFrom'>, renderedFrom: RenderInput | undefined, render: () => string): OutputFile {
  const file = (renderedFrom ? extend(meta, { renderedFrom }) : { ...meta }) as Deferred;
  Object.defineProperty(file, 'content', CONTENT);
  Object.defineProperty(file, STATE, { value: { render, content: undefined, checked: false } satisfies State });
  return file;
}

function stateOf(f: OutputFile): State | undefined {
  return (f as Partial<Deferred>)[STATE];
}

/** Not rendered yet: its line lengths are checked when it is. */
export function isPending(f: OutputFile): boolean {
  const s = stateOf(f);
  return s !== undefined && !s.checked;
}

/**
 * The caller has written the file: a deferred file drops its content (read
 * again, it is rendered again, the same). A file rendered eagerly keeps it.
 */
export function releaseContent(f: OutputFile): void {
  const s = stateOf(f);
  if (s) s.content = undefined;
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
