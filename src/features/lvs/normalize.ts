// Schema-valid `lvs` key -> LvsTopology: defaults applied (priorities from the
// roles, unicast from the segment, keepalived's own defaults written out), each
// instance placed on its segment and given a VRID. A pair is written in the
// short form (one instance: its keys on the pair, named after it) or the long
// form (`instances`, optionally `sync_groups`). Only what leaves the document
// ambiguous is refused here (src/normalize/lvs-shape.ts); the silent-acceptance
// checks (src/validate/lvs*.ts) look at the result.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import type {
  LvsDoc,
  LvsInstanceDoc,
  LvsInstanceKeysDoc,
  LvsNodeDoc,
  LvsNotifyDoc,
  LvsPairDoc,
  LvsScriptDoc,
  LvsVipDoc,
  SecretDoc,
} from '../../model/document.js';
import type {
  Located,
  LvsInstance,
  LvsInstanceNode,
  LvsNode,
  LvsNotify,
  LvsPair,
  LvsRole,
  LvsScript,
  LvsSegment,
  LvsSync,
  LvsTopology,
  LvsVip,
} from './model.js';
import type { SecretRef, Topology } from '../../model/topology.js';
import { canonical, containsAddress as contains, familyOf, parseIp as parsePrefix, type Family, type IpPrefix as Prefix } from '../../net/ip.js';
import { assignVrids, siteVrrpUsers } from './vrid.js';
import { checkPairShape, LVS_INSTANCE_KEYS } from './shape.js';
import { normalizeGroups, normalizeVirtualServer } from './services.js';
import { LVS_DEFAULTS } from './defaults.js';
import { script } from './script-ref.js';
import { subPath } from '../../diagnostics.js';

export { LVS_DEFAULTS } from './defaults.js';

/** The keys of the lvs section that hold addresses: their IPv6 values are compared and printed in RFC 5952 form. */
const ADDRESS_KEYS = new Set(['address', 'unicast_src_ip', 'network', 'to', 'via', 'src', 'smtp_server']);

function canonicalAddresses<T>(v: T, key?: string): T {
  if (typeof v === 'string') return (key !== undefined && ADDRESS_KEYS.has(key) && v.includes(':') ? canonical(v) : v) as T;
  if (Array.isArray(v)) return v.map((x) => canonicalAddresses(x, key)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonicalAddresses(x, k)])) as T;
  return v;
}

export function normalizeLvs(written: LvsDoc | undefined, file: string, diags: Diagnostics, topology?: Topology): LvsTopology {
  const doc = canonicalAddresses(written);
  const segments: LvsSegment[] = Object.entries(doc?.segments ?? {}).map(([name, s]) => ({
    name,
    network: parsePrefix(s.network),
    multicast: s.multicast ?? true,
    reserved: (s.reserved_vrids ?? []).map((value, i) => ({ value, path: ['lvs', 'segments', name, 'reserved_vrids', i] })),
    declared: true,
    path: ['lvs', 'segments', name],
  }));
  const implicit = new Map<string, LvsSegment>();
  const segmentOf = (address: Prefix): LvsSegment => {
    const holding = segments.filter((s) => contains(s.network, address.address)).sort((a, b) => b.network.length - a.network.length);
    if (holding[0]) return holding[0];
    let seg = implicit.get(address.network);
    if (!seg) {
      seg = { name: address.network, network: parsePrefix(address.network), multicast: true, reserved: [], declared: false, path: [] };
      implicit.set(address.network, seg);
    }
    return seg;
  };

  const pairs: LvsPair[] = [];
  for (const [name, p] of Object.entries(doc?.pairs ?? {})) {
    if (!checkPairShape(name, p, diags)) continue;
    pairs.push(normalizePair(name, p, segmentOf, diags));
  }
  const instances = pairs.flatMap((p) => p.instances);
  // One allocator per segment sees every VRRP user first: the segment's
  // reserved VRIDs, the sites' VyOS VRRP groups on it, every pinned vrid.
  assignVrids(instances, topology ? siteVrrpUsers(topology) : [], diags);
  return { file, segments: [...segments, ...implicit.values()], pairs, instances };
}

function normalizePair(name: string, p: LvsPairDoc, segmentOf: (a: Prefix) => LvsSegment, diags: Diagnostics): LvsPair {
  const path: DocPath = ['lvs', 'pairs', name];
  const nodes = p.nodes.map((n, i) => normalizeNode(n, subPath(path, 'nodes', i))) as [LvsNode, LvsNode];
  const longForm = p.instances !== undefined;
  const docs: [string, LvsInstanceDoc, DocPath][] = longForm
    ? // By name: the order of a mapping's keys means nothing (the files, and the VRIDs of one pair, do not depend on it).
      Object.entries(p.instances ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([iname, d]): [string, LvsInstanceDoc, DocPath] => [iname, d, subPath(path, 'instances', iname)])
    : [[name, { ...pick(p), vips: p.vips ?? [] }, path]];
  const instances: LvsInstance[] = [];
  for (const [iname, d, ipath] of docs) {
    const label = longForm ? `VRRP instance ${iname} of LVS pair ${name}` : `LVS pair ${name}`;
    const inst = normalizeInstance(name, iname, label, d, ipath, nodes, segmentOf, diags);
    if (inst) instances.push(inst);
  }
  const g = p.global_defs ?? {};
  return {
    name,
    nodes,
    longForm,
    instances,
    syncGroups: Object.entries(p.sync_groups ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([gname, sg]) => {
      const gpath = subPath(path, 'sync_groups', gname);
      return {
        name: gname,
        instances: sg.instances.map((value, i) => ({ value, path: subPath(gpath, 'instances', i) })),
        notify: notify(sg.notify, subPath(gpath, 'notify')),
        path: gpath,
      };
    }),
    global: {
      notificationEmail: g.notification_email ?? [],
      ...(g.notification_email_from !== undefined ? { notificationEmailFrom: g.notification_email_from } : {}),
      ...(g.smtp_server !== undefined ? { smtpServer: g.smtp_server } : {}),
      ...(g.smtp_connect_timeout !== undefined ? { smtpConnectTimeout: g.smtp_connect_timeout } : {}),
      ...(g.enable_script_security !== undefined ? { enableScriptSecurity: g.enable_script_security } : {}),
      ...(g.script_user !== undefined ? { scriptUser: { value: g.script_user, path: subPath(path, 'global_defs', 'script_user') } } : {}),
    },
    sync: sync(p, path, instances),
    accept: p.real_server_accept ?? LVS_DEFAULTS.accept,
    groups: normalizeGroups(p.virtual_server_groups, subPath(path, 'virtual_server_groups')),
    virtualServers: (p.virtual_servers ?? []).flatMap((vs, i) => normalizeVirtualServer(vs, subPath(path, 'virtual_servers', i), diags) ?? []),
    path,
  };
}

function pick(p: LvsPairDoc): LvsInstanceKeysDoc {
  const out: Record<string, unknown> = {};
  for (const k of LVS_INSTANCE_KEYS) if (p[k] !== undefined) out[k] = p[k];
  return out as LvsInstanceKeysDoc;
}

/**
 * Connection sync is on by default when the pair balances TCP (established
 * connections survive a failover) on a segment where multicast works (the
 * IPVS sync daemon sends multicast only). It follows the instance holding the
 * first TCP service's VIP, else the first instance.
 */
function sync(p: LvsPairDoc, path: DocPath, instances: LvsInstance[]): LvsSync {
  const spath = subPath(path, 'lvs_sync');
  const written = p.lvs_sync;
  const explicit = written !== undefined;
  const obj = typeof written === 'object' ? written : undefined;
  let instance: Located<string> | undefined = obj?.instance !== undefined ? { value: obj.instance, path: subPath(spath, 'instance') } : undefined;
  if (!instance) {
    const tcp = (p.virtual_servers ?? []).filter((vs) => (vs.protocol ?? 'TCP') === 'TCP');
    const holder = tcp.map((vs) => instances.find((i) => i.vips.some((v) => v.address === vs.address))).find((i) => i !== undefined) ?? instances[0];
    if (holder) instance = { value: holder.name, path: holder.path };
  }
  const chosen = instances.find((i) => i.name === instance?.value);
  const hasTcp = (p.virtual_servers ?? []).some((vs) => (vs.protocol ?? 'TCP') === 'TCP');
  const enabled = written === false ? false : explicit ? true : hasTcp && chosen !== undefined && chosen.segment.multicast;
  return { explicit, enabled, ...(instance ? { instance } : {}), ...(obj?.id !== undefined ? { id: obj.id } : {}), path: explicit ? spath : path };
}

function normalizeNode(n: LvsNodeDoc, path: DocPath): LvsNode {
  const address = parsePrefix(n.address);
  const addresses = new Map<string, Located<Prefix>[]>([[n.interface, [{ value: address, path: subPath(path, 'address') }]]]);
  const interfaces: string[] = [];
  for (const [i, x] of (n.interfaces ?? []).entries()) {
    const ifname = typeof x === 'string' ? x : x.name;
    // A dual-stack director lists its main interface again with its address of the other family.
    if (ifname !== n.interface) interfaces.push(ifname);
    if (typeof x !== 'object' || x.address === undefined) continue;
    const value = parsePrefix(x.address);
    const known = addresses.get(ifname) ?? [];
    if (!known.some((a) => a.value.family === value.family)) addresses.set(ifname, [...known, { value, path: subPath(path, 'interfaces', i, 'address') }]);
  }
  return {
    name: n.name,
    ...(n.role !== undefined ? { role: n.role } : {}),
    interface: n.interface,
    address,
    ...(n.priority !== undefined ? { priority: { value: n.priority, path: subPath(path, 'priority') } } : {}),
    ...(n.unicast_src_ip !== undefined ? { unicastSrcIp: { value: n.unicast_src_ip, path: subPath(path, 'unicast_src_ip') } } : {}),
    interfaces,
    addresses,
    ...(n.router_id !== undefined ? { routerId: n.router_id } : {}),
    path,
  };
}

function normalizeInstance(
  pair: string,
  name: string,
  label: string,
  d: LvsInstanceDoc,
  path: DocPath,
  nodes: [LvsNode, LvsNode],
  segmentOf: (a: Prefix) => LvsSegment,
  diags: Diagnostics,
): LvsInstance | undefined {
  const roles = instanceRoles(d, path, nodes, diags);
  // keepalived runs an instance over one family, the family of its VIPs (the nodes' addresses of that family are its sources).
  const family: Family | undefined = d.vips?.[0] !== undefined ? familyOf(d.vips[0].address) : undefined;
  if (!roles) return undefined;
  const members: LvsInstanceNode[] = [];
  for (const [i, n] of nodes.entries()) {
    const iface = d.interface ?? n.interface;
    const ifacePath = d.interface !== undefined ? subPath(path, 'interface') : subPath(n.path, 'interface');
    const on = n.addresses.get(iface) ?? [];
    const at = on.find((a) => a.value.family === family) ?? (family === undefined ? on[0] : undefined);
    if (!at) {
      const known = [n.interface, ...n.interfaces];
      const listed = known.includes(iface);
      const what = on.length > 0 ? `IPv${family} address` : 'address';
      diags.error(listed ? 'lvs-interface-no-address' : 'lvs-unknown-interface', ifacePath, listed ? `${n.name}'s ${what} on ${iface} is not given` : `${n.name} has no interface ${iface}`, {
        expected: listed ? `{ name: ${iface}, address: <its ${what} with prefix length> } in ${n.name}'s interfaces` : `one of ${n.name}'s interfaces: ${known.join(', ')}`,
        found: iface,
        hint: listed
          ? 'VRRP on an interface needs the node\'s address there (its segment, its unicast source)'
          : 'keepalived accepts any name and fails at run time; fix the name, or list the interface with its address under the node\'s interfaces',
      });
      return undefined;
    }
    const role = roles[i]!;
    const own = d.priorities?.[n.name];
    const fromNode = n.priority && n.role === role.role ? n.priority : undefined;
    const unicastOwn = iface === n.interface ? n.unicastSrcIp : undefined;
    members.push({
      node: n,
      name: n.name,
      role: role.role,
      rolePath: role.path,
      interface: iface,
      address: at.value,
      priority: own ?? fromNode?.value ?? LVS_DEFAULTS.priority[role.role],
      priorityPath: own !== undefined ? subPath(path, 'priorities', n.name) : fromNode ? fromNode.path : n.path,
      unicastSrc: unicastOwn?.value ?? at.value.address,
      unicastSrcPath: unicastOwn?.path ?? at.path,
      interfaces: [n.interface, ...n.interfaces],
      path: n.path,
    });
  }
  const segment = segmentOf(members[0]!.address);
  const vip = (excluded: boolean, key: string) => (v: LvsVipDoc, i: number): LvsVip => ({
    text: v.address,
    address: v.address.split('/')[0]!,
    ...(v.dev !== undefined ? { dev: { value: v.dev, path: subPath(path, key, i, 'dev') } } : {}),
    ...(v.brd !== undefined ? { brd: v.brd } : {}),
    ...(v.scope !== undefined ? { scope: v.scope } : {}),
    ...(v.label !== undefined ? { label: { value: v.label, path: subPath(path, key, i, 'label') } } : {}),
    excluded,
    path: subPath(path, key, i),
  });
  return {
    name,
    pair,
    label,
    nodes: members as [LvsInstanceNode, LvsInstanceNode],
    segment,
    vrid: d.vrid ?? -1,
    ...(d.vrid !== undefined ? { vridPath: subPath(path, 'vrid') } : {}),
    advertInt: d.advert_int ?? LVS_DEFAULTS.advertInt,
    ...(d.auth_pass ? { authPass: secretRef(d.auth_pass, subPath(path, 'auth_pass')) } : {}),
    unicast: d.unicast ?? !segment.multicast,
    preempt: d.preempt ?? true,
    preemptPath: d.preempt !== undefined ? subPath(path, 'preempt') : path,
    ...(d.preempt_delay !== undefined ? { preemptDelay: { value: d.preempt_delay, path: subPath(path, 'preempt_delay') } } : {}),
    notify: notify(d.notify, subPath(path, 'notify')),
    trackScripts: Object.entries(d.track_scripts ?? {}).map(([scriptName, t]) => {
      const tpath = subPath(path, 'track_scripts', scriptName);
      return {
        name: scriptName,
        script: { value: t.script, path: subPath(tpath, 'script') },
        ...(t.interval !== undefined ? { interval: t.interval } : {}),
        ...(t.timeout !== undefined ? { timeout: t.timeout } : {}),
        ...(t.weight !== undefined ? { weight: t.weight } : {}),
        ...(t.fall !== undefined ? { fall: t.fall } : {}),
        ...(t.rise !== undefined ? { rise: t.rise } : {}),
        path: tpath,
      };
    }),
    trackInterfaces: (d.track_interfaces ?? []).map((value, i) => ({ value, path: subPath(path, 'track_interfaces', i) })),
    garp: {
      ...(d.garp?.master_delay !== undefined ? { masterDelay: d.garp.master_delay } : {}),
      ...(d.garp?.master_repeat !== undefined ? { masterRepeat: d.garp.master_repeat } : {}),
      ...(d.garp?.master_refresh !== undefined ? { masterRefresh: d.garp.master_refresh } : {}),
      ...(d.garp?.master_refresh_repeat !== undefined ? { masterRefreshRepeat: d.garp.master_refresh_repeat } : {}),
    },
    vips: [...d.vips.map(vip(false, 'vips')), ...(d.vips_excluded ?? []).map(vip(true, 'vips_excluded'))],
    routes: (d.virtual_routes ?? []).map((r, i) => ({
      to: r.to,
      ...(r.via !== undefined ? { via: r.via } : {}),
      ...(r.dev !== undefined ? { dev: { value: r.dev, path: subPath(path, 'virtual_routes', i, 'dev') } } : {}),
      ...(r.src !== undefined ? { src: r.src } : {}),
      path: subPath(path, 'virtual_routes', i),
    })),
    path,
  };
}

/** Each node's role in the instance: from the instance's `master`, else the nodes' roles. */
function instanceRoles(d: LvsInstanceDoc, path: DocPath, nodes: [LvsNode, LvsNode], diags: Diagnostics): { role: LvsRole; path: DocPath }[] | undefined {
  const names = nodes.map((n) => n.name);
  for (const who of Object.keys(d.priorities ?? {})) {
    if (names.includes(who)) continue;
    diags.error('lvs-unknown-director', subPath(path, 'priorities', who), `${who} is not a director of this pair`, {
      at: 'key',
      expected: `one of ${names.join(', ')}`,
      found: who,
      hint: 'priorities are given per director name',
    });
    return undefined;
  }
  if (d.master !== undefined) {
    if (!names.includes(d.master)) {
      diags.error('lvs-unknown-director', subPath(path, 'master'), `${d.master} is not a director of this pair`, {
        expected: `one of ${names.join(', ')}`,
        found: d.master,
        hint: 'master names the director that holds the instance\'s VIPs when both are up',
      });
      return undefined;
    }
    return nodes.map((n) => ({ role: n.name === d.master ? 'master' : 'backup', path: subPath(path, 'master') }));
  }
  const [a, b] = nodes;
  const roleOf = (n: LvsNode, other: LvsNode): LvsRole | undefined => n.role ?? (other.role === 'master' ? 'backup' : undefined);
  const ra = roleOf(a, b);
  const rb = roleOf(b, a);
  if (!ra || !rb) {
    diags.error('lvs-no-master', path, `no director is master of VRRP instance ${path[path.length - 1]}`, {
      at: 'key',
      expected: `master: <one of ${names.join(', ')}> on the instance, or role: master on one node`,
      found: 'no role and no master',
      hint: 'in an active/active pair each instance names its master',
    });
    return undefined;
  }
  return [
    { role: ra, path: a.role !== undefined ? subPath(a.path, 'role') : a.path },
    { role: rb, path: b.role !== undefined ? subPath(b.path, 'role') : b.path },
  ];
}


function notify(n: LvsNotifyDoc | undefined, path: DocPath): LvsNotify {
  const out: LvsNotify = {};
  for (const k of ['master', 'backup', 'fault', 'stop'] as const) {
    const s = n?.[k];
    if (s !== undefined) out[k] = script(s, subPath(path, k));
  }
  return out;
}

function secretRef(s: SecretDoc, path: DocPath): SecretRef {
  return 'env' in s ? { kind: 'env', name: s.env, path: subPath(path, 'env') } : { kind: 'file', name: s.file, path: subPath(path, 'file') };
}
