// What a failed write left behind. The CLI's message names the state exactly,
// so nobody has to guess whether DIR holds the old render, the new one, or a
// mixture waiting to be rolled back.

/** unchanged: DIR is as before; new: DIR holds the whole new render; partial: DIR is part old, part new, and the next write rolls it back. */
export type WriteState = 'unchanged' | 'new' | 'partial';

export class WriteError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly state: WriteState = 'unchanged',
  ) {
    super(message);
  }
}

/** A WriteError for any error thrown while writing (errno errors keep their code as the message). */
export function asWriteError(e: unknown, state: WriteState): WriteError {
  if (e instanceof WriteError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  return new WriteError(code ?? (e as Error).message, code ?? 'EWRITE', state);
}
