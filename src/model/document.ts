// The topology document as the schema admits it (schemas/topology.schema.json).
// Only schema-valid documents are typed this way.
import type { Release } from '../targets/vyos/dialects.js';

export type SecretDoc = { env: string } | { file: string };
export interface IkeDoc { key_exchange?: 'ikev1' | 'ikev2'; encryption?: string; hash?: string; dh_group?: number; lifetime?: number }
export interface EspDoc { encryption?: string; hash?: string; pfs?: number | 'disable'; lifetime?: number; mode?: 'tunnel' | 'transport' }
export interface DpdDoc { action?: 'restart' | 'clear' | 'trap'; interval?: number; timeout?: number }
export interface IpsecDoc { ike?: IkeDoc; esp?: EspDoc; dpd?: DpdDoc }
export interface StandbyDoc { prepend?: number; local_preference?: number }

export interface DefaultsDoc {
  vyos?: Release;
  bgp?: { keepalive?: number; holdtime?: number };
  tunnel_pool?: string;
  gre?: { mtu?: number };
  ipsec?: IpsecDoc;
  standby?: StandbyDoc;
}

export interface InterfaceDoc { interface: string; address: string; description?: string }
export interface WanDoc extends InterfaceDoc { public?: string; gateway?: string }

export interface RouterDoc {
  role: 'active' | 'standby';
  vyos?: Release;
  wan: WanDoc;
  lan?: InterfaceDoc;
  loopback: string;
  aws?: { instance_id: string; lan_eni?: string; wan_eni?: string; eip_private_address?: string };
  vpn_connections?: VpnConnectionDoc[];
}

export interface VpnConnectionDoc {
  name: string;
  asn?: number;
  routing?: 'bgp' | 'static';
  static_prefixes?: string[];
  mtu?: number;
  bgp?: { keepalive?: number; holdtime?: number };
  ike?: IkeDoc;
  esp?: EspDoc;
  dpd?: DpdDoc;
  tunnels: { outside: string; inside: string; psk: SecretDoc; vti?: string; peer?: string; description?: string; bgp?: { weight?: number; prepend?: number } }[];
  ike_group?: string;
  esp_group?: string;
}

export interface AwsSiteDoc {
  region: string;
  route_tables?: string[];
  destinations?: string[];
  eip?: string;
  failover?: 'vrrp' | 'serf' | 'route-server' | 'none';
  route_server?: { asn: number; endpoints: string[]; bfd?: boolean };
  serf?: { encrypt_key: SecretDoc };
  scale_up?: { load_average: number; instance_type: string; ami_tag: { key: string; value: string } };
}

export interface VrrpDoc {
  address: string;
  vrid?: number;
  advertise_interval?: number;
  unicast?: boolean;
  preempt?: boolean;
  preempt_delay?: number;
  password?: SecretDoc;
}

export interface NatNodeDoc {
  target?: 'vyos' | 'linux';
  vyos?: Release;
  zone: string;
  instance_id: string;
  wan: WanDoc;
  route_tables: string[];
  heartbeat: { route_table: string; probe: string };
}

export interface NatPairDoc {
  region: string;
  vpc_cidr: string;
  health_check?: { interval?: number; misses?: number; timeout?: number; rise?: number };
  nodes: Record<string, NatNodeDoc>;
}

export interface HubMeshDoc {
  psk_env_prefix: string;
  first_link_id?: number;
  links_per_region?: number;
  gre?: { mtu?: number };
  regions: { hub: string; spokes?: string[] }[];
}

export interface SiteDoc {
  asn: number;
  vyos?: Release;
  networks?: { connected?: string[]; static?: { prefix: string; via: string; distance?: number }[]; more_specifics?: string[] };
  standby?: StandbyDoc;
  aws?: AwsSiteDoc;
  vrrp?: VrrpDoc;
  routers: Record<string, RouterDoc>;
}

export interface LinkDoc {
  between: [string, string];
  id?: number;
  description?: string;
  ipsec: IpsecDoc & { psk: SecretDoc };
  gre?: { mtu?: number };
}

export interface TopologyDoc {
  vygen: 1;
  defaults?: DefaultsDoc;
  sites?: Record<string, SiteDoc>;
  links?: LinkDoc[];
  nat_pairs?: Record<string, NatPairDoc>;
  hub_mesh?: HubMeshDoc;
  lvs?: LvsDoc;
  routers?: Record<string, ExplicitRouterDoc>;
}

// The per-router layer (`routers:`), as the schema admits it.
type OneOrMany<T> = T | T[];
export interface RouterInterfaceDoc {
  address?: OneOrMany<string>;
  description?: string;
  mtu?: number;
  adjust_mss?: number;
  vif?: Record<string, { address?: OneOrMany<string>; description?: string; mtu?: number }>;
  source_address?: string;
  remote?: string;
}
export interface StaticRouteDoc {
  prefix: string;
  next_hop?: OneOrMany<string>;
  interface?: OneOrMany<string>;
  blackhole?: boolean;
  distance?: number;
  announce?: boolean;
}
export interface BgpSessionDoc {
  remote_as?: number;
  description?: string;
  update_source?: string;
  ebgp_multihop?: number;
  password?: SecretDoc;
  timers?: { keepalive?: number; holdtime?: number };
  capability_dynamic?: boolean;
  nexthop_self?: boolean;
  soft_reconfiguration?: boolean;
  weight?: number;
  maximum_prefix?: number;
  prefix_list?: { import?: string; export?: string };
  route_map?: { import?: string; export?: string };
  peer_group?: string;
  ipv4_unicast?: true | BgpFamilyDoc;
  ipv6_unicast?: true | BgpFamilyDoc;
}
export type BgpFamilyDoc = Pick<BgpSessionDoc, 'nexthop_self' | 'soft_reconfiguration' | 'weight' | 'maximum_prefix' | 'prefix_list' | 'route_map'>;
export interface RouterBgpDoc {
  asn?: number;
  router_id?: string;
  timers?: { keepalive?: number; holdtime?: number };
  networks?: (string | { prefix: string; route_map?: string })[];
  redistribute?: { static?: true | { route_map: string }; connected?: true | { route_map: string } };
  peer_groups?: Record<string, BgpSessionDoc>;
  neighbors?: Record<string, BgpSessionDoc>;
}
export interface PrefixListDoc {
  description?: string;
  rules: { rule?: number; action: 'permit' | 'deny'; prefix: string; ge?: number; le?: number; description?: string }[];
}
export interface RouteMapDoc {
  description?: string;
  rules: {
    rule?: number;
    action: 'permit' | 'deny';
    description?: string;
    match?: { prefix_list?: string; as_path_list?: string; community_list?: string };
    set?: { as_path_prepend?: OneOrMany<number>; local_preference?: number; metric?: number; weight?: number; community?: string };
  }[];
}
export interface RegexListDoc {
  description?: string;
  rules: { rule?: number; action: 'permit' | 'deny'; regex: string }[];
}
export interface IkeGroupDoc extends IkeDoc { dpd?: DpdDoc; close_action?: 'none' | 'hold' | 'restart' }
export interface EspGroupDoc extends Omit<EspDoc, 'pfs'> { pfs?: number | 'disable' | 'enable' }
export interface IpsecPeerDoc {
  remote_address: string;
  local_address?: string;
  local_id?: string;
  remote_id?: string;
  psk?: SecretDoc;
  ike_group: string;
  esp_group: string;
  connection_type?: 'initiate' | 'respond' | 'none';
  ikev2_reauth?: 'yes' | 'no' | 'inherit';
  description?: string;
  vti?: string;
}
export interface TransitionScriptsDoc { master?: string; backup?: string; fault?: string }
export interface VrrpGroupDoc {
  interface: string;
  vrid: number;
  address: OneOrMany<string>;
  priority?: number;
  preempt?: boolean;
  preempt_delay?: number;
  advertise_interval?: number;
  hello_source_address?: string;
  peers?: string[];
  password?: SecretDoc;
  health_check?: string;
  transition_scripts?: TransitionScriptsDoc;
}
export interface NatSourceDoc {
  rule: number;
  description?: string;
  source?: string;
  destination?: string;
  outbound_interface?: string;
  translation?: string;
  exclude?: boolean;
}
export interface NatDestinationDoc {
  rule: number;
  description?: string;
  inbound_interface?: string;
  protocol?: string;
  destination?: string;
  port?: string;
  translation: { address: string; port?: string };
}
export interface ExplicitRouterDoc {
  vyos?: Release;
  host_name?: string;
  interfaces?: Record<string, RouterInterfaceDoc>;
  static_routes?: StaticRouteDoc[];
  bgp?: RouterBgpDoc;
  policy?: {
    prefix_lists?: Record<string, PrefixListDoc>;
    route_maps?: Record<string, RouteMapDoc>;
    as_path_lists?: Record<string, RegexListDoc>;
    community_lists?: Record<string, RegexListDoc>;
  };
  ipsec?: {
    interface?: string;
    psk?: SecretDoc;
    disable_route_autoinstall?: boolean;
    ike_groups?: Record<string, IkeGroupDoc>;
    esp_groups?: Record<string, EspGroupDoc>;
    peers?: Record<string, IpsecPeerDoc>;
  };
  vrrp?: {
    groups?: Record<string, VrrpGroupDoc>;
    sync_groups?: Record<string, { members: string[]; transition_scripts?: TransitionScriptsDoc; health_check?: string }>;
  };
  nat?: { source?: NatSourceDoc[]; destination?: NatDestinationDoc[] };
  extra?: string[];
}

// LVS pairs (keepalived): the `lvs` key.
export interface LvsDoc {
  segments?: Record<string, LvsSegmentDoc>;
  pairs: Record<string, LvsPairDoc>;
}
export interface LvsSegmentDoc { network: string; multicast?: boolean; reserved_vrids?: number[] }
/** Another interface of a director: its name, or its name and address. */
export type LvsNodeInterfaceDoc = string | { name: string; address?: string };
export interface LvsNodeDoc {
  name: string;
  role?: 'master' | 'backup';
  interface: string;
  address: string;
  priority?: number;
  unicast_src_ip?: string;
  interfaces?: LvsNodeInterfaceDoc[];
  router_id?: string;
}
export interface LvsVipDoc { address: string; dev?: string; brd?: string; scope?: 'global' | 'site' | 'link' | 'host'; label?: string }
export interface LvsRouteDoc { to: string; via?: string; dev?: string; src?: string }
/** A script keepalived runs: its path, or its path and arguments. */
export type LvsScriptDoc = string | { script: string; args?: string[] };
export interface LvsNotifyDoc { master?: LvsScriptDoc; backup?: LvsScriptDoc; fault?: LvsScriptDoc; stop?: LvsScriptDoc }
export interface LvsTrackScriptDoc { script: string; interval?: number; timeout?: number; weight?: number; fall?: number; rise?: number }
export interface LvsGarpDoc { master_delay?: number; master_repeat?: number; master_refresh?: number; master_refresh_repeat?: number }
interface LvsCheckCommonDoc { connect_port?: number; connect_timeout?: number; retry?: number; delay_before_retry?: number; warmup?: number }
export interface LvsUrlDoc { path: string; status_code?: number; digest?: string }
export interface LvsHttpCheckDoc extends LvsCheckCommonDoc {
  path?: string;
  status_code?: number;
  digest?: string;
  url?: LvsUrlDoc[];
}
export type LvsTcpCheckDoc = LvsCheckCommonDoc;
export interface LvsSmtpCheckDoc extends LvsCheckCommonDoc { helo_name?: string }
export interface LvsDnsCheckDoc extends LvsCheckCommonDoc { name: string; type?: string }
export interface LvsMiscCheckDoc {
  path: string;
  args?: string[];
  misc_timeout?: number;
  misc_dynamic?: boolean;
  retry?: number;
  delay_before_retry?: number;
  warmup?: number;
}
export interface LvsRealServerDoc {
  name?: string;
  address: string;
  port?: number;
  weight?: number;
  inhibit_on_failure?: boolean;
  notify_up?: LvsScriptDoc;
  notify_down?: LvsScriptDoc;
  http_get?: LvsHttpCheckDoc;
  ssl_get?: LvsHttpCheckDoc;
  tcp_check?: LvsTcpCheckDoc;
  smtp_check?: LvsSmtpCheckDoc;
  dns_check?: LvsDnsCheckDoc;
  misc_check?: LvsMiscCheckDoc;
}
export type LbKindDoc = 'DR' | 'NAT' | 'TUN';
export interface LvsVirtualServerDoc {
  address?: string;
  port?: number;
  fwmark?: number;
  group?: string;
  protocol?: 'TCP' | 'UDP';
  lvs_sched?: string;
  lb_algo?: string;
  lvs_method?: LbKindDoc;
  lb_kind?: LbKindDoc;
  delay_loop?: number;
  persistence_timeout?: number;
  persistence_granularity?: string;
  quorum?: number;
  hysteresis?: number;
  ha_suspend?: boolean;
  alpha?: boolean;
  omega?: boolean;
  ops?: boolean;
  sorry_server?: { address: string; port?: number; lvs_method?: LbKindDoc };
  real_servers: LvsRealServerDoc[];
}
/** One entry of a virtual_server_group: an address and port, a range of addresses and a port, or a fwmark. */
export type LvsGroupEntryDoc = { address: string; port: number } | { range: string; port: number } | { fwmark: number };
export interface LvsGlobalDefsDoc {
  notification_email?: string[];
  notification_email_from?: string;
  smtp_server?: string;
  smtp_connect_timeout?: number;
  enable_script_security?: boolean;
  script_user?: string;
}
/** The keys one VRRP instance takes; a short-form pair writes them on the pair itself. */
export interface LvsInstanceKeysDoc {
  vrid?: number;
  advert_int?: number;
  auth_pass?: SecretDoc;
  unicast?: boolean;
  preempt?: boolean;
  preempt_delay?: number;
  notify?: LvsNotifyDoc;
  track_scripts?: Record<string, LvsTrackScriptDoc>;
  track_interfaces?: string[];
  garp?: LvsGarpDoc;
  vips?: LvsVipDoc[];
  vips_excluded?: LvsVipDoc[];
  virtual_routes?: LvsRouteDoc[];
}
export interface LvsInstanceDoc extends LvsInstanceKeysDoc {
  interface?: string;
  master?: string;
  priorities?: Record<string, number>;
  vips: LvsVipDoc[];
}
export interface LvsSyncGroupDoc { instances: string[]; notify?: LvsNotifyDoc }
export interface LvsPairDoc extends LvsInstanceKeysDoc {
  nodes: [LvsNodeDoc, LvsNodeDoc];
  instances?: Record<string, LvsInstanceDoc>;
  sync_groups?: Record<string, LvsSyncGroupDoc>;
  global_defs?: LvsGlobalDefsDoc;
  lvs_sync?: boolean | { instance?: string; id?: number };
  real_server_accept?: 'iptables-redirect' | 'loopback-arp';
  virtual_server_groups?: Record<string, LvsGroupEntryDoc[]>;
  virtual_servers?: LvsVirtualServerDoc[];
}

