// Address plan checks: every address inside its interface's subnet and usable
// as a host, no address used twice, no subnet of one site overlapping another's,
// next hops reachable. VyOS accepts most of these mistakes at commit time and
// then routes wrongly, so they are caught here.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { Router, StaticNetwork, Topology } from '../../model/topology.js';
import { contains, isNetworkAddress, isUsableHost, toDotted, toNumber, type Prefix } from '../../net/ipv4.js';

interface Owned {
  what: string;
  path: DocPath;
}

export function checkAddresses(t: Topology, diags: Diagnostics): void {
  checkInterfaces(t, diags);
  checkUniqueAddresses(t, diags);
  checkSubnetOverlaps(t, diags);
  checkNetworks(t, diags);
}

function checkInterfaces(t: Topology, diags: Diagnostics): void {
  for (const r of t.routers.values()) {
    for (const iface of [r.wan, r.lan]) {
      if (!iface) continue;
      if (iface.prefix.length === 32) continue;
      if (!isUsableHost(iface.prefix)) {
        const which = isNetworkAddress(iface.prefix) ? 'network' : 'broadcast';
        diags.error('address-not-host', [...iface.path, 'address'], `${iface.prefix.text} is the ${which} address of its subnet, not a host address`, {
          expected: `a host address inside ${iface.prefix.network}`,
          found: iface.prefix.text,
          hint: 'write the router\'s own address with the subnet\'s prefix length, e.g. 10.0.1.2/24',
        });
      }
    }
    if (r.lan && r.lan.name === r.wan.name) {
      diags.error('interface-reused', [...r.lan.path, 'interface'], `${r.lan.name} is both the WAN and the LAN interface of ${shown(r.name)}`, {
        expected: 'two different interfaces',
        found: r.lan.name,
      });
    }
    if (r.wan.gateway !== undefined && !contains(r.wan.prefix, r.wan.gateway)) {
      diags.error('gateway-outside-subnet', [...r.wan.path, 'gateway'], `gateway ${r.wan.gateway} is not in the WAN subnet ${r.wan.prefix.network}`, {
        expected: `an address inside ${r.wan.prefix.network}`,
        found: r.wan.gateway,
        hint: 'the default gateway must be reachable on the WAN interface',
      });
    }
  }
}

// What uses an address or a subnet is said only when it collides: a valid
// topology builds no message and no path for these checks.
type Use = 'wan' | 'lan' | 'loopback' | 'public';

function owner(r: Router, use: Use): Owned {
  switch (use) {
    case 'wan':
      return { what: `WAN address of ${r.name}`, path: [...r.wan.path, 'address'] };
    case 'lan':
      return { what: `LAN address of ${r.name}`, path: [...r.lan!.path, 'address'] };
    case 'loopback':
      return { what: `loopback of ${r.name}`, path: [...r.path, 'loopback'] };
    case 'public':
      return { what: `public address of ${r.name}`, path: [...r.wan.path, 'public'] };
  }
}

function checkUniqueAddresses(t: Topology, diags: Diagnostics): void {
  const seen = new Map<string, { r: Router; use: Use }>();
  const claim = (address: string, r: Router, use: Use): void => {
    const first = seen.get(address);
    if (!first) {
      seen.set(address, { r, use });
      return;
    }
    const [o, f] = [owner(r, use), owner(first.r, first.use)];
    diags.error('duplicate-address', o.path, `${address} (${o.what}) is already used as ${f.what}`, {
      expected: 'each address on one interface of one router',
      found: address,
      hint: `change one of them; the other is at ${f.path.join('.')}`,
    });
  };
  for (const r of t.routers.values()) {
    claim(r.wan.prefix.address, r, 'wan');
    if (r.lan) claim(r.lan.prefix.address, r, 'lan');
    claim(r.loopback, r, 'loopback');
  }
  const publics = new Map<string, Router>();
  for (const r of t.routers.values()) {
    if (r.wan.publicAddress === r.wan.prefix.address) continue;
    const first = publics.get(r.wan.publicAddress);
    if (first) {
      diags.error('duplicate-address', [...r.wan.path, 'public'], `public address ${r.wan.publicAddress} is also the public address of another router`, {
        expected: 'one public address per router (IPsec peers are told apart by it)',
        found: r.wan.publicAddress,
        hint: `the other one is at ${owner(first, 'public').path.join('.')}`,
      });
    } else publics.set(r.wan.publicAddress, r);
  }
}

/** One subnet of the overlap sweep; what it is and where, built only for a finding. */
interface Net {
  first: number;
  last: number;
  length: number;
  site: string;
  /** The LAN's or the loopback's router; the static network; undefined for the tunnel pool. */
  router?: Router;
  use?: 'lan' | 'loopback';
  static?: StaticNetwork;
  moreSpecific?: true;
}

function described(n: Net, pool: Prefix): { network: string; what: string; path: DocPath } {
  if (n.static) return { network: n.static.prefix.network, what: `static network ${n.static.prefix.text}`, path: [...n.static.path, 'prefix'] };
  if (n.use === 'lan') return { network: n.router!.lan!.prefix.network, what: `LAN of ${n.router!.name}`, path: [...n.router!.lan!.path, 'address'] };
  if (n.use === 'loopback') return { network: `${toDotted(n.first)}/32`, ...owner(n.router!, 'loopback') };
  return { network: pool.network, what: 'the tunnel pool', path: ['defaults', 'tunnel_pool'] };
}

/** LAN subnets are shared inside a site; across sites, and against loopbacks and the pool, they must not overlap. */
function checkSubnetOverlaps(t: Topology, diags: Diagnostics): void {
  const nets: Net[] = [];
  for (const s of t.sites) {
    const marked = new Set(s.moreSpecifics.map((m) => m.prefix.network));
    // A LAN shared by the site's routers counts once, named after the last of them (in name order).
    const lans = new Map<string, Router>();
    for (const r of s.routers) if (r.lan) lans.set(r.lan.prefix.network, r);
    for (const [network, r] of lans) {
      const p = r.lan!.prefix;
      nets.push({ first: p.first, last: p.last, length: p.length, site: s.name, router: r, use: 'lan', ...(marked.has(network) ? { moreSpecific: true as const } : {}) });
    }
    for (const r of s.routers) {
      const n = toNumber(r.loopback);
      nets.push({ first: n, last: n, length: 32, site: s.name, router: r, use: 'loopback' });
    }
    for (const st of s.statics) nets.push({ first: st.prefix.first, last: st.prefix.last, length: st.prefix.length, site: s.name, static: st });
  }
  const pool = t.tunnelPool;
  nets.push({ first: pool.first, last: pool.last, length: pool.length, site: '' });
  // Sorted sweep: overlap checks stay linear in the number of subnets.
  const sorted = nets.sort((a, b) => a.first - b.first || b.last - a.last);
  let widest: Net | undefined;
  for (const n of sorted) {
    // Two sites' static networks are announcements, checked with the
    // connected ones (announcements.ts); so is a LAN marked as a deliberate
    // more-specific of another site's static network.
    const announcement = widest?.static !== undefined && (n.static !== undefined || (n.moreSpecific === true && n.length > widest.length));
    if (widest && !announcement && widest.first <= n.last && n.first <= widest.last && (widest.site !== n.site || widest.site === '')) {
      const [a, b] = [described(n, pool), described(widest, pool)];
      diags.error('overlapping-subnets', a.path, `${a.network} (${a.what}, ${n.site ? `site ${n.site}` : 'defaults'}) overlaps ${b.network} (${b.what}${widest.site ? `, site ${widest.site}` : ''})`, {
        expected: 'subnets of different sites, loopbacks and the tunnel pool that do not overlap',
        found: a.network,
        hint: 'BGP would announce the same addresses from two places; renumber one of them',
      });
    }
    if (!widest || n.last > widest.last) widest = n;
  }
}

function checkNetworks(t: Topology, diags: Diagnostics): void {
  for (const s of t.sites) {
    for (const c of s.connected) {
      if (!isNetworkAddress(c.prefix)) {
        diags.error('not-a-network', c.path, `${c.prefix.text} has host bits set`, {
          expected: 'a network address (VyOS refuses host bits in a BGP network statement)',
          found: c.prefix.text,
          hint: `did you mean ${c.prefix.network}?`,
        });
        continue;
      }
      const onInterface = s.routers.some((r) => r.lan?.prefix.network === c.prefix.network || r.wan.prefix.network === c.prefix.network);
      if (!onInterface) {
        diags.warn('connected-not-on-router', c.path, `${c.prefix.network} is not the subnet of any interface of site ${shown(s.name)}`, {
          expected: 'a subnet configured on the LAN or WAN of the site\'s routers',
          found: c.prefix.network,
          hint: 'BGP announces a network statement only while the route exists; use networks.static for subnets behind the site',
        });
      }
    }
    for (const st of s.statics) {
      if (!isNetworkAddress(st.prefix)) {
        diags.error('not-a-network', [...st.path, 'prefix'], `${st.prefix.text} has host bits set`, {
          expected: 'a network address (VyOS refuses host bits in a static route)',
          found: st.prefix.text,
          hint: `did you mean ${st.prefix.network}?`,
        });
      }
      for (const r of s.routers) {
        if ((r.lan && contains(r.lan.prefix, st.via)) || contains(r.wan.prefix, st.via)) continue;
        diags.error('next-hop-unreachable', [...st.path, 'via'], `next hop ${st.via} is not on a subnet of router ${shown(r.name)}`, {
          expected: `an address inside ${[r.lan?.prefix.network, r.wan.prefix.network].filter(Boolean).join(' or ')}`,
          found: st.via,
          hint: 'every router of the site installs this static route; its next hop must be on their LAN',
        });
      }
    }
  }
}
