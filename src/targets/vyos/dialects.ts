// Every difference between VyOS releases that vygen knows of, in one frozen
// table. Templates and renderers read it and contain no release conditionals;
// adding a release is one entry here plus one golden directory per fixture.
//
// Each entry was verified with `vyos-check --release R --tree PATH` (VyOS's own CLI definitions)
// for that release.
//
// `paths` are Handlebars partials: path shapes that differ (the BGP ASN in
// every path on 1.3; the IPsec peer named by its address on 1.3 and by a label
// with `remote-address` on 1.4+; the pre-shared key on the peer on 1.3 and under
// `vpn ipsec authentication psk` on 1.4+). An empty partial means the release
// has no such line.

export interface Range {
  min: number;
  max: number;
}

export interface NameRule {
  pattern: RegExp;
  /** Said in a diagnostic: what the release accepts. */
  says: string;
}

/** The releases vygen renders: the keys of the table below. */
export type Release = '1.3' | '1.4' | '1.5';

/** The release of a router that names none. */
export const DEFAULT_RELEASE: Release = '1.4';

export interface Dialect {
  release: Release;
  codename: string;
  paths: Readonly<Record<PartialName, string>>;
  words: {
    /** Topology DPD action -> the release's keyword. */
    dpdAction: Readonly<Record<'restart' | 'clear' | 'trap', string>>;
  };
  ranges: {
    tunnelMtu: Range;
    /** What a GRE tunnel's commit accepts: VyOS gives it an IPv6 link-local address, and IPv6 needs 1280. */
    tunnelMtuCommitMin: number;
    vtiMtu: Range;
    descriptionLength: Range;
    ikeLifetime: Range;
    espLifetime: Range;
    bgpHoldtime: Range;
  };
  names: {
    hostName: NameRule;
    /** null: the release names a peer by its remote address. */
    peerName: NameRule | null;
    prefixList: NameRule;
    routeMap: NameRule;
    ipsecGroup: NameRule;
  };
  values: {
    encryption: readonly string[];
    hash: readonly string[];
    dhGroups: readonly number[];
    /** ESP modes the release accepts on a peer bound to a VTI (1.3's commit refuses transport). */
    espModesWithVti: readonly ('tunnel' | 'transport')[];
  };
  /** What the release has at all (verified with vyos-check --tree). */
  supports: {
    /** `high-availability vrrp sync-group X health-check` (1.4+; 1.3 has it on groups only). */
    syncGroupHealthCheck: boolean;
    /** IPv6 addresses on a VTI (1.3's `interfaces vti X address` is ipv4net only). */
    vtiIpv6: boolean;
    /**
     * `neighbor X remote-as` activates only the families written for X. 1.3's
     * vyatta-cfg-quagga runs `neighbor X activate` in IPv4 unicast with every
     * remote-as (and `no bgp ebgp-requires-policy`): an IPv6 session there
     * carries IPv4 too, with no policy, unless told to carry nothing.
     */
    familiesAsWritten: boolean;
  };
  /**
   * The multi-valued leaves among the paths vygen emits, `*` standing for any
   * tag value: `set` adds a value to them instead of replacing the one there,
   * and `delete PATH 'VALUE'` removes one value. Read by the diff and its
   * config-tree model (src/diff); a leaf missing here would be diffed as
   * single-valued. Verified with `vyos-check --tree` per release: 1.4 made the
   * IPsec tunnel prefixes and the peer's `remote-address` multi-valued.
   */
  multiValued: readonly string[];
}

export type PartialName =
  | 'ipsec-interface'
  | 'peer'
  | 'peer-authentication'
  | 'peer-remote-address'
  | 'bgp'
  | 'bgp-system-as'
  | 'as-path-prepend'
  | 'static-interface-route'
  | 'static-interface-route6'
  | 'bgp-peer-group6'
  | 'vrrp-address'
  | 'nat-outbound-interface'
  | 'nat-inbound-interface'
  | 'community-set'
  | 'interface-adjust-mss'
  | 'firewall-adjust-mss'
  | 'fw-name'
  | 'fw-state'
  | 'fw-default-log'
  | 'fw-attach'
  | 'shaper-policy'
  | 'shaper-attach';

// Identical in 1.3, 1.4 and 1.5 (vpn ipsec ike-group X proposal 1 encryption|hash).
const ENCRYPTION = Object.freeze([
  'null', 'aes128', 'aes192', 'aes256', 'aes128ctr', 'aes192ctr', 'aes256ctr',
  'aes128ccm64', 'aes192ccm64', 'aes256ccm64', 'aes128ccm96', 'aes192ccm96', 'aes256ccm96',
  'aes128ccm128', 'aes192ccm128', 'aes256ccm128', 'aes128gcm64', 'aes192gcm64', 'aes256gcm64',
  'aes128gcm96', 'aes192gcm96', 'aes256gcm96', 'aes128gcm128', 'aes192gcm128', 'aes256gcm128',
  'aes128gmac', 'aes192gmac', 'aes256gmac', '3des', 'blowfish128', 'blowfish192', 'blowfish256',
  'camellia128', 'camellia192', 'camellia256', 'camellia128ctr', 'camellia192ctr', 'camellia256ctr',
  'camellia128ccm64', 'camellia192ccm64', 'camellia256ccm64', 'camellia128ccm96', 'camellia192ccm96',
  'camellia256ccm96', 'camellia128ccm128', 'camellia192ccm128', 'camellia256ccm128',
  'serpent128', 'serpent192', 'serpent256', 'twofish128', 'twofish192', 'twofish256', 'cast128', 'chacha20poly1305',
]);
const HASH = Object.freeze([
  'md5', 'md5_128', 'sha1', 'sha1_160', 'sha256', 'sha256_96', 'sha384', 'sha512',
  'aesxcbc', 'aescmac', 'aes128gmac', 'aes192gmac', 'aes256gmac',
]);
const DH_GROUPS = Object.freeze([1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]);
// Multi-valued in 1.3, 1.4 and 1.5 (interface addresses, VRRP unicast peers and sync-group members).
const MULTI_VALUED = Object.freeze([
  'interfaces ethernet * address',
  'interfaces ethernet * vif * address',
  'interfaces dummy * address',
  'interfaces loopback * address',
  'interfaces tunnel * address',
  'interfaces vti * address',
  'high-availability vrrp group * peer-address',
  'high-availability vrrp sync-group * member',
  'firewall group address-group * address',
  'firewall group network-group * network',
  'firewall group ipv6-address-group * address',
  'firewall group ipv6-network-group * network',
]);
const HOST_NAME: NameRule = { pattern: /^[A-Za-z0-9][-.A-Za-z0-9]*[A-Za-z0-9]$/, says: 'letters, digits, "-" and ".", at least 2 characters, not starting or ending with "-" or "."' };

const V13: Dialect = {
  release: '1.3',
  codename: 'equuleus',
  paths: {
    'ipsec-interface': 'vpn ipsec ipsec-interfaces interface',
    peer: 'vpn ipsec site-to-site peer {{t remoteAddress}}',
    'peer-authentication': [
      '{{#if localId}}',
      'set {{> peer}} authentication id {{q localId}}',
      '{{/if}}',
      "set {{> peer}} authentication mode 'pre-shared-secret'",
      'set {{> peer}} authentication pre-shared-secret {{q secret}}',
      'set {{> peer}} authentication remote-id {{q remoteId}}',
      '',
    ].join('\n'),
    'peer-remote-address': '',
    bgp: 'protocols bgp {{t @root.bgp.asn}}',
    'bgp-system-as': '',
    'as-path-prepend': 'set as-path-prepend',
    'static-interface-route': 'protocols static interface-route {{t prefix}} next-hop-interface {{t interface}}',
    'static-interface-route6': 'protocols static interface-route6 {{t prefix}} next-hop-interface {{t interface}}',
    // 1.3's commit wants an IPv6 member's peer-group under its address family as well (vyatta-bgp.pl).
    'bgp-peer-group6': [
      'set {{> bgp}} {{kind}} {{t id}} address-family ipv6-unicast peer-group {{q peerGroup}}',
      'set {{> bgp}} {{kind}} {{t id}} peer-group {{q peerGroup}}',
      '',
    ].join('\n'),
    'vrrp-address': 'virtual-address',
    'nat-outbound-interface': 'outbound-interface',
    'nat-inbound-interface': 'inbound-interface',
    'community-set': 'set community',
    // 1.3 clamps the MSS in the firewall's per-interface options, its own section.
    'interface-adjust-mss': '',
    'firewall-adjust-mss': [
      '{{#if mssClamps.length}}',
      '',
      '# --- firewall',
      '{{#each mssClamps}}',
      'set firewall options interface {{t name}} adjust-mss {{q mss}}',
      '{{/each}}',
      '{{/if}}',
      '',
    ].join('\n'),
    'fw-name': 'firewall {{#if ipv6}}ipv6-name{{else}}name{{/if}}',
    // 1.3: one leaf per state, enabled.
    'fw-state': "state {{t this}} 'enable'",
    'fw-default-log': 'enable-default-log',
    // 1.3 attaches rule sets per interface: `in` sees forwarded packets, `local` those for the router.
    'fw-attach': [
      '{{#each firewall.interfaces}}',
      '{{#if @root.firewall.forward}}',
      'set interfaces {{type}} {{t name}}{{#if (has vif)}} vif {{t vif}}{{/if}} firewall in name {{q @root.firewall.forwardName}}',
      '{{/if}}',
      '{{#if @root.firewall.local}}',
      'set interfaces {{type}} {{t name}}{{#if (has vif)}} vif {{t vif}}{{/if}} firewall local name {{q @root.firewall.localName}}',
      '{{/if}}',
      '{{#if @root.firewall.forward6}}',
      'set interfaces {{type}} {{t name}}{{#if (has vif)}} vif {{t vif}}{{/if}} firewall in ipv6-name {{q @root.firewall.forwardName6}}',
      '{{/if}}',
      '{{#if @root.firewall.local6}}',
      'set interfaces {{type}} {{t name}}{{#if (has vif)}} vif {{t vif}}{{/if}} firewall local ipv6-name {{q @root.firewall.localName6}}',
      '{{/if}}',
      '{{/each}}',
      '',
    ].join('\n'),
    'shaper-policy': 'traffic-policy shaper',
    'shaper-attach': 'set interfaces {{interfaceType}} {{t interface}}{{#if (has vif)}} vif {{t vif}}{{/if}} traffic-policy out {{q name}}\n',
  },
  words: { dpdAction: { restart: 'restart', clear: 'clear', trap: 'hold' } },
  ranges: {
    tunnelMtu: { min: 64, max: 8024 },
    tunnelMtuCommitMin: 1280,
    vtiMtu: { min: 68, max: 9000 },
    descriptionLength: { min: 1, max: 256 },
    ikeLifetime: { min: 30, max: 86400 },
    espLifetime: { min: 30, max: 86400 },
    bgpHoldtime: { min: 4, max: 65535 },
  },
  names: {
    hostName: HOST_NAME,
    peerName: null,
    prefixList: { pattern: /^[-_a-zA-Z0-9.]+$/, says: 'letters, digits, "-", "_" and "."' },
    routeMap: { pattern: /^[-_a-zA-Z0-9.]+$/, says: 'letters, digits, "-", "_" and "."' },
    ipsecGroup: { pattern: /^[-_a-zA-Z0-9.]+$/, says: 'letters, digits, "-", "_" and "."' },
  },
  values: { encryption: ENCRYPTION, hash: HASH, dhGroups: DH_GROUPS, espModesWithVti: ['tunnel'] },
  supports: { syncGroupHealthCheck: false, vtiIpv6: false, familiesAsWritten: false },
  multiValued: [...MULTI_VALUED, 'vpn ipsec ipsec-interfaces interface'],
};

const V14: Dialect = {
  release: '1.4',
  codename: 'sagitta',
  paths: {
    'ipsec-interface': 'vpn ipsec interface',
    peer: 'vpn ipsec site-to-site peer {{t name}}',
    'peer-authentication': [
      '{{#if localId}}',
      'set vpn ipsec authentication psk {{t name}} id {{q localId}}',
      '{{else}}',
      'set vpn ipsec authentication psk {{t name}} id {{q localAddress}}',
      '{{/if}}',
      'set vpn ipsec authentication psk {{t name}} id {{q remoteId}}',
      'set vpn ipsec authentication psk {{t name}} secret {{q secret}}',
      '{{#if localId}}',
      'set {{> peer}} authentication local-id {{q localId}}',
      '{{/if}}',
      "set {{> peer}} authentication mode 'pre-shared-secret'",
      'set {{> peer}} authentication remote-id {{q remoteId}}',
      '',
    ].join('\n'),
    'peer-remote-address': 'set {{> peer}} remote-address {{q remoteAddress}}\n',
    bgp: 'protocols bgp',
    'bgp-system-as': 'set protocols bgp system-as {{q @root.bgp.asn}}\n',
    'as-path-prepend': 'set as-path prepend',
    'static-interface-route': 'protocols static route {{t prefix}} interface {{t interface}}',
    'static-interface-route6': 'protocols static route6 {{t prefix}} interface {{t interface}}',
    'bgp-peer-group6': 'set {{> bgp}} {{kind}} {{t id}} peer-group {{q peerGroup}}\n',
    'vrrp-address': 'address',
    'nat-outbound-interface': 'outbound-interface name',
    'nat-inbound-interface': 'inbound-interface name',
    'community-set': 'set community replace',
    'interface-adjust-mss': 'set interfaces {{type}} {{t name}} ip adjust-mss {{q adjustMss}}\n',
    'firewall-adjust-mss': '',
    'fw-name': 'firewall {{#if ipv6}}ipv6{{else}}ipv4{{/if}} name',
    // 1.4+: one multi-valued leaf.
    'fw-state': 'state {{q this}}',
    'fw-default-log': 'default-log',
    // 1.4+ has one forward and one input chain for all interfaces: each jumps to vygen's chain.
    // The loopback is the router talking to itself (lo: never attached on 1.3).
    'fw-attach': [
      '{{#if firewall.forward}}',
      "set firewall ipv4 forward filter rule 10 action 'jump'",
      'set firewall ipv4 forward filter rule 10 jump-target {{q firewall.forwardName}}',
      '{{/if}}',
      '{{#if firewall.local}}',
      "set firewall ipv4 input filter rule 5 action 'accept'",
      "set firewall ipv4 input filter rule 5 inbound-interface name 'lo'",
      "set firewall ipv4 input filter rule 10 action 'jump'",
      'set firewall ipv4 input filter rule 10 jump-target {{q firewall.localName}}',
      '{{/if}}',
      '{{#if firewall.forward6}}',
      "set firewall ipv6 forward filter rule 10 action 'jump'",
      'set firewall ipv6 forward filter rule 10 jump-target {{q firewall.forwardName6}}',
      '{{/if}}',
      '{{#if firewall.local6}}',
      "set firewall ipv6 input filter rule 5 action 'accept'",
      "set firewall ipv6 input filter rule 5 inbound-interface name 'lo'",
      "set firewall ipv6 input filter rule 10 action 'jump'",
      'set firewall ipv6 input filter rule 10 jump-target {{q firewall.localName6}}',
      '{{/if}}',
      '',
    ].join('\n'),
    'shaper-policy': 'qos policy shaper',
    'shaper-attach': 'set qos interface {{t ifname}} egress {{q name}}\n',
  },
  words: { dpdAction: { restart: 'restart', clear: 'clear', trap: 'trap' } },
  ranges: {
    tunnelMtu: { min: 68, max: 16000 },
    tunnelMtuCommitMin: 1280,
    vtiMtu: { min: 68, max: 16000 },
    descriptionLength: { min: 0, max: 255 },
    ikeLifetime: { min: 0, max: 86400 },
    espLifetime: { min: 30, max: 86400 },
    bgpHoldtime: { min: 0, max: 65535 },
  },
  names: {
    hostName: HOST_NAME,
    peerName: { pattern: /^[-_a-zA-Z0-9|@]+$/, says: 'letters, digits, "-", "_", "|" and "@" (no dots)' },
    prefixList: { pattern: /^[-_a-zA-Z0-9]+$/, says: 'letters, digits, "-" and "_" (no dots)' },
    routeMap: { pattern: /^[-_a-zA-Z0-9][\w\-.+]*$/, says: 'letters, digits, "-", "_", "." and "+", not starting with "." or "+"' },
    ipsecGroup: { pattern: /^.+$/, says: 'any text' },
  },
  values: { encryption: ENCRYPTION, hash: HASH, dhGroups: DH_GROUPS, espModesWithVti: ['tunnel', 'transport'] },
  supports: { syncGroupHealthCheck: true, vtiIpv6: true, familiesAsWritten: true },
  multiValued: [
    ...MULTI_VALUED,
    'vpn ipsec interface',
    'vpn ipsec authentication psk * id',
    'vpn ipsec site-to-site peer * remote-address',
    'vpn ipsec site-to-site peer * tunnel * local prefix',
    'vpn ipsec site-to-site peer * tunnel * remote prefix',
    'firewall ipv4 name * rule * state',
    'firewall ipv6 name * rule * state',
  ],
};

// 1.5 (circinus, October 2024 snapshot) equals 1.4 for every path vygen emits.
const V15: Dialect = { ...V14, release: '1.5', codename: 'circinus' };

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !(o instanceof RegExp)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

export const DIALECTS: Readonly<Record<Release, Dialect>> = deepFreeze({ '1.3': V13, '1.4': V14, '1.5': V15 });

export const RELEASES = Object.freeze(Object.keys(DIALECTS) as Release[]);
