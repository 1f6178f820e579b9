// HA NAT instances: two nodes in two zones, each masquerading the VPC and
// watching its peer to take over the peer's route tables.
import type { NatNodeIntent } from '../../model/intent.js';
import type { OutputFile } from '../../model/output.js';
import { checkNatNodeForRelease } from '../../targets/vyos/check.js';
import { renderNatNode } from '../../targets/vyos/render.js';
import { natFileHeader } from '../../targets/scripts/header.js';
import type { NatWatchIntent } from '../failover/model.js';
import type { Feature } from '../feature.js';
import { checkNatPairs } from './check.js';
import { natNodeHeader } from './header.js';
import { buildNatNodeIntents } from './intents.js';
import { renderNatScript, renderNatSysctl } from './linux.js';
import { natPairs } from './normalize.js';
import { renderNatWatchScript, renderNatWatchUnit } from './watch.js';
import { buildNatWatchIntents } from './watch-intents.js';

declare module '../feature.js' {
  interface Intents {
    natNodes: NatNodeIntent[];
    natWatches: NatWatchIntent[];
  }
}

export const natPairsFeature: Feature = {
  name: 'nat-pairs',
  normalize({ doc, release, model }) {
    model.natPairs = natPairs(doc.nat_pairs, doc.defaults?.vyos, release);
  },
  check({ model, diags }) {
    checkNatPairs(model, diags);
  },
  intents({ model, intents }) {
    intents.natNodes = buildNatNodeIntents(model);
    intents.natWatches = buildNatWatchIntents(model);
  },
  checkIntents({ intents, diags }) {
    for (const node of intents.natNodes) checkNatNodeForRelease(node, diags);
  },
  render({ intents, file }) {
    const files: OutputFile[] = intents.natNodes.map((node) => ({
      path: `${node.name}.vyos`,
      device: node.name,
      kind: 'vyos',
      release: node.release,
      content: renderNatNode(node, natNodeHeader(node, file)),
    }));
    for (const n of intents.natWatches) {
      const device = n.node;
      files.push({ path: `${device}.nat-watch.sh`, device, kind: 'nat-watch-script', content: renderNatWatchScript(n, natFileHeader(n, file, 'NAT watch script')) });
      files.push({ path: `${device}.nat-watch.service`, device, kind: 'nat-watch-unit', content: renderNatWatchUnit(n, natFileHeader(n, file, 'systemd unit of the NAT watch')) });
      if (n.target === 'linux') {
        files.push({ path: `${device}.nat.sh`, device, kind: 'nat-script', content: renderNatScript(n, natFileHeader(n, file, 'NAT setup script')) });
        files.push({ path: `${device}.sysctl.conf`, device, kind: 'sysctl', content: renderNatSysctl(n, natFileHeader(n, file, 'sysctl.conf')) });
      }
    }
    return files;
  },
};
