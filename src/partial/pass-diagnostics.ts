// The collector of one pass over a pruned topology (src/partial/prune.ts).
// Features report paths into the document they were given; a user edits the
// written one, so each path (and each path a message names) is turned back
// into the written document's. Every error's path is kept, past the cap on
// diagnostics too: the part it lies in is left out of the next pass.
//
// A finding that rests on the absence of something anywhere in the topology
// (a feature's `wholeTopology` codes) cannot be trusted once parts were left
// out: it is withheld and said as a note instead.
import { Diagnostics, type DocPath, type Locator, type Problem } from '../diagnostics.js';
import type { Pruned } from './prune.js';

export interface Withheld {
  code: string;
  path: DocPath;
}

export class PassDiagnostics extends Diagnostics {
  readonly errorPaths: DocPath[] = [];
  readonly withheld: Withheld[] = [];

  constructor(
    locator: Locator,
    private readonly pruned?: Pruned,
    private readonly wholeTopology: ReadonlySet<string> = new Set(),
  ) {
    super(locator);
  }

  override report(p: Problem): void {
    const pruned = this.pruned;
    if (!pruned) {
      if ((p.severity ?? 'error') === 'error') this.errorPaths.push(p.path);
      super.report(p);
      return;
    }
    const path = pruned.toOriginal(p.path);
    if (this.wholeTopology.has(p.code)) {
      this.withheld.push({ code: p.code, path });
      return;
    }
    if ((p.severity ?? 'error') === 'error') this.errorPaths.push(path);
    const text = pruned.textToOriginal;
    super.report({
      ...p,
      path,
      message: text(p.message),
      ...(p.expected !== undefined ? { expected: text(p.expected) } : {}),
      ...(p.found !== undefined ? { found: text(p.found) } : {}),
      ...(p.hint !== undefined ? { hint: text(p.hint) } : {}),
    });
  }
}
