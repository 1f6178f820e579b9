// RouterIntent x Dialect -> the router's `set` commands. One Handlebars
// environment per release: the dialect's path shapes are its partials, so the
// template (templates/vyos/router.hbs) is the same for every release.
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import type { RouterIntent } from '../../model/intent.js';
import type { Release } from '../../model/topology.js';
import { bare, singleQuoted } from '../quote.js';
import { DIALECTS, type Dialect } from './dialects.js';

const TEMPLATE = new URL('../../../templates/vyos/router.hbs', import.meta.url);

type Compiled = (view: unknown) => string;
const compiled = new Map<Release, Compiled>();

function compile(dialect: Dialect): Compiled {
  const hb = Handlebars.create();
  hb.registerHelper('q', (v: unknown) => singleQuoted(v));
  hb.registerHelper('t', (v: unknown) => bare(v));
  hb.registerHelper('has', (v: unknown) => v !== undefined && v !== null);
  hb.registerHelper('words', (v: unknown[]) => v.map(String).join(' '));
  hb.registerHelper('word', (table: keyof Dialect['words'], key: string) => {
    const word = (dialect.words[table] as Record<string, string>)[key];
    if (word === undefined) throw new Error(`internal error: no ${table} word for ${key} in VyOS ${dialect.release}`);
    return word;
  });
  for (const [name, body] of Object.entries(dialect.paths)) hb.registerPartial(name, body);
  return hb.compile(readFileSync(TEMPLATE, 'utf8'), { noEscape: true, strict: true });
}

export interface RenderInput {
  intent: RouterIntent;
  header: string[];
  /** The value (or redaction placeholder) of each peer's pre-shared key, by peer name. */
  secrets: ReadonlyMap<string, string>;
}

export function renderVyos({ intent, header, secrets }: RenderInput): string {
  const dialect = DIALECTS[intent.release];
  let template = compiled.get(intent.release);
  if (!template) {
    template = compile(dialect);
    compiled.set(intent.release, template);
  }
  const view = {
    ...intent,
    header,
    ipsec: intent.ipsec && {
      ...intent.ipsec,
      espGroups: intent.ipsec.espGroups.map((g) => ({ ...g, pfs: g.proposal.pfs === 'disable' ? 'disable' : `dh-group${g.proposal.pfs}` })),
      peers: intent.ipsec.peers.map((p) => ({ ...p, secret: secretFor(secrets, p.name) })),
    },
  };
  return tidy(template(view));
}

function secretFor(secrets: ReadonlyMap<string, string>, peer: string): string {
  const s = secrets.get(peer);
  if (s === undefined) throw new Error(`internal error: no resolved secret for peer ${peer}`);
  return s;
}

/** One blank line between sections, none at the end; every other line a command or a comment. */
function tidy(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    if (line !== '' && !line.startsWith('set ') && !line.startsWith('# ')) {
      throw new Error(`internal error: template produced a line that is not a command: ${JSON.stringify(line.slice(0, 60))}`);
    }
    out.push(line);
  }
  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}
