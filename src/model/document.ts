// The topology document as the schema admits it (schemas/topology.schema.json).
// Only schema-valid documents are typed this way.
export type SecretDoc = { env: string } | { file: string };

export interface IkeDoc { key_exchange?: 'ikev1' | 'ikev2'; encryption?: string; hash?: string; dh_group?: number; lifetime?: number }
export interface EspDoc { encryption?: string; hash?: string; pfs?: number | 'disable'; lifetime?: number; mode?: 'tunnel' | 'transport' }
export interface DpdDoc { action?: 'restart' | 'clear' | 'trap'; interval?: number; timeout?: number }
export interface IpsecDoc { ike?: IkeDoc; esp?: EspDoc; dpd?: DpdDoc }
export interface StandbyDoc { prepend?: number; local_preference?: number }

export interface DefaultsDoc {
  vyos?: '1.3' | '1.4' | '1.5';
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
  vyos?: '1.3' | '1.4' | '1.5';
  wan: WanDoc;
  lan?: InterfaceDoc;
  loopback: string;
}

export interface SiteDoc {
  asn: number;
  vyos?: '1.3' | '1.4' | '1.5';
  networks?: { connected?: string[]; static?: { prefix: string; via: string; distance?: number }[] };
  standby?: StandbyDoc;
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
}
