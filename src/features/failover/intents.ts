// Topology -> what each router's failover script must do. Routes follow the active router: every route table of the
// site, for every destination (the site's own list, or every network the
// other sites and the site's cloud gateways announce).
import type { Diagnostics } from '../../diagnostics.js';
import type { CloudRoute, FailoverIntent, SerfDetection } from './model.js';
import type { Site, Topology } from '../../model/topology.js';
import type { DualStack } from '../dual-stack/model.js';
import { announcedElsewhere6, isIpv6Destination, siteHasVpcIpv6 } from './ipv6.js';

/** Where the generated failover script is installed on a VyOS router. */
export const FAILOVER_SCRIPT = '/config/scripts/vygen-failover.sh';

export const SERF_HANDLER = '/config/scripts/vygen-serf-handler.sh';
export const SCALE_UP_SCRIPT = '/config/scripts/vygen-scale-up.sh';

// memberlist's timing of Serf's profiles (its DefaultWANConfig, DefaultLANConfig, DefaultLocalConfig), slowest first.
const SERF_PROFILES: readonly Omit<SerfDetection, 'members' | 'seconds' | 'holdtime'>[] = [
  { profile: 'wan', probeInterval: 5, probeTimeout: 3, suspicionMult: 6 },
  { profile: 'lan', probeInterval: 1, probeTimeout: 0.5, suspicionMult: 4 },
  { profile: 'local', probeInterval: 1, probeTimeout: 0.2, suspicionMult: 3 },
];

/**
 * The longest time from a member's failure to member-failed: the failed
 * member is probed within (n-1) probe intervals, the probe times out, then
 * it stays suspect for suspicionMult x max(1, log10 n) probe intervals
 * (with too few members to confirm the suspicion, memberlist uses this
 * minimum). The slowest profile that still detects within the BGP holdtime
 * (holdtime 0: BGP never times out; Serf's default, lan).
 */
export function serfDetection(members: number, holdtime: number): SerfDetection {
  const timed = SERF_PROFILES.map((p) => {
    const scale = Math.max(1, Math.log10(Math.max(1, members)));
    const seconds = Math.round(((members - 1) * p.probeInterval + p.probeTimeout + p.suspicionMult * scale * p.probeInterval) * 10) / 10;
    return { ...p, members, seconds, holdtime };
  });
  if (holdtime === 0) return timed[1]!;
  return timed.find((p) => p.seconds <= holdtime) ?? timed[timed.length - 1]!;
}

export function buildFailoverIntents(t: Topology, d: DualStack | undefined, diags: Diagnostics): FailoverIntent[] {
  const out: FailoverIntent[] = [];
  for (const site of t.sites) {
    const aws = site.aws;
    // A route server learns the routes over BGP: no script moves them.
    if (!aws || aws.failover === 'none' || aws.failover === 'route-server') continue;
    const trigger = aws.failover;
    const vpc6 = siteHasVpcIpv6(d, site);
    // In a dual-stack VPC the other sites' IPv6 networks are routed through the active router too.
    const destinations = aws.destinations.length > 0 ? aws.destinations : [...announcedElsewhere(t, site), ...(vpc6 && d ? announcedElsewhere6(d, site) : [])];
    const ipv6: FailoverIntent['ipv6'] = !vpc6 ? undefined : destinations.some(isIpv6Destination) ? 'moved' : 'not-moved';
    if (aws.routeTables.length > 0 && destinations.length === 0) {
      diags.error('failover-no-destinations', aws.path, `site ${site.name}: no destination to move in its route tables`, {
        at: 'key',
        expected: 'aws.destinations, or other sites that announce networks',
        hint: 'list the networks the VPC reaches through the active router under aws.destinations',
      });
    }
    const routes: CloudRoute[] = aws.routeTables.flatMap((table) => destinations.map((destination) => ({ table, destination })));
    for (const r of site.routers) {
      if (!r.aws) {
        diags.error('failover-needs-instance', r.path, `router ${r.name} has no aws.instance_id, which its failover script points routes at`, {
          at: 'key',
          expected: 'aws: { instance_id: i-... } on every router of a site with aws failover',
          hint: `or set sites.${site.name}.aws.failover: none`,
        });
        continue;
      }
      const peers = site.routers.filter((o) => o !== r && o.lan).map((o) => o.lan!.prefix.address);
      out.push({
        router: r.name,
        site: site.name,
        role: r.role,
        region: aws.region,
        instanceId: r.aws.instanceId,
        routes,
        routeTarget: r.aws.lanEni ? { kind: 'interface', id: r.aws.lanEni } : { kind: 'instance', id: r.aws.instanceId },
        eipTarget: r.aws.wanEni ? { kind: 'interface', id: r.aws.wanEni } : { kind: 'instance', id: r.aws.instanceId },
        trigger,
        ...(ipv6 ? { ipv6 } : {}),
        scriptPath: FAILOVER_SCRIPT,
        path: r.path,
        ...(aws.eip ? { eip: aws.eip } : {}),
        ...(aws.eip && r.aws.eipPrivateAddress ? { eipPrivateAddress: r.aws.eipPrivateAddress } : {}),
        ...(aws.scaleUp ? { scaleUp: { loadAverage: aws.scaleUp.loadAverage, instanceType: aws.scaleUp.instanceType, amiTag: aws.scaleUp.amiTag, scriptPath: SCALE_UP_SCRIPT } } : {}),
        ...(aws.failover === 'serf' && aws.serfKey
          ? {
              serf: {
                nodeName: r.name,
                tags: { role: r.role, site: site.name },
                bind: r.lan?.prefix.address ?? r.wan.prefix.address,
                join: peers,
                reconnectInterval: `${t.bgp.keepalive}s`,
                reconnectTimeout: `${t.bgp.holdtime}s`,
                tombstoneTimeout: `${t.bgp.holdtime}s`,
                handlerPath: SERF_HANDLER,
                encryptKey: aws.serfKey,
                detection: serfDetection(site.routers.length, t.bgp.holdtime),
              },
            }
          : {}),
      });
    }
  }
  return out;
}

function announcedElsewhere(t: Topology, site: Site): string[] {
  const nets = new Set<string>();
  for (const other of t.sites) {
    if (other === site) continue;
    for (const c of other.connected) nets.add(c.prefix.network);
    for (const s of other.statics) nets.add(s.prefix.network);
  }
  for (const r of site.routers) for (const c of r.vpnConnections ?? []) for (const p of c.staticPrefixes) nets.add(p.prefix.network);
  return [...nets].sort();
}
