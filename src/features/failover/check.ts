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
import { isNetworkAddress, parsePrefix } from '../../net/ipv4.js';

/** Before the intents are built: the topology's failover settings. */
export function checkFailover(model: Model, diags: Diagnostics): void {
  const t = model.topology;
  for (const site of t.sites) {
    const aws = site.aws;
    if (!aws) continue;
    aws.destinations.forEach((d, i) => {
      const p = parsePrefix(d);
      if (!isNetworkAddress(p)) {
        diags.error('not-a-network', [...aws.path, 'destinations', i], `${d} has host bits set; AWS refuses it as a route destination`, {
          expected: 'a network address',
          found: d,
          hint: `did you mean ${p.network}?`,
        });
      }
    });
    if (aws.failover === 'none') continue;
    if (aws.failover === 'vrrp' && !site.vrrp) {
      diags.error('failover-vrrp-without-vrrp', [...aws.path, 'failover'], `site ${site.name} moves its routes on VRRP transitions but runs no VRRP`, {
        expected: 'a vrrp section in the site, or failover: serf',
        found: 'failover: vrrp',
        hint: 'nothing would ever run the failover script',
      });
    }
    if (aws.failover === 'serf') checkSerf(site.name, site.routers, aws.path, diags);
  }
  checkNatNodeNames(t, model.lvs, diags);
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
function checkNatNodeNames(t: Topology, lvs: LvsTopology, diags: Diagnostics): void {
  const directors = new Map(lvs.pairs.flatMap((p) => p.nodes.map((n) => [n.name, n.path] as const)));
  for (const pair of t.natPairs) {
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
    if (!aws || aws.failover === 'none') continue;
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
  checkRouteOwners(t, failovers, natWatches, diags);
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
  }
}
