// The header of a NAT node's VyOS file.
import type { NatNodeIntent } from '../../model/intent.js';
import { DIALECTS } from '../../targets/vyos/dialects.js';
import { cutComment } from '../../targets/quote.js';

const PRINTABLE = /[^\x20-\x7e]/g;

export function natNodeHeader(intent: NatNodeIntent, file: string): string[] {
  const d = DIALECTS[intent.release];
  return [
    `vygen: NAT node ${intent.name} (pair ${intent.pair}, zone ${intent.zone}) -- VyOS ${d.release} (${d.codename})`,
    cutComment(`generated from ${file.replace(PRINTABLE, '?')}; edit the topology, not this file`),
  ];
}
