// The scripts target's templates (templates/scripts/*.hbs, loaded and
// precompiled like every vygen template by src/targets/templates.ts). They
// hold the shell code; every value reaches them through a helper that quotes
// it for its file format (src/targets/quote.ts) or refuses it.
import type { HelperDelegate } from 'handlebars';
import { argsOnly } from '../template-runtime.js';
import { commentText, shellQuoted, sysctlKey, sysctlValue, unitText } from '../quote.js';
import { loadTemplate, type Render } from '../templates.js';

export type ScriptTemplate =
  | 'aws-functions.sh'
  | 'failover.sh'
  | 'serf-handler.sh'
  | 'nat-watch.sh'
  | 'nat-watch.service'
  | 'nat.sh'
  | 'nat-sysctl.conf'
  | 'source-dest-check.sh'
  | 'vrrp-health.sh'
  | 'scale-up.sh';

function defined(helper: string, f: (v: unknown) => string): HelperDelegate {
  return argsOnly((v: unknown) => {
    if (v === undefined || v === null) throw new Error(`internal error: template helper ${helper} got no value`);
    return f(v);
  });
}

const HELPERS: Readonly<Record<string, HelperDelegate>> = {
  /** A POSIX sh word, single-quoted. */
  s: defined('s', shellQuoted),
  /** Text of a comment line. */
  c: defined('c', commentText),
  /** A systemd unit value. */
  u: defined('u', unitText),
  k: defined('k', sysctlKey),
  v: defined('v', sysctlValue),
};

const cache = new Map<ScriptTemplate, Render>();

export function template(name: ScriptTemplate): Render {
  let t = cache.get(name);
  if (!t) {
    t = loadTemplate(`scripts/${name}.hbs`, {}, HELPERS);
    cache.set(name, t);
  }
  return t;
}

/** The shell functions the failover and NAT watch scripts share (aws calls, DRY_RUN); point_eip only where it is called. */
export function awsFunctions(o: { eip: boolean; routes?: boolean; ipv6?: boolean }): string {
  o = { routes: true, ...o };
  return template('aws-functions.sh')(o).trimEnd();
}

// Printable ASCII and tabs only: a control character in a generated file is a bug.
const PLAIN_LINE = /^[\t\x20-\x7e]*$/;

/**
 * The finished file: runs of blank lines collapsed, no blank line at either
 * end, one final newline; refuses a line with a control character.
 */
export function finish(text: string, what: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    if (!PLAIN_LINE.test(line)) throw new Error(`internal error: the ${what} template produced ${JSON.stringify(line.slice(0, 60))}`);
    out.push(line);
  }
  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}
