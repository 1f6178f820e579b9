// A router written under `routers:`: its own part of the per-router model,
// with the topology path of every element, merged into the router's intent
// (a site router's derived one, or a new one for a router in no site).
import type { DocPath } from '../../diagnostics.js';
import type {
  BgpIntent,
  EspGroupIntent,
  EthernetIntent,
  ExtraLineIntent,
  IkeGroupIntent,
  LoopbackIntent,
  NatBlock,
  PeerIntent,
  PrefixListIntent,
  RegexListIntent,
  RouteMapIntent,
  StaticRouteIntent,
  TunnelIntent,
  VrrpBlock,
  VtiIntent,
} from '../../model/intent.js';
import type { Release } from '../../model/topology.js';

export interface ExplicitRouter {
  name: string;
  path: DocPath;
  /** The site router this entry extends; absent for a router in no site. */
  extends?: string;
  release: Release;
  releasePath: DocPath;
  hostName?: { value: string; path: DocPath };
  ethernet: (EthernetIntent & { path: DocPath })[];
  loopbacks: (LoopbackIntent & { path: DocPath })[];
  dummies: (LoopbackIntent & { path: DocPath })[];
  tunnels: (TunnelIntent & { path: DocPath })[];
  vtis: (VtiIntent & { path: DocPath })[];
  staticRoutes: (StaticRouteIntent & { path: DocPath; announce: boolean })[];
  bgp?: Omit<BgpIntent, 'asn'> & { asn?: number; path: DocPath };
  prefixLists: PrefixListIntent[];
  routeMaps: RouteMapIntent[];
  asPathLists: RegexListIntent[];
  communityLists: RegexListIntent[];
  ipsec?: {
    interface?: string;
    disableRouteAutoinstall?: boolean;
    ikeGroups: IkeGroupIntent[];
    espGroups: EspGroupIntent[];
    peers: PeerIntent[];
    path: DocPath;
  };
  vrrp?: VrrpBlock;
  nat?: NatBlock;
  extraLines: ExtraLineIntent[];
}

declare module '../feature.js' {
  interface Model {
    explicitRouters: ExplicitRouter[];
  }
}
