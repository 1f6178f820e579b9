// A site's AWS attachment (aws: in a site, and each router's instance), set by
// the failover feature's normalize step and read by the features that act in
// the VPC (failover scripts, aws-setup, the cloud VPN's reserved addresses).
import type { DocPath } from '../../diagnostics.js';
import type { SecretRef } from '../../model/topology.js';

export type FailoverTrigger = 'vrrp' | 'serf' | 'route-server' | 'none';

export interface AwsSite {
  region: string;
  routeTables: string[];
  /** Explicit destinations; when empty, every network the other sites announce. */
  destinations: string[];
  eip?: string;
  failover: FailoverTrigger;
  /** Serf's gossip encryption key (failover: serf). */
  serfKey?: SecretRef;
  scaleUp?: ScaleUp;
  /** AWS VPC Route Server: BGP to its endpoints instead of a failover script. */
  routeServer?: { asn: number; endpoints: string[]; bfd: boolean; path: DocPath };
  path: DocPath;
}

/** Scale-up: the router replaces itself with a larger instance above a load average. */
export interface ScaleUp {
  loadAverage: number;
  instanceType: string;
  amiTag: { key: string; value: string };
  path: DocPath;
}

declare module '../../model/topology.js' {
  interface Site {
    aws?: AwsSite;
  }
  interface Router {
    /** The EC2 instance, and its network interfaces when it has a lan (two interfaces: AWS then refuses --instance-id). */
    aws?: { instanceId: string; lanEni?: string; wanEni?: string; eipPrivateAddress?: string };
  }
}
