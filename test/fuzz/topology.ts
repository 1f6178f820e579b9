// Generators of valid topologies for the property tests (test/fuzz.test.ts)
// and `npm run fuzz`. A topology is drawn as choices (how many sites, which
// routers are linked, which features are on, names, releases, proposals,
// descriptions) and laid out by index, so that every address, ASN, VRID and
// route table is unique by construction and the result passes every check:
// a diagnostic error on a generated topology is a finding (of vygen or of
// this generator), never noise.
import fc from 'fast-check';
import { DIALECTS, RELEASES } from '../../dist/index.js';

export type Doc = Record<string, any>;
type Gen = fc.GeneratorValue;

/** Which optional parts a generated topology may have. */
export interface Features {
  cloud: boolean;
  nat: boolean;
  hub: boolean;
  lvs: boolean;
  firewall?: boolean;
}

export const ALL_FEATURES: Features = { cloud: true, nat: true, hub: true, lvs: true, firewall: true };

// What every release accepts: a topology may mix releases, and a link's
// proposal reaches both ends.
const common = <T>(pick: (d: (typeof DIALECTS)[keyof typeof DIALECTS]) => readonly T[]): T[] => {
  const lists = RELEASES.map((r) => pick(DIALECTS[r]));
  return lists[0]!.filter((v) => lists.every((l) => l.includes(v)));
};
const ENCRYPTION = common((d) => d.values.encryption);
const HASH = common((d) => d.values.hash);
const DH = common((d) => d.values.dhGroups);

const REGIONS = ['ap-northeast-1', 'us-east-1', 'eu-west-2', 'sa-east-1', 'us-gov-west-1'];
const LB_ALGOS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh'];

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = `${LOWER}ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789`;

/** A string of `min`..`max` characters of `alphabet`. */
function word(g: Gen, alphabet: string, min: number, max: number): string {
  const chars = g(fc.array, fc.constantFrom(...alphabet.split('')), { minLength: min, maxLength: max });
  return chars.join('');
}

/**
 * A device name every release accepts as a host name and (1.4+) as an IPsec
 * peer name: letters, digits and inner '-', 2 to 40 characters.
 */
function deviceName(g: Gen): string {
  return word(g, ALNUM, 1, 1) + word(g, `${ALNUM}-`, 0, 30) + word(g, ALNUM, 1, 1);
}

/** A site name: it becomes part of prefix-list and route-map names (no dots on 1.4+). */
function siteName(g: Gen): string {
  return word(g, ALNUM, 1, 1) + word(g, `${ALNUM}-_`, 0, 30);
}

/** An LVS or NAT pair, segment, script or real-server name: the schema's name. */
function plainName(g: Gen): string {
  return word(g, ALNUM, 1, 1) + word(g, `${ALNUM}._-`, 0, 30);
}

// Description text: what the schema's `text` allows, shell and VyOS
// metacharacters included (they are quoted), and some non-ASCII letters.
const TEXT_CHARS = `${ALNUM} !#$%&()*+,-./:;<=>?@[]^_\`{|}~éü中`;

function description(g: Gen): string {
  return word(g, TEXT_CHARS, 1, 80);
}

function hex(g: Gen, n: number): string {
  return word(g, '0123456789abcdef', n, n);
}

/** Distinct values drawn by `draw`, `count` of them (redrawn on a clash, then made unique by a suffix). */
function distinct(g: Gen, count: number, draw: () => string, taken: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let v = draw();
    if (taken.has(v.toLowerCase())) v = `${v.slice(0, 20)}-${taken.size}`;
    while (taken.has(v.toLowerCase())) v = `${v}x`;
    taken.add(v.toLowerCase());
    out.push(v);
  }
  return out;
}

/** True with probability p; shrinks towards false, so a counterexample sheds the features it does not need. */
function maybe(g: Gen, p = 0.5): boolean {
  // Unbiased: fast-check's numbers favour the ends of their range by default.
  return g(() => fc.noBias(fc.integer({ min: 0, max: 999 }))) >= 1000 * (1 - p);
}

function int(g: Gen, min: number, max: number): number {
  return g(fc.integer, { min, max });
}

function pick<T>(g: Gen, values: readonly T[]): T {
  return g(fc.constantFrom, ...values);
}

function release(g: Gen): string {
  return pick(g, RELEASES);
}

function ike(g: Gen): Doc {
  const out: Doc = {};
  if (maybe(g)) out.key_exchange = pick(g, ['ikev1', 'ikev2']);
  if (maybe(g)) out.encryption = pick(g, ENCRYPTION);
  if (maybe(g)) out.hash = pick(g, HASH);
  if (maybe(g)) out.dh_group = pick(g, DH);
  if (maybe(g)) out.lifetime = int(g, 30, 86400);
  return out;
}

function esp(g: Gen): Doc {
  const out: Doc = {};
  if (maybe(g)) out.encryption = pick(g, ENCRYPTION);
  if (maybe(g)) out.hash = pick(g, HASH);
  if (maybe(g)) out.pfs = maybe(g, 0.2) ? 'disable' : pick(g, DH);
  if (maybe(g)) out.lifetime = int(g, 30, 86400);
  // transport: refused with GRE's prefixes on every release and with a VTI on 1.3 (a check, tested in test/limits.test.ts).
  if (maybe(g, 0.3)) out.mode = 'tunnel';
  return out;
}

function dpd(g: Gen): Doc {
  const out: Doc = {};
  if (maybe(g)) out.action = pick(g, ['restart', 'clear', 'trap']);
  if (maybe(g)) out.interval = int(g, 2, 3600);
  if (maybe(g)) out.timeout = int(g, 2, 3600);
  return out;
}

function ipsecSettings(g: Gen): Doc {
  const out: Doc = {};
  if (maybe(g, 0.3)) out.ike = ike(g);
  if (maybe(g, 0.3)) out.esp = esp(g);
  if (maybe(g, 0.3)) out.dpd = dpd(g);
  return out;
}

function secret(g: Gen, name: string): Doc {
  return maybe(g, 0.8) ? { env: name } : { file: `secrets/${name.toLowerCase()}.psk` };
}

interface SiteLayout {
  name: string;
  index: number;
  routers: string[];
  hasLan: boolean;
  connected: boolean;
}

/** A valid topology, as the object a YAML file would load to. */
export function topology(g: Gen, features: Features = ALL_FEATURES): Doc {
  const doc: Doc = { vygen: 1 };
  const names = new Set<string>();
  const siteCount = int(g, 0, 5);
  const lvsOnly = siteCount === 0;

  // --- defaults
  const defaults: Doc = {};
  if (maybe(g)) defaults.vyos = release(g);
  if (maybe(g, 0.3)) {
    const keepalive = int(g, 1, 60);
    defaults.bgp = { keepalive, holdtime: maybe(g, 0.2) ? 0 : int(g, Math.max(3 * keepalive, 4), 65535) };
  }
  if (maybe(g, 0.3)) defaults.gre = { mtu: int(g, 1280, 8024) };
  if (maybe(g, 0.3)) defaults.ipsec = ipsecSettings(g);
  if (maybe(g, 0.2)) defaults.standby = { prepend: int(g, 0, 10), local_preference: int(g, 0, 4294967295) };

  // --- sites and routers (site i owns 10.i.0.0/16, WAN 198.18.i.0/24, loopbacks 10.255.i.0/24)
  const sites: SiteLayout[] = [];
  const siteNames = distinct(g, siteCount, () => siteName(g), new Set());
  const routerTaken = names;
  const sitesDoc: Doc = {};
  let tunnelIndex = 0;
  const routeTables = new Set<string>();
  const newTable = () => {
    let t = `rtb-${hex(g, 8)}`;
    while (routeTables.has(t)) t = `rtb-${hex(g, 8)}`;
    routeTables.add(t);
    return t;
  };
  for (let i = 0; i < siteCount; i++) {
    const name = siteNames[i]!;
    const routerCount = int(g, 1, 3);
    const routers = distinct(g, routerCount, () => deviceName(g), routerTaken);
    const hasLan = routerCount > 1 || maybe(g, 0.7);
    const site: Doc = { asn: 64512 + i * 7 + int(g, 0, 6) };
    if (maybe(g, 0.3)) site.vyos = release(g);
    const networks: Doc = {};
    const connected = hasLan && maybe(g, 0.8);
    if (connected) networks.connected = [`10.${i}.1.0/24`];
    if (hasLan && maybe(g, 0.4)) {
      networks.static = Array.from({ length: int(g, 1, 3) }, (_, k) => ({
        prefix: `10.${i}.${16 * (k + 1)}.0/20`,
        via: `10.${i}.1.100`,
        ...(maybe(g, 0.3) ? { distance: int(g, 1, 255) } : {}),
      }));
    }
    if (Object.keys(networks).length > 0) site.networks = networks;
    if (maybe(g, 0.2)) site.standby = { prepend: int(g, 0, 10) };

    const vrrp = features.cloud && hasLan && maybe(g, 0.3);
    const active = int(g, 0, routerCount - 1);
    const routersDoc: Doc = {};
    routers.forEach((r, j) => {
      const router: Doc = {
        role: j === active || (!vrrp && maybe(g, 0.2)) ? 'active' : 'standby',
        wan: {
          interface: 'eth0',
          address: `198.18.${i}.${10 + j}/24`,
          ...(maybe(g, 0.8) ? { gateway: `198.18.${i}.1` } : {}),
          ...(maybe(g, 0.4) ? { public: `203.0.${i}.${10 + j}` } : {}),
          ...(maybe(g, 0.2) ? { description: description(g) } : {}),
        },
        loopback: maybe(g, 0.2) ? `10.255.${i}.${1 + j}/32` : `10.255.${i}.${1 + j}`,
      };
      if (hasLan) router.lan = { interface: `eth${int(g, 1, 3)}`, address: `10.${i}.1.${4 + j}/24`, ...(maybe(g, 0.2) ? { description: description(g) } : {}) };
      if (maybe(g, 0.2)) router.vyos = release(g);
      if (features.cloud && maybe(g, 0.2)) {
        const conns = int(g, 1, 2);
        router.vpn_connections = Array.from({ length: conns }, (_, c) => {
          const routing = maybe(g, 0.7) ? 'bgp' : 'static';
          const tunnels = Array.from({ length: int(g, 1, 2) }, () => {
            const k = tunnelIndex++;
            return { outside: `52.${i}.${j}.${10 + k}`, inside: `169.254.${10 + Math.floor(k / 64)}.${(k % 64) * 4}/30`, psk: secret(g, `VYGEN_CLOUD_${k}`) };
          });
          return {
            name: `${word(g, ALNUM, 1, 1)}${word(g, `${ALNUM}_-`, 0, 12)}-${c}`,
            ...(maybe(g, 0.5) ? { asn: int(g, 64512, 65534) } : {}),
            ...(routing === 'static' ? { routing, static_prefixes: [`172.31.${tunnelIndex}.0/24`] } : maybe(g, 0.3) ? { routing } : {}),
            ...(maybe(g, 0.3) ? { mtu: int(g, 68, 9000) } : {}),
            ...(maybe(g, 0.3) ? { bgp: { keepalive: 10, holdtime: 30 } } : {}),
            ...(maybe(g, 0.2) ? { ike: ike(g) } : {}),
            ...(maybe(g, 0.2) ? { esp: esp(g) } : {}),
            ...(maybe(g, 0.2) ? { dpd: dpd(g) } : {}),
            tunnels,
          };
        });
      }
      routersDoc[r] = router;
    });
    site.routers = routersDoc;
    if (vrrp) {
      site.vrrp = {
        address: `10.${i}.1.254/24`,
        ...(maybe(g) ? { vrid: int(g, 1, 255) } : {}),
        ...(maybe(g, 0.3) ? { advertise_interval: int(g, 1, 255) } : {}),
        ...(maybe(g, 0.3) ? { unicast: maybe(g) } : {}),
        ...(maybe(g, 0.3) ? { preempt: maybe(g) } : {}),
        ...(maybe(g, 0.2) ? { preempt_delay: int(g, 0, 1000) } : {}),
        ...(maybe(g, 0.3) ? { password: { env: `VYGEN_VRRP_${i}` } } : {}),
      };
    }
    sites.push({ name, index: i, routers, hasLan, connected });
    sitesDoc[name] = site;
  }
  // Cloud failover needs every router's instance id, and destinations.
  if (features.cloud) {
    for (const s of sites) {
      if (!maybe(g, 0.3)) continue;
      const site = sitesDoc[s.name];
      const others = sites.some((o) => o !== s && (o.connected || sitesDoc[o.name].networks?.static));
      const serf = s.hasLan && s.routers.length >= 2 ? ['serf'] : [];
      const failover = pick(g, [...(site.vrrp ? ['vrrp'] : []), ...serf, 'route-server', 'none', undefined]);
      const tables = maybe(g, 0.8) ? Array.from({ length: int(g, 1, 2) }, newTable) : [];
      const aws: Doc = { region: pick(g, REGIONS) };
      if (tables.length > 0) aws.route_tables = tables;
      if (tables.length > 0 && (!others || maybe(g, 0.4))) aws.destinations = [`192.168.${s.index}.0/24`, ...(maybe(g) ? [`172.20.${s.index}.0/24`] : [])];
      if (maybe(g, 0.4)) aws.eip = `eipalloc-${hex(g, 17)}`;
      if (failover !== undefined) aws.failover = failover;
      if (failover === 'serf') aws.serf = { encrypt_key: { env: `VYGEN_SERF_${s.index}` } };
      if (failover === 'route-server') {
        // Endpoints in a subnet every router has: the LAN, else the WAN; no Elastic IP to move.
        const net = s.hasLan ? `10.${s.index}.1` : `198.18.${s.index}`;
        aws.route_server = { asn: 4200000000 + s.index, endpoints: [`${net}.200`, ...(maybe(g) ? [`${net}.201`] : [])], ...(maybe(g, 0.3) ? { bfd: maybe(g) } : {}) };
        delete aws.eip;
      }
      if ((failover === 'vrrp' || failover === 'serf') && maybe(g, 0.2)) {
        aws.scale_up = { load_average: pick(g, [0.5, 2, 7.25]), instance_type: pick(g, ['c5.large', 'm6i.xlarge']), ami_tag: { key: 'Role', value: pick(g, ['vygen-router', 'router:v2']) } };
      }
      site.aws = aws;
      const moves = failover === 'vrrp' || failover === 'serf' || (failover === undefined && site.vrrp);
      s.routers.forEach((r, j) => {
        if (!moves && !maybe(g, 0.3)) return;
        site.routers[r].aws = {
          instance_id: `i-${hex(g, 17)}`,
          ...(maybe(g) ? { lan_eni: `eni-${hex(g, 8)}${j}` } : {}),
          ...(maybe(g) ? { wan_eni: `eni-${hex(g, 9)}${j}` } : {}),
          // The floating Elastic IP must not take a router's own public address.
          ...(aws.eip && moves && site.routers[r].wan.public ? { eip_private_address: `198.18.${s.index}.${50 + j}` } : {}),
        };
      });
    }
  }
  if (siteCount > 0) doc.sites = sitesDoc;

  // --- hub mesh: some sites as hubs, others as spokes; its links get ids from 0
  const meshSites = new Set<string>();
  let pinnedFrom = 0;
  if (features.hub && sites.length >= 2 && maybe(g, 0.3)) {
    const order = g(fc.shuffledSubarray, sites, { minLength: 2, maxLength: sites.length }) as SiteLayout[];
    const regionCount = int(g, 1, Math.min(3, order.length));
    const regions: Doc[] = [];
    order.forEach((s, k) => {
      meshSites.add(s.name);
      if (k < regionCount) regions.push({ hub: s.name });
      else {
        const region = regions[int(g, 0, regions.length - 1)]!;
        (region.spokes ??= []).push(s.name);
      }
    });
    const per = 64;
    doc.hub_mesh = { psk_env_prefix: `VYGEN_${word(g, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_', 1, 10)}`, links_per_region: per, regions };
    if (maybe(g, 0.3)) doc.hub_mesh.gre = { mtu: int(g, 1280, 8024) };
    defaults.tunnel_pool = '172.16.0.0/16';
    pinnedFrom = regions.length * per;
  }

  // --- links between routers of different sites (not two mesh sites: the mesh links those)
  const candidates: [string, string][] = [];
  for (const a of sites) {
    for (const b of sites) {
      if (a.index >= b.index || (meshSites.has(a.name) && meshSites.has(b.name))) continue;
      for (const ra of a.routers) for (const rb of b.routers) candidates.push(maybe(g) ? [ra, rb] : [rb, ra]);
    }
  }
  if (candidates.length > 0 && maybe(g, 0.9)) {
    const chosen = g(fc.shuffledSubarray, candidates, { minLength: 0, maxLength: Math.min(candidates.length, 12) }) as [string, string][];
    const usedIds = new Set<number>();
    doc.links = chosen.map(([a, b], n) => {
      const link: Doc = { between: [a, b], ipsec: { psk: secret(g, `VYGEN_PSK_${n}`), ...ipsecSettings(g) } };
      if (maybe(g, 0.2)) {
        let id = pinnedFrom + int(g, 0, 40);
        while (usedIds.has(id)) id++;
        usedIds.add(id);
        link.id = id;
      }
      if (maybe(g, 0.3)) link.description = description(g);
      if (maybe(g, 0.2)) link.gre = { mtu: int(g, 1280, 8024) };
      return link;
    });
    if (doc.links.length === 0) delete doc.links;
  }
  if (Object.keys(defaults).length > 0) doc.defaults = defaults;

  // --- NAT pairs (VPC p owns 10.(200+p).0.0/16)
  if (features.nat && (maybe(g, 0.25) || (lvsOnly && maybe(g, 0.3)))) {
    const pairs: Doc = {};
    // A NAT pair's setup files are named like an AWS site's: the names must differ.
    const pairNames = distinct(g, int(g, 1, 2), () => plainName(g), new Set(siteNames));
    pairNames.forEach((pairName, p) => {
      const region = pick(g, REGIONS);
      const [za, zb] = g(fc.shuffledSubarray, ['a', 'b', 'c', 'd'], { minLength: 2, maxLength: 2 }) as string[];
      const nodes: Doc = {};
      distinct(g, 2, () => deviceName(g), names).forEach((n, k) => {
        nodes[n] = {
          ...(maybe(g) ? { target: pick(g, ['vyos', 'linux']) } : {}),
          ...(maybe(g, 0.2) ? { vyos: release(g) } : {}),
          zone: `${region}${k === 0 ? za : zb}`,
          instance_id: `i-${hex(g, 17)}`,
          wan: {
            interface: 'eth0',
            address: `10.${200 + p}.${k}.10/24`,
            ...(maybe(g, 0.7) ? { gateway: `10.${200 + p}.${k}.1` } : {}),
            ...(maybe(g, 0.2) ? { description: description(g) } : {}),
          },
          route_tables: Array.from({ length: int(g, 1, 2) }, newTable),
          heartbeat: { route_table: newTable(), probe: `198.51.100.${1 + k}` },
        };
      });
      pairs[pairName] = {
        region,
        vpc_cidr: `10.${200 + p}.0.0/16`,
        ...(maybe(g, 0.4) ? { health_check: { interval: int(g, 1, 3600), misses: int(g, 1, 100), timeout: int(g, 1, 60) } } : {}),
        nodes,
      };
    });
    doc.nat_pairs = pairs;
  }

  // --- LVS pairs (pair p on 10.(150+p).0.0/24)
  if (features.lvs && (lvsOnly || maybe(g, 0.3))) doc.lvs = lvs(g, names);
  if (lvsOnly && !doc.lvs && !doc.nat_pairs) doc.lvs = lvs(g, names);
  if (features.firewall && maybe(g, 0.3)) {
    const fw = firewall(g, sitesDoc);
    if (fw) doc.firewall = fw;
  }
  return doc;
}

function scriptPath(g: Gen): string {
  return `/${pick(g, ['usr/local/sbin', 'etc/keepalived', 'opt/x'])}/${word(g, ALNUM, 1, 1)}${word(g, `${ALNUM}._+-`, 0, 19)}`;
}

function lvs(g: Gen, names: Set<string>): Doc {
  const pairs: Doc = {};
  const segments: Doc = {};
  const pairNames = distinct(g, int(g, 1, 2), () => plainName(g), new Set());
  const realNames = new Set<string>();
  pairNames.forEach((pairName, p) => {
    const net = `10.${150 + p}.0`;
    const iface = pick(g, ['eth0', 'ens5', 'bond0.100']);
    const other = 'eth1';
    const masterFirst = maybe(g);
    const nodeNames = distinct(g, 2, () => plainName(g), names);
    const preempt = maybe(g, 0.3) ? maybe(g) : undefined;
    // 255 (the address owner) always preempts: not with preempt: false (lvs-nopreempt-with-255).
    const masterPriority = maybe(g) ? int(g, 2, preempt === false ? 254 : 255) : undefined;
    const backupPriority = maybe(g) ? int(g, 1, Math.min(254, (masterPriority ?? 150) - 1)) : undefined;
    const explicitPriorities = masterPriority !== undefined || backupPriority !== undefined;
    const withSrc = [maybe(g, 0.2), maybe(g, 0.2)];
    const node = (k: number, role: 'master' | 'backup'): Doc => ({
      name: nodeNames[k]!,
      role,
      interface: iface,
      address: `${net}.${10 + k}/24`,
      // Both or neither: one explicit priority may equal the other's default.
      ...(explicitPriorities ? { priority: role === 'master' ? (masterPriority ?? 254) : (backupPriority ?? 1) } : {}),
      // unicast_src_ip must be one of the node's addresses: here its address on the other interface.
      ...(withSrc[k] ? { unicast_src_ip: `10.${170 + p}.0.${10 + k}` } : {}),
      interfaces: [withSrc[k] ? { name: other, address: `10.${170 + p}.0.${10 + k}/24` } : other],
    });
    const nodes = masterFirst ? [node(0, 'master'), node(1, 'backup')] : [node(0, 'backup'), node(1, 'master')];
    const multicast = maybe(g, 0.7);
    const reserved = maybe(g, 0.3) ? [int(g, 1, 255)] : [];
    if (!multicast || reserved.length > 0 || maybe(g, 0.2)) {
      segments[`seg-${p}`] = { network: `${net}.0/24`, ...(multicast ? {} : { multicast: false }), ...(reserved.length > 0 ? { reserved_vrids: reserved } : {}) };
    }
    const unicast = multicast ? (maybe(g, 0.3) ? true : undefined) : maybe(g, 0.2) ? false : undefined;
    if (unicast === false || (unicast === undefined && multicast)) for (const n of nodes) delete n.unicast_src_ip;
    const vips = Array.from({ length: int(g, 1, 3) }, (_, k) => ({ address: `${net}.${100 + k}`, ...(maybe(g, 0.3) ? { dev: pick(g, [iface, other]) } : {}) }));
    const pair: Doc = {
      ...(maybe(g, 0.5) ? { vrid: ((reserved[0] ?? 0) % 255) + 1 } : {}),
      ...(maybe(g, 0.3) ? { advert_int: int(g, 1, 255) } : {}),
      ...(maybe(g, 0.3) ? { auth_pass: { env: `VYGEN_AUTH_${p}` } } : {}),
      ...(unicast !== undefined ? { unicast } : {}),
      ...(preempt !== undefined ? { preempt } : {}),
      ...(preempt !== false && maybe(g, 0.2) ? { preempt_delay: int(g, 1, 1000) } : {}),
      ...(maybe(g, 0.3) ? { notify: { master: scriptPath(g), ...(maybe(g) ? { backup: scriptPath(g) } : {}), ...(maybe(g) ? { fault: scriptPath(g) } : {}) } } : {}),
      ...(maybe(g, 0.3)
        ? { track_scripts: { [plainName(g)]: { script: scriptPath(g), ...(maybe(g) ? { interval: int(g, 1, 60) } : {}), ...(maybe(g) ? { weight: int(g, -253, 253) } : {}), ...(maybe(g) ? { fall: int(g, 1, 5), rise: int(g, 1, 5) } : {}) } } }
        : {}),
      ...(maybe(g, 0.2) ? { track_interfaces: [other] } : {}),
      nodes,
      vips,
      ...(maybe(g, 0.3) ? { real_server_accept: pick(g, ['iptables-redirect', 'loopback-arp']) } : {}),
    };
    let realHost = 0;
    const vsCount = int(g, 0, 3);
    const used = new Set<string>();
    const virtualServers: Doc[] = [];
    for (let v = 0; v < vsCount; v++) {
      const vip = pick(g, vips).address;
      const protocol = pick(g, ['TCP', 'UDP', undefined]);
      const port = int(g, 1, 65535);
      const key = `${vip}:${port}:${protocol ?? 'TCP'}`;
      if (used.has(key)) continue;
      used.add(key);
      const kind = pick(g, ['DR', 'NAT', 'TUN']);
      const firstReal = realHost;
      const realServers = Array.from({ length: int(g, 1, 3) }, () => {
        const address = `${net}.${200 + realHost++}`;
        const rs: Doc = { address, port: kind === 'NAT' ? int(g, 1, 65535) : port };
        if (maybe(g, 0.3)) {
          rs.name = distinct(g, 1, () => plainName(g), realNames)[0];
        }
        if (maybe(g, 0.3)) rs.weight = int(g, realHost === firstReal + 1 ? 1 : 0, 65535); // not all 0: lvs-no-weight
        if (maybe(g, 0.2)) rs.inhibit_on_failure = maybe(g);
        const checker = pick(g, protocol === 'UDP' ? ['tcp_check', 'misc_check', 'none'] : ['http_get', 'ssl_get', 'tcp_check', 'misc_check', 'none']);
        if (checker === 'http_get' || checker === 'ssl_get') {
          rs[checker] = { path: `/${word(g, `${ALNUM}._~/%+=&?,:@-`, 0, 30)}`, ...(maybe(g) ? { status_code: int(g, 100, 599) } : {}), ...(maybe(g, 0.2) ? { digest: hex(g, 32) } : {}), ...(maybe(g, 0.3) ? { connect_timeout: int(g, 1, 3600), retry: int(g, 0, 100), delay_before_retry: int(g, 0, 3600) } : {}) };
        } else if (checker === 'tcp_check') {
          rs.tcp_check = maybe(g) ? {} : { connect_port: int(g, 1, 65535), connect_timeout: int(g, 1, 3600) };
        } else if (checker === 'misc_check') {
          rs.misc_check = { path: scriptPath(g), ...(maybe(g) ? { misc_timeout: int(g, 1, 3600), misc_dynamic: maybe(g) } : {}) };
        }
        return rs;
      });
      virtualServers.push({
        address: vip,
        port,
        ...(protocol ? { protocol } : {}),
        ...(maybe(g) ? { lb_algo: pick(g, LB_ALGOS) } : {}),
        lb_kind: kind,
        ...(maybe(g, 0.3) ? { delay_loop: int(g, 1, 86400) } : {}),
        ...(maybe(g, 0.2) ? { persistence_timeout: int(g, 1, 2592000) } : {}),
        ...(maybe(g, 0.2) ? { sorry_server: { address: `${net}.${240 + v}`, port: kind === 'NAT' ? int(g, 1, 65535) : port } } : {}),
        real_servers: realServers,
      });
    }
    if (virtualServers.length > 0) pair.virtual_servers = virtualServers;
    if (maybe(g, 0.3)) {
      // The long form: the same instance under instances, and maybe a second one the other director is master of.
      const first: Doc = {};
      for (const k of ['vrid', 'advert_int', 'auth_pass', 'unicast', 'preempt', 'preempt_delay', 'notify', 'track_scripts', 'track_interfaces', 'vips']) {
        if (pair[k] !== undefined) first[k] = pair[k];
        delete pair[k];
      }
      const other = nodes.find((n) => n.role === 'backup')!.name;
      pair.instances = { VI_A: first, ...(maybe(g) ? { VI_B: { master: other, vips: [{ address: `${net}.120` }] } } : {}) };
    }
    pairs[pairName] = pair;
  });
  return { ...(Object.keys(segments).length > 0 ? { segments } : {}), pairs };
}

/** Environment values for every secret a generated topology may name (valid keys). */
export function secretEnv(doc: Doc): Record<string, string> {
  const env: Record<string, string> = {};
  const walk = (v: unknown, key?: string) => {
    if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (key === 'env' && typeof v === 'string') env[v] = v.startsWith('VYGEN_VRRP') || v.startsWith('VYGEN_AUTH') ? 'Pw-12345' : v.startsWith('VYGEN_SERF') ? 'MDEyMzQ1Njc4OWFiY2RlZg==' : `Key-${v.length}-abcdefgh`;
  };
  walk(doc);
  const mesh = doc.hub_mesh;
  if (mesh && typeof mesh.psk_env_prefix === 'string' && doc.sites && typeof doc.sites === 'object') {
    // Generated link keys: <prefix>_<ROUTER_A>_<ROUTER_B>; give every combination.
    const routers = Object.values<any>(doc.sites).flatMap((s) => (s && typeof s.routers === 'object' && s.routers ? Object.keys(s.routers) : []));
    for (const a of routers) for (const b of routers) env[`${mesh.psk_env_prefix}_${a}_${b}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_')] = 'Mesh-Key-12345';
  }
  return env;
}

/** A generated topology and the arbitrary that draws it. */
// --- traffic control: a role per site with networks and an outside role; one
// rule per ordered pair of roles at most (two rules of one pair could shadow).
function firewall(g: Gen, sites: Doc): Doc | undefined {
  const roles: Doc = {};
  Object.entries<Doc>(sites).forEach(([name, s], i) => {
    if (!s.networks || !maybe(g, 0.8)) return;
    const which = s.networks.connected && s.networks.static ? pick(g, [undefined, 'connected', 'static']) : undefined;
    roles[`r${i}`] = [which ? { site: name, networks: which } : { site: name }];
  });
  if (maybe(g, 0.7)) roles.outside = ['192.0.2.0/24'];
  const names = Object.keys(roles);
  if (names.length === 0) return undefined;
  const pairs = names.flatMap((a) => names.filter((b) => b !== a).map((b) => [a, b] as const)).filter(() => maybe(g, 0.5));
  const rules = pairs.map(([from, to]) => {
    const protocol = pick(g, ['tcp', 'udp', 'tcp_udp', 'icmp', 'any'] as const);
    // Ports of one rule never overlap (one nftables set on 1.4+): distinct numbers above a range 1000-2000.
    const ports: (number | string)[] | undefined = protocol === 'icmp' || protocol === 'any' || maybe(g, 0.3) ? undefined : [...new Set(Array.from({ length: int(g, 1, 3) }, () => int(g, 2001, 65535)))];
    if (ports && maybe(g, 0.3)) ports.push('1000-2000');
    return { from, to, protocol, ...(ports ? { ports } : {}), ...(maybe(g, 0.3) ? { action: pick(g, ['accept', 'drop', 'reject']) } : {}), ...(maybe(g, 0.3) ? { description: `rule ${from} ${to}` } : {}) };
  });
  const routers = Object.values<Doc>(sites).flatMap((s) => Object.keys(s.routers));
  const shaperRouter = routers.length && maybe(g, 0.3) ? pick(g, routers) : undefined;
  return {
    roles,
    ...(names.includes('outside') && maybe(g, 0.5) ? { management: 'outside' } : {}),
    ...(rules.length ? { rules } : {}),
    ...(maybe(g, 0.5) ? { protection: { log: maybe(g), icmp_rate: int(g, 1, 10000), ...(routers.length && maybe(g, 0.3) ? { except: [pick(g, routers)] } : {}) } } : {}),
    ...(shaperRouter
      ? { shapers: [{ router: shaperRouter, interface: 'eth0', bandwidth: `${int(g, 1, 1000)}mbit`, default: { bandwidth: `${int(g, 1, 50)}%` }, classes: [{ ...(names.includes('outside') && maybe(g) ? { role: 'outside' } : { protocol: 'udp', ports: [int(g, 1, 65535)] }), bandwidth: `${int(g, 1, 50)}%` }] }] }
      : {}),
  };
}

export const topologies = (features: Features = ALL_FEATURES): fc.Arbitrary<Doc> => fc.gen().map((g) => topology(g, features));
