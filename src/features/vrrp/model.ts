// A site's VRRP group on its LAN (vrrp: in a site), attached to Site.
import type { DocPath } from '../../diagnostics.js';
import type { Prefix } from '../../net/ipv4.js';
import type { SecretRef } from '../../model/topology.js';

export interface Vrrp {
  address: Prefix;
  vrid: number;
  advertiseInterval: number;
  unicast: boolean;
  preempt: boolean;
  preemptDelay?: number;
  password?: SecretRef;
  path: DocPath;
}

declare module '../../model/topology.js' {
  interface Site {
    vrrp?: Vrrp;
  }
}
