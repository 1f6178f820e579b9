// The AWS resources of a site that follow its active router (route tables,
// destinations, an Elastic IP), and each router's EC2 ids.
import type { DocPath } from '../../diagnostics.js';
import type { AwsSiteDoc, TopologyDoc } from '../../model/document.js';
import type { AwsSite } from './aws-site.js';
import { secretRef } from '../../secrets/ref.js';
import type { Model } from '../feature.js';
import { canonical } from '../../net/ip.js';
import { subPath } from '../../diagnostics.js';

export function awsSite(a: AwsSiteDoc | undefined, hasVrrp: boolean, sitePath: DocPath): AwsSite | undefined {
  if (!a) return undefined;
  return {
    region: a.region,
    routeTables: a.route_tables ?? [],
    // Canonical: an IPv6 destination written in two spellings is one route.
    destinations: (a.destinations ?? []).map(canonical),
    failover: a.failover ?? (hasVrrp ? 'vrrp' : 'none'),
    path: subPath(sitePath, 'aws'),
    ...(a.eip !== undefined ? { eip: a.eip } : {}),
    ...(a.route_server ? { routeServer: { asn: a.route_server.asn, endpoints: [...a.route_server.endpoints], bfd: a.route_server.bfd ?? true, path: subPath(sitePath, 'aws', 'route_server') } } : {}),
    ...(a.serf ? { serfKey: secretRef(a.serf.encrypt_key, subPath(sitePath, 'aws', 'serf', 'encrypt_key')) } : {}),
    ...(a.scale_up
      ? { scaleUp: { loadAverage: a.scale_up.load_average, instanceType: a.scale_up.instance_type, amiTag: { ...a.scale_up.ami_tag }, path: subPath(sitePath, 'aws', 'scale_up') } }
      : {}),
  };
}

export function normalizeAws(doc: TopologyDoc, model: Model): void {
  for (const site of model.topology.sites) {
    const s = doc.sites![site.name]!;
    const aws = awsSite(s.aws, s.vrrp !== undefined, site.path);
    if (aws) site.aws = aws;
    for (const router of site.routers) {
      const a = s.routers[router.name]?.aws;
      if (!a) continue;
      router.aws = {
        instanceId: a.instance_id,
        ...(a.lan_eni !== undefined ? { lanEni: a.lan_eni } : {}),
        ...(a.wan_eni !== undefined ? { wanEni: a.wan_eni } : {}),
        ...(a.eip_private_address !== undefined ? { eipPrivateAddress: a.eip_private_address } : {}),
      };
    }
  }
}
