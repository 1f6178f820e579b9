// RealServerHostIntent -> real-servers/<server>.sh: a POSIX sh script that
// makes a DR real server accept its VIPs, and undoes it with --remove.
import type { RealServerHostIntent } from './keepalived-intent.js';
import { template, tidy } from './templates.js';

export function renderRealServerScript(h: RealServerHostIntent, header: string[]): string {
  const view = { ...h, header, redirect: h.accept === 'iptables-redirect' };
  // Blank lines separate the functions; nothing else is special in a script.
  return tidy(template('real-server.sh')(view), () => true, 'real-server.sh');
}
