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

const SPACE = /[ \t]/;
const SHELL_SPECIAL = /[;|&<>()$`]/;

export function splitWords(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    if (SPACE.test(line[i]!)) {
      i++;
      continue;
    }
    if (line[i] === '#') break;
    let text = '';
    let quoted = false;
    while (i < line.length && !SPACE.test(line[i]!)) {
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
          if (i >= line.length) throw new WordError('unterminated double quote');
          const d = line[i]!;
          if (d === '"') break;
          if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
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
        if (i + 1 >= line.length) throw new WordError('backslash at the end of the line');
        text += line[i + 1];
        quoted = true;
        i += 2;
      } else if (SHELL_SPECIAL.test(c)) {
        throw new WordError(`unquoted ${JSON.stringify(c)} (the shell would interpret it)`);
      } else {
        text += c;
        i++;
      }
    }
    words.push({ text, quoted });
  }
  return words;
}
