// Virtual-server mistakes keepalived accepts without a word: a service on an
// address no director holds, the same service twice, real servers without a
// port, weights IPVS cannot hold, HTTP checks of a UDP service, real servers
// nothing checks, DR or TUN to a port the real (or sorry) server does not
// listen on.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { formatPath, shown } from '../../diagnostics.js';
import type { LvsPair, LvsRealServer, LvsTopology, LvsVirtualServer } from './model.js';
import { contains } from '../../net/ipv4.js';

/** IPVS keeps a real server's weight in 16 bits of its netlink message. */
export const MAX_WEIGHT = 65535;

export function checkVirtualServers(lvs: LvsTopology, diags: Diagnostics): void {
  const services = new Map<string, DocPath>();
  for (const p of lvs.pairs) {
    for (const vs of p.virtualServers) {
      checkAddress(p, vs, diags);
      checkSorryServer(vs, diags);
      checkWeights(vs, diags);
      const key = `${vs.address}:${vs.port}/${vs.protocol}`;
      const first = services.get(key);
      if (first) {
        diags.error('lvs-vs-duplicate', [...vs.path, 'port'], `virtual server ${vs.address}:${vs.port} (${vs.protocol}) is defined twice`, {
          expected: 'each VIP:port and protocol once',
          found: `${vs.address}:${vs.port} ${vs.protocol}, already at ${formatPath(first)}`,
          hint: 'keepalived keeps one of the two silently; put all real servers of the service into one virtual server',
        });
      } else services.set(key, vs.path);
      const seen = new Map<string, DocPath>();
      for (const rs of vs.realServers) {
        checkRealServer(p, vs, rs, diags);
        const rkey = `${rs.address}:${rs.port ?? ''}`;
        const earlier = seen.get(rkey);
        if (earlier && rs.port !== undefined) {
          diags.error('lvs-real-server-twice', [...rs.path, 'address'], `real server ${rs.address}:${rs.port} is listed twice in this virtual server`, {
            expected: 'each real server once per virtual server',
            found: `${rs.address}:${rs.port}, already at ${formatPath(earlier)}`,
            hint: 'raise its weight instead of listing it twice',
          });
        }
        seen.set(rkey, rs.path);
      }
    }
  }
  checkRealServerNames(lvs, diags);
}

/** keepalived's quorum is 1: with every weight 0 it lowers the quorum to 0 with a warning, and the service takes no connection. */
function checkWeights(vs: LvsVirtualServer, diags: Diagnostics): void {
  if (vs.realServers.length === 0 || vs.realServers.some((rs) => rs.weight > 0)) return;
  diags.error('lvs-no-weight', [...vs.path, 'real_servers'], `every real server of virtual server ${vs.address}:${vs.port} has weight 0`, {
    at: 'key',
    expected: 'at least one real server with a weight above 0',
    found: `${vs.realServers.length} real server${vs.realServers.length === 1 ? '' : 's'} of weight 0`,
    hint: 'weight 0 drains a server; a service whose servers are all drained takes no connection (found by the fuzzer: keepalived only warns)',
  });
}

/** DR and TUN forward packets with their port: keepalived resets a sorry server's other port with a warning only. */
function checkSorryServer(vs: LvsVirtualServer, diags: Diagnostics): void {
  if (!vs.sorryServer || vs.lbKind === 'NAT' || vs.sorryServer.port === vs.port) return;
  diags.error('lvs-port-mismatch', [...vs.path, 'sorry_server', 'port'], `with lb_kind ${vs.lbKind}, the sorry server must listen on the virtual server's port ${vs.port}`, {
    expected: String(vs.port),
    found: String(vs.sorryServer.port),
    hint: `${vs.lbKind === 'DR' ? 'direct routing' : 'IP-in-IP forwarding'} never rewrites the port (keepalived silently uses the virtual server's); use lb_kind NAT to translate ports`,
  });
}

function checkAddress(p: LvsPair, vs: LvsVirtualServer, diags: Diagnostics): void {
  if (p.vips.some((v) => v.address === vs.address)) return;
  diags.error('lvs-vs-not-a-vip', [...vs.path, 'address'], `virtual server address ${vs.address} is not a VIP of LVS pair ${p.name}`, {
    expected: `one of the pair's vips: ${p.vips.map((v) => v.address).join(', ')}`,
    found: vs.address,
    hint: 'no director holds the address, so no traffic ever reaches the service; add it to vips or fix the address',
  });
}

function checkRealServer(p: LvsPair, vs: LvsVirtualServer, rs: LvsRealServer, diags: Diagnostics): void {
  if (rs.port === undefined) {
    diags.error('lvs-real-server-no-port', rs.path, `real server ${rs.address} has no port`, {
      expected: vs.lbKind === 'DR' ? `port: ${vs.port} (the virtual server's port, as lb_kind DR needs)` : 'the port the service listens on, e.g. port: 80',
      found: 'no port',
      hint: 'keepalived then forwards to port 0; write the port',
    });
  } else if (vs.lbKind === 'DR' && rs.port !== vs.port) {
    diags.error('lvs-dr-port-mismatch', [...rs.path, 'port'], `with lb_kind DR, real server ${rs.address} must listen on the virtual server's port ${vs.port}`, {
      expected: String(vs.port),
      found: String(rs.port),
      hint: 'direct routing rewrites only the MAC address, never the port; use lb_kind NAT to translate ports',
    });
  } else if (vs.lbKind === 'TUN' && rs.port !== vs.port) {
    // keepalived resets the port with only a warning (found by the fuzzer's keepalived -t).
    diags.error('lvs-port-mismatch', [...rs.path, 'port'], `with lb_kind TUN, real server ${rs.address} must listen on the virtual server's port ${vs.port}`, {
      expected: String(vs.port),
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
      expected: 'one of http_get, ssl_get, tcp_check, misc_check',
      hint: 'without a checker the server stays in the pool when it is down; add tcp_check: {} at least',
    });
  }
  for (const extra of rs.checks.slice(1)) {
    diags.error('lvs-checker-twice', extra.path, `real server ${rs.address} has more than one health checker`, {
      at: 'key',
      expected: 'one of http_get, ssl_get, tcp_check, misc_check',
      found: rs.checks.map((c) => c.kind).join(', '),
      hint: 'keep the checker that proves the service works',
    });
  }
  for (const c of rs.checks) {
    if (vs.protocol === 'UDP' && (c.kind === 'HTTP_GET' || c.kind === 'SSL_GET')) {
      diags.error('lvs-udp-http-check', c.path, `${c.kind} checks a UDP virtual server`, {
        at: 'key',
        expected: 'misc_check (or tcp_check, when the service also listens on TCP) for a UDP service',
        found: c.kind,
        hint: 'HTTP runs over TCP: the check tests another service than the one balanced',
      });
    }
  }
  if (vs.lbKind === 'DR' && !p.nodes.some((n) => contains(n.address, rs.address))) {
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
      }
    }
  }
}
