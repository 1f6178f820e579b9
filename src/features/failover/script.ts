// FailoverIntent -> <router>.failover.sh: the POSIX sh script that points the
// site's route tables and Elastic IP at this router when it becomes active.
import type { AwsTarget, FailoverIntent } from './model.js';
import { awsFunctions, finish, template } from '../../targets/scripts/templates.js';
import { isIpv6Destination } from './ipv6.js';

/** The aws CLI option that names a target. */
export function targetOption(t: AwsTarget): '--instance-id' | '--network-interface-id' {
  return t.kind === 'instance' ? '--instance-id' : '--network-interface-id';
}

export function renderFailoverScript(f: FailoverIntent, header: string[]): string {
  const view = {
    header,
    logTag: `${f.router} failover`,
    region: f.region,
    routes: f.routes,
    routeOption: targetOption(f.routeTarget),
    routeTarget: f.routeTarget.id,
    eip: f.eip,
    eipOption: targetOption(f.eipTarget),
    eipTarget: f.eipTarget.id,
    eipPrivate: f.eipPrivateAddress,
    policyFile: `${f.site}.iam-policy.json`,
    sourceDestCheckFile: `${f.site}.source-dest-check.sh`,
    vrrp: f.trigger === 'vrrp',
    scriptPath: f.scriptPath,
    handlerPath: f.serf?.handlerPath,
    ipv6Moved: f.ipv6 === 'moved',
    ipv6NotMoved: f.ipv6 === 'not-moved',
    functions: awsFunctions({ eip: f.eip !== undefined, ipv6: f.routes.some((r) => isIpv6Destination(r.destination)) }),
  };
  return finish(template('failover.sh')(view), 'failover.sh');
}
