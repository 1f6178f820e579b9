// FailoverIntent (trigger serf) -> <router>.serf-handler.sh: run by Serf on
// member-failed / member-leave, it runs the failover script when the failed
// member is another router of the same site.
import type { FailoverIntent } from '../failover/model.js';
import { SERF_CONFIG } from '../../targets/scripts/paths.js';
import { finish, template } from '../../targets/scripts/templates.js';

export function renderSerfHandler(f: FailoverIntent, header: string[]): string {
  if (!f.serf) throw new Error(`internal error: router ${f.router} has no Serf intent`);
  const view = { header, name: f.serf.nodeName, site: f.serf.tags.site, handlerPath: f.serf.handlerPath, failoverPath: f.scriptPath, serfConfig: SERF_CONFIG };
  return finish(template('serf-handler.sh')(view), 'serf-handler.sh');
}
