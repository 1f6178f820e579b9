// Virtual-server mistakes keepalived accepts without a word: a service on an
// address no director holds, the same service twice, real servers without a
// port, weights IPVS cannot hold, HTTP checks of a UDP service, real servers
// nothing checks, DR or TUN to a port the real (or sorry) server does not
// listen on, a director balancing to itself (the LVS loop), options keepalived
// drops for the kind of service (ha_suspend with a fwmark, ops without UDP).
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { formatPath, shown } from '../../diagnostics.js';
import type { LbKind, LvsPair, LvsRealServer, LvsTopology, LvsVirtualServer } from './model.js';
import { containsAddress as contains } from '../../net/ip.js';
import { byMark, groupOf } from './services.js';

/** IPVS keeps a real server's weight in 16 bits of its netlink message. */
export const MAX_WEIGHT = 65535;

/** The one port of an address service, or of a group whose entries share one. */
function portOf(p: LvsPair, vs: LvsVirtualServer): number | undefined {
  if (vs.id.kind === 'address') return vs.id.port;
  const ports = new Set((groupOf(p, vs)?.entries ?? []).flatMap((e) => (e.kind === 'fwmark' ? [] : [e.port])));
  return ports.size === 1 ? [...ports][0] : undefined;
}

export function checkVirtualServers(lvs: LvsTopology, diags: Diagnostics): void {
  const services = new Map<string, DocPath>();
  for (const p of lvs.pairs) {
    checkGroups(p, diags);
    for (const vs of p.virtualServers) {
      checkIdentity(p, vs, diags);
      checkOptions(p, vs, diags);
      checkSorryServer(p, vs, diags);
      checkWeights(vs, diags);
      const key = `${vs.label}/${byMark(p, vs) ? '' : vs.protocol}`;
      const first = services.get(key);
      if (first) {
        diags.error('lvs-vs-duplicate', [...vs.path, vs.id.kind === 'address' ? 'port' : vs.id.kind], `virtual server ${vs.label} (${vs.protocol}) is defined twice`, {
          expected: 'each VIP:port and protocol once',
          found: `${vs.label} ${vs.protocol}, already at ${formatPath(first)}`,
          hint: 'keepalived keeps one of the two silently; put all real servers of the service into one virtual server',
        });
      } else services.set(key, vs.path);
      const seen = new Map<string, DocPath>();
      for (const rs of vs.realServers) {
        checkRealServer(p, vs, rs, diags);
        const rkey = `${rs.address}:${rs.port ?? ''}`;
        const earlier = seen.get(rkey);
        if (earlier && (rs.port !== undefined || byMark(p, vs))) {
          diags.error('lvs-real-server-twice', [...rs.path, 'address'], `real server ${rs.address}${rs.port !== undefined ? `:${rs.port}` : ''} is listed twice in this virtual server`, {
            expected: 'each real server once per virtual server',
            found: `${rs.address}${rs.port !== undefined ? `:${rs.port}` : ''}, already at ${formatPath(earlier)}`,
            hint: 'raise its weight instead of listing it twice',
          });
        }
        seen.set(rkey, rs.path);
      }
    }
  }
  checkRealServerNames(lvs, diags);
}

function checkGroups(p: LvsPair, diags: Diagnostics): void {
  for (const g of p.groups) {
    const marks = g.entries.filter((e) => e.kind === 'fwmark').length;
    if (marks > 0 && marks < g.entries.length) {
      diags.error('lvs-group-mixed', g.path, `virtual_server_group ${g.name} mixes fwmarks and addresses`, {
        at: 'key',
        expected: 'only fwmark entries, or only address and range entries',
        found: `${marks} fwmark and ${g.entries.length - marks} address entries`,
        hint: 'keepalived ignores the protocol for the fwmarks but not for the addresses, so one of them is balanced wrongly; make two groups',
      });
    }
    for (const e of g.entries) {
      if (e.kind !== 'range') continue;
      const [a, b] = [Number(e.first.split('.')[3]), Number(e.last.split('.')[3])];
      if (b > a) continue;
      diags.error('lvs-group-range', [...e.path, 'range'], `range ${e.text} does not go upwards`, {
        expected: `a last octet above ${a}, e.g. ${e.first}-${Math.min(a + 9, 255)}`,
        found: e.text,
        hint: 'keepalived reads A.B.C.D-E as the addresses A.B.C.D to A.B.C.E',
      });
    }
    if (!p.virtualServers.some((vs) => vs.id.kind === 'group' && vs.id.group === g.name)) {
      diags.warn('lvs-group-unused', g.path, `virtual_server_group ${g.name} is used by no virtual server`, {
        at: 'key',
        expected: `a virtual server with group: ${g.name}`,
        hint: 'keepalived balances nothing for a group no virtual server names',
      });
    }
  }
}

/** Where the service listens: a VIP of one of the pair's instances, or else a warning or an error. */
function checkIdentity(p: LvsPair, vs: LvsVirtualServer, diags: Diagnostics): void {
  if (vs.id.kind === 'group') {
    const g = groupOf(p, vs);
    if (!g) {
      diags.error('lvs-unknown-group', [...vs.path, 'group'], `virtual_server_group ${shown(vs.id.group)} is not defined in LVS pair ${p.name}`, {
        expected: p.groups.length > 0 ? `one of ${p.groups.map((x) => x.name).join(', ')}` : 'a group under the pair\'s virtual_server_groups',
        found: shown(vs.id.group),
        hint: 'keepalived refuses a virtual server of an undefined group at start',
      });
      return;
    }
    for (const e of g.entries) {
      if (e.kind === 'address') checkAddress(p, e.address, [...e.path, 'address'], diags);
      if (e.kind === 'range') {
        const base = e.first.split('.').slice(0, 3).join('.');
        for (let o = Number(e.first.split('.')[3]); o <= Number(e.last.split('.')[3]); o++) {
          if (checkAddress(p, `${base}.${o}`, [...e.path, 'range'], diags) === false) break;
        }
      }
    }
    return;
  }
  if (vs.id.kind === 'address') checkAddress(p, vs.id.address, [...vs.path, 'address'], diags);
}

/** False when it reported an error. */
function checkAddress(p: LvsPair, address: string, path: DocPath, diags: Diagnostics): boolean {
  const vips = p.instances.flatMap((i) => i.vips.map((v) => v.address));
  if (vips.includes(address)) return true;
  const local = p.nodes.find((n) => [...n.addresses.values()].flat().some((a) => a.value.address === address));
  if (local) {
    diags.warn('lvs-vs-not-on-vip', path, `virtual server address ${address} is ${local.name}'s own address, not a VIP`, {
      expected: `one of the VIPs of LVS pair ${p.name}: ${vips.join(', ')}`,
      found: address,
      hint: 'the service works only while that director is up: nothing fails it over. Put it on a VIP unless that is what you want',
    });
    return true;
  }
  diags.error('lvs-vs-not-a-vip', path, `virtual server address ${address} is not a VIP of LVS pair ${p.name}`, {
    expected: `one of the pair's vips: ${vips.join(', ')}`,
    found: address,
    hint: 'no director holds the address, so no traffic ever reaches the service; add it to vips or fix the address',
  });
  return false;
}

function checkOptions(p: LvsPair, vs: LvsVirtualServer, diags: Diagnostics): void {
  if (vs.haSuspend?.value && byMark(p, vs)) {
    diags.error('lvs-ha-suspend-fwmark', vs.haSuspend.path, `ha_suspend on fwmark virtual server ${vs.label}`, {
      expected: 'ha_suspend only on a virtual server by address',
      found: 'ha_suspend: true',
      hint: 'a fwmark has no address whose VIP could be missing; keepalived clears ha_suspend with a warning. Remove it',
    });
  }
  if (vs.ops?.value && vs.protocol !== 'UDP') {
    diags.error('lvs-ops-not-udp', vs.ops.path, `ops (one-packet scheduling) on ${vs.protocol} virtual server ${vs.label}`, {
      expected: 'ops only with protocol: UDP',
      found: `protocol ${vs.protocol}`,
      hint: 'one-packet scheduling schedules every datagram on its own; it breaks every TCP connection. Remove it, or set protocol: UDP',
    });
  }
  const quorum = vs.quorum ?? 1;
  if (vs.hysteresis !== undefined && vs.hysteresis >= quorum) {
    diags.error('lvs-hysteresis-quorum', [...vs.path, 'hysteresis'], `hysteresis ${vs.hysteresis} of virtual server ${vs.label} is not below its quorum ${quorum}`, {
      expected: `a hysteresis from 0 to ${quorum - 1}`,
      found: String(vs.hysteresis),
      hint: 'keepalived sets it to 0 with a warning; raise quorum or lower hysteresis',
    });
  }
  if (byMark(p, vs) && vs.protocol === 'UDP') {
    diags.warn('lvs-fwmark-protocol', vs.path, `protocol UDP on fwmark virtual server ${vs.label} means nothing`, {
      at: 'key',
      expected: 'the protocol chosen by the rule that sets the mark',
      found: 'protocol: UDP',
      hint: 'keepalived ignores the protocol of a fwmark service; the firewall rule that marks the packets decides',
    });
  }
}

/** keepalived's quorum is 1: with every weight 0 it lowers the quorum to 0 with a warning, and the service takes no connection. */
function checkWeights(vs: LvsVirtualServer, diags: Diagnostics): void {
  if (vs.realServers.length === 0 || vs.realServers.some((rs) => rs.weight > 0)) return;
  diags.error('lvs-no-weight', [...vs.path, 'real_servers'], `every real server of virtual server ${vs.label} has weight 0`, {
    at: 'key',
    expected: 'at least one real server with a weight above 0',
    found: `${vs.realServers.length} real server${vs.realServers.length === 1 ? '' : 's'} of weight 0`,
    hint: 'weight 0 drains a server; a service whose servers are all drained takes no connection (found by the fuzzer: keepalived only warns)',
  });
}

const rewritesPort = (k: LbKind) => k === 'NAT';
const how = (k: LbKind) => (k === 'DR' ? 'direct routing' : 'IP-in-IP forwarding');

/** DR and TUN forward packets with their port: keepalived resets a sorry server's other port with a warning only. */
function checkSorryServer(p: LvsPair, vs: LvsVirtualServer, diags: Diagnostics): void {
  const s = vs.sorryServer;
  if (!s || s.port === undefined) return;
  const kind = s.lbKind ?? vs.lbKind;
  if (rewritesPort(kind)) return;
  if (byMark(p, vs)) {
    diags.error('lvs-port-mismatch', [...s.path, 'port'], `with lvs_method ${kind} the sorry server of fwmark virtual server ${vs.label} takes no port`, {
      expected: 'no port',
      found: String(s.port),
      hint: `${how(kind)} never rewrites the port (keepalived clears it with a warning); remove port, or use lvs_method NAT`,
    });
    return;
  }
  const port = portOf(p, vs);
  if (port === undefined || s.port === port) return;
  diags.error('lvs-port-mismatch', [...s.path, 'port'], `with lb_kind ${kind}, the sorry server must listen on the virtual server's port ${port}`, {
    expected: String(port),
    found: String(s.port),
    hint: `${how(kind)} never rewrites the port (keepalived silently uses the virtual server's); use lb_kind NAT to translate ports`,
  });
}

function checkRealServer(p: LvsPair, vs: LvsVirtualServer, rs: LvsRealServer, diags: Diagnostics): void {
  const mark = byMark(p, vs);
  const port = portOf(p, vs);
  if (mark) {
    if (rs.port !== undefined && !rewritesPort(vs.lbKind)) {
      diags.error('lvs-port-mismatch', [...rs.path, 'port'], `with lvs_method ${vs.lbKind}, real server ${rs.address} of fwmark virtual server ${vs.label} takes no port`, {
        expected: 'no port (each packet keeps its own)',
        found: String(rs.port),
        hint: `${how(vs.lbKind)} never rewrites the port (keepalived clears it with a warning); remove port`,
      });
    }
    if (rs.port === undefined) {
      for (const c of rs.checks) {
        if (c.kind === 'MISC_CHECK' || c.connectPort !== undefined) continue;
        diags.error('lvs-check-no-port', c.path, `${c.kind} of real server ${rs.address} has no port to check`, {
          at: 'key',
          expected: 'connect_port: <the port the service listens on>',
          found: 'no connect_port, and the real server of a fwmark service has no port',
          hint: 'keepalived would check port 0, which always fails: the server never enters the pool',
        });
      }
    }
  } else if (rs.port === undefined) {
    diags.error('lvs-real-server-no-port', rs.path, `real server ${rs.address} has no port`, {
      expected: vs.lbKind === 'DR' && port !== undefined ? `port: ${port} (the virtual server's port, as lb_kind DR needs)` : 'the port the service listens on, e.g. port: 80',
      found: 'no port',
      hint: 'keepalived then forwards to port 0; write the port',
    });
  } else if (vs.lbKind === 'DR' && port !== undefined && rs.port !== port) {
    diags.error('lvs-dr-port-mismatch', [...rs.path, 'port'], `with lb_kind DR, real server ${rs.address} must listen on the virtual server's port ${port}`, {
      expected: String(port),
      found: String(rs.port),
      hint: 'direct routing rewrites only the MAC address, never the port; use lb_kind NAT to translate ports',
    });
  } else if (vs.lbKind === 'TUN' && port !== undefined && rs.port !== port) {
    // keepalived resets the port with only a warning (found by the fuzzer's keepalived -t).
    diags.error('lvs-port-mismatch', [...rs.path, 'port'], `with lb_kind TUN, real server ${rs.address} must listen on the virtual server's port ${port}`, {
      expected: String(port),
      found: String(rs.port),
      hint: 'IP-in-IP forwarding never rewrites the port (keepalived silently uses the virtual server\'s); use lb_kind NAT to translate ports',
    });
  }
  if (rs.weight > MAX_WEIGHT) {
    diags.error('lvs-weight-too-large', [...rs.path, 'weight'], `weight ${rs.weight} of real server ${rs.address} is more than IPVS can hold`, {
      expected: `a weight from 0 to ${MAX_WEIGHT}`,
      found: String(rs.weight),
      hint: 'only the ratio between the weights matters; scale them down',
    });
  }
  if (rs.checks.length === 0) {
    diags.warn('lvs-real-server-no-checker', rs.path, `real server ${rs.address} has no health check`, {
      expected: 'one of http_get, ssl_get, tcp_check, smtp_check, dns_check, misc_check',
      hint: 'without a checker the server stays in the pool when it is down; add tcp_check: {} at least',
    });
  }
  for (const extra of rs.checks.slice(1)) {
    diags.error('lvs-checker-twice', extra.path, `real server ${rs.address} has more than one health checker`, {
      at: 'key',
      expected: 'one of http_get, ssl_get, tcp_check, smtp_check, dns_check, misc_check',
      found: rs.checks.map((c) => c.kind).join(', '),
      hint: 'keep the checker that proves the service works',
    });
  }
  for (const c of rs.checks) {
    if (vs.protocol === 'UDP' && !mark && (c.kind === 'HTTP_GET' || c.kind === 'SSL_GET' || c.kind === 'SMTP_CHECK')) {
      diags.error('lvs-udp-http-check', c.path, `${c.kind} checks a UDP virtual server`, {
        at: 'key',
        expected: 'dns_check or misc_check (or tcp_check, when the service also listens on TCP) for a UDP service',
        found: c.kind,
        hint: `${c.kind === 'SMTP_CHECK' ? 'SMTP' : 'HTTP'} runs over TCP: the check tests another service than the one balanced`,
      });
    }
  }
  const director = p.nodes.find((n) => [...n.addresses.values()].flat().some((a) => a.value.address === rs.address));
  if (director && vs.lbKind !== 'NAT') {
    diags.warn('lvs-director-is-real-server', [...rs.path, 'address'], `real server ${rs.address} is director ${director.name} itself`, {
      expected: 'real servers other than the directors',
      found: `${rs.address} (${director.name})`,
      hint: `with lb_kind ${vs.lbKind} both directors run the IPVS rules, so the backup forwards the master's packets back to it and they loop (the known LVS loop). Use separate real servers, or a fwmark-based scheme: mark only packets arriving from outside (iptables -t mangle ... ! -s <directors> -j MARK) and balance the fwmark`,
    });
  }
  const addresses = p.nodes.flatMap((n) => [...n.addresses.values()].flat().map((a) => a.value));
  if (vs.lbKind === 'DR' && !director && !addresses.some((a) => contains(a, rs.address))) {
    diags.warn('lvs-dr-real-server-off-segment', [...rs.path, 'address'], `real server ${rs.address} is not on the directors' subnet ${p.nodes[0].address.network}`, {
      expected: `with lb_kind DR, an address in ${p.nodes[0].address.network}`,
      found: rs.address,
      hint: 'direct routing reaches real servers by MAC address; this works only when the director has another interface on the server\'s segment',
    });
  }
}

/** One script per real server: a name stands for one address and an address has one name. */
function checkRealServerNames(lvs: LvsTopology, diags: Diagnostics): void {
  const nameOf = new Map<string, { name: string; path: DocPath }>();
  const addressOf = new Map<string, { address: string; path: DocPath }>();
  const acceptOf = new Map<string, { accept: string; pair: string }>();
  for (const p of lvs.pairs) {
    for (const vs of p.virtualServers) {
      for (const rs of vs.realServers) {
        if (rs.explicitName !== undefined) {
          const path = [...rs.path, 'name'];
          const named = nameOf.get(rs.address);
          if (named && named.name !== rs.explicitName) {
            diags.error('lvs-real-server-name-conflict', path, `real server ${rs.address} is also named ${shown(named.name)}`, {
              expected: `one name per real server: ${shown(named.name)}`,
              found: shown(rs.explicitName),
              hint: `the name names its script real-servers/<name>.sh; the other name is at ${formatPath(named.path)}`,
            });
          } else if (!named) nameOf.set(rs.address, { name: rs.explicitName, path });
          const owner = addressOf.get(rs.explicitName);
          if (owner && owner.address !== rs.address) {
            diags.error('lvs-real-server-name-conflict', path, `name ${shown(rs.explicitName)} also names real server ${owner.address}`, {
              expected: 'one real server per name',
              found: `${rs.explicitName}: ${rs.address}`,
              hint: `rename one of them; the other is at ${formatPath(owner.path)}`,
            });
          } else if (!owner) addressOf.set(rs.explicitName, { address: rs.address, path });
        }
        if (vs.lbKind !== 'DR') continue;
        const accept = acceptOf.get(rs.address);
        if (accept && accept.accept !== p.accept) {
          diags.error('lvs-real-server-accept-conflict', rs.path, `real server ${rs.address} would be set up two ways`, {
            expected: `one real_server_accept for all DR pairs of the server (pair ${accept.pair}: ${accept.accept})`,
            found: `${p.accept} (pair ${p.name})`,
            hint: 'set the same real_server_accept on both pairs',
          });
        } else if (!accept) acceptOf.set(rs.address, { accept: p.accept, pair: p.name });
        if (byMark(p, vs)) {
          diags.warn('lvs-dr-fwmark-real-server', rs.path, `the setup script of real server ${rs.address} cannot accept fwmark service ${vs.label}`, {
            expected: 'a virtual server by address (or a group of addresses) for a DR real server set up by vygen',
            found: vs.label,
            hint: 'vygen does not know which addresses and ports the mark stands for; make the server accept them yourself (a REDIRECT, or the addresses on lo with arp_ignore/arp_announce)',
          });
        }
      }
    }
  }
}
