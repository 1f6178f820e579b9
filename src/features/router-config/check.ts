// Checks of a router's merged intent where the user wrote part of it: every
// name referenced exists (route-maps, prefix-lists, lists, peer-groups, IKE
// and ESP groups, interfaces), BGP sessions say their AS once, addresses are
// hosts of their subnets and do not overlap, VRRP groups are consistent.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { RouterIntent } from '../../model/intent.js';
import { containsIp, familyOf, isUsableHostIp, maxLength, overlapsIp, parseIp, reservedUse, type IpPrefix } from '../../net/ip.js';
import { checkFamilies } from './check-families.js';
import { checkOtherFamily } from './check-other-family.js';
import { suggest } from '../../suggest.js';
import type { ExplicitRouter } from './model.js';

export function checkExplicitRouter(intent: RouterIntent, x: ExplicitRouter, diags: Diagnostics): void {
  const at = (p: DocPath | undefined) => p ?? x.path;
  const ref = (kind: string, name: string | undefined, known: readonly string[], path: DocPath, hint?: string) => {
    if (name === undefined || known.includes(name)) return;
    const guess = suggest(name, [...known]);
    diags.error('unknown-reference', path, `${kind} ${shown(name)} is not defined on router ${shown(intent.name)}`, {
      expected: known.length > 0 ? `one of: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', ...' : ''}` : `a ${kind} defined under routers.${intent.name}.${hint ?? 'policy'}`,
      found: shown(name),
      ...(guess ? { hint: `did you mean ${shown(guess)}?` } : { hint: `define it under routers.${intent.name}.${hint ?? 'policy'}` }),
    });
  };
  const routeMaps = intent.routeMaps.map((r) => r.name);
  const prefixLists = intent.prefixLists.map((r) => r.name);
  const asPaths = (intent.asPathLists ?? []).map((r) => r.name);
  const communities = (intent.communityLists ?? []).map((r) => r.name);
  const interfaces = [
    ...intent.ethernet.flatMap((e) => [e.name, ...(e.vifs ?? []).map((v) => `${e.name}.${v.id}`)]),
    ...intent.loopbacks.map((l) => l.name),
    ...(intent.dummies ?? []).map((l) => l.name),
    ...intent.tunnels.map((t) => t.name),
    ...intent.vtis.map((v) => v.name),
  ];

  for (const rm of x.routeMaps) {
    rm.rules.forEach((r, i) => {
      const p = [...rm.path, 'rules', i, 'match'];
      ref('prefix-list', r.matchPrefixList, prefixLists, [...p, 'prefix_list']);
      ref('as-path-list', r.matchAsPath, asPaths, [...p, 'as_path_list']);
      ref('community-list', r.matchCommunityList, communities, [...p, 'community_list']);
    });
  }
  const bgp = x.bgp;
  if (bgp && intent.bgp) {
    const groups = (intent.bgp.peerGroups ?? []).map((g) => g.name);
    const sessions = [...(bgp.peerGroups ?? []).map((g) => ({ s: g, path: g.path })), ...bgp.neighbors.map((n) => ({ s: n, path: n.path! }))];
    for (const { s, path } of sessions) {
      ref('route-map', s.routeMapImport, routeMaps, [...path, 'route_map', 'import']);
      ref('route-map', s.routeMapExport, routeMaps, [...path, 'route_map', 'export']);
      ref('prefix-list', s.prefixListImport, prefixLists, [...path, 'prefix_list', 'import']);
      ref('prefix-list', s.prefixListExport, prefixLists, [...path, 'prefix_list', 'export']);
      if (s.updateSource !== undefined && !/^\d|:/.test(s.updateSource)) ref('interface', s.updateSource, interfaces, [...path, 'update_source'], 'interfaces');
    }
    for (const n of bgp.neighbors) {
      ref('peer-group', n.peerGroup, groups, [...n.path!, 'peer_group'], 'bgp.peer_groups');
      const group = intent.bgp.peerGroups?.find((g) => g.name === n.peerGroup);
      const derived = intent.bgp.neighbors.find((o) => o.address === n.address && o.path === undefined);
      if (n.remoteAs === undefined && group?.remoteAs === undefined && !derived) {
        diags.error('missing-key', n.path!, `neighbor ${n.address} of router ${shown(intent.name)} has no remote-as`, {
          at: 'key',
          expected: 'remote_as on the neighbor or on its peer-group',
          hint: 'add remote_as: <the neighbor\'s AS>',
        });
      }
      if (n.remoteAs !== undefined && group?.remoteAs !== undefined) {
        diags.error('remote-as-twice', [...n.path!, 'remote_as'], `neighbor ${n.address} sets remote-as and so does its peer-group ${shown(group.name)}`, {
          expected: 'remote_as on the neighbor or on the peer-group, not both',
          hint: 'VyOS refuses a peer-group member that overrides the group\'s remote-as: set it on the members when they differ',
        });
      }
    }
    bgp.networks.forEach((net, i) => ref('route-map', net.routeMap, routeMaps, [...bgp.path, 'networks', i, 'route_map']));
    for (const r of bgp.redistribute ?? []) ref('route-map', r.routeMap, routeMaps, [...bgp.path, 'redistribute', r.protocol, 'route_map']);
  }
  if (x.ipsec && intent.ipsec) {
    const ike = intent.ipsec.ikeGroups.map((g) => g.name);
    const esp = intent.ipsec.espGroups.map((g) => g.name);
    if (intent.ipsec.interface === '') {
      diags.error('missing-key', x.ipsec.path, `router ${shown(intent.name)} has IPsec peers but no IPsec interface`, { at: 'key', expected: 'ipsec.interface: the interface IKE runs on', hint: 'add interface: eth0' });
    } else ref('interface', intent.ipsec.interface, interfaces, [...x.ipsec.path, 'interface'], 'interfaces');
    const bound = new Map<string, string>();
    for (const p of x.ipsec.peers) {
      ref('IKE group', p.ikeGroup, ike, [...p.path, 'ike_group'], 'ipsec.ike_groups');
      ref('ESP group', p.espGroup, esp, [...p.path, 'esp_group'], 'ipsec.esp_groups');
      if (p.vti !== undefined) {
        ref('interface', p.vti, intent.vtis.map((v) => v.name), [...p.path, 'vti'], 'interfaces');
        const other = bound.get(p.vti);
        if (other) diags.error('vti-bound-twice', [...p.path, 'vti'], `${p.vti} is already bound to peer ${shown(other)}`, { expected: 'one peer per VTI', found: p.vti });
        bound.set(p.vti, p.name);
      }
      if (p.psk.name === '') diags.error('missing-key', p.path, `IPsec peer ${shown(p.name)} has no pre-shared key`, { at: 'key', expected: 'psk on the peer, or ipsec.psk for every peer', hint: 'add psk: { env: NAME }' });
      if (p.localAddress === '') diags.error('missing-key', p.path, `IPsec peer ${shown(p.name)} has no local address`, { at: 'key', expected: 'local_address (the IPsec interface has no static address)', hint: 'add local_address: <the private address IKE leaves from>' });
    }
  }
  for (const r of x.staticRoutes) if (r.interface !== undefined) ref('interface', r.interface, interfaces, [...r.path, 'interface'], 'interfaces');
  for (const g of x.vrrp?.groups ?? []) ref('interface', g.interface, interfaces, [...g.path, 'interface'], 'interfaces');
  for (const sg of x.vrrp?.syncGroups ?? []) {
    const groups = (intent.vrrp?.groups ?? []).map((g) => g.group);
    sg.members.forEach((mbr, i) => ref('VRRP group', mbr, groups, [...sg.path, 'members', i], 'vrrp.groups'));
  }
  for (const r of x.nat?.source ?? []) ref('interface', r.outboundInterface, interfaces, [...r.path, 'outbound_interface'], 'interfaces');
  for (const r of x.nat?.destination ?? []) ref('interface', r.inboundInterface, interfaces, [...r.path, 'inbound_interface'], 'interfaces');
  for (const t of x.tunnels) {
    for (const [k, v] of [['address', t.address], ['source_address', t.source], ['remote', t.remote]] as const) {
      if (v === '') diags.error('missing-key', t.path, `GRE tunnel ${t.name} of router ${shown(intent.name)} has no ${k}`, { at: 'key', expected: `${k} on the tunnel` });
    }
  }
  checkAddresses(intent, x, diags, at);
  checkFamilies(intent, x, diags);
  checkOtherFamily(intent, x, diags);
}

interface Placed {
  prefix: IpPrefix;
  iface: string;
  tunnel: boolean;
  path: DocPath;
}

function checkAddresses(intent: RouterIntent, x: ExplicitRouter, diags: Diagnostics, at: (p: DocPath | undefined) => DocPath): void {
  const written = new Map<string, DocPath>();
  for (const e of x.ethernet) {
    written.set(e.name, [...e.path, 'address']);
    for (const v of e.vifs ?? []) written.set(`${e.name}.${v.id}`, [...e.path, 'vif', String(v.id), 'address']);
  }
  for (const t of x.tunnels) written.set(t.name, [...t.path, 'address']);
  for (const v of x.vtis) written.set(v.name, [...v.path, 'address']);
  for (const l of [...x.loopbacks, ...x.dummies]) written.set(l.name, [...l.path, 'address']);
  const placed: Placed[] = [];
  const put = (iface: string, a: string, tunnel: boolean) => {
    if (a === 'dhcp' || a === '') return;
    const prefix = parseIp(a);
    const path = written.get(iface) ?? intent.path;
    if (!isUsableHostIp(prefix)) {
      const what = prefix.family === 4 ? 'the network or broadcast address of its subnet' : 'the Subnet-Router anycast address of its subnet (RFC 4291), which is no host\'s';
      diags.error('address-not-host', path, `${a} on ${iface} is ${what}`, { expected: `a host address of ${prefix.network}`, found: a });
    }
    const reserved = reservedUse(prefix);
    if (reserved !== undefined) {
      diags.error('reserved-address', path, `${a} on ${iface} is in a reserved range: ${reserved}`, {
        expected: 'an address an interface can hold',
        found: a,
        hint: prefix.family === 6 ? 'use a global unicast (2000::/3), unique local (fd00::/8) or link-local (fe80::/10) address' : 'use a private (RFC 1918) or public unicast address',
      });
    }
    const twice = placed.find((o) => o.prefix.address === prefix.address);
    if (twice) {
      const where = twice.iface === iface ? `is written twice on ${iface}` : `on ${iface} is already ${twice.prefix.text} on ${twice.iface}`;
      diags.error('duplicate-address', path, `${prefix.address} ${where}`, {
        expected: 'each address on one interface of the router, once',
        found: a,
        ...(prefix.family === 6 ? { hint: 'IPv6 addresses are compared in RFC 5952 form: 2001:DB8:0::1 and 2001:db8::1 are one address' } : {}),
      });
    }
    placed.push({ prefix, iface, tunnel, path });
  };
  for (const e of intent.ethernet) {
    for (const a of e.addresses) put(e.name, a, false);
    for (const v of e.vifs ?? []) for (const a of v.addresses) put(`${e.name}.${v.id}`, a, false);
  }
  for (const l of [...intent.loopbacks, ...(intent.dummies ?? [])]) for (const a of l.addresses) put(l.name, a, true);
  for (const v of intent.vtis) for (const a of [v.address ?? '', ...(v.moreAddresses ?? [])]) put(v.name, a, true);
  for (const t of intent.tunnels) for (const a of [t.address, ...(t.moreAddresses ?? [])]) put(t.name, a, true);
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const a = placed[i]!;
      const b = placed[j]!;
      const host = (p: Placed) => p.prefix.length === maxLength(p.prefix.family);
      if (a.iface === b.iface || host(a) || host(b) || !overlapsIp(a.prefix, b.prefix)) continue;
      const path = written.has(b.iface) ? b.path : a.path;
      if (a.tunnel !== b.tunnel) {
        // A tunnel's inside /30 inside a wider management subnet: the more specific wins.
        diags.warn('overlapping-subnets', path, `${b.prefix.text} on ${b.iface} overlaps ${a.prefix.text} on ${a.iface}`, {
          expected: 'subnets of different interfaces apart',
          hint: 'the longer prefix wins, so traffic to the tunnel still takes the tunnel; renumber one of them if you can',
        });
      } else {
        diags.error('overlapping-subnets', path, `${b.prefix.text} on ${b.iface} overlaps ${a.prefix.text} on ${a.iface}`, { expected: 'subnets of different interfaces apart', found: b.prefix.text });
      }
    }
  }
  const connected = placed.map((p) => p.prefix);
  for (const r of x.staticRoutes) {
    if (r.nextHop === undefined) continue;
    const hop = parseIp(r.nextHop);
    if (connected.some((c) => containsIp(c, hop))) continue;
    if (hop.family === 4 && intent.ethernet.some((e) => e.addresses.includes('dhcp'))) continue;
    diags.warn('next-hop-unreachable', at([...r.path, 'next_hop']), `next hop ${r.nextHop} of ${r.prefix} is in no subnet of router ${shown(intent.name)}`, {
      expected: 'a next hop on a connected subnet',
      hint: 'a recursive next hop needs another route to it; check the address',
    });
  }
  for (const g of x.vrrp?.groups ?? []) {
    const ifc = placed.filter((p) => p.iface === g.interface);
    for (const a of g.addresses) {
      const vip = parseIp(a);
      const same = ifc.filter((p) => p.prefix.family === vip.family);
      if (ifc.length > 0 && !same.some((p) => containsIp(p.prefix, vip))) {
        diags.warn('vip-outside-subnet', [...g.path, 'address'], `VRRP address ${a} of group ${g.group} is in no subnet of ${g.interface}`, { expected: same.length > 0 ? `an address in ${same.map((p) => p.prefix.network).join(', ')}` : `an IPv${vip.family} subnet on ${g.interface} (it has none)` });
      }
    }
  }
}

/** Across routers: a VRRP group (same VRID on one subnet) needs distinct priorities, or two masters fight. */
export function checkVrrpAcrossRouters(intents: readonly RouterIntent[], diags: Diagnostics): void {
  const seen = new Map<string, { router: string; priority: number; path: DocPath }[]>();
  for (const i of intents) {
    for (const g of i.vrrp?.groups ?? []) {
      // A site's group gives its standby routers one priority; VRRP breaks that tie by address.
      if (g.path[0] !== 'routers') continue;
      const net = g.addresses[0] ? parseIp(g.addresses[0]).network : g.interface;
      const key = `${net}\u0000${g.vrid}`;
      const list = seen.get(key) ?? [];
      const same = list.find((o) => o.priority === g.priority && o.router !== i.name);
      if (same) {
        diags.error('vrrp-priority-equal', [...g.path, 'priority'], `routers ${shown(same.router)} and ${shown(i.name)} run VRRP group ${g.vrid} on ${net} with the same priority ${g.priority}`, {
          expected: 'a different priority per router (the highest is master)',
          found: String(g.priority),
          hint: 'give the master 200 and the backup 100',
        });
      }
      list.push({ router: i.name, priority: g.priority, path: g.path });
      seen.set(key, list);
    }
  }
}
