// Topology -> what an operator sets up by hand around each AWS site and NAT
// pair: the IAM policy of the failover scripts with exactly the
// actions they call on exactly the resources the topology names, the
// interfaces whose source/destination check must be off, and the ingress
// rules of each node's security group.
import type { AwsTarget, FailoverIntent, NatWatchIntent } from '../failover/model.js';
import type { AwsSetupIntent, ForwardingInterface, IamStatement, IngressRule } from './model.js';
import type { Router, Site, Topology } from '../../model/topology.js';
import type { NatPair } from '../nat-pairs/model.js';
import type { Model } from '../feature.js';
import { contains } from '../../net/ipv4.js';
import type { DualStack } from '../dual-stack/model.js';
import { siteHasVpcIpv6 } from '../failover/ipv6.js';

/** The ARN partition of a region (China and GovCloud have their own). */
export function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.includes('-gov-')) return 'aws-us-gov';
  return 'aws';
}

function arn(region: string, resource: string): string {
  // The account is not in the topology: any account, this region, this id.
  return `arn:${partition(region)}:ec2:${region}:*:${resource}`;
}

function targetArn(region: string, t: AwsTarget): string {
  return arn(region, t.kind === 'instance' ? `instance/${t.id}` : `network-interface/${t.id}`);
}

const uniq = (xs: string[]) => [...new Set(xs)];

export function buildAwsSetupIntents(model: Model, failovers: FailoverIntent[], natWatches: NatWatchIntent[]): AwsSetupIntent[] {
  const t = model.topology;
  const out: AwsSetupIntent[] = [];
  for (const site of t.sites) {
    if (!site.aws) continue;
    const own = failovers.filter((f) => f.site === site.name);
    out.push({
      name: site.name,
      kind: 'site',
      region: site.aws.region,
      policy: sitePolicy(site.aws.region, own),
      forwarding: site.routers.flatMap(routerForwarding),
      ingress: site.routers.map((r) => ({ device: r.name, rules: [...routerIngress(t, site, r), ...routerIngress6(model.dualStack, site, r)] })),
    });
  }
  for (const pair of model.natPairs) {
    const watches = natWatches.filter((n) => n.pair === pair.name);
    // The order of a mapping's keys means nothing: nodes by name.
    const byName = pair.nodes.map((n, i) => ({ n, i })).sort((a, b) => (a.n.name < b.n.name ? -1 : a.n.name > b.n.name ? 1 : 0));
    out.push({
      name: pair.name,
      kind: 'nat pair',
      region: pair.region,
      policy: natPolicy(pair.region, watches),
      forwarding: byName.map(({ n }) => ({ device: n.name, what: 'instance', target: { kind: 'instance', id: n.instanceId } })),
      ingress: byName.map(({ n, i }) => ({ device: n.name, rules: natIngress(pair, i) })),
    });
  }
  return out;
}

function sitePolicy(region: string, failovers: FailoverIntent[]): IamStatement[] {
  const statements: IamStatement[] = [];
  const tables = uniq(failovers.flatMap((f) => f.routes.map((r) => r.table)));
  if (tables.length > 0) {
    statements.push({ sid: 'VygenMoveRoutes', actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute'], resources: tables.map((x) => arn(region, `route-table/${x}`)) });
  }
  const eips = uniq(failovers.flatMap((f) => (f.eip ? [f.eip] : [])));
  if (eips.length > 0) {
    statements.push({
      sid: 'VygenMoveElasticIp',
      actions: ['ec2:AssociateAddress'],
      resources: [...eips.map((e) => arn(region, `elastic-ip/${e}`)), ...uniq(failovers.map((f) => targetArn(region, f.eipTarget)))],
    });
  }
  const scaling = failovers.filter((f) => f.scaleUp);
  if (scaling.length > 0) {
    const type = scaling[0]!.scaleUp!.instanceType;
    // Describe calls have no resource-level permissions in EC2.
    statements.push({ sid: 'VygenScaleUpFind', actions: ['ec2:DescribeAddresses', 'ec2:DescribeImages', 'ec2:DescribeInstances'], resources: ['*'] });
    statements.push({ sid: 'VygenScaleUpLaunchType', actions: ['ec2:RunInstances'], resources: [arn(region, 'instance/*')], condition: { StringEquals: { 'ec2:InstanceType': type } } });
    statements.push({
      sid: 'VygenScaleUpLaunchWith',
      actions: ['ec2:RunInstances'],
      resources: [`arn:${partition(region)}:ec2:${region}::image/*`, ...['network-interface', 'security-group', 'subnet', 'volume'].map((k) => arn(region, `${k}/*`))],
    });
    statements.push({ sid: 'VygenScaleUpTag', actions: ['ec2:CreateTags'], resources: [arn(region, 'instance/*')], condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } } });
    // The new instance's id is known only once it runs; its Elastic IP is found by the router's public address.
    statements.push({ sid: 'VygenScaleUpSwitch', actions: ['ec2:AssociateAddress', 'ec2:ModifyInstanceAttribute'], resources: [arn(region, 'instance/*'), arn(region, 'elastic-ip/*')] });
    statements.push({ sid: 'VygenScaleUpStopSelf', actions: ['ec2:StopInstances'], resources: scaling.map((f) => arn(region, `instance/${f.instanceId}`)) });
    statements.push({ sid: 'VygenScaleUpPassRole', actions: ['iam:PassRole'], resources: ['*'], condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } });
  }
  return statements.filter((s) => s.resources.length > 0);
}

function natPolicy(region: string, watches: NatWatchIntent[]): IamStatement[] {
  const tables = uniq(watches.flatMap((n) => [...n.peer.routeTables, ...n.ownRouteTables, n.heartbeat.routeTable])).sort();
  return [
    { sid: 'VygenMoveRoutes', actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute'], resources: tables.map((x) => arn(region, `route-table/${x}`)) },
    // The watch reads where the default routes point (no resource-level permissions for Describe*).
    { sid: 'VygenReadRoutes', actions: ['ec2:DescribeRouteTables'], resources: ['*'] },
  ];
}

function routerForwarding(r: Router): ForwardingInterface[] {
  if (!r.aws) return [];
  const named: ForwardingInterface[] = [
    ...(r.aws.wanEni ? [{ device: r.name, what: 'wan' as const, target: { kind: 'interface' as const, id: r.aws.wanEni } }] : []),
    ...(r.aws.lanEni ? [{ device: r.name, what: 'lan' as const, target: { kind: 'interface' as const, id: r.aws.lanEni } }] : []),
  ];
  return named.length > 0 ? named : [{ device: r.name, what: 'instance', target: { kind: 'instance', id: r.aws.instanceId } }];
}

const host = (a: string) => `${a}/32`;

function ipsecFrom(peer: string, who: string): IngressRule[] {
  return [
    { protocol: 'udp', from: 500, to: 500, cidr: host(peer), description: `IKE from ${who}` },
    { protocol: 'udp', from: 4500, to: 4500, cidr: host(peer), description: `IKE/ESP NAT-T from ${who}` },
    { protocol: '50', cidr: host(peer), description: `ESP from ${who}` },
  ];
}

function routerIngress(t: Topology, site: Site, r: Router): IngressRule[] {
  const rules: IngressRule[] = [];
  for (const link of t.links) {
    if (!link.ends.includes(r.name)) continue;
    const other = t.routers.get(link.ends[0] === r.name ? link.ends[1] : link.ends[0]);
    if (other) rules.push(...ipsecFrom(other.wan.publicAddress, `${other.name} (link tun${link.id})`));
  }
  for (const c of r.vpnConnections ?? []) c.tunnels.forEach((tn, i) => rules.push(...ipsecFrom(tn.outside, `${c.name} tunnel ${i + 1}`)));
  const peers = site.routers.filter((o) => o !== r && o.lan && r.lan);
  for (const o of peers) {
    const from = host(o.lan!.prefix.address);
    rules.push({ protocol: 'tcp', from: 179, to: 179, cidr: from, description: `iBGP from ${o.name}` });
    if (site.vrrp) rules.push({ protocol: '112', cidr: site.vrrp.unicast ? from : r.lan!.prefix.network, description: `VRRP from ${o.name}` });
    if (site.aws?.failover === 'serf') {
      rules.push({ protocol: 'tcp', from: 7946, to: 7946, cidr: from, description: `Serf gossip from ${o.name}` });
      rules.push({ protocol: 'udp', from: 7946, to: 7946, cidr: from, description: `Serf gossip from ${o.name}` });
    }
  }
  const rs = site.aws?.failover === 'route-server' ? site.aws.routeServer : undefined;
  for (const e of rs?.endpoints ?? []) {
    if (![r.wan, r.lan].some((i) => i && contains(i.prefix, e))) continue;
    rules.push({ protocol: 'tcp', from: 179, to: 179, cidr: host(e), description: `BGP from the route server endpoint ${e}` });
    if (rs!.bfd) rules.push({ protocol: 'udp', from: 3784, to: 3784, cidr: host(e), description: `BFD from the route server endpoint ${e}` });
  }
  // What the router forwards for the VPC arrives from the site's own networks.
  for (const c of site.connected) rules.push({ protocol: '-1', cidr: c.prefix.network, description: `traffic to forward from ${c.prefix.network}` });
  return rules;
}

/**
 * In a dual-stack VPC, what reaches the router over IPv6: iBGP from the site's
 * other routers over the IPv6 LAN and the IPv6 traffic it forwards. IKE,
 * NAT-T and ESP stay IPv4 (the tunnels run between IPv4 addresses), and so do
 * VRRP, Serf and the route server's sessions.
 */
function routerIngress6(d: DualStack | undefined, site: Site, r: Router): IngressRule[] {
  const lan6 = d?.routers.get(r.name)?.lan;
  const rules: IngressRule[] = [];
  if (!d) return rules;
  for (const o of site.routers) {
    const other = d.routers.get(o.name)?.lan;
    if (o === r || !lan6 || !other) continue;
    rules.push({ protocol: 'tcp', from: 179, to: 179, cidr: `${other.prefix.address}/128`, description: `iBGP over IPv6 from ${o.name}` });
  }
  if (!siteHasVpcIpv6(d, site)) return rules;
  for (const c of d.sites.get(site.name)?.connected ?? []) rules.push({ protocol: '-1', cidr: c.prefix.network, description: `traffic to forward from ${c.prefix.network}` });
  return rules;
}

function natIngress(pair: NatPair, i: number): IngressRule[] {
  const peer = pair.nodes[1 - i]!;
  return [
    { protocol: '-1', cidr: pair.vpcCidr.network, description: `traffic to masquerade from the VPC (and ${peer.name}'s heartbeat probe)` },
  ];
}
