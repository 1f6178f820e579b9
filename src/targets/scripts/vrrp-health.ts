// VrrpHealthIntent -> <router>.vrrp-health.sh: the VRRP health check that
// keeps a cloud router without BGP sessions from becoming master.
import type { VrrpHealthIntent } from '../../model/failover.js';
import { finish, template } from './templates.js';

export function renderVrrpHealth(v: VrrpHealthIntent, header: string[]): string {
  return finish(template('vrrp-health.sh')({ header, ...v }), 'vrrp-health.sh');
}
