// The IPVS side of a pair: virtual servers (by address and port, by fwmark,
// or by virtual_server_group), their real servers and checkers. The classic
// names lb_algo/lb_kind are read as lvs_sched/lvs_method; a virtual server
// that says two things at once (two identities, both spellings) is refused
// here, since nothing could be derived from it.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import type { LvsGroupEntryDoc, LvsRealServerDoc, LvsVirtualServerDoc } from '../../model/document.js';
import type { HealthCheck, LvsPair, LvsRealServer, LvsServiceId, LvsVirtualServer, LvsVirtualServerGroup } from './model.js';
import { LVS_DEFAULTS } from './defaults.js';
import { script } from './script-ref.js';
import { subPath } from '../../diagnostics.js';

/** Whether the service selects packets by firewall mark (keepalived then ignores ports and protocol). */
export function byMark(p: LvsPair, vs: LvsVirtualServer): boolean {
  if (vs.id.kind === 'fwmark') return true;
  if (vs.id.kind === 'address') return false;
  const g = groupOf(p, vs);
  return g !== undefined && g.entries.length > 0 && g.entries.every((e) => e.kind === 'fwmark');
}

export function groupOf(p: LvsPair, vs: LvsVirtualServer): LvsVirtualServerGroup | undefined {
  return vs.id.kind === 'group' ? p.groups.find((g) => g.name === (vs.id as { group: string }).group) : undefined;
}

export function normalizeGroups(doc: Record<string, LvsGroupEntryDoc[]> | undefined, path: DocPath): LvsVirtualServerGroup[] {
  return Object.entries(doc ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, entries]) => ({
    name,
    entries: entries.map((e, i) => {
      const epath = subPath(path, name, i);
      if ('fwmark' in e) return { kind: 'fwmark' as const, fwmark: e.fwmark, path: epath };
      if ('range' in e) {
        const [first, lastOctet] = e.range.split('-') as [string, string];
        const last = `${first.split('.').slice(0, 3).join('.')}.${lastOctet}`;
        return { kind: 'range' as const, first, last, port: e.port, text: e.range, path: epath };
      }
      return { kind: 'address' as const, address: e.address, port: e.port, path: epath };
    }),
    path: subPath(path, name),
  }));
}

function identity(vs: LvsVirtualServerDoc, path: DocPath, diags: Diagnostics): LvsServiceId | undefined {
  const given = (['address', 'fwmark', 'group'] as const).filter((k) => vs[k] !== undefined);
  if (given.length !== 1) {
    diags.error('lvs-vs-identity', given.length > 1 ? [...path, given[1]!] : path, given.length > 1 ? `virtual server has both ${given.join(' and ')}` : 'virtual server has no address, fwmark or group', {
      at: 'key',
      expected: 'exactly one of address (with port), fwmark, group',
      found: given.length > 1 ? given.join(', ') : 'none of them',
      hint: 'keepalived identifies a virtual server by one of the three',
    });
    return undefined;
  }
  if (vs.address !== undefined) {
    if (vs.port === undefined) {
      diags.error('lvs-vs-identity', path, `virtual server ${vs.address} has no port`, {
        at: 'key',
        expected: 'port: <the service port> beside address',
        found: 'no port',
        hint: 'a virtual server on an address listens on one port; for all ports of an address mark them and use fwmark',
      });
      return undefined;
    }
    return { kind: 'address', address: vs.address, port: vs.port };
  }
  if (vs.port !== undefined) {
    diags.error('lvs-vs-identity', subPath(path, 'port'), `a ${vs.fwmark !== undefined ? 'fwmark' : 'group'} virtual server has no port of its own`, {
      at: 'key',
      expected: vs.fwmark !== undefined ? 'no port (the firewall mark selects the packets)' : 'no port (the group\'s entries carry them)',
      found: String(vs.port),
      hint: 'remove port',
    });
    return undefined;
  }
  return vs.fwmark !== undefined ? { kind: 'fwmark', fwmark: vs.fwmark } : { kind: 'group', group: vs.group! };
}

/** lvs_sched/lvs_method, or the classic lb_algo/lb_kind: one spelling. */
function alias<T>(vs: LvsVirtualServerDoc, current: 'lvs_sched' | 'lvs_method', classic: 'lb_algo' | 'lb_kind', path: DocPath, diags: Diagnostics): T | undefined | null {
  const a = vs[current];
  const b = vs[classic];
  if (a !== undefined && b !== undefined) {
    diags.error('lvs-alias-twice', subPath(path, classic), `virtual server has both ${current} and ${classic}`, {
      at: 'key',
      expected: `one of ${current} (the current name) or ${classic} (the classic one)`,
      found: `${current}: ${a}, ${classic}: ${b}`,
      hint: `they are one setting; keep ${current}`,
    });
    return null;
  }
  return (a ?? b) as T | undefined;
}

export function normalizeVirtualServer(vs: LvsVirtualServerDoc, path: DocPath, diags: Diagnostics): LvsVirtualServer | undefined {
  const id = identity(vs, path, diags);
  const sched = alias<string>(vs, 'lvs_sched', 'lb_algo', path, diags);
  const method = alias<'DR' | 'NAT' | 'TUN'>(vs, 'lvs_method', 'lb_kind', path, diags);
  if (method === undefined) {
    diags.error('missing-key', path, 'virtual server has no lvs_method', {
      at: 'key',
      expected: 'lvs_method (or the classic lb_kind): DR, NAT or TUN',
      found: 'neither',
      hint: 'how IPVS forwards to the real servers has no safe default: DR needs the real servers on the segment, NAT routes their replies through the director',
    });
  }
  if (!id || sched === null || method === null || method === undefined) return undefined;
  const label = id.kind === 'address' ? `${id.address}:${id.port}` : id.kind === 'fwmark' ? `fwmark ${id.fwmark}` : `group ${id.group}`;
  return {
    id,
    label,
    protocol: vs.protocol ?? LVS_DEFAULTS.protocol,
    lbAlgo: sched ?? LVS_DEFAULTS.lbAlgo,
    lbKind: method,
    delayLoop: vs.delay_loop ?? LVS_DEFAULTS.delayLoop,
    ...(vs.persistence_timeout !== undefined ? { persistenceTimeout: vs.persistence_timeout } : {}),
    ...(vs.persistence_granularity !== undefined ? { persistenceGranularity: vs.persistence_granularity } : {}),
    ...(vs.quorum !== undefined ? { quorum: vs.quorum } : {}),
    ...(vs.hysteresis !== undefined ? { hysteresis: vs.hysteresis } : {}),
    ...(vs.ha_suspend !== undefined ? { haSuspend: { value: vs.ha_suspend, path: subPath(path, 'ha_suspend') } } : {}),
    alpha: vs.alpha ?? false,
    omega: vs.omega ?? false,
    ...(vs.ops !== undefined ? { ops: { value: vs.ops, path: subPath(path, 'ops') } } : {}),
    ...(vs.sorry_server
      ? {
          sorryServer: {
            address: vs.sorry_server.address,
            ...(vs.sorry_server.port !== undefined ? { port: vs.sorry_server.port } : {}),
            ...(vs.sorry_server.lvs_method !== undefined ? { lbKind: vs.sorry_server.lvs_method } : {}),
            path: subPath(path, 'sorry_server'),
          },
        }
      : {}),
    realServers: vs.real_servers.map((rs, i) => normalizeRealServer(rs, subPath(path, 'real_servers', i), diags)),
    path,
  };
}

const CHECK_KEYS = ['http_get', 'ssl_get', 'tcp_check', 'smtp_check', 'dns_check', 'misc_check'] as const;

function normalizeRealServer(rs: LvsRealServerDoc, path: DocPath, diags: Diagnostics): LvsRealServer {
  const checks: HealthCheck[] = [];
  // Document order, so that "more than one checker" points at the second one written.
  for (const key of Object.keys(rs)) {
    if (!(CHECK_KEYS as readonly string[]).includes(key)) continue;
    const cpath = subPath(path, key);
    const c = rs[key as (typeof CHECK_KEYS)[number]]!;
    const common = {
      ...('connect_port' in c && c.connect_port !== undefined ? { connectPort: c.connect_port } : {}),
      ...('connect_timeout' in c && c.connect_timeout !== undefined ? { connectTimeout: c.connect_timeout } : {}),
      ...(c.retry !== undefined ? { retry: c.retry } : {}),
      ...(c.delay_before_retry !== undefined ? { delayBeforeRetry: c.delay_before_retry } : {}),
      ...(c.warmup !== undefined ? { warmup: c.warmup } : {}),
      path: cpath,
    };
    if (key === 'http_get' || key === 'ssl_get') {
      const h = rs[key]!;
      if (h.path !== undefined && h.url !== undefined) {
        diags.error('lvs-http-url-twice', subPath(cpath, 'url'), `${key} has both path and url`, {
          at: 'key',
          expected: 'path (one URL) or url (a list of { path, status_code, digest })',
          found: 'both',
          hint: 'move path, status_code and digest into an entry of url',
        });
      }
      const urls = h.url ?? (h.path !== undefined ? [{ path: h.path, status_code: h.status_code, digest: h.digest }] : []);
      checks.push({
        kind: key === 'http_get' ? 'HTTP_GET' : 'SSL_GET',
        urls: urls.map((u) => ({
          path: u.path,
          ...(u.status_code !== undefined ? { statusCode: u.status_code } : {}),
          ...(u.digest !== undefined ? { digest: u.digest } : {}),
        })),
        ...common,
      });
    } else if (key === 'tcp_check') {
      checks.push({ kind: 'TCP_CHECK', ...common });
    } else if (key === 'smtp_check') {
      const s = rs.smtp_check!;
      checks.push({ kind: 'SMTP_CHECK', ...(s.helo_name !== undefined ? { heloName: s.helo_name } : {}), ...common });
    } else if (key === 'dns_check') {
      const d = rs.dns_check!;
      checks.push({ kind: 'DNS_CHECK', name: d.name, ...(d.type !== undefined ? { type: d.type } : {}), ...common });
    } else {
      const m = rs.misc_check!;
      checks.push({
        kind: 'MISC_CHECK',
        script: { script: { value: m.path, path: subPath(cpath, 'path') }, args: m.args ?? [] },
        ...(m.misc_timeout !== undefined ? { miscTimeout: m.misc_timeout } : {}),
        miscDynamic: m.misc_dynamic ?? false,
        ...common,
      });
    }
  }
  return {
    name: rs.name ?? rs.address.replace(/:/g, '-'), // no colons in a file or unit name
    ...(rs.name !== undefined ? { explicitName: rs.name } : {}),
    address: rs.address,
    ...(rs.port !== undefined ? { port: rs.port } : {}),
    weight: rs.weight ?? LVS_DEFAULTS.weight,
    inhibitOnFailure: rs.inhibit_on_failure ?? false,
    ...(rs.notify_up !== undefined ? { notifyUp: script(rs.notify_up, subPath(path, 'notify_up')) } : {}),
    ...(rs.notify_down !== undefined ? { notifyDown: script(rs.notify_down, subPath(path, 'notify_down')) } : {}),
    checks,
    path,
  };
}
