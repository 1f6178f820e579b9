// The comment lines at the top of every generated file. They name what the
// file is for and which release it targets, and hold nothing that changes from
// run to run or machine to machine (no time, no absolute path, no user).
import type { RouterIntent } from '../../model/intent.js';
import { DIALECTS } from './dialects.js';
import { DEFAULTS } from '../../model/defaults.js';
import { cutComment } from '../quote.js';

const PRINTABLE = /[^\x20-\x7e]/g;

/** The header line of a file that holds a secret's value (src/emit/write.ts writes it with mode 0600). */
export const SECRET_NOTE = 'holds secret values (not redacted): written with mode 0600, readable by its owner only; keep it out of repositories';

export function routerHeader(intent: RouterIntent, file: string, redacted: boolean): string[] {
  const d = DIALECTS[intent.release];
  const passwords = (intent.vrrp?.groups ?? []).flatMap((g) => (g.password ? [g.password] : []));
  const where = intent.site !== undefined ? ` (site ${intent.site}, ${intent.role})` : '';
  return [
    `vygen: router ${intent.name}${where} -- VyOS ${d.release} (${d.codename})`,
    cutComment(`generated from ${file.replace(PRINTABLE, '?')}; edit the topology, not this file`),
    ...(redacted ? ['secrets are redacted: REDACTED:<kind>:<name> stands for the key named in the topology'] : []),
    ...(!redacted && hasSecret(intent) ? [SECRET_NOTE] : []),
    ...(redacted
      ? [...new Set(passwords)].map((p) => cutComment(`the VRRP password (at most ${DEFAULTS.vrrpPasswordMax} characters) is shown as REDACTED: it is ${p.kind} ${p.name.replace(PRINTABLE, '?')}`))
      : []),
  ];
}

/** Whether the router's file holds a secret's value: a pre-shared key, a VRRP or BGP password. */
export function hasSecret(intent: RouterIntent): boolean {
  return (
    (intent.ipsec?.peers.length ?? 0) > 0 ||
    (intent.vrrp?.groups ?? []).some((g) => g.password) ||
    [...(intent.bgp?.neighbors ?? []), ...(intent.bgp?.peerGroups ?? [])].some((n) => n.password)
  );
}
