// The keepalived target: every LVS file of a render, in a stable order
// (directors in file order, each's keepalived.conf then sysctl.conf, then per
// real server by name its setup script and the systemd unit that runs it at
// boot).
import type { LvsIntents } from './keepalived-intent.js';
import type { SecretRef } from '../../model/topology.js';
import type { OutputFile } from '../../model/output.js';
import { directorHeader, realServerHeader, realServerUnitHeader } from './header.js';
import { renderRealServerScript, renderRealServerUnit } from './real-server-script.js';
import { renderKeepalived, renderSysctl } from './keepalived.js';

export interface LvsRenderOptions {
  /** The topology's path as shown in headers. */
  file: string;
  redact: boolean;
  authPasses: ReadonlyMap<SecretRef, string>;
}

export function renderLvs(intents: LvsIntents, o: LvsRenderOptions): OutputFile[] {
  const files: OutputFile[] = [];
  for (const d of intents.directors) {
    // One header line per secret, however many instances name it.
    const refs = [...new Map(d.instances.flatMap((i) => (i.authPass ? [[`${i.authPass.kind}:${i.authPass.name}`, i.authPass] as const] : []))).values()];
    const secret = refs.length > 0 && !o.redact;
    files.push({
      path: `${d.name}.keepalived.conf`,
      device: d.name,
      kind: 'keepalived',
      content: renderKeepalived(d, directorHeader(d, o.file, 'keepalived.conf', o.redact ? refs : [], secret), o.authPasses),
      ...(secret ? { secret: true } : {}),
    });
    files.push({ path: `${d.name}.sysctl.conf`, device: d.name, kind: 'sysctl', content: renderSysctl(d, directorHeader(d, o.file, 'sysctl.conf')) });
  }
  for (const h of intents.realServers) {
    files.push({ path: `real-servers/${h.name}.sh`, device: h.name, kind: 'real-server-script', content: renderRealServerScript(h, realServerHeader(h, o.file)) });
    files.push({ path: `real-servers/${h.name}.service`, device: h.name, kind: 'real-server-unit', content: renderRealServerUnit(h, realServerUnitHeader(h, o.file)) });
  }
  return files;
}
