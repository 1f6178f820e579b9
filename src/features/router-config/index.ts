// The per-router layer: routers written directly under `routers:`, or the
// part a user adds to a site router. Merged into the intents after every
// feature that derives router intents, before the policy that spans them.
import type { RouterIntent } from '../../model/intent.js';
import type { SecretRef } from '../../model/topology.js';
import { placeholder, PSK_RULES } from '../../secrets/resolve.js';
import { renderVyos } from '../../targets/vyos/render.js';
import type { Feature, SecretNeed } from '../feature.js';
import { checkExplicitRouter, checkVrrpAcrossRouters } from './check.js';
import { checkOtherFamilyAcross } from './check-other-family.js';
import { checkExtraConflicts, checkExtraShape } from './extra-lines.js';
import { mergeExplicit, standaloneIntent } from './merge.js';
import { normalizeExplicitRouters } from './normalize.js';

export const routerConfig: Feature = {
  name: 'router-config',
  normalize({ doc, model, diags, release }) {
    normalizeExplicitRouters(doc, model, diags, release);
  },
  intents({ model, intents, diags }) {
    const byName = firstByName(intents.routers);
    for (const x of model.explicitRouters) {
      let intent = byName.get(x.name);
      if (!intent) {
        intent = standaloneIntent(x);
        intents.routers.push(intent);
        byName.set(x.name, intent);
      }
      mergeExplicit(intent, x, diags);
    }
  },
  checkIntents({ model, intents, diags }) {
    const byName = firstByName(intents.routers);
    for (const x of model.explicitRouters) {
      const intent = byName.get(x.name)!;
      checkExplicitRouter(intent, x, diags);
      const plain = checkExtraShape(intent.extraLines ?? [], diags);
      if (plain.length > 0) checkExtraConflicts(plain, generatedWithoutExtra(intent), intent.release, diags);
    }
    checkVrrpAcrossRouters(intents.routers, diags);
    checkOtherFamilyAcross(intents.routers, diags);
  },
  secrets({ model }) {
    const needs: SecretNeed[] = [];
    for (const x of model.explicitRouters) {
      for (const p of x.ipsec?.peers ?? []) if (p.psk.name !== '') needs.push({ ref: p.psk, rules: PSK_RULES, device: x.name, what: 'IPsec pre-shared key' });
      for (const s of [...(x.bgp?.neighbors ?? []), ...(x.bgp?.peerGroups ?? [])]) if (s.password) needs.push({ ref: s.password, rules: BGP_PASSWORD, device: x.name, what: 'BGP password' });
    }
    return needs;
  },
};

/** FRR keeps at most 80 characters of a TCP MD5 password. */
const BGP_PASSWORD = { minLength: 1, maxLength: 80, maxReason: 'FRR accepts a BGP (TCP MD5) password of at most 80 characters' };

/** The router's commands without its extra lines, secrets as placeholders (nothing is read here). */
function generatedWithoutExtra(intent: RouterIntent): string {
  const refs: SecretRef[] = [
    ...(intent.ipsec?.peers ?? []).map((p) => p.psk),
    ...(intent.vrrp?.groups ?? []).flatMap((g) => (g.password ? [g.password] : [])),
    ...(intent.bgp?.neighbors ?? []).flatMap((n) => (n.password ? [n.password] : [])),
    ...(intent.bgp?.peerGroups ?? []).flatMap((n) => (n.password ? [n.password] : [])),
  ];
  const secrets = new Map<SecretRef, string>(refs.map((r) => [r, placeholder(r)]));
  const { extraLines: _x, ...rest } = intent;
  return renderVyos({ intent: rest, header: [], secrets });
}

/** Each name's first intent, as a scan from the start would find it (without one scan per device). */
function firstByName(routers: readonly RouterIntent[]): Map<string, RouterIntent> {
  const byName = new Map<string, RouterIntent>();
  for (const i of routers) if (!byName.has(i.name)) byName.set(i.name, i);
  return byName;
}
