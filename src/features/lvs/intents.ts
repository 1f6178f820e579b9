// LvsTopology -> what each file says. Per director: its VRRP instances (state,
// priority, unicast peer and VIP devices are what differ between the two
// directors of a pair), the sync groups, the pair's virtual servers, the
// connection sync and the sysctl settings its forwarding mode needs. Per DR
// real server: the VIPs and services it must accept, and how.
import type {
  AcceptedService,
  CheckIntent,
  DirectorIntent,
  LvsIntents,
  NotifyIntent,
  RealServerHostIntent,
  ScriptCall,
  SysctlSetting,
  VipIntent,
  VirtualServerIntent,
  VrrpInstanceIntent,
} from './keepalived-intent.js';
import type { HealthCheck, LvsInstance, LvsInstanceNode, LvsNode, LvsNotify, LvsPair, LvsScript, LvsTopology, LvsVirtualServer } from './model.js';
import { toDotted, toNumber } from '../../net/ipv4.js';
import { parseIp } from '../../net/ip.js';

/** IPv4 before IPv6, each by value. */
const compareAddresses = (a: string, b: string): number => {
  const x = parseIp(a);
  const y = parseIp(b);
  return x.family - y.family || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0);
};
import { byMark, groupOf } from './services.js';

/** Where the IPVS sync daemon sends by default (kernel defaults). */
export const IPVS_SYNC_GROUP = '224.0.0.81';
export const IPVS_SYNC_PORT = 8848;

export function buildLvsIntents(lvs: LvsTopology): LvsIntents {
  const directors: DirectorIntent[] = [];
  for (const p of lvs.pairs) {
    const virtualServers = p.virtualServers.map((vs) => virtualServer(p, vs));
    for (const [index, node] of p.nodes.entries()) {
      const views = p.instances.map((i) => ({ inst: i, me: i.nodes[index]!, peer: i.nodes[1 - index]! }));
      directors.push({
        name: node.name,
        pair: p.name,
        roles: roles(p, views.map((v) => [v.inst.name, v.me.role])),
        global: {
          routerId: node.routerId ?? node.name,
          notificationEmail: p.global.notificationEmail,
          ...(p.global.notificationEmailFrom !== undefined ? { notificationEmailFrom: p.global.notificationEmailFrom } : {}),
          ...(p.global.smtpServer !== undefined ? { smtpServer: p.global.smtpServer } : {}),
          ...(p.global.smtpConnectTimeout !== undefined ? { smtpConnectTimeout: p.global.smtpConnectTimeout } : {}),
          ...lvsSync(p, index),
          scriptSecurity: p.global.enableScriptSecurity ?? runsScripts(p),
          ...(p.global.scriptUser ? { scriptUser: p.global.scriptUser.value } : runsScripts(p) && p.global.enableScriptSecurity !== false ? { scriptUser: 'root' } : {}),
        },
        syncNote: syncNote(p, index),
        trackScripts: trackScripts(p),
        syncGroups: p.syncGroups.map((g) => ({ name: g.name, instances: g.instances.map((x) => x.value), notify: notify(g.notify) })),
        instances: views.map((v) => instance(v.inst, v.me, v.peer)),
        groups: p.groups.map((g) => ({
          name: g.name,
          entries: g.entries.map((e) => (e.kind === 'fwmark' ? ['fwmark', String(e.fwmark)] : e.kind === 'range' ? [e.text, String(e.port)] : [e.address, String(e.port)])),
        })),
        virtualServers,
        sysctl: sysctl(p, node),
      });
    }
  }
  return { directors, realServers: realServerHosts(lvs) };
}

function roles(p: LvsPair, of: [string, string][]): string {
  if (!p.longForm) return of[0]?.[1] ?? 'director';
  const parts: string[] = [];
  for (const role of ['master', 'backup']) {
    const names = of.filter(([, r]) => r === role).map(([n]) => n);
    if (names.length > 0) parts.push(`${role} of ${names.join(', ')}`);
  }
  return parts.join(', ');
}

function runsScripts(p: LvsPair): boolean {
  return (
    p.instances.some((i) => Object.keys(i.notify).length > 0 || i.trackScripts.length > 0) ||
    p.syncGroups.some((g) => Object.keys(g.notify).length > 0) ||
    p.virtualServers.some((vs) => vs.realServers.some((rs) => rs.notifyUp || rs.notifyDown || rs.checks.some((c) => c.kind === 'MISC_CHECK')))
  );
}

function followed(p: LvsPair): LvsInstance | undefined {
  return p.instances.find((i) => i.name === p.sync.instance?.value);
}

function lvsSync(p: LvsPair, index: number): { lvsSync?: { interface: string; instance: string; id?: number } } {
  const inst = followed(p);
  if (!p.sync.enabled || !inst) return {};
  return { lvsSync: { interface: inst.nodes[index]!.interface, instance: inst.name, ...(p.sync.id !== undefined ? { id: p.sync.id } : {}) } };
}

function syncNote(p: LvsPair, index: number): string[] {
  const inst = followed(p);
  const tcp = p.virtualServers.some((vs) => vs.protocol === 'TCP' || byMark(p, vs));
  if (p.sync.enabled && inst) {
    const iface = inst.nodes[index]!.interface;
    const syncMaster = inst.nodes.find((n) => n.role === 'master')?.name;
    const others = p.instances.filter((i) => i.nodes.find((n) => n.role === 'master')?.name !== syncMaster).map((i) => i.name);
    return [
      `connection sync: lvs_sync_daemon on ${iface} follows VRRP instance ${inst.name}, so established connections survive a failover;`,
      `it needs multicast on ${iface} between the directors (IPVS sends the connection state to ${IPVS_SYNC_GROUP}, UDP port ${IPVS_SYNC_PORT}): allow it`,
      ...(others.length > 0
        ? [`the MASTER of ${inst.name} sends and the other director receives: connections balanced by the MASTER of ${others.join(', ')} are not synchronised`]
        : []),
    ];
  }
  if (p.sync.explicit) return tcp ? ['no connection sync (lvs_sync: false): a failover resets established connections'] : [];
  if (tcp && inst) return [`no connection sync: segment ${inst.segment.name} has no multicast, which the IPVS sync daemon needs; a failover resets established connections`];
  return [];
}

function trackScripts(p: LvsPair): DirectorIntent['trackScripts'] {
  const seen = new Set<string>();
  const out: DirectorIntent['trackScripts'] = [];
  for (const t of p.instances.flatMap((i) => i.trackScripts)) {
    if (seen.has(t.name)) continue;
    seen.add(t.name);
    out.push({
      name: t.name,
      script: t.script.value,
      ...(t.interval !== undefined ? { interval: t.interval } : {}),
      ...(t.timeout !== undefined ? { timeout: t.timeout } : {}),
      ...(t.weight !== undefined ? { weight: t.weight } : {}),
      ...(t.fall !== undefined ? { fall: t.fall } : {}),
      ...(t.rise !== undefined ? { rise: t.rise } : {}),
    });
  }
  return out;
}

const call = (s: LvsScript): ScriptCall => [s.script.value, ...s.args];

function notify(n: LvsNotify): NotifyIntent {
  return {
    ...(n.master ? { master: call(n.master) } : {}),
    ...(n.backup ? { backup: call(n.backup) } : {}),
    ...(n.fault ? { fault: call(n.fault) } : {}),
    ...(n.stop ? { stop: call(n.stop) } : {}),
  };
}

function instance(i: LvsInstance, me: LvsInstanceNode, peer: LvsInstanceNode): VrrpInstanceIntent {
  // keepalived ignores nopreempt and preempt_delay on a node that starts as
  // MASTER, so with either one both nodes start as BACKUP and the priorities
  // alone decide who takes the VIPs first.
  const startAsBackup = !i.preempt || i.preemptDelay !== undefined;
  const vip = (v: LvsInstance['vips'][number]): VipIntent => ({
    address: v.text,
    dev: v.dev?.value ?? me.interface,
    ...(v.brd !== undefined ? { brd: v.brd } : {}),
    ...(v.scope !== undefined ? { scope: v.scope } : {}),
    ...(v.label !== undefined ? { label: v.label.value } : {}),
  });
  return {
    name: i.name,
    state: me.role === 'master' && !startAsBackup ? 'MASTER' : 'BACKUP',
    interface: me.interface,
    vrid: i.vrid,
    priority: me.priority,
    advertInt: i.advertInt,
    nopreempt: !i.preempt,
    ...(i.preemptDelay ? { preemptDelay: i.preemptDelay.value } : {}),
    ...(i.garp.masterDelay !== undefined ? { garpMasterDelay: i.garp.masterDelay } : {}),
    ...(i.garp.masterRepeat !== undefined ? { garpMasterRepeat: i.garp.masterRepeat } : {}),
    ...(i.garp.masterRefresh !== undefined ? { garpMasterRefresh: i.garp.masterRefresh } : {}),
    ...(i.garp.masterRefreshRepeat !== undefined ? { garpMasterRefreshRepeat: i.garp.masterRefreshRepeat } : {}),
    ...(i.unicast ? { unicastSrcIp: me.unicastSrc } : {}),
    unicastPeers: i.unicast ? [peer.unicastSrc] : [],
    ...(i.authPass ? { authPass: i.authPass } : {}),
    vips: i.vips.filter((v) => !v.excluded).map(vip),
    vipsExcluded: i.vips.filter((v) => v.excluded).map(vip),
    routes: i.routes.map((r) => ({
      to: r.to,
      ...(r.via !== undefined ? { via: r.via } : {}),
      ...(r.dev !== undefined ? { dev: r.dev.value } : {}),
      ...(r.src !== undefined ? { src: r.src } : {}),
    })),
    trackInterfaces: i.trackInterfaces.map((t) => t.value),
    trackScripts: i.trackScripts.map((t) => t.name),
    notify: notify(i.notify),
  };
}

function virtualServer(p: LvsPair, vs: LvsVirtualServer): VirtualServerIntent {
  const mark = byMark(p, vs);
  const id = vs.id.kind === 'address' ? [vs.id.address, String(vs.id.port)] : vs.id.kind === 'fwmark' ? ['fwmark', String(vs.id.fwmark)] : ['group', vs.id.group];
  const s = vs.sorryServer;
  return {
    id,
    ...(mark ? {} : { protocol: vs.protocol }),
    lbAlgo: vs.lbAlgo,
    lbKind: vs.lbKind,
    delayLoop: vs.delayLoop,
    ...(vs.persistenceTimeout !== undefined ? { persistenceTimeout: vs.persistenceTimeout } : {}),
    ...(vs.persistenceGranularity !== undefined ? { persistenceGranularity: vs.persistenceGranularity } : {}),
    ...(vs.quorum !== undefined ? { quorum: vs.quorum } : {}),
    ...(vs.hysteresis !== undefined ? { hysteresis: vs.hysteresis } : {}),
    haSuspend: vs.haSuspend?.value ?? false,
    alpha: vs.alpha,
    omega: vs.omega,
    ops: vs.ops?.value ?? false,
    ...(s ? { sorryServer: { address: s.address, port: s.port ?? (vs.id.kind === 'address' && !mark ? vs.id.port : 0), ...(s.lbKind ? { lbKind: s.lbKind } : {}) } } : {}),
    realServers: vs.realServers.map((rs) => {
      if (rs.port === undefined && !mark) throw new Error(`internal error: real server ${rs.address} without a port passed the checks`);
      return {
        address: rs.address,
        port: rs.port ?? 0,
        weight: rs.weight,
        inhibitOnFailure: rs.inhibitOnFailure,
        ...(rs.notifyUp ? { notifyUp: call(rs.notifyUp) } : {}),
        ...(rs.notifyDown ? { notifyDown: call(rs.notifyDown) } : {}),
        checks: rs.checks.map(check),
      };
    }),
  };
}

function check(c: HealthCheck): CheckIntent {
  const common = {
    ...(c.connectPort !== undefined ? { connectPort: c.connectPort } : {}),
    ...(c.connectTimeout !== undefined ? { connectTimeout: c.connectTimeout } : {}),
    ...(c.retry !== undefined ? { retry: c.retry } : {}),
    ...(c.delayBeforeRetry !== undefined ? { delayBeforeRetry: c.delayBeforeRetry } : {}),
    ...(c.warmup !== undefined ? { warmup: c.warmup } : {}),
    miscDynamic: false,
    urls: [],
  };
  switch (c.kind) {
    case 'HTTP_GET':
    case 'SSL_GET':
      return { ...common, kind: c.kind, urls: c.urls.map((u) => ({ ...u })) };
    case 'TCP_CHECK':
      return { ...common, kind: c.kind };
    case 'SMTP_CHECK':
      return { ...common, kind: c.kind, ...(c.heloName !== undefined ? { heloName: c.heloName } : {}) };
    case 'DNS_CHECK':
      return { ...common, kind: c.kind, dnsName: c.name, ...(c.type !== undefined ? { dnsType: c.type } : {}) };
    case 'MISC_CHECK':
      return {
        ...common,
        kind: c.kind,
        misc: call(c.script),
        ...(c.miscTimeout !== undefined ? { miscTimeout: c.miscTimeout } : {}),
        miscDynamic: c.miscDynamic,
      };
  }
}

function sysctl(p: LvsPair, node: LvsNode): SysctlSetting[] {
  const out: SysctlSetting[] = [{ key: 'net.ipv4.ip_forward', value: '1', why: 'the director forwards packets to the real servers' }];
  const v6 = p.virtualServers.some((vs) => vs.realServers.some((rs) => rs.address.includes(':')));
  // Forwarding on an interface also stops it taking router advertisements: a director on IPv6 needs a static address and route.
  if (v6) out.push({ key: 'net.ipv6.conf.all.forwarding', value: '1', why: 'the director forwards IPv6 packets to the real servers (and no longer takes router advertisements: give it a static IPv6 address and default route)' });
  if (p.virtualServers.some((vs) => vs.lbKind === 'NAT')) {
    const why = 'lb_kind NAT: no ICMP redirects telling real servers to bypass the director';
    // The kernel sends redirects when `all` or the interface's own setting says so: both off.
    out.push({ key: 'net.ipv4.conf.all.send_redirects', value: '0', why });
    out.push({ key: 'net.ipv4.conf.default.send_redirects', value: '0', why });
    for (const iface of [node.interface, ...node.interfaces]) {
      // In a sysctl key a '.' in an interface name (a VLAN, eth0.100) is written '/'.
      out.push({ key: `net.ipv4.conf.${iface.replace(/\./g, '/')}.send_redirects`, value: '0', why });
    }
  }
  return out;
}

/** The addresses and ports a DR service stands for (none for a fwmark: the mark's rule decides). */
function accepted(p: LvsPair, vs: LvsVirtualServer): AcceptedService[] {
  const protocol = vs.protocol === 'UDP' ? 'udp' : 'tcp';
  if (vs.id.kind === 'address') return [{ address: vs.id.address, protocol, port: vs.id.port }];
  if (byMark(p, vs)) return [];
  const out: AcceptedService[] = [];
  for (const e of groupOf(p, vs)?.entries ?? []) {
    if (e.kind === 'address') out.push({ address: e.address, protocol, port: e.port });
    if (e.kind === 'range') for (let n = toNumber(e.first); n <= toNumber(e.last); n++) out.push({ address: toDotted(n), protocol, port: e.port });
  }
  return out;
}

function realServerHosts(lvs: LvsTopology): RealServerHostIntent[] {
  const hosts = new Map<string, { name?: string; accept: RealServerHostIntent['accept']; services: Map<string, AcceptedService>; pairs: Set<string> }>();
  for (const p of lvs.pairs) {
    for (const vs of p.virtualServers) {
      if (vs.lbKind !== 'DR') continue;
      const services = accepted(p, vs);
      if (services.length === 0) continue;
      for (const rs of vs.realServers) {
        let h = hosts.get(rs.address);
        if (!h) {
          h = { accept: p.accept, services: new Map(), pairs: new Set() };
          hosts.set(rs.address, h);
        }
        h.name ??= rs.explicitName;
        for (const s of services) h.services.set(`${s.address}/${s.protocol}/${s.port}`, s);
        h.pairs.add(p.name);
      }
    }
  }
  // A server named anywhere (a NAT service, say) takes that name everywhere.
  for (const p of lvs.pairs) {
    for (const vs of p.virtualServers) {
      for (const rs of vs.realServers) {
        const h = hosts.get(rs.address);
        if (h && rs.explicitName !== undefined) h.name ??= rs.explicitName;
      }
    }
  }
  const byAddress = (a: AcceptedService, b: AcceptedService) =>
    compareAddresses(a.address, b.address) || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0) || a.port - b.port;
  return [...hosts.entries()]
    .map(([address, h]) => {
      const services = [...h.services.values()].sort(byAddress);
      return {
        name: h.name ?? address.replace(/:/g, '-'),
        address,
        accept: h.accept,
        vips: [...new Set(services.map((s) => s.address))],
        services,
        pairs: [...h.pairs].sort(),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
