// `routers:` -> ExplicitRouter per entry: values as the per-router model holds
// them, each element with its topology path, defaults of the model applied
// (rule numbers, peer identities). Whether an entry extends a site router or
// stands alone is decided here; references are checked in check.ts.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { BgpSessionDoc, ExplicitRouterDoc, RouterInterfaceDoc, TopologyDoc } from '../../model/document.js';
import type { AfOptions, EspGroupIntent, IkeGroupIntent, NeighborIntent, PeerGroupIntent, PeerIntent, SessionOptions, VrrpIntent } from '../../model/intent.js';
import type { Release, SecretRef } from '../../model/topology.js';
import { DEFAULTS } from '../../model/defaults.js';
import { secretRef } from '../../secrets/ref.js';
import { chooseRelease } from '../sites/interfaces.js';
import { mssFor } from '../../net/esp.js';
import { canonical, familyOf } from '../../net/ip.js';
import { dpdSettings, espProposal, ikeProposal } from '../links/ipsec-settings.js';

/** A written GRE tunnel with no MTU: its GRE header and delivery IP subtracted from a 1500-byte path. */
const GRE_DEFAULT_MTU = 1476;
import type { Model } from '../feature.js';
import type { ExplicitRouter } from './model.js';
import { subPath } from '../../diagnostics.js';

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** Addresses in the form they are printed and compared in (IPv6 per RFC 5952). */
const canon = (a: string): string => (a === 'dhcp' ? a : canonical(a));
const canons = (v: string | string[] | undefined): string[] => list(v).map(canon);
/** Rules without a number are numbered 10, 20, ... after the highest one before them. */
function numbered<T extends { rule?: number }>(rules: T[]): (T & { number: number })[] {
  let last = 0;
  return rules.map((r) => {
    const number = r.rule ?? (Math.floor(last / 10) + 1) * 10;
    last = number;
    return { ...r, number };
  });
}

export function normalizeExplicitRouters(doc: TopologyDoc, model: Model, diags: Diagnostics, override?: Release): void {
  model.explicitRouters = [];
  for (const [name, r] of Object.entries(doc.routers ?? {})) {
    const path = ['routers', name];
    const site = model.topology.routers.get(name);
    if (site && r.vyos !== undefined) {
      diags.error('release-of-site-router', subPath(path, 'vyos'), `router ${shown(name)} is a router of site ${shown(site.site)}, which sets its release`, {
        expected: `the release at sites.${site.site}.routers.${name}.vyos (or the site's, or defaults.vyos)`,
        found: shown(r.vyos),
        hint: 'remove vyos here: one router, one release',
      });
    }
    const [release, releasePath] = site
      ? [site.release, site.releasePath]
      : chooseRelease(override, [
          [r.vyos, subPath(path, 'vyos')],
          [doc.defaults?.vyos, ['defaults', 'vyos']],
        ]);
    model.explicitRouters.push(explicitRouter(name, r, path, release, releasePath, site?.name));
  }
}

function explicitRouter(name: string, r: ExplicitRouterDoc, path: DocPath, release: Release, releasePath: DocPath, extendsRouter?: string): ExplicitRouter {
  const out: ExplicitRouter = {
    name,
    path,
    release,
    releasePath,
    ethernet: [],
    loopbacks: [],
    dummies: [],
    tunnels: [],
    vtis: [],
    staticRoutes: [],
    prefixLists: [],
    routeMaps: [],
    asPathLists: [],
    communityLists: [],
    extraLines: (r.extra ?? []).map((line, i) => ({ line, path: subPath(path, 'extra', i) })),
    ...(extendsRouter ? { extends: extendsRouter } : {}),
    ...(r.host_name !== undefined ? { hostName: { value: r.host_name, path: subPath(path, 'host_name') } } : {}),
  };
  for (const [ifName, i] of Object.entries(r.interfaces ?? {})) interfaceOf(out, ifName, i, subPath(path, 'interfaces', ifName));
  (r.static_routes ?? []).forEach((s, i) => {
    const p = subPath(path, 'static_routes', i);
    const base = { prefix: canon(s.prefix), path: p, announce: s.announce ?? false, ...(s.distance !== undefined ? { distance: s.distance } : {}) };
    if (s.blackhole) out.staticRoutes.push({ ...base, blackhole: true });
    for (const nh of canons(s.next_hop)) out.staticRoutes.push({ ...base, nextHop: nh });
    for (const ifc of list(s.interface)) out.staticRoutes.push({ ...base, interface: ifc });
  });
  if (r.bgp) out.bgp = bgpOf(r.bgp, subPath(path, 'bgp'));
  const pol = r.policy ?? {};
  for (const [n, pl] of Object.entries(pol.prefix_lists ?? {})) {
    out.prefixLists.push({
      name: n,
      path: subPath(path, 'policy', 'prefix_lists', n),
      origin: 'written',
      ...(pl.description !== undefined ? { description: pl.description } : {}),
      rules: numbered(pl.rules).map((x) => ({
        number: x.number,
        action: x.action,
        prefix: canon(x.prefix),
        ...(x.ge !== undefined ? { ge: x.ge } : {}),
        ...(x.le !== undefined ? { le: x.le } : {}),
        ...(x.description !== undefined ? { description: x.description } : {}),
      })),
    });
  }
  for (const [n, rm] of Object.entries(pol.route_maps ?? {})) {
    out.routeMaps.push({
      name: n,
      path: subPath(path, 'policy', 'route_maps', n),
      origin: 'written',
      ...(rm.description !== undefined ? { description: rm.description } : {}),
      rules: numbered(rm.rules).map((x) => ({
        number: x.number,
        action: x.action,
        ...(x.description !== undefined ? { description: x.description } : {}),
        ...(x.match?.prefix_list !== undefined ? { matchPrefixList: x.match.prefix_list } : {}),
        ...(x.match?.as_path_list !== undefined ? { matchAsPath: x.match.as_path_list } : {}),
        ...(x.match?.community_list !== undefined ? { matchCommunityList: x.match.community_list } : {}),
        ...(x.set?.as_path_prepend !== undefined ? { prepend: list(x.set.as_path_prepend) } : {}),
        ...(x.set?.local_preference !== undefined ? { localPreference: x.set.local_preference } : {}),
        ...(x.set?.metric !== undefined ? { metric: x.set.metric } : {}),
        ...(x.set?.weight !== undefined ? { weight: x.set.weight } : {}),
        ...(x.set?.community !== undefined ? { community: x.set.community } : {}),
      })),
    });
  }
  const regexLists = (m: Record<string, { description?: string; rules: { rule?: number; action: 'permit' | 'deny'; regex: string }[] }> | undefined, key: string) =>
    Object.entries(m ?? {}).map(([n, l]) => ({
      name: n,
      path: subPath(path, 'policy', key, n),
      ...(l.description !== undefined ? { description: l.description } : {}),
      rules: numbered(l.rules).map((x) => ({ number: x.number, action: x.action, regex: x.regex })),
    }));
  out.asPathLists = regexLists(pol.as_path_lists, 'as_path_lists');
  out.communityLists = regexLists(pol.community_lists, 'community_lists');
  if (r.ipsec) out.ipsec = ipsecOf(r, path, out);
  if (r.vrrp) out.vrrp = vrrpOf(r, path);
  if (r.nat) {
    out.nat = {
      source: (r.nat.source ?? []).map((n, i) => ({
        number: n.rule,
        path: subPath(path, 'nat', 'source', i),
        ...(n.description !== undefined ? { description: n.description } : {}),
        ...(n.outbound_interface !== undefined ? { outboundInterface: n.outbound_interface } : {}),
        ...(n.source !== undefined ? { source: n.source } : {}),
        ...(n.destination !== undefined ? { destination: n.destination } : {}),
        ...(n.translation !== undefined ? { translation: n.translation } : {}),
        ...(n.exclude ? { exclude: true } : {}),
      })),
      destination: (r.nat.destination ?? []).map((n, i) => ({
        number: n.rule,
        path: subPath(path, 'nat', 'destination', i),
        translation: n.translation.address,
        ...(n.description !== undefined ? { description: n.description } : {}),
        ...(n.inbound_interface !== undefined ? { inboundInterface: n.inbound_interface } : {}),
        ...(n.protocol !== undefined ? { protocol: n.protocol } : {}),
        ...(n.destination !== undefined ? { destination: n.destination.split('/')[0]! } : {}),
        ...(n.port !== undefined ? { port: n.port } : {}),
        ...(n.translation.port !== undefined ? { translationPort: n.translation.port } : {}),
      })),
    };
  }
  return out;
}

function interfaceOf(out: ExplicitRouter, name: string, i: RouterInterfaceDoc, path: DocPath): void {
  const addresses = canons(i.address);
  const description = i.description !== undefined ? { description: { value: i.description, path: subPath(path, 'description'), origin: 'written' as const } } : {};
  if (name.startsWith('eth')) {
    out.ethernet.push({
      name,
      addresses,
      path,
      ...description,
      ...(i.mtu !== undefined ? { mtu: i.mtu } : {}),
      ...(i.vif
        ? {
            vifs: Object.entries(i.vif)
              .map(([id, v]) => ({
                id: Number(id),
                addresses: canons(v.address),
                ...(v.description !== undefined ? { description: { value: v.description, path: subPath(path, 'vif', id, 'description') } } : {}),
                ...(v.mtu !== undefined ? { mtu: v.mtu } : {}),
              }))
              .sort((a, b) => a.id - b.id),
          }
        : {}),
    });
  } else if (name === 'lo') out.loopbacks.push({ name, addresses, path, ...description });
  else if (name.startsWith('dum')) out.dummies.push({ name, addresses, path, ...description });
  else if (name.startsWith('vti')) {
    out.vtis.push({
      name,
      path,
      ...(addresses[0] !== undefined ? { address: addresses[0] } : {}),
      ...(addresses.length > 1 ? { moreAddresses: addresses.slice(1) } : {}),
      ...description,
      ...(i.mtu !== undefined ? { mtu: { value: i.mtu, path: subPath(path, 'mtu'), origin: 'written' as const } } : {}),
      ...(i.adjust_mss !== undefined ? { adjustMss: i.adjust_mss } : i.mtu !== undefined && mssFor(i.mtu) !== undefined ? { adjustMss: mssFor(i.mtu)! } : {}),
    });
  } else {
    out.tunnels.push({
      name,
      path,
      address: addresses[0] ?? '',
      ...(addresses.length > 1 ? { moreAddresses: addresses.slice(1) } : {}),
      source: i.source_address ?? '',
      remote: i.remote ?? '',
      mtu: { value: i.mtu ?? GRE_DEFAULT_MTU, path: i.mtu !== undefined ? subPath(path, 'mtu') : path, origin: i.mtu !== undefined ? 'written' : 'default' },
      description: { value: i.description ?? `GRE ${name}`, path: subPath(path, 'description') },
      ...((i.adjust_mss ?? mssFor(i.mtu ?? GRE_DEFAULT_MTU)) !== undefined ? { adjustMss: (i.adjust_mss ?? mssFor(i.mtu ?? GRE_DEFAULT_MTU))! } : {}),
    });
  }
}

function session(s: BgpSessionDoc, path: DocPath): SessionOptions {
  return {
    ...(s.remote_as !== undefined ? { remoteAs: s.remote_as } : {}),
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.update_source !== undefined ? { updateSource: /^[0-9a-fA-F]*:|^\d+\./.test(s.update_source) ? canon(s.update_source) : s.update_source } : {}),
    ...(s.ebgp_multihop !== undefined ? { ebgpMultihop: s.ebgp_multihop } : {}),
    ...(s.password !== undefined ? { password: secretRef(s.password, subPath(path, 'password')) } : {}),
    ...(s.timers ? { timers: { keepalive: s.timers.keepalive ?? DEFAULTS.bgp.keepalive, holdtime: s.timers.holdtime ?? DEFAULTS.bgp.holdtime } } : {}),
    ...(s.capability_dynamic ? { capabilityDynamic: true } : {}),
    ...(s.nexthop_self ? { nexthopSelf: true } : {}),
    ...(s.soft_reconfiguration ? { softReconfiguration: true } : {}),
    ...(s.weight !== undefined ? { weight: s.weight } : {}),
    ...(s.maximum_prefix !== undefined ? { maximumPrefix: s.maximum_prefix } : {}),
    ...(s.prefix_list?.import !== undefined ? { prefixListImport: s.prefix_list.import } : {}),
    ...(s.prefix_list?.export !== undefined ? { prefixListExport: s.prefix_list.export } : {}),
    ...(s.route_map?.import !== undefined ? { routeMapImport: s.route_map.import } : {}),
    ...(s.route_map?.export !== undefined ? { routeMapExport: s.route_map.export } : {}),
    ...(s.ipv4_unicast !== undefined || s.ipv6_unicast !== undefined ? { addressFamilies: families(s, path) } : {}),
  };
}

/** `ipv4_unicast` / `ipv6_unicast` blocks: the family's own options, nothing inherited from the session's. */
function families(s: BgpSessionDoc, path: DocPath): AfOptions[] {
  return (['ipv4_unicast', 'ipv6_unicast'] as const).flatMap((key) => {
    const b = s[key];
    if (b === undefined) return [];
    const o = session(b === true ? {} : b, path);
    return [{ af: key === 'ipv4_unicast' ? 'ipv4-unicast' : 'ipv6-unicast', path: subPath(path, key), ...o } as AfOptions];
  });
}

function bgpOf(b: NonNullable<ExplicitRouterDoc['bgp']>, path: DocPath): NonNullable<ExplicitRouter['bgp']> {
  const peerGroups: PeerGroupIntent[] = Object.entries(b.peer_groups ?? {}).map(([name, g]) => ({ name, path: subPath(path, 'peer_groups', name), ...session(g, subPath(path, 'peer_groups', name)) }));
  const neighbors: NeighborIntent[] = Object.entries(b.neighbors ?? {}).map(([address, n]) => {
    const p = subPath(path, 'neighbors', address);
    return { address: canon(address), kind: 'ebgp', path: p, ...session(n, p), ...(n.peer_group !== undefined ? { peerGroup: n.peer_group } : {}) };
  });
  return {
    path,
    ...(b.asn !== undefined ? { asn: b.asn } : {}),
    ...(b.router_id !== undefined ? { routerId: b.router_id } : {}),
    ...(b.timers?.keepalive !== undefined ? { keepalive: b.timers.keepalive } : {}),
    ...(b.timers?.holdtime !== undefined ? { holdtime: b.timers.holdtime } : {}),
    neighbors,
    peerGroups,
    networks: (b.networks ?? []).map((n) => (typeof n === 'string' ? { prefix: canon(n) } : { prefix: canon(n.prefix), ...(n.route_map !== undefined ? { routeMap: n.route_map } : {}) })),
    redistribute: (['static', 'connected'] as const).flatMap((protocol) => {
      const r = b.redistribute?.[protocol];
      if (r === undefined) return [];
      return [{ protocol, ...(r !== true ? { routeMap: r.route_map } : {}) }];
    }),
  };
}

function ipsecOf(r: ExplicitRouterDoc, routerPath: DocPath, out: ExplicitRouter): NonNullable<ExplicitRouter['ipsec']> {
  const x = r.ipsec!;
  const path = subPath(routerPath, 'ipsec');
  const shared: SecretRef | undefined = x.psk ? secretRef(x.psk, subPath(path, 'psk')) : undefined;
  const ikeGroups: IkeGroupIntent[] = Object.entries(x.ike_groups ?? {}).map(([name, g]) => {
    const p = subPath(path, 'ike_groups', name);
    return {
      name,
      path: p,
      dpdPath: g.dpd ? subPath(p, 'dpd') : p,
      proposal: ikeProposal(g, DEFAULTS.ike),
      dpd: dpdSettings(g.dpd ?? {}, DEFAULTS.dpd),
      ...(g.close_action !== undefined ? { closeAction: g.close_action } : {}),
    };
  });
  const espGroups: EspGroupIntent[] = Object.entries(x.esp_groups ?? {}).map(([name, g]) => ({
    name,
    path: subPath(path, 'esp_groups', name),
    proposal: espProposal(g, DEFAULTS.esp),
  }));
  // The local address defaults to the IPsec interface's static address.
  const ifc = out.ethernet.find((e) => e.name === x.interface);
  const peers: PeerIntent[] = Object.entries(x.peers ?? {}).map(([name, p]) => {
    const pp = subPath(path, 'peers', name);
    const psk = p.psk ? secretRef(p.psk, subPath(pp, 'psk')) : shared;
    // Of the remote address's family: IKE runs over one family.
    const ifAddress = ifc?.addresses.find((a) => a !== 'dhcp' && familyOf(a) === familyOf(p.remote_address))?.split('/')[0];
    return {
      name,
      remoteRouter: name,
      remoteAddress: canon(p.remote_address),
      localAddress: p.local_address !== undefined ? canon(p.local_address) : ifAddress ?? '',
      remoteId: p.remote_id ?? canon(p.remote_address),
      psk: psk ?? { kind: 'env', name: '', path: pp },
      ikeGroup: p.ike_group,
      espGroup: p.esp_group,
      path: pp,
      namePath: pp,
      ...(p.local_id !== undefined ? { localId: p.local_id } : {}),
      ...(p.connection_type !== undefined ? { connectionType: p.connection_type } : {}),
      ...(p.ikev2_reauth !== undefined ? { ikev2Reauth: p.ikev2_reauth } : {}),
      ...(p.description !== undefined ? { description: { value: p.description, path: subPath(pp, 'description') } } : {}),
      ...(p.vti !== undefined ? { vti: p.vti } : {}),
    };
  });
  return {
    path,
    ikeGroups,
    espGroups,
    peers,
    ...(x.interface !== undefined ? { interface: x.interface } : {}),
    ...(x.disable_route_autoinstall !== undefined ? { disableRouteAutoinstall: x.disable_route_autoinstall } : {}),
  };
}

function vrrpOf(r: ExplicitRouterDoc, routerPath: DocPath): NonNullable<ExplicitRouter['vrrp']> {
  const v = r.vrrp!;
  const path = subPath(routerPath, 'vrrp');
  const syncOf = new Map<string, string>();
  for (const [sg, s] of Object.entries(v.sync_groups ?? {})) for (const m of s.members) syncOf.set(m, sg);
  const groups: VrrpIntent[] = Object.entries(v.groups ?? {}).map(([group, g]) => {
    const p = subPath(path, 'groups', group);
    const peers = (g.peers ?? []).map(canon);
    return {
      group,
      interface: g.interface,
      vrid: g.vrid,
      addresses: canons(g.address),
      priority: g.priority ?? 100,
      advertiseInterval: g.advertise_interval ?? DEFAULTS.vrrp.advertiseInterval,
      preempt: g.preempt ?? true,
      path: p,
      ...(syncOf.has(group) ? { syncGroup: syncOf.get(group)! } : {}),
      ...(g.hello_source_address !== undefined || peers.length > 0 ? { unicast: { source: g.hello_source_address !== undefined ? canon(g.hello_source_address) : '', peers } } : {}),
      ...(g.preempt_delay !== undefined ? { preemptDelay: g.preempt_delay } : {}),
      ...(g.password ? { password: secretRef(g.password, subPath(p, 'password')) } : {}),
      ...(g.health_check !== undefined ? { healthCheck: g.health_check } : {}),
      ...(g.transition_scripts ? { transitionScripts: { ...g.transition_scripts } } : {}),
    };
  });
  const syncGroups = Object.entries(v.sync_groups ?? {}).map(([name, s]) => ({
    name,
    members: s.members,
    transitionScripts: { ...(s.transition_scripts ?? {}) },
    path: subPath(path, 'sync_groups', name),
    ...(s.health_check !== undefined ? { healthCheck: s.health_check } : {}),
  }));
  return { groups, syncGroups };
}
