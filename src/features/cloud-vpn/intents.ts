// What a cloud VPN connection gives its router: a VTI per tunnel, a
// route-based IPsec peer bound to it, and eBGP to the gateway's inside address
// (or static routes through both tunnels, the first preferred).
import type { RouterIntent } from '../../model/intent.js';
import type { Router } from '../../model/topology.js';
import type { VpnConnection } from './model.js';
import { toDotted } from '../../net/ipv4.js';
import { AWS_VPN } from '../../model/defaults.js';
import { mssFor } from '../../net/esp.js';
import { addPeer, ipsecGroups, ipsecOf } from '../../model/router-builder.js';
import { subPath } from '../../diagnostics.js';
import { flat } from '../../model/flat.js';

export function addVpnConnection(intent: RouterIntent, r: Router, c: VpnConnection): void {
  const mss = mssFor(Math.min(c.mtu, c.fitMtu), AWS_VPN.mss);
  c.tunnels.forEach((tn, i) => {
    intent.vtis.push({
      name: tn.vti,
      address: flat(`${toDotted(tn.inside.first + 2)}/${tn.inside.length}`),
      mtu: { value: c.mtu, path: subPath(c.path, 'mtu') },
      ...(mss !== undefined ? { adjustMss: mss } : {}),
      description: { value: tn.description ?? `${c.name} tunnel ${i + 1}`, path: tn.description !== undefined ? subPath(tn.path, 'description') : subPath(c.path, 'name') },
    });
    // Route-based peers: the routes come from BGP or static routes, not from IPsec.
    ipsecOf(intent, r.wan.name).disableRouteAutoinstall = true;
    addPeer(intent, r.wan.name, {
      name: tn.peer ?? `${c.name}-t${i + 1}`,
      remoteRouter: c.name,
      remoteAddress: tn.outside,
      localAddress: r.wan.prefix.address,
      localId: r.wan.publicAddress,
      remoteId: tn.outside,
      psk: tn.psk,
      ...ipsecGroups(intent, r.wan.name, c.ipsec, c.ikeGroup, c.espGroup),
      // A cloud gateway does not initiate: the router must.
      connectionType: 'initiate',
      description: { value: tn.description ?? `${c.name} tunnel ${i + 1}`, path: tn.description !== undefined ? subPath(tn.path, 'description') : subPath(c.path, 'name') },
      vti: tn.vti,
      path: tn.path,
      namePath: tn.peer !== undefined ? subPath(tn.path, 'peer') : subPath(c.path, 'name'),
    });
  });
  if (c.routing === 'bgp') {
    c.tunnels.forEach((tn, i) => {
      intent.bgp!.neighbors.push({
        address: toDotted(tn.inside.first + 1),
        remoteAs: c.asn,
        kind: 'ebgp',
        description: flat(`eBGP ${c.name} tunnel ${i + 1}`),
        softReconfiguration: true,
        timers: c.bgp,
        peer: { kind: 'cloud' },
        maximumPrefix: AWS_VPN.maxPrefix,
        ...(tn.weight !== undefined ? { weight: tn.weight } : {}),
        ...(tn.prepend !== undefined ? { tunnelPrepend: tn.prepend } : {}),
      });
    });
  } else {
    for (const p of c.staticPrefixes) {
      c.tunnels.forEach((tn, i) => intent.staticRoutes.push({ prefix: p.prefix.network, interface: tn.vti, distance: 10 * (i + 1) }));
    }
  }
}
