// RealServerHostIntent -> real-servers/<server>.sh, a POSIX sh script that
// makes a DR real server accept its VIPs (and undoes exactly that with
// --remove), and real-servers/<server>.service, the systemd unit that runs
// it at boot.
import type { RealServerHostIntent } from './keepalived-intent.js';
import { unitText } from '../../targets/quote.js';
import { template, tidy } from './templates.js';

export function renderRealServerScript(h: RealServerHostIntent, header: string[]): string {
  // IPv6 VIPs take ip6tables and `ip -6` (their functions appear only when there are some, so IPv4 scripts stay as they were).
  const v6 = (a: string) => a.includes(':');
  const view = {
    ...h,
    header,
    redirect: h.accept === 'iptables-redirect',
    vips: h.vips.filter((a) => !v6(a)),
    vips6: h.vips.filter(v6),
    services: h.services.filter((s) => !v6(s.address)),
    services6: h.services.filter((s) => v6(s.address)),
  };
  // Blank lines separate the functions; nothing else is special in a script.
  return tidy(template('real-server.sh')(view), () => true, 'real-server.sh');
}

/** Where the unit expects the script and is itself installed. */
export function realServerInstall(h: RealServerHostIntent): { scriptPath: string; unitName: string; unitPath: string } {
  const unitName = `vygen-real-server-${h.name}.service`;
  return { scriptPath: `/usr/local/sbin/vygen-real-server-${h.name}`, unitName, unitPath: `/etc/systemd/system/${unitName}` };
}

// A comment, a [Section], or Key=value whose value passed unitText.
const UNIT_LINE = /^(# [\x20-\x7e]*|#|\[[A-Za-z]+\]|[A-Za-z]+=[\x20-\x7e]+)$/;

export function renderRealServerUnit(h: RealServerHostIntent, header: string[]): string {
  const view = { ...h, ...realServerInstall(h), header, description: unitText(`vygen: accept the LVS VIPs of real server ${h.name} (lb_kind DR)`) };
  return tidy(template('real-server.service')(view), (l) => UNIT_LINE.test(l), 'real-server.service');
}
