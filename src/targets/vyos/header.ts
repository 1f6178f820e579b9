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
  const where = intent.site !== undefined ? ` (site ${intent.site}, ${intent.role})` : '';
  const lines = [`vygen: router ${intent.name}${where} -- VyOS ${d.release} (${d.codename})`, generatedFrom(file)];
  if (redacted) {
    lines.push(REDACTED_NOTE);
    const passwords = new Set((intent.vrrp?.groups ?? []).flatMap((g) => (g.password ? [g.password] : [])));
    for (const p of passwords) lines.push(cutComment(`the VRRP password (at most ${DEFAULTS.vrrpPasswordMax} characters) is shown as REDACTED: it is ${p.kind} ${p.name.replace(PRINTABLE, '?')}`));
  } else if (hasSecret(intent)) {
    lines.push(SECRET_NOTE);
  }
  for (const n of intent.notes ?? []) lines.push(cutComment(n.replace(PRINTABLE, '?')));
  return lines;
}

const REDACTED_NOTE = 'secrets are redacted: REDACTED:<kind>:<name> stands for the key named in the topology';

// The same for every router of a render: made once, not once per router.
let generated: { file: string; line: string } | undefined;
function generatedFrom(file: string): string {
  if (generated?.file !== file) generated = { file, line: cutComment(`generated from ${file.replace(PRINTABLE, '?')}; edit the topology, not this file`) };
  return generated.line;
}

/** Whether the router's file holds a secret's value: a pre-shared key, a VRRP or BGP password. */
export function hasSecret(intent: RouterIntent): boolean {
  return (
    (intent.ipsec?.peers.length ?? 0) > 0 ||
    (intent.vrrp?.groups ?? []).some((g) => g.password) ||
    (intent.bgp?.neighbors ?? []).some((n) => n.password) ||
    (intent.bgp?.peerGroups ?? []).some((g) => g.password)
  );
}
