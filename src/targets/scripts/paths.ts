// Where each generated file is installed on its device. The failover script's
// and the Serf handler's paths come with the intents (the VyOS configuration
// names the first); these are the others.
import type { NatWatchIntent } from '../../features/failover/model.js';

/** The Serf agent's configuration on a VyOS router (/config survives image upgrades). */
export const SERF_CONFIG = '/config/serf/serf.json';

export const NAT_WATCH_UNIT_NAME = 'vygen-nat-watch.service';
export const NAT_WATCH_UNIT = `/etc/systemd/system/${NAT_WATCH_UNIT_NAME}`;
/** systemd's RuntimeDirectory= of the unit, below /run, kept across restarts. */
export const NAT_WATCH_RUNTIME_DIRECTORY = 'vygen-nat-watch';
export const NAT_SYSCTL = '/etc/sysctl.d/90-vygen-nat.conf';

export function natWatchScript(n: NatWatchIntent): string {
  return n.target === 'vyos' ? '/config/scripts/vygen-nat-watch.sh' : '/usr/local/sbin/vygen-nat-watch.sh';
}

/** The NAT setup script of a `target: linux` node (VyOS nodes get NAT from their configuration). */
export const NAT_SCRIPT = '/usr/local/sbin/vygen-nat.sh';

export function natWatchState(n: NatWatchIntent): string {
  return `/run/${NAT_WATCH_RUNTIME_DIRECTORY}/${n.node}.state`;
}
