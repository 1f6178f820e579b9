// NatWatchIntent -> <node>.nat-watch.sh (the cross health check of the HA NAT design)
// and <node>.nat-watch.service (the systemd unit that keeps it running).
import type { NatWatchIntent } from '../failover/model.js';
import { NAT_SCRIPT, NAT_WATCH_RUNTIME_DIRECTORY, NAT_WATCH_UNIT, NAT_WATCH_UNIT_NAME, natWatchScript, natWatchState } from '../../targets/scripts/paths.js';
import { awsFunctions, finish, template } from '../../targets/scripts/templates.js';

export function renderNatWatchScript(n: NatWatchIntent, header: string[]): string {
  const view = {
    header,
    name: n.node,
    logTag: `${n.node} nat-watch`,
    region: n.region,
    instanceId: n.instanceId,
    peerName: n.peer.name,
    peerAddress: n.peer.address,
    peerZone: n.peer.zone,
    peerInstanceId: n.peer.instanceId,
    peerRouteTables: n.peer.routeTables,
    interval: n.interval,
    misses: n.misses,
    timeout: n.timeout,
    scriptPath: natWatchScript(n),
    stateFile: natWatchState(n),
    functions: awsFunctions({ eip: false }),
  };
  return finish(template('nat-watch.sh')(view), 'nat-watch.sh');
}

export function renderNatWatchUnit(n: NatWatchIntent, header: string[]): string {
  const view = {
    // systemd would join a comment line ending in a backslash with the next.
    header: header.map((l) => l.replace(/\\/g, '?')),
    description: `vygen NAT watch of ${n.node} (pair ${n.pair}): takes over the default routes of ${n.peer.name} when it stops answering`,
    unitPath: NAT_WATCH_UNIT,
    unitName: NAT_WATCH_UNIT_NAME,
    scriptPath: natWatchScript(n),
    natScript: n.target === 'linux' ? NAT_SCRIPT : undefined,
    vyos: n.target === 'vyos',
    runtimeDirectory: NAT_WATCH_RUNTIME_DIRECTORY,
  };
  return finish(template('nat-watch.service')(view), 'nat-watch.service');
}
