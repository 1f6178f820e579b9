// Traffic control (seed 002): roles of networks, rules between them, the
// routers' own protection and bandwidth shaping. Present only when the
// topology has a `firewall` section; then every router is protected unless
// listed under firewall.protection.except.
import { shown } from '../../diagnostics.js';
import type { Feature } from '../feature.js';
import { checkFirewall } from './check.js';
import { buildFirewallIntent, checkOwnSessions, deniesByPair } from './intents.js';
import { RoleIndex } from './role-index.js';
import { normalizeFirewall } from './normalize.js';
import { addShapers } from './shaper.js';
import { Suggester } from '../../suggest.js';

export const firewall: Feature = {
  name: 'firewall',
  normalize({ doc, model, diags }) {
    if (doc.firewall) model.firewall = normalizeFirewall(doc.firewall, model, diags);
  },
  check({ model, diags }) {
    if (model.firewall) checkFirewall(model.firewall, diags);
  },
  // After every feature added to the router intents: protection opens exactly the sessions they derived.
  policy({ model, intents, diags }) {
    const fw = model.firewall;
    if (!fw) return;
    const names = new Set(intents.routers.map((r) => r.name));
    const suggester = new Suggester(() => [...names]);
    [...fw.protection.except].forEach((name, i) => {
      if (names.has(name)) return;
      const guess = suggester.suggest(name);
      diags.error('unknown-router', ['firewall', 'protection', 'except', i], `unknown router ${shown(name)}`, {
        expected: 'a router of the topology',
        found: shown(name),
        ...(guess ? { hint: `did you mean ${shown(guess)}?` } : {}),
      });
    });
    if (fw.management === undefined && intents.routers.some((r) => !fw.protection.except.has(r.name))) {
      diags.warn('firewall-no-management', fw.path, 'no management role: the protected routers accept SSH and SNMP from nowhere', {
        hint: 'name the role of the operators\' networks in firewall.management (sessions open now stay up: return traffic is allowed)',
      });
    }
    const sites = new Map(model.topology.sites.map((s) => [s.name, s]));
    const reported = new Set<number>();
    const index = new RoleIndex(fw.roles);
    const denies = deniesByPair(fw);
    for (const intent of intents.routers) {
      checkOwnSessions(denies, index, intent, diags, reported);
      const site = intent.site !== undefined ? sites.get(intent.site) : undefined;
      const f = buildFirewallIntent(fw, index, intent, site, intents.failovers, intent.site !== undefined ? model.dualStack?.sites.get(intent.site) : undefined);
      if (f) intent.firewall = f;
    }
    const applied = new Set(intents.routers.flatMap((i) => [...(i.firewall?.forward?.rules ?? []), ...(i.firewall?.forward6?.rules ?? [])].map((r) => r.number)));
    for (const rule of fw.rules) {
      if (applied.has(rule.number)) continue;
      diags.warn('firewall-rule-unused', rule.path, `rule ${rule.number} (${rule.from} -> ${rule.to}) is on no router: neither role has a network at a router`, {
        hint: 'a rule is written on the routers where its from or to role has a network (a site network or an interface subnet)',
      });
    }
    addShapers(fw, intents.routers, diags);
  },
};
