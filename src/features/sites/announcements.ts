// Networks announced by two sites: BGP would send part of one site's traffic
// to the other. Two CIDR prefixes are either nested or disjoint, so after a
// sort by first address (shorter prefix first) the prefixes still open on a
// stack are exactly those that contain the current one: one pass, no pairs.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { Topology } from '../../model/topology.js';
import type { Prefix } from '../../net/ipv4.js';
import { subPath } from '../../diagnostics.js';

interface Announced {
  prefix: Prefix;
  site: string;
  path: DocPath;
  /** Listed in the site's networks.more_specifics. */
  deliberate: boolean;
}

export function checkAnnouncements(t: Topology, diags: Diagnostics): void {
  const announced: Announced[] = [];
  for (const s of t.sites) {
    const marked = new Map(s.moreSpecifics.map((m) => [m.prefix.network, m]));
    const own = [...s.connected.map((c) => ({ prefix: c.prefix, path: c.path })), ...s.statics.map((st) => ({ prefix: st.prefix, path: subPath(st.path, 'prefix') }))];
    const networks = new Set(own.map((o) => o.prefix.network));
    for (const m of s.moreSpecifics) {
      if (networks.has(m.prefix.network)) continue;
      diags.error('more-specific-not-announced', m.path, `${m.prefix.text} is not announced by site ${shown(s.name)}`, {
        expected: 'one of the prefixes under this site\'s networks.connected or networks.static',
        found: m.prefix.text,
        hint: 'more_specifics only marks prefixes the site already announces; add it to connected or static, or remove it',
      });
    }
    for (const o of own) announced.push({ ...o, site: s.name, deliberate: marked.has(o.prefix.network) });
  }
  announced.sort((a, b) => a.prefix.first - b.prefix.first || a.prefix.length - b.prefix.length);
  const open: Announced[] = [];
  const usedMarks = new Set<Announced>();
  for (const cur of announced) {
    while (open.length > 0 && open[open.length - 1]!.prefix.last < cur.prefix.first) open.pop();
    // The nearest containing prefix of another site says it all; the ones
    // further out contain that one too.
    let outer: Announced | undefined;
    for (let i = open.length - 1; i >= 0 && outer === undefined; i--) if (open[i]!.site !== cur.site) outer = open[i];
    if (outer) report(cur, outer, diags, usedMarks);
    open.push(cur);
  }
  const markKey = (site: string, network: string) => `${site}\0${network}`;
  const deliberate = new Map<string, Announced>();
  for (const x of announced) if (x.deliberate && !deliberate.has(markKey(x.site, x.prefix.network))) deliberate.set(markKey(x.site, x.prefix.network), x);
  for (const s of t.sites) {
    for (const m of s.moreSpecifics) {
      const a = deliberate.get(markKey(s.name, m.prefix.network));
      if (a === undefined || usedMarks.has(a)) continue;
      diags.warn('more-specific-of-nothing', m.path, `${m.prefix.text} is inside no network another site announces`, {
        expected: 'a prefix inside another site\'s connected or static network',
        found: m.prefix.text,
        hint: 'remove it from more_specifics: an overlap that appears later should be an error until it is checked',
      });
    }
  }
}

function report(inner: Announced, outer: Announced, diags: Diagnostics, usedMarks: Set<Announced>): void {
  const where = `${outer.prefix.network} of site ${shown(outer.site)}`;
  if (inner.prefix.length > outer.prefix.length && inner.deliberate) {
    usedMarks.add(inner);
    diags.warn('announced-more-specific', inner.path, `${inner.prefix.network} of site ${shown(inner.site)} is a more-specific of ${where}`, {
      expected: 'announced networks that do not overlap between sites',
      found: `${inner.prefix.network} inside ${outer.prefix.network}`,
      hint: `BGP sends traffic for ${inner.prefix.network} to site ${inner.site} and the rest of ${outer.prefix.network} to site ${outer.site} (listed in more_specifics)`,
    });
    return;
  }
  const same = inner.prefix.length === outer.prefix.length;
  // A marked prefix that only overlaps by being equal is answered here, not as "inside nothing".
  for (const a of [inner, outer]) if (a.deliberate) usedMarks.add(a);
  diags.error('announced-overlap', inner.path, same ? `${inner.prefix.network} is announced by sites ${shown(outer.site)} and ${shown(inner.site)}` : `${inner.prefix.network} of site ${shown(inner.site)} lies inside ${where}`, {
    expected: 'announced networks that do not overlap between sites',
    found: same ? `${inner.prefix.network} twice` : `${inner.prefix.network} inside ${outer.prefix.network}`,
    hint: same
      ? 'one site owns each network: remove it from one of them'
      : `if site ${inner.site} holds ${inner.prefix.network} on purpose, list it under sites.${inner.site}.networks.more_specifics; otherwise fix the prefix`,
  });
}
