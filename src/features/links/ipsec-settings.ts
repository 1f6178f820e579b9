// IKE, ESP and DPD settings: the object's own over the topology's defaults
// over the built-in ones, remembering where each came from.
import type { DocPath } from '../../diagnostics.js';
import type { DpdDoc, EspDoc, IkeDoc, IpsecDoc } from '../../model/document.js';
import type { Dpd, EspProposal, IkeProposal, IpsecSettings } from '../../model/topology.js';

export interface IpsecBase {
  ike: IkeProposal;
  esp: EspProposal;
  dpd: Dpd;
}

/** `ownPath` is the mapping that holds the object's own ike/esp/dpd keys. */
export function ipsecSettings(own: IpsecDoc, defaults: IpsecDoc, ownPath: DocPath, base: IpsecBase): IpsecSettings {
  const pick = <T>(key: 'ike' | 'esp' | 'dpd'): [T, DocPath] => {
    const src = own[key] ? [...ownPath, key] : defaults[key] ? ['defaults', 'ipsec', key] : ownPath;
    return [{ ...(defaults[key] ?? {}), ...(own[key] ?? {}) } as T, src];
  };
  const [ike, ikePath] = pick<IkeDoc>('ike');
  const [esp, espPath] = pick<EspDoc>('esp');
  const [dpd, dpdPath] = pick<DpdDoc>('dpd');
  return {
    ike: {
      keyExchange: ike.key_exchange ?? base.ike.keyExchange,
      encryption: ike.encryption ?? base.ike.encryption,
      hash: ike.hash ?? base.ike.hash,
      dhGroup: ike.dh_group ?? base.ike.dhGroup,
      lifetime: ike.lifetime ?? base.ike.lifetime,
    },
    esp: {
      encryption: esp.encryption ?? base.esp.encryption,
      hash: esp.hash ?? base.esp.hash,
      pfs: esp.pfs ?? base.esp.pfs,
      lifetime: esp.lifetime ?? base.esp.lifetime,
      mode: esp.mode ?? base.esp.mode,
    },
    dpd: { action: dpd.action ?? base.dpd.action, interval: dpd.interval ?? base.dpd.interval, timeout: dpd.timeout ?? base.dpd.timeout },
    paths: { ike: ikePath, esp: espPath, dpd: dpdPath },
  };
}
