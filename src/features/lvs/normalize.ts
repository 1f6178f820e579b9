// Schema-valid `lvs` key -> LvsTopology: defaults applied (priorities from the
// roles, unicast from the segment, keepalived's own defaults written out), each
// pair placed on its segment and given a VRID. Nothing is refused here: the
// silent-acceptance checks (check*.ts) look at the result.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import type { LvsDoc, LvsNodeDoc, LvsPairDoc, LvsRealServerDoc, LvsVirtualServerDoc, SecretDoc } from '../../model/document.js';
import type { HealthCheck, LvsNode, LvsPair, LvsRealServer, LvsSegment, LvsTopology, LvsVirtualServer } from './model.js';
import type { SecretRef } from '../../model/topology.js';
import { contains, parsePrefix } from '../../net/ipv4.js';
import { assignVrids } from './vrid.js';

export const LVS_DEFAULTS = Object.freeze({
  priority: Object.freeze({ master: 150, backup: 100 }),
  advertInt: 1,
  // keepalived's own defaults, written out so that the file says what it does.
  lbAlgo: 'wlc',
  delayLoop: 60,
  protocol: 'TCP' as const,
  weight: 1,
  accept: 'iptables-redirect' as const,
});

export function normalizeLvs(doc: LvsDoc | undefined, file: string, diags: Diagnostics): LvsTopology {
  const segments: LvsSegment[] = Object.entries(doc?.segments ?? {}).map(([name, s]) => ({
    name,
    network: parsePrefix(s.network),
    multicast: s.multicast ?? true,
    reserved: (s.reserved_vrids ?? []).map((value, i) => ({ value, path: ['lvs', 'segments', name, 'reserved_vrids', i] })),
    declared: true,
    path: ['lvs', 'segments', name],
  }));
  const implicit = new Map<string, LvsSegment>();
  const segmentOf = (node: LvsNodeDoc): LvsSegment => {
    const address = parsePrefix(node.address);
    const holding = segments.filter((s) => contains(s.network, address.address)).sort((a, b) => b.network.length - a.network.length);
    if (holding[0]) return holding[0];
    let seg = implicit.get(address.network);
    if (!seg) {
      seg = { name: address.network, network: parsePrefix(address.network), multicast: true, reserved: [], declared: false, path: [] };
      implicit.set(address.network, seg);
    }
    return seg;
  };

  const pairs = Object.entries(doc?.pairs ?? {}).map(([name, p]) => normalizePair(name, p, segmentOf(p.nodes[0])));
  assignVrids(pairs, diags);
  return { file, segments: [...segments, ...implicit.values()], pairs };
}

function normalizePair(name: string, p: LvsPairDoc, segment: LvsSegment): LvsPair {
  const path: DocPath = ['lvs', 'pairs', name];
  const nodes = p.nodes.map((n, i) => normalizeNode(n, [...path, 'nodes', i])) as [LvsNode, LvsNode];
  return {
    name,
    nodes,
    segment,
    vrid: p.vrid ?? -1,
    ...(p.vrid !== undefined ? { vridPath: [...path, 'vrid'] } : {}),
    advertInt: p.advert_int ?? LVS_DEFAULTS.advertInt,
    ...(p.auth_pass ? { authPass: secretRef(p.auth_pass, [...path, 'auth_pass']) } : {}),
    unicast: p.unicast ?? !segment.multicast,
    preempt: p.preempt ?? true,
    preemptPath: p.preempt !== undefined ? [...path, 'preempt'] : path,
    ...(p.preempt_delay !== undefined ? { preemptDelay: { value: p.preempt_delay, path: [...path, 'preempt_delay'] } } : {}),
    notify: {
      ...(p.notify?.master !== undefined ? { master: { value: p.notify.master, path: [...path, 'notify', 'master'] } } : {}),
      ...(p.notify?.backup !== undefined ? { backup: { value: p.notify.backup, path: [...path, 'notify', 'backup'] } } : {}),
      ...(p.notify?.fault !== undefined ? { fault: { value: p.notify.fault, path: [...path, 'notify', 'fault'] } } : {}),
    },
    trackScripts: Object.entries(p.track_scripts ?? {}).map(([scriptName, t]) => {
      const tpath = [...path, 'track_scripts', scriptName];
      return {
        name: scriptName,
        script: { value: t.script, path: [...tpath, 'script'] },
        ...(t.interval !== undefined ? { interval: t.interval } : {}),
        ...(t.timeout !== undefined ? { timeout: t.timeout } : {}),
        ...(t.weight !== undefined ? { weight: t.weight } : {}),
        ...(t.fall !== undefined ? { fall: t.fall } : {}),
        ...(t.rise !== undefined ? { rise: t.rise } : {}),
        path: tpath,
      };
    }),
    trackInterfaces: (p.track_interfaces ?? []).map((value, i) => ({ value, path: [...path, 'track_interfaces', i] })),
    vips: p.vips.map((v, i) => ({
      text: v.address,
      address: v.address.split('/')[0]!,
      ...(v.dev !== undefined ? { dev: { value: v.dev, path: [...path, 'vips', i, 'dev'] } } : {}),
      path: [...path, 'vips', i],
    })),
    accept: p.real_server_accept ?? LVS_DEFAULTS.accept,
    virtualServers: (p.virtual_servers ?? []).map((vs, i) => normalizeVirtualServer(vs, [...path, 'virtual_servers', i])),
    path,
  };
}

function normalizeNode(n: LvsNodeDoc, path: DocPath): LvsNode {
  const address = parsePrefix(n.address);
  return {
    name: n.name,
    role: n.role,
    interface: n.interface,
    address,
    priority: n.priority ?? LVS_DEFAULTS.priority[n.role],
    priorityPath: n.priority !== undefined ? [...path, 'priority'] : path,
    unicastSrc: n.unicast_src_ip ?? address.address,
    unicastSrcPath: n.unicast_src_ip !== undefined ? [...path, 'unicast_src_ip'] : [...path, 'address'],
    interfaces: n.interfaces ?? [],
    path,
  };
}

function normalizeVirtualServer(vs: LvsVirtualServerDoc, path: DocPath): LvsVirtualServer {
  return {
    address: vs.address,
    port: vs.port,
    protocol: vs.protocol ?? LVS_DEFAULTS.protocol,
    lbAlgo: vs.lb_algo ?? LVS_DEFAULTS.lbAlgo,
    lbKind: vs.lb_kind,
    delayLoop: vs.delay_loop ?? LVS_DEFAULTS.delayLoop,
    ...(vs.persistence_timeout !== undefined ? { persistenceTimeout: vs.persistence_timeout } : {}),
    ...(vs.sorry_server ? { sorryServer: { address: vs.sorry_server.address, port: vs.sorry_server.port } } : {}),
    realServers: vs.real_servers.map((rs, i) => normalizeRealServer(rs, [...path, 'real_servers', i])),
    path,
  };
}

function normalizeRealServer(rs: LvsRealServerDoc, path: DocPath): LvsRealServer {
  const checks: HealthCheck[] = [];
  // Document order, so that "more than one checker" points at the second one written.
  for (const key of Object.keys(rs)) {
    const cpath = [...path, key];
    if (key === 'http_get' || key === 'ssl_get') {
      const c = rs[key]!;
      checks.push({
        kind: key === 'http_get' ? 'HTTP_GET' : 'SSL_GET',
        urlPath: c.path,
        ...(c.status_code !== undefined ? { statusCode: c.status_code } : {}),
        ...(c.digest !== undefined ? { digest: c.digest } : {}),
        ...(c.connect_port !== undefined ? { connectPort: c.connect_port } : {}),
        ...(c.connect_timeout !== undefined ? { connectTimeout: c.connect_timeout } : {}),
        ...(c.retry !== undefined ? { retry: c.retry } : {}),
        ...(c.delay_before_retry !== undefined ? { delayBeforeRetry: c.delay_before_retry } : {}),
        path: cpath,
      });
    } else if (key === 'tcp_check') {
      const c = rs.tcp_check!;
      checks.push({
        kind: 'TCP_CHECK',
        ...(c.connect_port !== undefined ? { connectPort: c.connect_port } : {}),
        ...(c.connect_timeout !== undefined ? { connectTimeout: c.connect_timeout } : {}),
        ...(c.retry !== undefined ? { retry: c.retry } : {}),
        ...(c.delay_before_retry !== undefined ? { delayBeforeRetry: c.delay_before_retry } : {}),
        path: cpath,
      });
    } else if (key === 'misc_check') {
      const c = rs.misc_check!;
      checks.push({
        kind: 'MISC_CHECK',
        script: { value: c.path, path: [...cpath, 'path'] },
        ...(c.misc_timeout !== undefined ? { miscTimeout: c.misc_timeout } : {}),
        miscDynamic: c.misc_dynamic ?? false,
        ...(c.retry !== undefined ? { retry: c.retry } : {}),
        ...(c.delay_before_retry !== undefined ? { delayBeforeRetry: c.delay_before_retry } : {}),
        path: cpath,
      });
    }
  }
  return {
    name: rs.name ?? rs.address,
    ...(rs.name !== undefined ? { explicitName: rs.name } : {}),
    address: rs.address,
    ...(rs.port !== undefined ? { port: rs.port } : {}),
    weight: rs.weight ?? LVS_DEFAULTS.weight,
    inhibitOnFailure: rs.inhibit_on_failure ?? false,
    checks,
    path,
  };
}

function secretRef(s: SecretDoc, path: DocPath): SecretRef {
  return 'env' in s ? { kind: 'env', name: s.env, path: [...path, 'env'] } : { kind: 'file', name: s.file, path: [...path, 'file'] };
}
