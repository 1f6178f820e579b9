// RouterIntent x Dialect -> the router's `set` commands. One Handlebars
// environment per release: the dialect's path shapes are its partials, so the
// template (templates/vyos/router.hbs) is the same for every release.
import type { RouterIntent } from '../../model/intent.js';
import type { Release } from '../../model/topology.js';
import { bare, singleQuoted } from '../quote.js';
import { loadTemplate, type Render } from '../templates.js';
import { DIALECTS, type Dialect } from './dialects.js';

const compiled = new Map<Release, Render>();

function compile(dialect: Dialect): Render {
  return loadTemplate('vyos/router.hbs', dialect.paths, {
    q: (v: unknown) => singleQuoted(v),
    t: (v: unknown) => bare(v),
    has: (v: unknown) => v !== undefined && v !== null,
    words: (v: unknown[]) => v.map(String).join(' '),
    word: (table: keyof Dialect['words'], key: string) => {
      const word = (dialect.words[table] as Record<string, string>)[key];
      if (word === undefined) throw new Error(`internal error: no ${table} word for ${key} in VyOS ${dialect.release}`);
      return word;
    },
  });
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

/** One blank line between sections, none at the ends; every other line a command or a comment. */
function tidy(text: string): string {
  const out: string[] = [];
  let blank = true;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line === '') {
      if (!blank) out.push('');
      blank = true;
      continue;
    }
    if (!line.startsWith('set ') && !line.startsWith('# ')) {
      throw new Error(`internal error: template produced a line that is not a command: ${JSON.stringify(line.slice(0, 60))}`);
    }
    out.push(line);
    blank = false;
  }
  if (blank) out.pop();
  return `${out.join('\n')}\n`;
}
