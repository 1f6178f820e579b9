// Serf as the failover trigger: each router's agent configuration (gossip
// encrypted with the site's key) and the event handler that runs the
// failover script when the site's peer fails.
import type { OutputFile } from '../../model/output.js';
import { routerFileHeader } from '../../targets/scripts/header.js';
import type { Feature } from '../feature.js';
import { renderSerfConfig } from './config.js';
import { renderSerfHandler } from './handler.js';
import { SERF_KEY } from './key.js';

export const serf: Feature = {
  name: 'serf',
  secrets({ intents }) {
    return intents.failovers.flatMap((f) => (f.serf ? [{ ref: f.serf.encryptKey, rules: SERF_KEY, device: f.router, what: 'Serf gossip encryption key' }] : []));
  },
  render({ intents, file, secrets, redact }) {
    return intents.failovers.flatMap((f): OutputFile[] => {
      if (!f.serf) return [];
      const key = secrets.get(f.serf.encryptKey);
      if (key === undefined) throw new Error(`internal error: the Serf key of router ${f.router} was not resolved`);
      return [
        { path: `${f.router}.serf.json`, device: f.router, kind: 'serf-config', content: renderSerfConfig(f.serf, key), ...(redact ? {} : { secret: true }) },
        { path: `${f.router}.serf-handler.sh`, device: f.router, kind: 'serf-handler', content: renderSerfHandler(f, routerFileHeader(f, file, 'Serf event handler')) },
      ];
    });
  },
};
