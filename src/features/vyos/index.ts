// The VyOS router target: every router intent, whichever features added to
// it, checked against what its release can express and rendered to set
// commands. Registered after every feature that adds to router intents.
import type { Feature } from '../feature.js';
import { checkForRelease } from '../../targets/vyos/check.js';
import { hasSecret, routerHeader } from '../../targets/vyos/header.js';
import { renderVyos } from '../../targets/vyos/render.js';
import { deferredFile } from '../../targets/deferred.js';
import { settleLists } from '../../model/settle-lists.js';
import { extend } from '../../model/extend.js';

export const vyos: Feature = {
  name: 'vyos',
  policy({ intents }) {
    for (const intent of intents.routers) {
      const bgp = intent.bgp;
      // No BGP process where nothing needs one.
      if (bgp && bgp.neighbors.length === 0 && bgp.networks.length === 0 && !bgp.redistribute?.length) delete intent.bgp;
      // eBGP sessions first, then iBGP, each in the order features added them.
      else if (bgp) bgp.neighbors = [...bgp.neighbors.filter((n) => n.kind === 'ebgp'), ...bgp.neighbors.filter((n) => n.kind !== 'ebgp')];
      // The last policy: the intent is final from here on.
      settleLists(intent);
    }
  },
  checkIntents({ intents, diags }) {
    for (const intent of intents.routers) checkForRelease(intent, diags);
  },
  render({ intents, file, redact, secrets, defer }) {
    return intents.routers.map((intent) => {
      const meta = { path: `${intent.name}.vyos`, device: intent.name, kind: 'vyos' as const, release: intent.release, ...(!redact && hasSecret(intent) ? { secret: true } : {}) };
      // Rendered on read, the header is made when the file is: held for every router, it was a quarter of what a pending file kept.
      if (defer === 'on-read') return deferredFile(meta, undefined, () => renderVyos({ intent, header: routerHeader(intent, file, redact), secrets }));
      const input = { intent, header: routerHeader(intent, file, redact), secrets };
      if (!defer) return extend(meta, { content: renderVyos(input) });
      // The view is made from these alone, so the router is rendered only if they differ between the sides.
      return deferredFile(meta, { value: { intent, header: input.header }, secrets }, () => renderVyos(input));
    });
  },
};
