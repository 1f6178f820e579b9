// The keepalived target's Handlebars environment. Templates are dumb (loops
// and lookups); every value goes through one of the helpers, each of which
// refuses what its file format could misread (src/targets/quote.ts).
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { commentText, keepalivedWord, shellQuoted, sysctlKey, sysctlValue } from '../quote.js';

type Compiled = (view: unknown) => string;
const cache = new Map<string, Compiled>();

function defined(helper: string, f: (v: unknown) => string): (v: unknown) => string {
  return (v: unknown) => {
    if (v === undefined || v === null) throw new Error(`internal error: template helper ${helper} got no value`);
    return f(v);
  };
}

const env = Handlebars.create();
env.registerHelper('w', defined('w', keepalivedWord));
env.registerHelper('s', defined('s', shellQuoted));
env.registerHelper('k', defined('k', sysctlKey));
env.registerHelper('v', defined('v', sysctlValue));
env.registerHelper('c', defined('c', commentText));
env.registerHelper('has', (v: unknown) => v !== undefined && v !== null);

export function template(name: 'keepalived.conf' | 'sysctl.conf' | 'real-server.sh'): Compiled {
  let t = cache.get(name);
  if (!t) {
    const source = readFileSync(new URL(`../../../templates/keepalived/${name}.hbs`, import.meta.url), 'utf8');
    t = env.compile(source, { noEscape: true, strict: true });
    cache.set(name, t);
  }
  return t;
}

/** Collapses runs of blank lines, drops trailing ones, ends with one newline. */
export function tidy(text: string, isLine: (line: string) => boolean, what: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    if (line !== '' && !isLine(line)) throw new Error(`internal error: the ${what} template produced ${JSON.stringify(line.slice(0, 60))}`);
    out.push(line);
  }
  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}
