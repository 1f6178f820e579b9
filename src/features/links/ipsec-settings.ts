// IKE, ESP and DPD settings: the object's own over the topology's defaults
// over the built-in ones, remembering where each came from.
import type { DocPath } from '../../diagnostics.js';
import type { DpdDoc, EspDoc, IkeDoc, IpsecDoc } from '../../model/document.js';
import type { Dpd, EspProposal, IkeProposal, IpsecSettings } from '../../model/topology.js';
import { subPath } from '../../diagnostics.js';

export interface IpsecBase {
  ike: IkeProposal;
  esp: EspProposal;
  dpd: Dpd;
}

/** `ownPath` is the mapping that holds the object's own ike/esp/dpd keys. */
export function ipsecSettings(own: IpsecDoc, defaults: IpsecDoc, ownPath: DocPath, base: IpsecBase): IpsecSettings {
  const inherited = fromDefaults(defaults, base);
  const src = (key: 'ike' | 'esp' | 'dpd'): DocPath => (own[key] ? subPath(ownPath, key) : defaults[key] ? ['defaults', 'ipsec', key] : ownPath);
  return {
    ike: own.ike ? ikeProposal({ ...defaults.ike, ...own.ike }, base.ike) : inherited.ike,
    esp: own.esp ? espProposal({ ...defaults.esp, ...own.esp }, base.esp) : inherited.esp,
    dpd: own.dpd ? dpdSettings({ ...defaults.dpd, ...own.dpd }, base.dpd) : inherited.dpd,
    paths: { ike: src('ike'), esp: src('esp'), dpd: src('dpd') },
  };
}

// What an object that writes none of ike/esp/dpd gets (most links write only
// their key): one set of proposals per defaults and base, shared, since the
// model is not changed after normalizing. Shared proposals are also what the
// group names are memoized by (ipsec-groups.ts).
const inheritedOf = new WeakMap<IpsecDoc, WeakMap<IpsecBase, IpsecBase>>();
function fromDefaults(defaults: IpsecDoc, base: IpsecBase): IpsecBase {
  let byBase = inheritedOf.get(defaults);
  if (!byBase) inheritedOf.set(defaults, (byBase = new WeakMap()));
  let p = byBase.get(base);
  if (!p) byBase.set(base, (p = { ike: ikeProposal(defaults.ike ?? {}, base.ike), esp: espProposal(defaults.esp ?? {}, base.esp), dpd: dpdSettings(defaults.dpd ?? {}, base.dpd) }));
  return p;
}

/** The defaults of a topology that has no `defaults.ipsec`: one object, so that its proposals are shared too. */
export const NO_IPSEC_DEFAULTS: IpsecDoc = Object.freeze({});

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
