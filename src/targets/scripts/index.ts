// The scripts target: what runs beside the configurations. Per router of a
// site with AWS failover, its failover script (and with trigger serf the Serf
// agent's configuration and event handler); per NAT node, its watch script and
// unit (and for target linux its NAT setup). Routers in file order, then the
// NAT nodes in file order, each device's files together.
import type { FailoverIntent, NatWatchIntent } from '../../features/failover/model.js';
import type { OutputFile } from '../../pipeline.js';
import { renderFailoverScript } from '../../features/failover/script.js';
import { natFileHeader, routerFileHeader } from './header.js';
import { renderNatScript, renderNatSysctl } from '../../features/nat-pairs/linux.js';
import { renderNatWatchScript, renderNatWatchUnit } from '../../features/nat-pairs/watch.js';
import { renderSerfConfig } from '../../features/serf/config.js';
import { renderSerfHandler } from '../../features/serf/handler.js';

export interface ScriptRenderOptions {
  /** The topology's path as shown in headers. */
  file: string;
}

export function renderScripts(failovers: FailoverIntent[], natWatches: NatWatchIntent[], o: ScriptRenderOptions): OutputFile[] {
  const files: OutputFile[] = [];
  for (const f of failovers) {
    const device = f.router;
    files.push({ path: `${device}.failover.sh`, device, content: renderFailoverScript(f, routerFileHeader(f, o.file, 'failover script')) });
    if (f.serf) {
      files.push({ path: `${device}.serf.json`, device, content: renderSerfConfig(f.serf) });
      files.push({ path: `${device}.serf-handler.sh`, device, content: renderSerfHandler(f, routerFileHeader(f, o.file, 'Serf event handler')) });
    }
  }
  for (const n of natWatches) {
    const device = n.node;
    files.push({ path: `${device}.nat-watch.sh`, device, content: renderNatWatchScript(n, natFileHeader(n, o.file, 'NAT watch script')) });
    files.push({ path: `${device}.nat-watch.service`, device, content: renderNatWatchUnit(n, natFileHeader(n, o.file, 'systemd unit of the NAT watch')) });
    if (n.target === 'linux') {
      files.push({ path: `${device}.nat.sh`, device, content: renderNatScript(n, natFileHeader(n, o.file, 'NAT setup script')) });
      files.push({ path: `${device}.sysctl.conf`, device, content: renderNatSysctl(n, natFileHeader(n, o.file, 'sysctl.conf')) });
    }
  }
  return files;
}
