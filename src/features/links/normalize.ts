// Links between routers of different sites: the written ones, then those other
// features generated (hub mesh), each resolved to its two routers, its IPsec
// settings and its GRE MTU; then numbered and given an inner /30.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { LinkDoc, TopologyDoc } from '../../model/document.js';
import type { Link, Router } from '../../model/topology.js';
import { secretRef } from '../../secrets/ref.js';
import { suggesterFor } from '../../suggest.js';
import { DEFAULTS } from '../../model/defaults.js';
import type { Model } from '../feature.js';
import { allocateLinks } from './allocate.js';
import { ipsecSettings, NO_IPSEC_DEFAULTS } from './ipsec-settings.js';
import { fittingMtu, GRE_OVERHEAD } from '../../net/esp.js';
import { subPath } from '../../diagnostics.js';

export function normalizeLinks(doc: TopologyDoc, model: Model, diags: Diagnostics): void {
  const d = doc.defaults ?? {};
  const { topology } = model;
  const written = (doc.links ?? []).map((l, index) => ({ doc: l, path: ['links', index] as DocPath }));
  const links: Link[] = [];
  [...written, ...model.generatedLinks].forEach(({ doc: l, path }, index) => {
    const link = normalizeLink(l, index, path, d, topology.routers, diags);
    if (link) links.push(link);
  });
  allocateLinks(links, topology.tunnelPool, model.reservedLinkIds, diags);
  topology.links = links;
}

function normalizeLink(l: LinkDoc, index: number, path: DocPath, d: TopologyDoc['defaults'] & object, routers: ReadonlyMap<string, Router>, diags: Diagnostics): Link | undefined {
  // Generated links (hub mesh) point at the place that generated them.
  const generated = path[0] !== 'links';
  const at = (...rest: (string | number)[]) => (generated ? path : subPath(path, ...rest));
  let ok = true;
  l.between.forEach((name, i) => {
    if (routers.has(name)) return;
    ok = false;
    if (diags.full) return diags.error('unknown-router', at('between', i), 'unknown router');
    const suggester = suggesterFor(routers);
    const guess = suggester.suggest(name);
    diags.error('unknown-router', at('between', i), `unknown router ${shown(name)}`, {
      expected: 'the name of a router defined under sites.<site>.routers',
      found: shown(name),
      hint: guess ? `did you mean ${shown(guess)}?` : `defined routers: ${suggester.listed()}`,
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
  const ipsec = ipsecSettings(l.ipsec, d.ipsec ?? NO_IPSEC_DEFAULTS, at('ipsec'), DEFAULTS);
  const natT = [a, b].some((r) => r.wan.publicAddress !== r.wan.prefix.address);
  const fitMtu = fittingMtu(DEFAULTS.pathMtu, GRE_OVERHEAD, { encryption: ipsec.esp.encryption, hash: ipsec.esp.hash, natT });
  const written = l.gre?.mtu ?? d.gre?.mtu;
  return {
    index,
    id: l.id ?? -1,
    ends: [a.name, b.name],
    // A generated link's key is named by hub_mesh.psk_env_prefix: diagnostics point there.
    psk: generated ? { ...secretRef(l.ipsec.psk, []), path: ['hub_mesh', 'psk_env_prefix'] } : secretRef(l.ipsec.psk, at('ipsec', 'psk')),
    ipsec,
    // Unless written, the MTU is the largest that fits the path: no fragments, no reliance on PMTUD.
    mtu: written ?? fitMtu,
    fitMtu,
    natT,
    mtuPath: l.gre?.mtu !== undefined ? (generated ? ['hub_mesh', 'gre', 'mtu'] : subPath(path, 'gre', 'mtu')) : d.gre?.mtu !== undefined ? ['defaults', 'gre', 'mtu'] : path,
    path,
    ...(l.description !== undefined ? { description: l.description } : {}),
  };
}
