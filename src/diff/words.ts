// One line of a VyOS command file -> its words, split the way the VyOS shell
// (bash) splits them: single quotes are literal, double quotes allow the
// escapes \" \\ \$ \` , a backslash outside quotes escapes the next character,
// and an unquoted `#` at the start of a word begins a comment. Characters that
// would make the shell do something else than pass words to `set` / `delete`
// are refused, so nothing is read differently than a router would read it.

export interface Word {
  text: string;
  /** Some part of the word was quoted: VyOS prints every leaf value quoted. */
  quoted: boolean;
}

export class WordError extends Error {}

const isSpace = (c: number) => c === 32 || c === 9;
// ; | & < > ( ) $ `
const SPECIAL = new Set([59, 124, 38, 60, 62, 40, 41, 36, 96]);
const PLAIN_RUN = /[^ \t'"\\;|&<>()$`]+/y;

export function splitWords(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    if (isSpace(line.charCodeAt(i))) {
      i++;
      continue;
    }
    if (line.charCodeAt(i) === 35 /* # */) break;
    let text = '';
    let quoted = false;
    while (i < n && !isSpace(line.charCodeAt(i))) {
      PLAIN_RUN.lastIndex = i;
      const run = PLAIN_RUN.exec(line);
      if (run) {
        text += run[0];
        i += run[0].length;
        continue;
      }
      const c = line[i]!;
      if (c === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new WordError('unterminated single quote');
        text += line.slice(i + 1, end);
        quoted = true;
        i = end + 1;
      } else if (c === '"') {
        quoted = true;
        i++;
        for (;;) {
          if (i >= n) throw new WordError('unterminated double quote');
          const d = line[i]!;
          if (d === '"') break;
          if (d === '\\' && i + 1 < n && '"\\$`'.includes(line[i + 1]!)) {
            text += line[i + 1];
            i += 2;
            continue;
          }
          if (d === '$' || d === '`') throw new WordError(`unescaped ${d} inside double quotes (the shell would expand it)`);
          text += d;
          i++;
        }
        i++;
      } else if (c === '\\') {
        if (i + 1 >= n) throw new WordError('backslash at the end of the line');
        text += line[i + 1];
        quoted = true;
        i += 2;
      } else if (SPECIAL.has(line.charCodeAt(i))) {
        throw new WordError(`unquoted ${JSON.stringify(c)} (the shell would interpret it)`);
      } else {
        throw new Error(`internal error: splitWords stopped at ${JSON.stringify(c)}`);
      }
    }
    words.push({ text, quoted });
  }
  return words;
}
