// NAT pairs -> the VyOS configuration of each `target: vyos` node: its WAN,
// a default route, and source NAT of the VPC CIDR out of the WAN (the HA NAT design).
import type { NatNodeIntent } from '../../model/intent.js';
import type { Topology } from '../../model/topology.js';
import type { Model } from '../feature.js';
import { subPath } from '../../diagnostics.js';

/** Rule numbers below 100 stay free for the operator's own rules. */
export const NAT_RULE = 100;

export function buildNatNodeIntents(model: Model): NatNodeIntent[] {
  return model.natPairs.flatMap((pair) =>
    pair.nodes
      .filter((n) => n.target === 'vyos')
      .map((n) => ({
        name: n.name,
        pair: pair.name,
        zone: n.zone,
        release: n.release,
        releasePath: n.releasePath,
        path: n.path,
        hostName: n.name,
        wan: {
          name: n.wan.name,
          address: n.wan.prefix.text,
          ...(n.wan.description !== undefined ? { description: { value: n.wan.description, path: subPath(n.wan.path, 'description') } } : {}),
        },
        ...(n.wan.gateway ? { gateway: n.wan.gateway } : {}),
        rule: { number: NAT_RULE, description: `masquerade ${pair.vpcCidr.network} (pair ${pair.name})`, outboundInterface: n.wan.name, source: pair.vpcCidr.network },
      })),
  );
}
