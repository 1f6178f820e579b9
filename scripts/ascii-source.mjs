// Build step helper: a generated module's source made ASCII-only, so that
// src/load/generated-module.ts can decode it as latin1 (a copy) instead of as
// UTF-8 (5 ms for the 1.1 MB schema validator, 4 ms for the bundle, at every
// start). Every other character becomes a \uXXXX escape, which means the same
// in a string, a regular expression, an identifier or a comment. The one place
// it would not is right after a backslash (`\é`, an identity escape), which
// generated code does not write: the build stops there instead of guessing.
export function asciiSource(code, what) {
  return code.replace(/[^\x00-\x7f]/g, (c, at) => {
    if (code[at - 1] === '\\') throw new Error(`${what}: a non-ASCII character after a backslash at offset ${at}: cannot escape it`);
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
