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
  return { ike: ikeProposal(ike, base.ike), esp: espProposal(esp, base.esp), dpd: dpdSettings(dpd, base.dpd), paths: { ike: ikePath, esp: espPath, dpd: dpdPath } };
}

/** Each key written, else the base's (the links' defaults, AWS's, or the built-in ones). */
export function ikeProposal(ike: IkeDoc, base: IkeProposal): IkeProposal {
  return {
    keyExchange: ike.key_exchange ?? base.keyExchange,
    encryption: ike.encryption ?? base.encryption,
    hash: ike.hash ?? base.hash,
    dhGroup: ike.dh_group ?? base.dhGroup,
    lifetime: ike.lifetime ?? base.lifetime,
  };
}

export function espProposal(esp: Omit<EspDoc, 'pfs'> & { pfs?: EspProposal['pfs'] }, base: EspProposal): EspProposal {
  return {
    encryption: esp.encryption ?? base.encryption,
    hash: esp.hash ?? base.hash,
    pfs: esp.pfs ?? base.pfs,
    lifetime: esp.lifetime ?? base.lifetime,
    mode: esp.mode ?? base.mode,
  };
}

export function dpdSettings(dpd: DpdDoc, base: Dpd): Dpd {
  return { action: dpd.action ?? base.action, interval: dpd.interval ?? base.interval, timeout: dpd.timeout ?? base.timeout };
}
