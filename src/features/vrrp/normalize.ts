// A site's VRRP group between its routers on the LAN.
import type { DocPath } from '../../diagnostics.js';
import type { TopologyDoc, VrrpDoc } from '../../model/document.js';
import type { Vrrp, Vrrp6 } from './model.js';
import { parsePrefix } from '../../net/ipv4.js';
import { parseIp } from '../../net/ip.js';
import { DEFAULTS } from '../../model/defaults.js';
import { secretRef } from '../../secrets/ref.js';
import type { Model } from '../feature.js';
import { subPath } from '../../diagnostics.js';

/** A site in a VPC gets a preempt delay unless it sets one (DEFAULTS.cloudPreemptDelay says why). */
export function vrrp(v: VrrpDoc | undefined, sitePath: DocPath, inCloud = false): Vrrp | undefined {
  if (!v) return undefined;
  const path = subPath(sitePath, 'vrrp');
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
    ...(v.password ? { password: secretRef(v.password, subPath(path, 'password')) } : {}),
    ...(v.ipv6 ? { ipv6: vrrp6(v, path) } : {}),
  };
}

/**
 * The IPv6 group's VRID, unless pinned, is the IPv4 group's + 1 (254 for 255):
 * VyOS 1.3 refuses one VRID twice on an interface whatever the family, and a
 * VRID that follows the IPv4 one stays the same across releases and when
 * sites are added.
 */
export function vrid6(vrid: number): number {
  return vrid === 255 ? 254 : vrid + 1;
}

function vrrp6(v: VrrpDoc, path: DocPath): Vrrp6 {
  const x = v.ipv6!;
  const p = subPath(path, 'ipv6');
  return {
    address: parseIp(x.address),
    vrid: x.vrid ?? vrid6(v.vrid ?? DEFAULTS.vrrp.vrid),
    ...(x.vrid !== undefined ? { vridPath: subPath(p, 'vrid') } : {}),
    path: p,
  };
}

export function normalizeVrrp(doc: TopologyDoc, model: Model): void {
  for (const site of model.topology.sites) {
    const s = doc.sites![site.name]!;
    const v = vrrp(s.vrrp, site.path, s.aws !== undefined);
    if (v) site.vrrp = v;
  }
}
