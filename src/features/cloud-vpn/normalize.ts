// The cloud side of a site: AWS VPN connections on a router (seed 001), the
// AWS resources that follow the active router, and VRRP between the routers.
import type { DocPath } from '../../diagnostics.js';
import type { AwsSiteDoc, RouterDoc, SecretDoc, VrrpDoc } from '../../model/document.js';
import type { AwsSite, SecretRef, Vrrp, VpnConnection } from '../../model/topology.js';
import { parsePrefix } from '../../net/ipv4.js';
import { AWS_VPN, DEFAULTS } from '../../model/defaults.js';
import { ipsecSettings } from '../links/ipsec-settings.js';

export function secretRef(s: SecretDoc, path: DocPath): SecretRef {
  return 'env' in s ? { kind: 'env', name: s.env, path: [...path, 'env'] } : { kind: 'file', name: s.file, path: [...path, 'file'] };
}

export function vpnConnections(r: RouterDoc, routerPath: DocPath): VpnConnection[] {
  let vti = 0;
  return (r.vpn_connections ?? []).map((c, i) => {
    const path = [...routerPath, 'vpn_connections', i];
    return {
      name: c.name,
      asn: c.asn ?? AWS_VPN.asn,
      routing: c.routing ?? 'bgp',
      staticPrefixes: (c.static_prefixes ?? []).map((p, j) => ({ prefix: parsePrefix(p), path: [...path, 'static_prefixes', j] })),
      mtu: c.mtu ?? AWS_VPN.mtu,
      bgp: { keepalive: c.bgp?.keepalive ?? AWS_VPN.bgp.keepalive, holdtime: c.bgp?.holdtime ?? AWS_VPN.bgp.holdtime },
      // The gateway's own defaults apply, not the topology's: AWS is configured separately.
      ipsec: ipsecSettings(c, {}, path, AWS_VPN),
      tunnels: c.tunnels.map((t, j) => ({
        vti: `vti${vti++}`,
        outside: t.outside,
        inside: parsePrefix(t.inside),
        psk: secretRef(t.psk, [...path, 'tunnels', j, 'psk']),
        path: [...path, 'tunnels', j],
      })),
      path,
    };
  });
}

export function awsSite(a: AwsSiteDoc | undefined, hasVrrp: boolean, sitePath: DocPath): AwsSite | undefined {
  if (!a) return undefined;
  return {
    region: a.region,
    routeTables: a.route_tables ?? [],
    destinations: a.destinations ?? [],
    failover: a.failover ?? (hasVrrp ? 'vrrp' : 'none'),
    path: [...sitePath, 'aws'],
    ...(a.eip !== undefined ? { eip: a.eip } : {}),
  };
}

export function vrrp(v: VrrpDoc | undefined, sitePath: DocPath): Vrrp | undefined {
  if (!v) return undefined;
  const path = [...sitePath, 'vrrp'];
  return {
    address: parsePrefix(v.address),
    vrid: v.vrid ?? DEFAULTS.vrrp.vrid,
    advertiseInterval: v.advertise_interval ?? DEFAULTS.vrrp.advertiseInterval,
    unicast: v.unicast ?? true,
    preempt: v.preempt ?? true,
    path,
    ...(v.preempt_delay !== undefined ? { preemptDelay: v.preempt_delay } : {}),
    ...(v.password ? { password: secretRef(v.password, [...path, 'password']) } : {}),
  };
}
