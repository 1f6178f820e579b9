// The `firewall` section -> roles with their prefixes, numbered rules and
// shapers. Names are resolved here (roles, sites), so a typo is reported at the
// line that wrote it, with a "did you mean".
import { shown, type Diagnostics, type DocPath, subPath } from '../../diagnostics.js';
import { familyOf, parseIp, type IpPrefix } from '../../net/ip.js';
import { parsePrefix, type Prefix } from '../../net/ipv4.js';
import type { DualStack } from '../dual-stack/model.js';
import { suggest, Suggester } from '../../suggest.js';
import type { Site } from '../../model/topology.js';
import type { Model } from '../feature.js';
import type { FirewallDoc, FirewallModel, FirewallRule, FwRole, RoleNetworkDoc, Shaper } from './model.js';

/** Rules 1-99 of a chain are vygen's (state); the role defaults start at ROLE_DEFAULTS_FIRST. */
export const FIRST_RULE = 100;
export const RULE_STEP = 10;
export const LAST_RULE = 8999;
export const ROLE_DEFAULTS_FIRST = 9000;

export function normalizeFirewall(doc: FirewallDoc, model: Model, diags: Diagnostics): FirewallModel {
  const path: DocPath = ['firewall'];
  const sites = new Map(model.topology.sites.map((s) => [s.name, s]));
  // Bounded: a file naming thousands of unknown sites among thousands must not cost their product.
  const siteNames = new Suggester(() => [...sites.keys()]);
  // By name, not as written: the order of a map's keys changes nothing (a role's default rules are numbered by its place).
  const roles: FwRole[] = Object.entries(doc.roles ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, entries], index) => normalizeRole(name, index, entries, ['firewall', 'roles', name], sites, siteNames, model.dualStack, diags));
  const roleNames = roles.map((r) => r.name);
  const known = (name: string, at: DocPath): boolean => {
    if (roleNames.includes(name)) return true;
    const guess = suggest(name, roleNames);
    diags.error('unknown-role', at, `unknown role ${shown(name)}`, {
      expected: 'a role defined under firewall.roles',
      found: shown(name),
      hint: guess ? `did you mean ${shown(guess)}?` : roleNames.length ? `defined roles: ${roleNames.slice(0, 10).join(', ')}` : 'define the role under firewall.roles',
    });
    return false;
  };
  const management = doc.management !== undefined && known(doc.management, ['firewall', 'management']) ? doc.management : undefined;
  const rules: FirewallRule[] = [];
  let previous = FIRST_RULE - RULE_STEP;
  (doc.rules ?? []).forEach((r, i) => {
    const at: DocPath = ['firewall', 'rules', i];
    const number = r.number ?? previous + RULE_STEP;
    if (r.number !== undefined && r.number <= previous) {
      diags.error('firewall-rule-order', subPath(at, 'number'), `rule number ${r.number} is not above the rule before it (${previous})`, {
        expected: `a number above ${previous}: rules are matched in the order they are written`,
        found: String(r.number),
        hint: 'number the rules in increasing order, or leave number out (10 after the rule before)',
      });
    } else if (number > LAST_RULE) {
      diags.error('firewall-rule-order', r.number !== undefined ? subPath(at, 'number') : at, `rule number ${number} is above ${LAST_RULE}`, {
        expected: `rule numbers ${FIRST_RULE}-${LAST_RULE} (${ROLE_DEFAULTS_FIRST} and above hold each role's default)`,
        found: String(number),
      });
    }
    previous = Math.max(previous, number);
    const fromOk = known(r.from, subPath(at, 'from'));
    const toOk = known(r.to, subPath(at, 'to'));
    const ports = (r.ports ?? []).map((p) => String(p));
    const protocol = r.protocol ?? (ports.length ? 'tcp' : 'any');
    if (ports.length && (protocol === 'icmp' || protocol === 'any')) {
      diags.error('firewall-ports-without-protocol', subPath(at, 'protocol'), `ports with protocol ${protocol}`, {
        expected: 'protocol tcp, udp or tcp_udp with ports',
        found: protocol,
      });
    }
    const seen: [number, number, string][] = [];
    ports.forEach((p, j) => {
      const [lo, hi] = p.split('-').map(Number) as [number, number | undefined];
      if (lo < 1 || lo > 65535 || (hi !== undefined && (hi > 65535 || hi <= lo))) {
        diags.error('firewall-port', subPath(at, 'ports', j), `port ${shown(p)} is not a port or an increasing range`, { expected: 'a port 1-65535 or a range LOW-HIGH with LOW < HIGH', found: shown(p) });
        return;
      }
      // 1.4+ writes the ports as one nftables set, which refuses overlapping elements.
      const other = seen.find(([a, b]) => a <= (hi ?? lo) && lo <= b);
      if (other) diags.error('firewall-port', subPath(at, 'ports', j), `port ${shown(p)} overlaps ${shown(other[2])} of the same rule`, { expected: 'each port in one element of the list', found: shown(p) });
      seen.push([lo, hi ?? lo, p]);
    });
    if (fromOk && toOk) {
      rules.push({ number, from: r.from, to: r.to, protocol, ports, action: r.action ?? 'accept', path: at, ...(r.description !== undefined ? { description: r.description } : {}) });
    }
  });
  const shapers: Shaper[] = (doc.shapers ?? []).map((s, i) => {
    const at: DocPath = ['firewall', 'shapers', i];
    return {
      name: `SHAPE-${s.router}-${s.interface}`.replace(/[^-_A-Za-z0-9]/g, '-').toUpperCase(),
      router: s.router,
      interface: s.interface,
      bandwidth: s.bandwidth,
      ...(s.description !== undefined ? { description: s.description } : {}),
      defaultClass: { bandwidth: s.default.bandwidth, ...(s.default.ceiling !== undefined ? { ceiling: s.default.ceiling } : {}) },
      classes: (s.classes ?? []).flatMap((c, j) => {
        const cat: DocPath = subPath(at, 'classes', j);
        if (c.role !== undefined && !known(c.role, subPath(cat, 'role'))) return [];
        if (c.role === undefined && c.protocol === undefined && !c.ports?.length) {
          diags.error('shaper-class-empty', cat, 'a shaper class that matches nothing', { expected: 'a role, a protocol or ports', hint: 'traffic no class matches goes to default' });
          return [];
        }
        return [{
          id: j + 10,
          ...(c.role !== undefined ? { role: c.role } : {}),
          ...(c.protocol !== undefined ? { protocol: c.protocol } : c.ports?.length ? { protocol: 'tcp' } : {}),
          ports: c.ports ?? [],
          bandwidth: c.bandwidth,
          ...(c.ceiling !== undefined ? { ceiling: c.ceiling } : {}),
          ...(c.priority !== undefined ? { priority: c.priority } : {}),
          ...(c.description !== undefined ? { description: c.description } : {}),
          path: cat,
        }];
      }),
      path: at,
    };
  });
  return {
    roles,
    rules,
    ...(management !== undefined ? { management } : {}),
    protection: { log: doc.protection?.log ?? false, icmpRate: doc.protection?.icmp_rate ?? 10, except: new Set(doc.protection?.except ?? []) },
    shapers,
    path,
  };
}

function normalizeRole(name: string, index: number, entries: RoleNetworkDoc[], path: DocPath, sites: ReadonlyMap<string, Site>, siteNames: Suggester, dual: DualStack | undefined, diags: Diagnostics): FwRole {
  const found: { prefix: Prefix; path: DocPath }[] = [];
  const found6: { prefix: IpPrefix; path: DocPath }[] = [];
  entries.forEach((e, i) => {
    const at: DocPath = subPath(path, i);
    if (typeof e === 'string') {
      if (familyOf(e) === 6) found6.push({ prefix: parseIp(e), path: at });
      else found.push({ prefix: parsePrefix(e), path: at });
      return;
    }
    const site = sites.get(e.site);
    if (!site) {
      const guess = siteNames.suggest(e.site);
      diags.error('unknown-site', subPath(at, 'site'), `unknown site ${shown(e.site)}`, {
        expected: 'a site defined under sites',
        found: shown(e.site),
        hint: guess ? `did you mean ${shown(guess)}?` : `defined sites: ${siteNames.listed()}`,
      });
      return;
    }
    const which = e.networks;
    const nets =
      which === 'lan'
        ? site.routers.flatMap((r) => (r.lan ? [r.lan.prefix] : []))
        : [...(which !== 'static' ? site.connected.map((c) => c.prefix) : []), ...(which !== 'connected' ? site.statics.map((s) => s.prefix) : [])];
    // A dual-stack site's IPv6 networks are the same networks in the other family: the role holds both.
    const site6 = dual?.sites.get(site.name);
    const nets6 =
      which === 'lan'
        ? site.routers.flatMap((r) => { const lan = dual?.routers.get(r.name)?.lan; return lan ? [lan.prefix] : []; })
        : [...(which !== 'static' ? (site6?.connected ?? []).map((c) => c.prefix) : []), ...(which !== 'connected' ? (site6?.statics ?? []).map((s) => s.prefix) : [])];
    for (const p of nets6) found6.push({ prefix: parseIp(p.network), path: at });
    if (nets.length === 0 && nets6.length === 0) {
      diags.error('role-site-without-networks', at, `site ${shown(e.site)} has no ${which ?? ''}${which ? ' ' : ''}networks`, {
        expected: which === 'lan' ? 'a site whose routers have a lan' : 'a site with networks.connected or networks.static',
        hint: 'add the networks to the site, or write the prefixes in the role',
      });
    }
    for (const p of nets) found.push({ prefix: parsePrefix(p.network), path: at });
  });
  // A prefix inside another of the same role adds nothing (and nftables refuses overlapping set elements).
  const networks = found.filter((n, i) => !found.some((m, j) => j !== i && m.prefix.first <= n.prefix.first && n.prefix.last <= m.prefix.last && (m.prefix.length < n.prefix.length || j < i)));
  const networks6 = found6.filter((n, i) => !found6.some((m, j) => j !== i && m.prefix.first <= n.prefix.first && n.prefix.last <= m.prefix.last && (m.prefix.length < n.prefix.length || j < i)));
  return { name, index, networks: networks.map((n) => ({ prefix: parsePrefix(n.prefix.network), path: n.path })), networks6, path };
}
