// What a topology gets when it says nothing. The IPsec defaults are a modern
// baseline both ends of a vygen link agree on; the examples that mirror the
// seed articles set the articles' own values explicitly.
import type { Dpd, EspProposal, IkeProposal } from '../model/topology.js';

export const DEFAULTS = Object.freeze({
  vyos: '1.4' as const,
  bgp: Object.freeze({ keepalive: 4, holdtime: 12 }),
  tunnelPool: '172.16.0.0/24',
  greMtu: 1414,
  ike: Object.freeze<IkeProposal>({ keyExchange: 'ikev2', encryption: 'aes256', hash: 'sha256', dhGroup: 14, lifetime: 28800 }),
  esp: Object.freeze<EspProposal>({ encryption: 'aes256', hash: 'sha256', pfs: 14, lifetime: 3600, mode: 'tunnel' }),
  dpd: Object.freeze<Dpd>({ action: 'restart', interval: 15, timeout: 60 }),
  standby: Object.freeze({ prepend: 3, localPreference: 50 }),
});
