// The IPv6 half of a dual-stack site topology: `sites.X.ipv6` (networks),
// `sites.X.routers.R.ipv6` (addresses), `defaults.tunnel_pool6`. Kept apart
// from the IPv4 core types so that every IPv4 feature reads what it always did.
import type { DocPath } from '../../diagnostics.js';
import type { IpPrefix } from '../../net/ip.js';

export interface Site6Doc {
  connected?: string[];
  static?: { prefix: string; via: string; distance?: number }[];
}

export interface Router6Doc {
  wan?: { address?: string; gateway?: string };
  lan?: { address: string };
  loopback?: string;
}

declare module '../../model/document.js' {
  interface SiteDoc {
    ipv6?: Site6Doc;
  }
  interface RouterDoc {
    ipv6?: Router6Doc;
  }
  interface DefaultsDoc {
    tunnel_pool6?: string;
  }
}

export interface Located6 {
  prefix: IpPrefix;
  path: DocPath;
}

export interface Site6 {
  connected: Located6[];
  statics: (Located6 & { via: string; distance?: number })[];
}

export interface Router6 {
  wan?: Located6;
  gateway?: { address: string; path: DocPath };
  lan?: Located6;
  loopback?: Located6;
  path: DocPath;
}

export interface DualStack {
  /** By site name: only sites that write ipv6. */
  sites: Map<string, Site6>;
  /** By router name: only routers that write ipv6. */
  routers: Map<string, Router6>;
  pool?: { prefix: IpPrefix; path: DocPath };
}

declare module '../feature.js' {
  interface Model {
    dualStack: DualStack;
  }
}
