// The comment lines at the top of every generated file. They name what the
// file is for and which release it targets, and hold nothing that changes from
// run to run or machine to machine (no time, no absolute path, no user).
import type { NatNodeIntent, RouterIntent } from '../model/intent.js';
import type { Topology } from '../model/topology.js';
import { DIALECTS } from '../targets/vyos/dialects.js';

const PRINTABLE = /[^\x20-\x7e]/g;

/**
 * What an AWS router or NAT node needs from AWS before this configuration
 * forwards anything: its source/destination check off (EC2 drops every
 * forwarded packet otherwise), and the file of commands that does it.
 */
export function awsHeaderLines(t: Topology, device: string): string[] {
  const r = t.routers.get(device);
  const site = r ? t.sites.find((s) => s.name === r.site) : undefined;
  if (r?.aws && site?.aws) {
    const enis = [r.aws.wanEni, r.aws.lanEni].filter((e) => e !== undefined);
    const what = enis.length > 0 ? enis.join(' and ') : `instance ${r.aws.instanceId}`;
    return [`AWS: source/destination check must be off on ${what}: run ${site.name}.source-dest-check.sh once`];
  }
  for (const pair of t.natPairs) {
    const n = pair.nodes.find((x) => x.name === device);
    if (n) return [`AWS: source/destination check must be off on instance ${n.instanceId}: run ${pair.name}.source-dest-check.sh once`];
  }
  return [];
}

export function routerHeader(intent: RouterIntent, file: string, redacted: boolean, extra: string[] = []): string[] {
  const d = DIALECTS[intent.release];
  return [
    `vygen: router ${intent.name} (site ${intent.site}, ${intent.role}) -- VyOS ${d.release} (${d.codename})`,
    `generated from ${file.replace(PRINTABLE, '?')}; edit the topology, not this file`,
    ...(redacted ? ['secrets are redacted: REDACTED:<kind>:<name> stands for the key named in the topology'] : []),
    ...(redacted && intent.vrrp?.password
      ? [`the VRRP password (at most 8 characters) is shown as REDACTED: it is ${intent.vrrp.password.kind} ${intent.vrrp.password.name.replace(PRINTABLE, '?')}`]
      : []),
    ...extra,
  ];
}

export function natNodeHeader(intent: NatNodeIntent, file: string, extra: string[] = []): string[] {
  const d = DIALECTS[intent.release];
  return [
    `vygen: NAT node ${intent.name} (pair ${intent.pair}, zone ${intent.zone}) -- VyOS ${d.release} (${d.codename})`,
    `generated from ${file.replace(PRINTABLE, '?')}; edit the topology, not this file`,
    ...extra,
  ];
}
