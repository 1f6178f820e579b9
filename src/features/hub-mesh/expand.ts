// The multi-region hub design multi-region hub from a short description: a hub site per
// region, hubs meshed across regions, spokes dual-homed to their region's hub
// routers. The links are generated with pinned ids: region k owns the block
// [first + k*per, first + (k+1)*per), hub-to-hub links to earlier regions
// first, then spokes in list order, so appending a region or a spoke never
// renumbers an existing tunnel.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { HubMeshDoc, LinkDoc } from '../../model/document.js';
import type { Router, Site } from '../../model/topology.js';
import { suggesterFor } from '../../suggest.js';
import { DEFAULTS } from '../../model/defaults.js';
import { MAX_LINKS } from '../../schema/size.js';
import { subPath } from '../../diagnostics.js';

export interface GeneratedLink {
  doc: LinkDoc;
  path: DocPath;
}

export interface HubMeshLinks {
  links: GeneratedLink[];
  reserved: { first: number; last: number }[];
}

export function expandHubMesh(m: HubMeshDoc | undefined, sites: readonly Site[], diags: Diagnostics): HubMeshLinks {
  const out: HubMeshLinks = { links: [], reserved: [] };
  if (!m) return out;
  const byName = new Map(sites.map((s) => [s.name, s]));
  const first = m.first_link_id ?? DEFAULTS.hubMesh.firstLinkId;
  const per = m.links_per_region ?? DEFAULTS.hubMesh.linksPerRegion;
  const suggester = suggesterFor(byName);
  const site = (name: string, path: DocPath): Site | undefined => {
    const s = byName.get(name);
    if (!s && diags.full) diags.error('unknown-site', path, 'unknown site');
    else if (!s) {
      const guess = suggester.suggest(name);
      diags.error('unknown-site', path, `unknown site ${shown(name)}`, {
        expected: 'the name of a site defined under sites',
        found: shown(name),
        hint: guess ? `did you mean ${shown(guess)}?` : `defined sites: ${suggester.listed()}`,
      });
    }
    return s;
  };
  const ordered = (s: Site): Router[] => [...s.routers].sort((a, b) => (a.role === b.role ? (a.name < b.name ? -1 : 1) : a.role === 'active' ? -1 : 1));
  const hubs: (Site | undefined)[] = [];
  const seen = new Map<string, DocPath>();
  const envs = new Map<string, string>();
  let capped = false;
  m.regions.forEach((region, k) => {
    const regionPath = ['hub_mesh', 'regions', k];
    const base = first + k * per;
    out.reserved.push({ first: base, last: base + per - 1 });
    let n = 0;
    const add = (a: Router, b: Router, path: DocPath) => {
      if (out.links.length >= MAX_LINKS) {
        if (!capped) {
          capped = true;
          diags.error('topology-too-large', ['hub_mesh'], `the hub mesh generates more than ${MAX_LINKS.toLocaleString('en')} links`, {
            at: 'key',
            expected: `at most ${MAX_LINKS.toLocaleString('en')} links`,
            hint: 'split the network into several topologies, each rendered on its own',
          });
        }
        n++;
        return;
      }
      if (n < per) {
        const env = `${m.psk_env_prefix}_${a.name}_${b.name}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
        // xx-yy<->zz and xx<->yy-zz both read P_XX_YY_ZZ: two links would share one key unasked.
        const other = envs.get(env);
        if (other) {
          diags.error('hub-mesh-psk-collision', path, `the link ${shown(a.name)}<->${shown(b.name)} would read its key from ${env}, as ${other} does`, {
            expected: 'one environment variable per generated link',
            found: env,
            hint: 'rename one of the routers (the variable is the prefix and both router names, upper-cased, with every other character as _)',
          });
        } else envs.set(env, `${a.name}<->${b.name}`);
        out.links.push({ doc: { between: [a.name, b.name], id: base + n, ipsec: { psk: { env } }, ...(m.gre ? { gre: m.gre } : {}) }, path });
      } else if (n === per) {
        diags.error('hub-mesh-region-full', regionPath, `region ${k} needs more than ${per} links`, {
          expected: `at most links_per_region (${per}) links per region`,
          found: 'more links than that',
          hint: 'raise hub_mesh.links_per_region (it renumbers later regions: do it before the mesh is deployed)',
        });
      }
      n++;
    };
    const claim = (name: string, path: DocPath): boolean => {
      const earlier = seen.get(name);
      if (earlier) {
        diags.error('hub-mesh-duplicate-site', path, `site ${shown(name)} appears twice in the hub mesh`, { expected: 'each site once, as a hub or as one region\'s spoke', found: shown(name), hint: `it is already at ${earlier.join('.')}` });
        return false;
      }
      seen.set(name, path);
      return true;
    };
    const hub = claim(region.hub, subPath(regionPath, 'hub')) ? site(region.hub, subPath(regionPath, 'hub')) : undefined;
    hubs.push(hub);
    if (!hub) return;
    const hubRouters = ordered(hub);
    // Once the region is full (or the mesh too large), the rest only counts: stop.
    const full = () => n > per || capped;
    hubs.slice(0, k).forEach((other) => {
      if (!other || full()) return;
      const otherRouters = ordered(other);
      // A site left without routers (its only router is a duplicate-router error) links nothing (found by the fuzzer).
      if (otherRouters.length === 0 || hubRouters.length === 0) return;
      for (let i = 0; i < Math.max(otherRouters.length, hubRouters.length) && !full(); i++) {
        add(otherRouters[Math.min(i, otherRouters.length - 1)]!, hubRouters[Math.min(i, hubRouters.length - 1)]!, subPath(regionPath, 'hub'));
      }
    });
    hub.transit ??= { originates: [], fullTableTo: [] };
    (region.spokes ?? []).forEach((name, j) => {
      const path = subPath(regionPath, 'spokes', j);
      const spoke = claim(name, path) ? site(name, path) : undefined;
      if (!spoke) return;
      hub.transit!.originates.push(spoke.name);
      hub.transit!.fullTableTo.push(spoke.name);
      if (full()) return;
      for (const sr of ordered(spoke)) for (const hr of hubRouters) if (!full()) add(hr, sr, path);
    });
  });
  return out;
}
