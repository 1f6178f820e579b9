// Serf as the failover trigger: each router's agent configuration and the
// event handler that runs the failover script when the site's peer fails.
import type { OutputFile } from '../../model/output.js';
import { routerFileHeader } from '../../targets/scripts/header.js';
import type { Feature } from '../feature.js';
import { renderSerfConfig } from './config.js';
import { renderSerfHandler } from './handler.js';

export const serf: Feature = {
  name: 'serf',
  render({ intents, file }) {
    return intents.failovers.flatMap((f): OutputFile[] =>
      f.serf
        ? [
            { path: `${f.router}.serf.json`, device: f.router, kind: 'serf-config', content: renderSerfConfig(f.serf) },
            { path: `${f.router}.serf-handler.sh`, device: f.router, kind: 'serf-handler', content: renderSerfHandler(f, routerFileHeader(f, file, 'Serf event handler')) },
          ]
        : [],
    );
  },
};
