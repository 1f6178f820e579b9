// File and directory names come from the file system, which a pull request
// controls: a committed file named with ESC sequences could otherwise repaint
// the terminal ("up to date" over a failing check). Every name vygen prints
// goes through printable(), as every value in a diagnostic goes through shown().

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\\]/g;

/** `name` with control, line-separator and bidirectional characters (and backslashes) as \uXXXX escapes. */
export function printable(name: string): string {
  return name.replace(UNPRINTABLE, (c) => (c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
