// FailoverIntent with scaleUp -> <router>.scale-up.sh: the router
// replaces itself with a larger instance above a load average.
import type { FailoverIntent } from './model.js';
import { awsFunctions, finish, template } from '../../targets/scripts/templates.js';
import { isIpv6Destination } from './ipv6.js';

/** An operator's hook run with the new instance (e.g. `restart vpn` on it over SSH). */
export const SCALE_UP_HOOK = '/config/scripts/vygen-scale-up-post-start';

export function renderScaleUpScript(f: FailoverIntent, publicAddress: string, header: string[]): string {
  const s = f.scaleUp;
  if (!s) throw new Error(`internal error: router ${f.router} has no scale-up intent`);
  const view = {
    header,
    logTag: `${f.router} scale-up`,
    region: f.region,
    instanceId: f.instanceId,
    name: f.router,
    loadAverage: String(s.loadAverage),
    instanceType: s.instanceType,
    amiKey: s.amiTag.key,
    amiValue: s.amiTag.value,
    publicAddress,
    routes: f.routes,
    hookPath: SCALE_UP_HOOK,
    scriptPath: s.scriptPath,
    policyFile: `${f.site}.iam-policy.json`,
    functions: awsFunctions({ eip: true, ipv6: f.routes.some((r) => isIpv6Destination(r.destination)) }),
  };
  return finish(template('scale-up.sh')(view), 'scale-up.sh');
}
