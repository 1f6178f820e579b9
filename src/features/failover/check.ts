// Checks for what the generated failover, Serf and NAT watch scripts need and
// the schema cannot say: a trigger that can fire, a peer to watch, interfaces
// AWS accepts as a target, destinations AWS accepts, every route in a table
// moved by one script only, and file names no other device writes.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { formatPath, shown } from '../../diagnostics.js';
import type { FailoverIntent, NatWatchIntent } from './model.js';
import type { LvsTopology } from '../lvs/model.js';
import type { Topology } from '../../model/topology.js';
import type { Intents, Model } from '../feature.js';
import { contains } from '../../net/ipv4.js';
import { parseIp } from '../../net/ip.js';
import { announcedElsewhere6, isIpv6Destination, siteHasVpcIpv6 } from './ipv6.js';
import { awsReserved } from '../cloud-vpn/aws-reserved.js';
import type { DualStack } from '../dual-stack/model.js';
import { endpointHasIpv6 } from './cloud-router.js';

/** Before the intents are built: the topology's failover settings. */
export function checkFailover(model: Model, diags: Diagnostics): void {
  const t = model.topology;
  for (const site of t.sites) {
    const aws = site.aws;
    if (!aws) continue;
    const vpc6 = siteHasVpcIpv6(model.dualStack, site);
    aws.destinations.forEach((d, i) => {
      const p = parseIp(d);
      if (p.value !== p.first) {
        diags.error('not-a-network', [...aws.path, 'destinations', i], `${d} has host bits set; AWS refuses it as a route destination`, {
          expected: 'a network address',
          found: d,
          hint: `did you mean ${p.network}?`,
        });
      }
      if (p.family === 6 && !vpc6) {
        diags.error('address-family-mismatch', [...aws.path, 'destinations', i], `site ${site.name} would route IPv6 destination ${d} to its active router, but none of its routers has an IPv6 address on its lan or wan`, {
          expected: 'IPv4 destinations, or ipv6.lan / ipv6.wan on the site\'s routers (a dual-stack VPC)',
          found: d,
          hint: 'the router would receive IPv6 traffic it has no IPv6 route or session for',
        });
      }
    });
    checkIpv6Moved(site, model, diags);
    checkRouteServer(site, model.dualStack, diags);
    if (aws.failover === 'none') continue;
    if (aws.failover === 'vrrp' && !site.vrrp) {
      diags.error('failover-vrrp-without-vrrp', [...aws.path, 'failover'], `site ${site.name} moves its routes on VRRP transitions but runs no VRRP`, {
        expected: 'a vrrp section in the site, or failover: serf',
        found: 'failover: vrrp',
        hint: 'nothing would ever run the failover script',
      });
    }
    if (aws.failover === 'serf') {
      checkSerf(site.name, site.routers, aws.path, diags);
      if (!aws.serfKey) {
        diags.error('serf-needs-key', [...aws.path, 'failover'], `site ${site.name}'s Serf agents would gossip unencrypted: any host reaching port 7946 could join and report the active router failed`, {
          expected: 'aws.serf.encrypt_key: { env: NAME } or { file: PATH }, the base64 of 16, 24 or 32 random bytes',
          hint: 'generate one with `head -c 32 /dev/urandom | base64`',
        });
      }
    }
    checkEip(site, diags);
  }
  checkNatNodeNames(model, model.lvs, diags);
  checkNatProbes(model, diags);
}

/**
 * In a dual-stack VPC the IPv6 routes must follow the active router as the
 * IPv4 ones do: destinations written by hand that name no IPv6 network, while
 * other sites announce some, leave the VPC's IPv6 routes on the failed router.
 */
function checkIpv6Moved(site: Topology['sites'][number], model: Model, diags: Diagnostics): void {
  const aws = site.aws!;
  if (aws.failover !== 'vrrp' && aws.failover !== 'serf') return;
  if (aws.destinations.length === 0 || aws.routeTables.length === 0 || aws.destinations.some(isIpv6Destination)) return;
  if (!siteHasVpcIpv6(model.dualStack, site)) return;
  const missing = announcedElsewhere6(model.dualStack, site);
  if (missing.length === 0) return;
  diags.warn('failover-ipv6-not-moved', [...aws.path, 'destinations'], `site ${site.name} is dual-stack but its failover script moves no IPv6 route: after a failover the VPC's IPv6 routes to ${missing.join(', ')} still point at the router that failed`, {
    at: 'key',
    expected: 'the IPv6 networks the VPC reaches through the active router in aws.destinations',
    found: aws.destinations.join(', '),
    hint: `add ${missing.join(', ')} to aws.destinations (or leave it out: by default every network the other sites announce, both families, is moved)`,
  });
}

/**
 * The site's Elastic IP goes to the router that becomes active. Associated
 * with the primary private address of its wan, it would take that address's
 * own Elastic IP away: the router's public address, its IPsec identity and
 * what its peers and its customer gateway know it by. It must go to a
 * secondary private address.
 */
function checkEip(site: Topology['sites'][number], diags: Diagnostics): void {
  const aws = site.aws!;
  for (const r of site.routers) {
    const own = r.aws?.eipPrivateAddress;
    if (aws.eip === undefined || aws.failover === 'none' || aws.failover === 'route-server') {
      if (own !== undefined) {
        diags.error('eip-private-without-eip', [...r.path, 'aws', 'eip_private_address'], `router ${r.name} has an eip_private_address but site ${site.name} moves no Elastic IP`, {
          expected: 'eip_private_address only with sites.X.aws.eip',
          found: own,
        });
      }
      continue;
    }
    const hasPublic = r.wan.publicAddress !== r.wan.prefix.address;
    if (own === undefined) {
      if (hasPublic) {
        diags.error('eip-takes-router-address', [...aws.path, 'eip'], `the site's Elastic IP would land on ${r.name}'s wan address ${r.wan.prefix.address}, which holds its own public address ${r.wan.publicAddress}: the router would lose its IPsec identity and its tunnels when it becomes active`, {
          expected: `routers.${r.name}.aws.eip_private_address: a secondary private address of its wan for the floating Elastic IP, or no aws.eip`,
          found: aws.eip,
          hint: 'each router has its own public address (customer gateway): a floating Elastic IP is needed only for what reaches the site by one address',
        });
      }
      continue;
    }
    const path = [...r.path, 'aws', 'eip_private_address'];
    if (!contains(r.wan.prefix, own) || own === r.wan.prefix.address) {
      diags.error('eip-private-address', path, `eip_private_address ${own} of ${r.name} is ${own === r.wan.prefix.address ? 'its wan address, which holds its own public address' : `not in its wan subnet ${r.wan.prefix.network}`}`, {
        expected: `a secondary private address in ${r.wan.prefix.network} other than ${r.wan.prefix.address}`,
        found: own,
      });
    }
  }
  const seen = new Map<string, string>();
  for (const r of site.routers) {
    const own = r.aws?.eipPrivateAddress;
    if (own === undefined) continue;
    const other = seen.get(own);
    if (other) diags.error('duplicate-address', [...r.path, 'aws', 'eip_private_address'], `eip_private_address ${own} is used by ${other} and ${r.name}`, { expected: 'a secondary private address per router', found: own });
    seen.set(own, r.name);
  }
}

/** AWS VPC Route Server: a session from every router to the endpoints in its subnets, eBGP, nothing for a script to move. */
function checkRouteServer(site: Topology['sites'][number], d: DualStack | undefined, diags: Diagnostics): void {
  const aws = site.aws!;
  const rs = aws.routeServer;
  if (aws.failover !== 'route-server') {
    if (rs) {
      diags.error('route-server-unused', rs.path, `site ${site.name} describes a route server but does not fail over by it`, {
        at: 'key',
        expected: 'aws.failover: route-server with aws.route_server',
        found: `failover: ${aws.failover}`,
      });
    }
    return;
  }
  if (!rs) {
    diags.error('route-server-missing', [...aws.path, 'failover'], `site ${site.name} fails over by a VPC route server but names none`, {
      expected: 'aws.route_server: { asn, endpoints: [the endpoints\' addresses] }',
      hint: 'create the route server, its endpoints in the routers\' subnet and its peers in AWS first (see the README)',
    });
    return;
  }
  if (rs.asn === site.asn) {
    diags.error('route-server-same-asn', [...rs.path, 'asn'], `the route server's ASN ${rs.asn} is site ${site.name}'s own: the sessions must be eBGP`, {
      expected: `an ASN other than ${site.asn}`,
      found: String(rs.asn),
    });
  }
  if (aws.eip !== undefined) {
    diags.error('route-server-with-eip', [...aws.path, 'eip'], `with failover: route-server no script runs to move the Elastic IP`, {
      expected: 'no aws.eip (each router keeps its own public address)',
      found: aws.eip,
    });
  }
  for (const r of site.routers) {
    const reach = rs.endpoints.filter((e) => [r.wan, r.lan].some((i) => i && contains(i.prefix, e)));
    if (reach.length === 0) {
      diags.error('route-server-unreachable', r.path, `router ${r.name} has no route server endpoint in its subnets`, {
        at: 'key',
        expected: `an endpoint of aws.route_server.endpoints in ${[r.wan, r.lan].filter((i) => i !== undefined).map((i) => i.prefix.network).join(' or ')}`,
        found: rs.endpoints.join(', '),
        hint: 'route server endpoints are in a subnet; every router needs them in one of its own',
      });
    }
    // IPv6 rides the IPv4 sessions with the IPv6 address of the interface toward the endpoint as next hop: without one, no IPv6 route reaches the VPC.
    if (reach.length > 0 && d?.routers.has(r.name) && !reach.some((e) => endpointHasIpv6(r, e, d))) {
      diags.warn('route-server-no-ipv6', [...r.path, 'ipv6'], `router ${r.name} has IPv6 but none on the interface toward the route server endpoints (${reach.join(', ')}): the route server learns no IPv6 route from it, and the VPC's IPv6 routes do not follow the active router`, {
        at: 'key',
        expected: `an IPv6 address on the interface in ${[r.wan, r.lan].filter((i) => i !== undefined && reach.some((e) => contains(i.prefix, e))).map((i) => i!.prefix.network).join(' or ')} (ipv6.lan or ipv6.wan)`,
        hint: 'the IPv6 routes are announced over the IPv4 sessions with that address as their next hop',
      });
    }
    for (const e of reach) {
      if (e === r.wan.prefix.address || e === r.lan?.prefix.address) {
        diags.error('duplicate-address', [...rs.path, 'endpoints', rs.endpoints.indexOf(e)], `route server endpoint ${e} is ${r.name}'s own address`, { expected: 'the endpoints\' own addresses', found: e });
      }
    }
  }
  rs.endpoints.forEach((e, i) => {
    const subnet = site.routers.flatMap((r) => [r.wan.prefix, ...(r.lan ? [r.lan.prefix] : [])]).find((p) => contains(p, e));
    const why = subnet ? awsReserved(subnet, e) : undefined;
    if (subnet && why) {
      diags.error('aws-reserved-address', [...rs.path, 'endpoints', i], `route server endpoint ${e} is ${why} of subnet ${subnet.network}, which AWS reserves`, {
        expected: 'the address AWS gave the endpoint',
        found: e,
      });
    }
  });
}

/** Each node's heartbeat probe is routed through its peer, and the peer's probe tests its own path: they must differ. */
function checkNatProbes(model: Model, diags: Diagnostics): void {
  for (const pair of model.natPairs) {
    const [a, b] = pair.nodes;
    // One table for both: each probe's /32 would point at the node that also uses it as its own path.
    if (a.heartbeat.routeTable === b.heartbeat.routeTable) {
      diags.error('nat-heartbeat-table-shared', [...b.heartbeat.path, 'route_table'], `${a.name} and ${b.name} name the same heartbeat route table ${a.heartbeat.routeTable}`, {
        expected: 'the route table of each node\'s own public subnet, one per node',
        found: b.heartbeat.routeTable,
        hint: 'in a shared table the peer\'s probe, which tests a node\'s own Internet path, would be routed back to the node itself',
      });
    }
    if (a.heartbeat.probe !== b.heartbeat.probe) continue;
    diags.error('nat-probe-same', [...b.heartbeat.path, 'probe'], `${a.name} and ${b.name} probe the same address ${a.heartbeat.probe}`, {
      expected: 'two different addresses: each node\'s probe is routed through the other, and the other\'s tests its own Internet path',
      found: b.heartbeat.probe,
      hint: 'e.g. 8.8.4.4 for one node and 8.8.8.8 for the other',
    });
  }
}

function checkSerf(site: string, routers: Topology['sites'][number]['routers'], awsPath: DocPath, diags: Diagnostics): void {
  if (routers.length < 2) {
    diags.error('serf-needs-peer', [...awsPath, 'failover'], `site ${site} has one router: its Serf agent would have no one to watch`, {
      expected: 'an active and a standby router in a site with failover: serf',
      found: `${routers.length} router`,
    });
  }
  for (const r of routers) {
    if (r.lan) continue;
    diags.error('serf-needs-lan', r.path, `router ${r.name} has no lan for its Serf agent`, {
      at: 'key',
      expected: 'a lan interface on every router of a site with failover: serf (the agents gossip over it)',
    });
  }
}

/** A NAT node's files are named after it, as a director's are: the two would both write <name>.sysctl.conf. */
function checkNatNodeNames(model: Model, lvs: LvsTopology, diags: Diagnostics): void {
  const directors = new Map(lvs.pairs.flatMap((p) => p.nodes.map((n) => [n.name, n.path] as const)));
  for (const pair of model.natPairs) {
    for (const n of pair.nodes) {
      const other = directors.get(n.name);
      if (!other) continue;
      diags.error('duplicate-device', n.path, `NAT node ${shown(n.name)} is also the name of an LVS director`, {
        at: 'key',
        expected: 'device names unique across the topology (they name the output files)',
        found: `${shown(n.name)}, also at ${formatPath(other)}`,
      });
    }
  }
}

/**
 * After the intents are built (so after every topology error is fixed): what
 * the scripts will do. Warnings for a failover with nothing to move and for a
 * target AWS will refuse; an error for a route two scripts would move.
 */
export function checkFailoverIntents(model: Model, intents: Intents, diags: Diagnostics): void {
  const t = model.topology;
  const { failovers, natWatches } = intents;
  for (const site of t.sites) {
    const aws = site.aws;
    if (!aws || aws.failover === 'none' || aws.failover === 'route-server') continue;
    if (aws.routeTables.length === 0 && aws.eip === undefined) {
      diags.warn('failover-nothing-to-move', aws.path, `site ${site.name} has ${aws.failover} failover but nothing to move`, {
        at: 'key',
        expected: 'aws.route_tables or aws.eip',
        hint: 'or set failover: none',
      });
    }
  }
  for (const f of failovers) {
    const r = t.routers.get(f.router);
    if (!r?.lan) continue;
    // A wan and a lan are two network interfaces on EC2.
    const missing = [
      ...(f.routes.length > 0 && f.routeTarget.kind === 'instance' ? ['lan_eni (the route tables point at it)'] : []),
      ...(f.eip !== undefined && f.eipTarget.kind === 'instance' ? ['wan_eni (the Elastic IP is associated with it)'] : []),
    ];
    if (missing.length === 0) continue;
    diags.warn('failover-needs-eni', [...r.path, 'aws'], `router ${r.name} has two network interfaces: AWS refuses --instance-id for it, so its failover script will fail`, {
      at: 'key',
      expected: `aws.${missing.join(' and aws.')}`,
      hint: 'give the interface ids (eni-...) of the router\'s lan and wan',
    });
  }
  checkForwardingInterfaces(t, diags);
  checkRouteOwners(t, failovers, natWatches, diags);
}

/**
 * The source/destination check must be off on every interface that forwards.
 * For a two-interface router it can only be turned off per interface, so
 * naming one of them and not the other leaves one that still drops.
 */
function checkForwardingInterfaces(t: Topology, diags: Diagnostics): void {
  for (const site of t.sites) {
    if (!site.aws) continue;
    for (const r of site.routers) {
      if (!r.aws || !r.lan || (r.aws.lanEni === undefined) === (r.aws.wanEni === undefined)) continue;
      const missing = r.aws.lanEni === undefined ? 'lan_eni' : 'wan_eni';
      diags.warn('source-dest-check-needs-eni', [...r.path, 'aws'], `router ${r.name}'s ${missing === 'lan_eni' ? 'lan' : 'wan'} interface is not named: ${site.name}.source-dest-check.sh cannot turn its source/destination check off, and EC2 drops what it forwards there`, {
        at: 'key',
        expected: `aws.${missing}`,
        hint: 'give the interface id (eni-...), or turn the check off on it by hand',
      });
    }
  }
}

/** Each route (table and destination) is moved by one site's failover scripts or one NAT pair's watch scripts; two would take it from each other on every failover. */
function checkRouteOwners(t: Topology, failovers: FailoverIntent[], natWatches: NatWatchIntent[], diags: Diagnostics): void {
  const owners = new Map<string, string>();
  const claim = (table: string, destination: string, owner: string, path: DocPath) => {
    const key = `${table} ${destination}`;
    const first = owners.get(key);
    if (first === undefined) {
      owners.set(key, owner);
      return;
    }
    if (first === owner) return;
    diags.error('route-moved-twice', path, `${destination} in route table ${table} is moved by ${owner} and by ${first}`, {
      expected: 'each route of a table moved by one site or one NAT pair',
      found: table,
      hint: 'on every failover each would point it back at its own router',
    });
  };
  const sites = new Map(t.sites.map((s) => [s.name, s]));
  for (const f of failovers) {
    const aws = sites.get(f.site)?.aws;
    if (!aws) continue;
    for (const r of f.routes) claim(r.table, r.destination, `site ${f.site}`, [...aws.path, 'route_tables', aws.routeTables.indexOf(r.table)]);
  }
  for (const n of natWatches) {
    n.ownRouteTables.forEach((table, i) => claim(table, '0.0.0.0/0', `NAT pair ${n.pair}`, [...n.path, 'route_tables', i]));
    claim(n.heartbeat.routeTable, `${n.heartbeat.probe}/32`, `NAT pair ${n.pair}`, [...n.path, 'heartbeat', 'route_table']);
  }
}
