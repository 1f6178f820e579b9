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

export function ikeGroupName(own: IpsecSettings, defaults: IpsecSettings): string {
  const content = ikeContent(own.ike, own.dpd);
  return content === ikeContent(defaults.ike, defaults.dpd) ? 'IKE-DEFAULT' : `IKE-${content}`;
}

export function espGroupName(own: IpsecSettings, defaults: IpsecSettings): string {
  const content = espContent(own.esp);
  return content === espContent(defaults.esp) ? 'ESP-DEFAULT' : `ESP-${content}`;
}
