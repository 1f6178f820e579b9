// The keepalived target's templates (templates/keepalived/*.hbs, loaded and
// precompiled like every vygen template by src/targets/templates.ts). They are
// dumb (loops and lookups); every value goes through one of the helpers, each
// of which refuses what its file format could misread (src/targets/quote.ts).
import type { HelperDelegate } from 'handlebars';
import { argsOnly } from '../../targets/template-runtime.js';
import type { ScriptCall, VipIntent } from './keepalived-intent.js';
import { loadTemplate, type Render } from '../../targets/templates.js';
import { commentText, keepalivedWord, shellQuoted, sysctlKey, sysctlValue, unitText } from '../../targets/quote.js';

function defined(helper: string, f: (v: unknown) => string): HelperDelegate {
  return argsOnly((v: unknown) => {
    if (v === undefined || v === null) throw new Error(`internal error: template helper ${helper} got no value`);
    return f(v);
  });
}

const HELPERS: Readonly<Record<string, HelperDelegate>> = {
  w: defined('w', keepalivedWord),
  s: defined('s', shellQuoted),
  k: defined('k', sysctlKey),
  v: defined('v', sysctlValue),
  c: defined('c', commentText),
  u: defined('u', unitText),
  has: argsOnly((v: unknown) => v !== undefined && v !== null),
  cmd: defined('cmd', keepalivedCommand),
  vip: defined('vip', (v) => vipWords(v as VipIntent)),
};

/** A script with arguments is one quoted string to keepalived; each word stays a plain word. */
function keepalivedCommand(v: unknown): string {
  const words = (v as ScriptCall).map(keepalivedWord);
  return words.length === 1 ? words[0]! : `"${words.join(' ')}"`;
}

function vipWords(v: VipIntent): string {
  const words = [v.address];
  if (v.brd !== undefined) words.push('brd', v.brd);
  words.push('dev', v.dev);
  if (v.scope !== undefined) words.push('scope', v.scope);
  if (v.label !== undefined) words.push('label', v.label);
  return words.map(keepalivedWord).join(' ');
}

const cache = new Map<string, Render>();

export function template(name: 'keepalived.conf' | 'sysctl.conf' | 'real-server.sh' | 'real-server.service'): Render {
  let t = cache.get(name);
  if (!t) {
    t = loadTemplate(`keepalived/${name}.hbs`, {}, HELPERS);
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
