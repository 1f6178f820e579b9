// LvsTopology -> what each file says. Per director: its VRRP instance (state,
// priority, unicast peer and VIP devices are the only things that differ
// between the two directors of a pair), the pair's virtual servers and the
// sysctl settings its forwarding mode needs. Per DR real server: the VIPs it
// must accept and how.
import type {
  CheckIntent,
  DirectorIntent,
  LvsIntents,
  RealServerHostIntent,
  SysctlSetting,
  VirtualServerIntent,
  VrrpInstanceIntent,
} from './keepalived-intent.js';
import type { HealthCheck, LvsNode, LvsPair, LvsTopology, LvsVirtualServer } from './model.js';
import { toNumber } from '../../net/ipv4.js';

export function buildLvsIntents(lvs: LvsTopology): LvsIntents {
  const directors: DirectorIntent[] = [];
  for (const p of lvs.pairs) {
    const virtualServers = p.virtualServers.map(virtualServer);
    for (const [i, node] of p.nodes.entries()) {
      const peer = p.nodes[1 - i]!;
      directors.push({
        name: node.name,
        pair: p.name,
        role: node.role,
        runsScripts:
          p.notify.master !== undefined ||
          p.notify.backup !== undefined ||
          p.notify.fault !== undefined ||
          p.trackScripts.length > 0 ||
          p.virtualServers.some((vs) => vs.realServers.some((rs) => rs.checks.some((c) => c.kind === 'MISC_CHECK'))),
        trackScripts: p.trackScripts.map((t) => ({
          name: t.name,
          script: t.script.value,
          ...(t.interval !== undefined ? { interval: t.interval } : {}),
          ...(t.timeout !== undefined ? { timeout: t.timeout } : {}),
          ...(t.weight !== undefined ? { weight: t.weight } : {}),
          ...(t.fall !== undefined ? { fall: t.fall } : {}),
          ...(t.rise !== undefined ? { rise: t.rise } : {}),
        })),
        instance: instance(p, node, peer),
        virtualServers,
        sysctl: sysctl(p, node),
      });
    }
  }
  return { directors, realServers: realServerHosts(lvs) };
}

function instance(p: LvsPair, node: LvsNode, peer: LvsNode): VrrpInstanceIntent {
  // keepalived ignores nopreempt and preempt_delay on a node that starts as
  // MASTER, so with either one both nodes start as BACKUP and the priorities
  // alone decide who takes the VIPs first.
  const startAsBackup = !p.preempt || p.preemptDelay !== undefined;
  return {
    name: p.name,
    state: node.role === 'master' && !startAsBackup ? 'MASTER' : 'BACKUP',
    interface: node.interface,
    vrid: p.vrid,
    priority: node.priority,
    advertInt: p.advertInt,
    nopreempt: !p.preempt,
    ...(p.preemptDelay ? { preemptDelay: p.preemptDelay.value } : {}),
    ...(p.unicast ? { unicastSrcIp: node.unicastSrc } : {}),
    unicastPeers: p.unicast ? [peer.unicastSrc] : [],
    ...(p.authPass ? { authPass: p.authPass } : {}),
    vips: p.vips.map((v) => ({ address: v.text, dev: v.dev?.value ?? node.interface })),
    trackInterfaces: p.trackInterfaces.map((t) => t.value),
    trackScripts: p.trackScripts.map((t) => t.name),
    ...(p.notify.master ? { notifyMaster: p.notify.master.value } : {}),
    ...(p.notify.backup ? { notifyBackup: p.notify.backup.value } : {}),
    ...(p.notify.fault ? { notifyFault: p.notify.fault.value } : {}),
  };
}

function virtualServer(vs: LvsVirtualServer): VirtualServerIntent {
  return {
    address: vs.address,
    port: vs.port,
    protocol: vs.protocol,
    lbAlgo: vs.lbAlgo,
    lbKind: vs.lbKind,
    delayLoop: vs.delayLoop,
    ...(vs.persistenceTimeout !== undefined ? { persistenceTimeout: vs.persistenceTimeout } : {}),
    ...(vs.sorryServer ? { sorryServer: vs.sorryServer } : {}),
    realServers: vs.realServers.map((rs) => {
      if (rs.port === undefined) throw new Error(`internal error: real server ${rs.address} without a port passed the checks`);
      return { address: rs.address, port: rs.port, weight: rs.weight, inhibitOnFailure: rs.inhibitOnFailure, checks: rs.checks.map(check) };
    }),
  };
}

function check(c: HealthCheck): CheckIntent {
  const common = {
    ...(c.retry !== undefined ? { retry: c.retry } : {}),
    ...(c.delayBeforeRetry !== undefined ? { delayBeforeRetry: c.delayBeforeRetry } : {}),
  };
  switch (c.kind) {
    case 'HTTP_GET':
    case 'SSL_GET':
      return {
        kind: c.kind,
        url: {
          path: c.urlPath,
          ...(c.statusCode !== undefined ? { statusCode: c.statusCode } : {}),
          ...(c.digest !== undefined ? { digest: c.digest } : {}),
        },
        ...(c.connectPort !== undefined ? { connectPort: c.connectPort } : {}),
        ...(c.connectTimeout !== undefined ? { connectTimeout: c.connectTimeout } : {}),
        miscDynamic: false,
        ...common,
      };
    case 'TCP_CHECK':
      return {
        kind: c.kind,
        ...(c.connectPort !== undefined ? { connectPort: c.connectPort } : {}),
        ...(c.connectTimeout !== undefined ? { connectTimeout: c.connectTimeout } : {}),
        miscDynamic: false,
        ...common,
      };
    case 'MISC_CHECK':
      return {
        kind: c.kind,
        miscPath: c.script.value,
        ...(c.miscTimeout !== undefined ? { miscTimeout: c.miscTimeout } : {}),
        miscDynamic: c.miscDynamic,
        ...common,
      };
  }
}

function sysctl(p: LvsPair, node: LvsNode): SysctlSetting[] {
  const out: SysctlSetting[] = [{ key: 'net.ipv4.ip_forward', value: '1', why: 'the director forwards packets to the real servers' }];
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

function realServerHosts(lvs: LvsTopology): RealServerHostIntent[] {
  const hosts = new Map<string, { name?: string; accept: RealServerHostIntent['accept']; vips: Set<string>; pairs: Set<string> }>();
  for (const p of lvs.pairs) {
    for (const vs of p.virtualServers) {
      if (vs.lbKind !== 'DR') continue;
      for (const rs of vs.realServers) {
        let h = hosts.get(rs.address);
        if (!h) {
          h = { accept: p.accept, vips: new Set(), pairs: new Set() };
          hosts.set(rs.address, h);
        }
        h.name ??= rs.explicitName;
        h.vips.add(vs.address);
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
  return [...hosts.entries()]
    .map(([address, h]) => ({
      name: h.name ?? address,
      address,
      accept: h.accept,
      vips: [...h.vips].sort((a, b) => toNumber(a) - toNumber(b)),
      pairs: [...h.pairs].sort(),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
