// `ipv6` keys of sites and routers and defaults.tunnel_pool6 -> the model's dualStack part, addresses canonical.
import type { TopologyDoc } from '../../model/document.js';
import { parseIp } from '../../net/ip.js';
import type { DualStack, Router6 } from './model.js';
import { subPath } from '../../diagnostics.js';

export function normalizeDualStack(doc: TopologyDoc): DualStack {
  const out: DualStack = { sites: new Map(), routers: new Map() };
  const pool = doc.defaults?.tunnel_pool6;
  if (pool !== undefined) out.pool = { prefix: parseIp(pool), path: ['defaults', 'tunnel_pool6'] };
  for (const [siteName, s] of Object.entries(doc.sites ?? {})) {
    const sp = ['sites', siteName, 'ipv6'];
    if (s.ipv6) {
      out.sites.set(siteName, {
        connected: (s.ipv6.connected ?? []).map((c, i) => ({ prefix: parseIp(c), path: subPath(sp, 'connected', i) })),
        statics: (s.ipv6.static ?? []).map((st, i) => ({
          prefix: parseIp(st.prefix),
          via: parseIp(st.via).address,
          path: subPath(sp, 'static', i),
          ...(st.distance !== undefined ? { distance: st.distance } : {}),
        })),
      });
    }
    for (const [name, r] of Object.entries(s.routers ?? {})) {
      const x = r.ipv6;
      if (!x) continue;
      const rp = ['sites', siteName, 'routers', name, 'ipv6'];
      const r6: Router6 = { path: rp };
      if (x.wan?.address !== undefined) r6.wan = { prefix: parseIp(x.wan.address), path: subPath(rp, 'wan', 'address') };
      if (x.wan?.gateway !== undefined) r6.gateway = { address: parseIp(x.wan.gateway).address, path: subPath(rp, 'wan', 'gateway') };
      if (x.lan) r6.lan = { prefix: parseIp(x.lan.address), path: subPath(rp, 'lan', 'address') };
      if (x.loopback !== undefined) r6.loopback = { prefix: parseIp(`${x.loopback}/128`), path: subPath(rp, 'loopback') };
      out.routers.set(name, r6);
    }
  }
  return out;
}
