// NatWatchIntent (target linux) -> <node>.nat.sh (ip_forward and the
// MASQUERADE rule, idempotent, --remove undoes) and <node>.sysctl.conf.
// VyOS nodes get the same from their configuration (<node>.vyos).
import type { NatWatchIntent } from '../failover/model.js';
import { NAT_SCRIPT, NAT_SYSCTL } from '../../targets/scripts/paths.js';
import { finish, template } from '../../targets/scripts/templates.js';

function view(n: NatWatchIntent, header: string[]) {
  return { header, name: n.node, region: n.region, instanceId: n.instanceId, vpcCidr: n.vpcCidr, wanInterface: n.wanInterface, natScript: NAT_SCRIPT, sysctlFile: NAT_SYSCTL };
}

export function renderNatScript(n: NatWatchIntent, header: string[]): string {
  return finish(template('nat.sh')(view(n, header)), 'nat.sh');
}

export function renderNatSysctl(n: NatWatchIntent, header: string[]): string {
  return finish(template('nat-sysctl.conf')(view(n, header)), 'nat-sysctl.conf');
}
