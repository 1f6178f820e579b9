// What a link gives each of its two routers: a GRE tunnel between the
// loopbacks, an IPsec peer protecting that GRE, and eBGP over the tunnel's /30.
import type { RouterIntent, TunnelIntent } from '../../model/intent.js';
import type { Link, Router, Site, Topology } from '../../model/topology.js';
import { toDotted } from '../../net/ipv4.js';
import { mssFor } from '../../net/esp.js';

const optional = <K extends string, V>(k: K, v: V | undefined) => (v === undefined ? {} : ({ [k]: v } as Record<K, V>));
import { addPeer, ipsecGroups } from '../../model/router-builder.js';
import { espGroupName, ikeGroupName } from './ipsec-groups.js';
import { subPath } from '../../diagnostics.js';
import { flat } from '../../model/flat.js';

export function addLinkEnd(t: Topology, intent: RouterIntent, link: Link, r: Router, siteOf: ReadonlyMap<string, Site>): void {
  const first = link.ends[0] === r.name;
  const remote = t.routers.get(first ? link.ends[1] : link.ends[0])!;
  const remoteSite = siteOf.get(remote.site)!;
  const inner = link.inner!;
  const own = toDotted(inner.first + (first ? 1 : 2));
  const other = toDotted(inner.first + (first ? 2 : 1));
  const tunnel: TunnelIntent = {
    name: `tun${link.id}`,
    address: flat(`${own}/${inner.length}`),
    source: r.loopback,
    remote: remote.loopback,
    mtu: { value: link.mtu, path: link.mtuPath },
    // TCP follows the real path even where a written MTU exceeds it (warned).
    ...optional('adjustMss', mssFor(Math.min(link.mtu, link.fitMtu))),
    description: {
      value: link.description ?? flat(`GRE to ${remote.name} (${remoteSite.name})`),
      path: link.description !== undefined ? subPath(link.path, 'description') : link.path,
    },
  };
  intent.tunnels.push(tunnel);

  // Groups are named by their contents: identical proposals share one, and
  // editing one link's proposal never renames another link's group.
  const ikeName = ikeGroupName(link.ipsec, t.ipsecDefaults);
  const espName = espGroupName(link.ipsec, t.ipsecDefaults);
  addPeer(intent, r.wan.name, {
    name: remote.name,
    remoteRouter: remote.name,
    remoteAddress: remote.wan.publicAddress,
    localAddress: r.wan.prefix.address,
    localId: r.wan.publicAddress,
    remoteId: remote.wan.publicAddress,
    psk: link.psk,
    ...ipsecGroups(intent, r.wan.name, link.ipsec, ikeName, espName),
    // The first end of a link initiates, the second responds: one IKE SA, not two racing.
    connectionType: first ? 'initiate' : 'respond',
    description: {
      value: link.description ?? flat(`link ${link.id} to ${remote.name} (${remoteSite.name})`),
      path: link.description !== undefined ? subPath(link.path, 'description') : link.path,
    },
    policy: { localPrefix: flat(`${r.loopback}/32`), remotePrefix: flat(`${remote.loopback}/32`) },
    path: link.path,
    namePath: link.path[0] === 'links' ? subPath(link.path, 'between', link.ends.indexOf(remote.name)) : link.path,
  });

  intent.bgp!.neighbors.push({
    address: other,
    remoteAs: remoteSite.asn,
    kind: 'ebgp',
    description: flat(`eBGP ${remote.name} (${remoteSite.name})`),
    softReconfiguration: true,
    peer: { kind: 'site', site: remoteSite.name },
  });
}
