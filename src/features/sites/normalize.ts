// Sites and their routers: defaults applied (router over site over defaults),
// names resolved. What other features hang on a site or router (VRRP, cloud
// VPN connections, AWS resources) is added by their own normalize hooks.
import type { Diagnostics } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { TopologyDoc } from '../../model/document.js';
import type { Release, Router, Site, Topology } from '../../model/topology.js';
import { parsePrefix } from '../../net/ipv4.js';
import { DEFAULTS } from '../../model/defaults.js';
import { chooseRelease, lanInterface, wanInterface } from './interfaces.js';
import { ipsecSettings, NO_IPSEC_DEFAULTS } from '../links/ipsec-settings.js';
import { subPath } from '../../diagnostics.js';

export function normalizeSites(doc: TopologyDoc, file: string, diags: Diagnostics, override?: Release): Topology {
  const d = doc.defaults ?? {};
  const routers = new Map<string, Router>();
  const sites: Site[] = [];

  for (const [siteName, s] of Object.entries(doc.sites ?? {})) {
    const sitePath = ['sites', siteName];
    const site = {
      name: siteName,
      asn: s.asn,
      connected: (s.networks?.connected ?? []).map((c, i) => ({ prefix: parsePrefix(c), path: subPath(sitePath, 'networks', 'connected', i) })),
      statics: (s.networks?.static ?? []).map((st, i) => ({
        prefix: parsePrefix(st.prefix),
        via: st.via,
        ...(st.distance !== undefined ? { distance: st.distance } : {}),
        path: subPath(sitePath, 'networks', 'static', i),
      })),
      moreSpecifics: (s.networks?.more_specifics ?? []).map((m, i) => ({ prefix: parsePrefix(m), path: subPath(sitePath, 'networks', 'more_specifics', i) })),
      standby: {
        prepend: s.standby?.prepend ?? d.standby?.prepend ?? DEFAULTS.standby.prepend,
        localPreference: s.standby?.local_preference ?? d.standby?.local_preference ?? DEFAULTS.standby.localPreference,
      },
      routers: [],
      path: sitePath,
    } as unknown as Site;
    for (const [name, r] of Object.entries(s.routers)) {
      const path = subPath(sitePath, 'routers', name);
      const earlier = routers.get(name);
      if (earlier) {
        diags.error('duplicate-router', path, `router ${shown(name)} is also defined in site ${shown(earlier.site)}`, {
          at: 'key',
          expected: 'router names unique across the whole topology (they become host names, IPsec peer names and file names)',
          found: shown(name),
          hint: `rename one of them, e.g. ${siteName}-${name}`,
        });
        continue;
      }
      const [release, releasePath] = chooseRelease(override, [
        [r.vyos, subPath(path, 'vyos')],
        [s.vyos, subPath(sitePath, 'vyos')],
        [d.vyos, ['defaults', 'vyos']],
      ]);
      // The parts other features own (cloud VPN connections, AWS ids) are
      // filled in by their normalize hooks, which the registry runs next.
      const router = {
        name,
        site: siteName,
        role: r.role,
        release,
        releasePath,
        wan: wanInterface(r.wan, subPath(path, 'wan')),
        loopback: r.loopback.split('/')[0]!,
        path,
        ...(r.lan ? { lan: lanInterface(r.lan, subPath(path, 'lan')) } : {}),
      } as unknown as Router;
      routers.set(name, router);
      site.routers.push(router);
    }
    // The order of keys in a mapping means nothing: a site's routers are taken
    // in name order, so iBGP neighbors, VRRP peers and Serf's retry_join do not
    // move when the routers are listed in another order (found by the fuzzer).
    // Copied at its length: grown by push, it kept room for 17 (src/model/settle-lists.ts says why that counts).
    site.routers = site.routers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice();
    sites.push(site);
  }

  return {
    file,
    sites,
    routers,
    links: [],
    ipsecDefaults: ipsecSettings({}, d.ipsec ?? NO_IPSEC_DEFAULTS, ['defaults', 'ipsec'], DEFAULTS),
    bgp: { keepalive: d.bgp?.keepalive ?? DEFAULTS.bgp.keepalive, holdtime: d.bgp?.holdtime ?? DEFAULTS.bgp.holdtime },
    tunnelPool: parsePrefix(d.tunnel_pool ?? DEFAULTS.tunnelPool),
  };
}
