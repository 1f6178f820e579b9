// The comment lines at the top of every generated file. They name what the
// file is for and which release it targets, and hold nothing that changes from
// run to run or machine to machine (no time, no absolute path, no user).
import type { RouterIntent } from '../../model/intent.js';
import { DIALECTS } from './dialects.js';

const PRINTABLE = /[^\x20-\x7e]/g;

export function routerHeader(intent: RouterIntent, file: string, redacted: boolean): string[] {
  const d = DIALECTS[intent.release];
  const passwords = (intent.vrrp?.groups ?? []).flatMap((g) => (g.password ? [g.password] : []));
  const where = intent.site !== undefined ? ` (site ${intent.site}, ${intent.role})` : '';
  return [
    `vygen: router ${intent.name}${where} -- VyOS ${d.release} (${d.codename})`,
    `generated from ${file.replace(PRINTABLE, '?')}; edit the topology, not this file`,
    ...(redacted ? ['secrets are redacted: REDACTED:<kind>:<name> stands for the key named in the topology'] : []),
    ...(redacted
      ? [...new Set(passwords)].map((p) => `the VRRP password (at most 8 characters) is shown as REDACTED: it is ${p.kind} ${p.name.replace(PRINTABLE, '?')}`)
      : []),
  ];
}
