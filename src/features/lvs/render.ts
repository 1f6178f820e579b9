// The keepalived target: every LVS file of a render, in a stable order
// (directors in file order, each's keepalived.conf then sysctl.conf, then the
// real-server scripts by name).
import type { LvsIntents } from './keepalived-intent.js';
import type { SecretRef } from '../../model/topology.js';
import type { OutputFile } from '../../model/output.js';
import { directorHeader, realServerHeader } from './header.js';
import { renderRealServerScript } from './real-server-script.js';
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
    const ref = d.instance.authPass;
    const authPass = ref ? o.authPasses.get(ref) : undefined;
    if (ref && authPass === undefined) throw new Error(`internal error: no resolved auth_pass for director ${d.name}`);
    const secret = ref !== undefined && !o.redact;
    files.push({
      path: `${d.name}.keepalived.conf`,
      device: d.name,
      kind: 'keepalived',
      content: renderKeepalived(d, directorHeader(d, o.file, 'keepalived.conf', o.redact ? ref : undefined, secret), authPass),
      ...(secret ? { secret: true } : {}),
    });
    files.push({ path: `${d.name}.sysctl.conf`, device: d.name, kind: 'sysctl', content: renderSysctl(d, directorHeader(d, o.file, 'sysctl.conf')) });
  }
  for (const h of intents.realServers) {
    files.push({ path: `real-servers/${h.name}.sh`, device: h.name, kind: 'real-server-script', content: renderRealServerScript(h, realServerHeader(h, o.file)) });
  }
  return files;
}
