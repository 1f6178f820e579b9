// IKE and ESP group names for the GRE links' IPsec peers. A group is named by
// what it holds, never by the link that first used it: links with identical
// proposals share one group, and editing one link's proposal renames only that
// link's group. The topology's default proposal keeps the short name
// `IKE-DEFAULT` / `ESP-DEFAULT`, the common case.
import type { Dpd, EspProposal, IkeProposal, IpsecSettings } from '../../model/topology.js';

// 1.3 allows only letters, digits, "-", "_" and "." in a group name: the parts
// are joined with "-" and any other character becomes "_".
const part = (v: string | number) => String(v).toUpperCase().replace(/[^A-Z0-9_.]/g, '_');

function ikeContent(ike: IkeProposal, dpd: Dpd): string {
  return [ike.keyExchange, ike.encryption, ike.hash, `DH${ike.dhGroup}`, ike.lifetime, 'DPD', dpd.action, dpd.interval, dpd.timeout].map(part).join('-');
}

function espContent(esp: EspProposal): string {
  return [esp.encryption, esp.hash, esp.pfs === 'disable' ? 'NOPFS' : `PFS${esp.pfs}`, esp.lifetime, esp.mode].map(part).join('-');
}

// Each proposal's name part, made once: both ends of every link and every
// link against the defaults ask, and links that write no proposal of their own
// share the defaults' objects (ipsec-settings.ts; the model is not changed
// after normalizing).
const ikeOf = new WeakMap<IkeProposal, WeakMap<Dpd, string>>();
const espOf = new WeakMap<EspProposal, string>();
function ike(s: IpsecSettings): string {
  let byDpd = ikeOf.get(s.ike);
  if (!byDpd) ikeOf.set(s.ike, (byDpd = new WeakMap()));
  let c = byDpd.get(s.dpd);
  if (c === undefined) byDpd.set(s.dpd, (c = ikeContent(s.ike, s.dpd)));
  return c;
}
function esp(s: IpsecSettings): string {
  let c = espOf.get(s.esp);
  if (c === undefined) espOf.set(s.esp, (c = espContent(s.esp)));
  return c;
}

export function ikeGroupName(own: IpsecSettings, defaults: IpsecSettings): string {
  const content = ike(own);
  return content === ike(defaults) ? 'IKE-DEFAULT' : `IKE-${content}`;
}

export function espGroupName(own: IpsecSettings, defaults: IpsecSettings): string {
  const content = esp(own);
  return content === esp(defaults) ? 'ESP-DEFAULT' : `ESP-${content}`;
}
