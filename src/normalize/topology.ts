// Schema-valid document -> Topology: defaults applied (router over site over
// defaults), names resolved, link numbers and inner addresses allocated.
// Reference problems (unknown or duplicated names) are reported here because
// nothing after this stage could be computed without them.
import type { Diagnostics, DocPath } from '../diagnostics.js';
import { shown } from '../diagnostics.js';
import type { IpsecDoc, LinkDoc, TopologyDoc } from '../model/document.js';
import type { Link, Release, Router, Site, Topology } from '../model/topology.js';
import { parsePrefix } from '../net/ipv4.js';
import { suggest } from '../validate/suggest.js';
import { allocateLinks } from './allocate.js';
import { awsSite, secretRef, vpnConnections, vrrp } from './cloud.js';
import { DEFAULTS } from './defaults.js';
import { expandHubMesh } from './hub-mesh.js';
import { ipsecSettings } from './ipsec.js';
import { natPairs } from './nat-pairs.js';
import { chooseRelease, lanInterface, wanInterface } from './interfaces.js';

export interface NormalizeOptions {
  /** `--release`: overrides every router's release (previews). */
  release?: Release;
}

export function normalize(doc: TopologyDoc, file: string, diags: Diagnostics, options: NormalizeOptions = {}): Topology {
  const d = doc.defaults ?? {};
  const routers = new Map<string, Router>();
  const sites: Site[] = [];

  for (const [siteName, s] of Object.entries(doc.sites ?? {})) {
    const sitePath = ['sites', siteName];
    const site: Site = {
      name: siteName,
      asn: s.asn,
      connected: (s.networks?.connected ?? []).map((c, i) => ({ prefix: parsePrefix(c), path: [...sitePath, 'networks', 'connected', i] })),
      statics: (s.networks?.static ?? []).map((st, i) => ({
        prefix: parsePrefix(st.prefix),
        via: st.via,
        ...(st.distance !== undefined ? { distance: st.distance } : {}),
        path: [...sitePath, 'networks', 'static', i],
      })),
      moreSpecifics: (s.networks?.more_specifics ?? []).map((m, i) => ({ prefix: parsePrefix(m), path: [...sitePath, 'networks', 'more_specifics', i] })),
      standby: {
        prepend: s.standby?.prepend ?? d.standby?.prepend ?? DEFAULTS.standby.prepend,
        localPreference: s.standby?.local_preference ?? d.standby?.local_preference ?? DEFAULTS.standby.localPreference,
      },
      routers: [],
      path: sitePath,
    };
    const siteVrrp = vrrp(s.vrrp, sitePath);
    if (siteVrrp) site.vrrp = siteVrrp;
    const aws = awsSite(s.aws, siteVrrp !== undefined, sitePath);
    if (aws) site.aws = aws;
    for (const [name, r] of Object.entries(s.routers)) {
      const path = [...sitePath, 'routers', name];
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
      const [release, releasePath] = chooseRelease(options.release, [
        [r.vyos, [...path, 'vyos']],
        [s.vyos, [...sitePath, 'vyos']],
        [d.vyos, ['defaults', 'vyos']],
      ]);
      const router: Router = {
        name,
        site: siteName,
        role: r.role,
        release,
        releasePath,
        wan: wanInterface(r.wan, [...path, 'wan']),
        loopback: r.loopback.split('/')[0]!,
        vpnConnections: vpnConnections(r, path),
        path,
        ...(r.aws
          ? {
              aws: {
                instanceId: r.aws.instance_id,
                ...(r.aws.lan_eni !== undefined ? { lanEni: r.aws.lan_eni } : {}),
                ...(r.aws.wan_eni !== undefined ? { wanEni: r.aws.wan_eni } : {}),
              },
            }
          : {}),
        ...(r.lan ? { lan: lanInterface(r.lan, [...path, 'lan']) } : {}),
      };
      routers.set(name, router);
      site.routers.push(router);
    }
    // The order of keys in a mapping means nothing: a site's routers are taken
    // in name order, so iBGP neighbors, VRRP peers and Serf's retry_join do not
    // move when the routers are listed in another order (found by the fuzzer).
    site.routers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    sites.push(site);
  }

  const mesh = expandHubMesh(doc.hub_mesh, sites, diags);
  const written = (doc.links ?? []).map((l, index) => ({ doc: l, path: ['links', index] as (string | number)[] }));
  const links: Link[] = [];
  [...written, ...mesh.links].forEach(({ doc: l, path }, index) => {
    const link = normalizeLink(l, index, path, d, routers, diags);
    if (link) links.push(link);
  });

  const tunnelPool = parsePrefix(d.tunnel_pool ?? DEFAULTS.tunnelPool);
  allocateLinks(links, tunnelPool, mesh.reserved, diags);

  return {
    file,
    sites,
    routers,
    links,
    bgp: { keepalive: d.bgp?.keepalive ?? DEFAULTS.bgp.keepalive, holdtime: d.bgp?.holdtime ?? DEFAULTS.bgp.holdtime },
    tunnelPool,
    natPairs: natPairs(doc.nat_pairs, d.vyos, options.release),
    ipsecDefaults: ipsecSettings({}, d.ipsec ?? {}, ['defaults', 'ipsec'], DEFAULTS),
  };
}

function normalizeLink(l: LinkDoc, index: number, path: DocPath, d: TopologyDoc['defaults'] & object, routers: Map<string, Router>, diags: Diagnostics): Link | undefined {
  // Generated links (hub mesh) point at the place that generated them.
  const generated = path[0] !== 'links';
  const at = (...rest: (string | number)[]) => (generated ? path : [...path, ...rest]);
  let ok = true;
  l.between.forEach((name, i) => {
    if (routers.has(name)) return;
    ok = false;
    const guess = suggest(name, [...routers.keys()]);
    diags.error('unknown-router', at('between', i), `unknown router ${shown(name)}`, {
      expected: 'the name of a router defined under sites.<site>.routers',
      found: shown(name),
      hint: guess ? `did you mean ${shown(guess)}?` : `defined routers: ${[...routers.keys()].sort().join(', ') || 'none'}`,
    });
  });
  if (!ok) return undefined;
  const [a, b] = l.between.map((n) => routers.get(n)!) as [Router, Router];
  if (a.name === b.name) {
    diags.error('link-to-self', at('between'), `link from router ${shown(a.name)} to itself`, {
      expected: 'two different routers',
      found: `[${a.name}, ${b.name}]`,
      hint: 'a link joins routers of two different sites',
    });
    return undefined;
  }
  if (a.site === b.site) {
    diags.error('link-inside-site', at('between'), `routers ${shown(a.name)} and ${shown(b.name)} are both in site ${shown(a.site)}`, {
      expected: 'routers of two different sites',
      found: `[${a.name}, ${b.name}]`,
      hint: 'routers of one site are joined by iBGP over their LAN automatically; links are for VPNs between sites',
    });
    return undefined;
  }
  const defaultsIpsec: IpsecDoc = d.ipsec ?? {};
  return {
    index,
    id: l.id ?? -1,
    ends: [a.name, b.name],
    // A generated link's key is named by hub_mesh.psk_env_prefix: diagnostics point there.
    psk: generated ? { ...secretRef(l.ipsec.psk, []), path: ['hub_mesh', 'psk_env_prefix'] } : secretRef(l.ipsec.psk, at('ipsec', 'psk')),
    ipsec: ipsecSettings(l.ipsec, defaultsIpsec, at('ipsec'), DEFAULTS),
    mtu: l.gre?.mtu ?? d.gre?.mtu ?? DEFAULTS.greMtu,
    mtuPath: l.gre?.mtu !== undefined ? (generated ? ['hub_mesh', 'gre', 'mtu'] : [...path, 'gre', 'mtu']) : d.gre?.mtu !== undefined ? ['defaults', 'gre', 'mtu'] : path,
    path,
    ...(l.description !== undefined ? { description: l.description } : {}),
  };
}
