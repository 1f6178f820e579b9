// A site's VRRP group between its routers on the LAN.
import type { DocPath } from '../../diagnostics.js';
import type { TopologyDoc, VrrpDoc } from '../../model/document.js';
import type { Vrrp } from './model.js';
import { parsePrefix } from '../../net/ipv4.js';
import { DEFAULTS } from '../../model/defaults.js';
import { secretRef } from '../../secrets/ref.js';
import type { Model } from '../feature.js';

/** A site in a VPC gets a preempt delay unless it sets one (DEFAULTS.cloudPreemptDelay says why). */
export function vrrp(v: VrrpDoc | undefined, sitePath: DocPath, inCloud = false): Vrrp | undefined {
  if (!v) return undefined;
  const path = [...sitePath, 'vrrp'];
  return {
    address: parsePrefix(v.address),
    vrid: v.vrid ?? DEFAULTS.vrrp.vrid,
    advertiseInterval: v.advertise_interval ?? DEFAULTS.vrrp.advertiseInterval,
    unicast: v.unicast ?? true,
    preempt: v.preempt ?? true,
    path,
    ...(v.preempt_delay !== undefined
      ? { preemptDelay: v.preempt_delay }
      : inCloud && v.preempt !== false
        ? { preemptDelay: DEFAULTS.cloudPreemptDelay }
        : {}),
    ...(v.password ? { password: secretRef(v.password, [...path, 'password']) } : {}),
  };
}

export function normalizeVrrp(doc: TopologyDoc, model: Model): void {
  for (const site of model.topology.sites) {
    const s = doc.sites![site.name]!;
    const v = vrrp(s.vrrp, site.path, s.aws !== undefined);
    if (v) site.vrrp = v;
  }
}
