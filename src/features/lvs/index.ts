// LVS director pairs: keepalived.conf and sysctl.conf per director, set-up
// scripts for the real servers.
import type { Feature } from '../feature.js';
import { AUTH_PASS_RULES } from './auth-pass.js';
import { checkLvs } from './check.js';
import { buildLvsIntents } from './intents.js';
import type { LvsIntents } from './keepalived-intent.js';
import type { LvsTopology } from './model.js';
import { normalizeLvs } from './normalize.js';
import { renderLvs } from './render.js';

declare module '../feature.js' {
  interface Model {
    lvs: LvsTopology;
  }
  interface Intents {
    lvs: LvsIntents;
  }
}

export const lvs: Feature = {
  name: 'lvs',
  // After the sites and their VRRP groups: the segment's VRID allocator sees them first.
  normalize({ doc, file, model, diags }) {
    model.lvs = normalizeLvs(doc.lvs, file, diags, model.topology);
  },
  check({ model, diags }) {
    checkLvs(model.lvs, model.topology, diags);
  },
  intents({ model, intents }) {
    intents.lvs = buildLvsIntents(model.lvs);
  },
  secrets({ intents }) {
    return intents.lvs.directors.flatMap((d) => d.instances.flatMap((i) => (i.authPass ? [{ ref: i.authPass, rules: AUTH_PASS_RULES, device: d.name, what: 'VRRP auth_pass' }] : [])));
  },
  render({ intents, file, redact, secrets }) {
    return renderLvs(intents.lvs, { file, redact, authPasses: secrets });
  },
};
