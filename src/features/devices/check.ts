// Device names become file names. Two names that differ only by case
// (`tokyo-a`, `Tokyo-A`) are two files on Linux and one on the case-
// insensitive file systems of macOS and Windows, where a checkout or a copy
// of the render silently keeps only one of them.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { Model } from '../feature.js';

interface Named {
  name: string;
  path: DocPath;
  what: string;
}

function collide(devices: readonly Named[], diags: Diagnostics): void {
  const first = new Map<string, Named>();
  for (const d of devices) {
    const key = d.name.toLowerCase();
    const earlier = first.get(key);
    if (!earlier) first.set(key, d);
    else if (earlier.name !== d.name) {
      diags.error('device-name-case', d.path, `${d.what} ${shown(d.name)} differs from ${earlier.what} ${shown(earlier.name)} only by case`, {
        at: 'key',
        expected: 'device names that differ in more than case (they name the output files)',
        found: shown(d.name),
        hint: 'on macOS and Windows both would be one file; rename one of them',
      });
    }
  }
}

export function checkDeviceNames(model: Model, diags: Diagnostics): void {
  const t = model.topology;
  const lvs = model.lvs;
  collide(
    [
      ...model.explicitRouters.filter((x) => !x.extends).map((x) => ({ name: x.name, path: x.path, what: 'router' })),
      ...t.sites.flatMap((s) => s.routers.map((r) => ({ name: r.name, path: r.path, what: 'router' }))),
      ...model.natPairs.flatMap((p) => p.nodes.map((n) => ({ name: n.name, path: n.path, what: 'NAT node' }))),
      ...lvs.pairs.flatMap((p) => p.nodes.map((n) => ({ name: n.name, path: n.path, what: 'LVS director' }))),
    ],
    diags,
  );
  // One real server behind several pairs is one host with one script: only another spelling collides.
  collide(
    lvs.pairs.flatMap((p) => p.virtualServers.flatMap((vs) => vs.realServers.map((r) => ({ name: r.name, path: r.path, what: 'real server' })))),
    diags,
  );
}
