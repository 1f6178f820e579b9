// What an LVS pair gets when it says nothing: keepalived's own defaults,
// written out so that the file says what it does.
export const LVS_DEFAULTS = Object.freeze({
  priority: Object.freeze({ master: 150, backup: 100 }),
  advertInt: 1,
  lbAlgo: 'wlc',
  delayLoop: 60,
  protocol: 'TCP' as const,
  weight: 1,
  accept: 'iptables-redirect' as const,
});
