// The comment lines at the top of every generated file. They name what the
// file is for and which release it targets, and hold nothing that changes from
// run to run or machine to machine (no time, no absolute path, no user).
import type { NatNodeIntent, RouterIntent } from '../model/intent.js';
import { DIALECTS } from '../targets/vyos/dialects.js';
import { cutComment } from '../targets/quote.js';

const PRINTABLE = /[^\x20-\x7e]/g;

/** The header line of a file that holds a secret's value (src/emit/write.ts writes it with mode 0600). */
export const SECRET_NOTE = 'holds secret values (not redacted): written with mode 0600, readable by its owner only; keep it out of repositories';

export function routerHeader(intent: RouterIntent, file: string, redacted: boolean): string[] {
  const d = DIALECTS[intent.release];
  return [
    `vygen: router ${intent.name} (site ${intent.site}, ${intent.role}) -- VyOS ${d.release} (${d.codename})`,
    cutComment(`generated from ${file.replace(PRINTABLE, '?')}; edit the topology, not this file`),
    ...(redacted ? ['secrets are redacted: REDACTED:<kind>:<name> stands for the key named in the topology'] : []),
    ...(!redacted && ((intent.ipsec?.peers.length ?? 0) > 0 || intent.vrrp?.password) ? [SECRET_NOTE] : []),
    ...(redacted && intent.vrrp?.password
      ? [cutComment(`the VRRP password (at most 8 characters) is shown as REDACTED: it is ${intent.vrrp.password.kind} ${intent.vrrp.password.name.replace(PRINTABLE, '?')}`)]
      : []),
  ];
}

export function natNodeHeader(intent: NatNodeIntent, file: string): string[] {
  const d = DIALECTS[intent.release];
  return [
    `vygen: NAT node ${intent.name} (pair ${intent.pair}, zone ${intent.zone}) -- VyOS ${d.release} (${d.codename})`,
    cutComment(`generated from ${file.replace(PRINTABLE, '?')}; edit the topology, not this file`),
  ];
}
