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

// Each settings object's names, made once: both ends of a link and every link against the defaults ask (the model is not changed after normalizing).
const ikeOf = new WeakMap<IpsecSettings, string>();
const espOf = new WeakMap<IpsecSettings, string>();
function once(memo: WeakMap<IpsecSettings, string>, s: IpsecSettings, content: (s: IpsecSettings) => string): string {
  let c = memo.get(s);
  if (c === undefined) memo.set(s, (c = content(s)));
  return c;
}
const ike = (s: IpsecSettings) => once(ikeOf, s, (x) => ikeContent(x.ike, x.dpd));
const esp = (s: IpsecSettings) => once(espOf, s, (x) => espContent(x.esp));

export function ikeGroupName(own: IpsecSettings, defaults: IpsecSettings): string {
  const content = ike(own);
  return content === ike(defaults) ? 'IKE-DEFAULT' : `IKE-${content}`;
}

export function espGroupName(own: IpsecSettings, defaults: IpsecSettings): string {
  const content = esp(own);
  return content === esp(defaults) ? 'ESP-DEFAULT' : `ESP-${content}`;
}
