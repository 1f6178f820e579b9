// Address plan checks: every address inside its interface's subnet and usable
// as a host, no address used twice, no subnet of one site overlapping another's,
// next hops reachable. VyOS accepts most of these mistakes at commit time and
// then routes wrongly, so they are caught here.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { Topology } from '../../model/topology.js';
import { contains, isNetworkAddress, isUsableHost, overlaps, parsePrefix, type Prefix } from '../../net/ipv4.js';

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

function checkUniqueAddresses(t: Topology, diags: Diagnostics): void {
  const seen = new Map<string, Owned>();
  const claim = (address: string, owner: Owned): void => {
    const first = seen.get(address);
    if (!first) {
      seen.set(address, owner);
      return;
    }
    diags.error('duplicate-address', owner.path, `${address} (${owner.what}) is already used as ${first.what}`, {
      expected: 'each address on one interface of one router',
      found: address,
      hint: `change one of them; the other is at ${first.path.join('.')}`,
    });
  };
  for (const r of t.routers.values()) {
    claim(r.wan.prefix.address, { what: `WAN address of ${r.name}`, path: [...r.wan.path, 'address'] });
    if (r.lan) claim(r.lan.prefix.address, { what: `LAN address of ${r.name}`, path: [...r.lan.path, 'address'] });
    claim(r.loopback, { what: `loopback of ${r.name}`, path: [...r.path, 'loopback'] });
  }
  const publics = new Map<string, Owned>();
  for (const r of t.routers.values()) {
    if (r.wan.publicAddress === r.wan.prefix.address) continue;
    const first = publics.get(r.wan.publicAddress);
    if (first) {
      diags.error('duplicate-address', [...r.wan.path, 'public'], `public address ${r.wan.publicAddress} is also the public address of another router`, {
        expected: 'one public address per router (IPsec peers are told apart by it)',
        found: r.wan.publicAddress,
        hint: `the other one is at ${first.path.join('.')}`,
      });
    } else publics.set(r.wan.publicAddress, { what: `public address of ${r.name}`, path: [...r.wan.path, 'public'] });
  }
}

/** LAN subnets are shared inside a site; across sites, and against loopbacks and the pool, they must not overlap. */
function checkSubnetOverlaps(t: Topology, diags: Diagnostics): void {
  const nets: { prefix: Prefix; site: string; what: string; path: DocPath; isStatic?: true; moreSpecific?: true }[] = [];
  for (const s of t.sites) {
    const marked = new Set(s.moreSpecifics.map((m) => m.prefix.network));
    const lans = new Map<string, { prefix: Prefix; path: DocPath; router: string }>();
    for (const r of s.routers) if (r.lan) lans.set(r.lan.prefix.network, { prefix: r.lan.prefix, path: [...r.lan.path, 'address'], router: r.name });
    for (const [network, l] of lans) nets.push({ prefix: parsePrefix(network), site: s.name, what: `LAN of ${l.router}`, path: l.path, ...(marked.has(network) ? { moreSpecific: true as const } : {}) });
    for (const r of s.routers) nets.push({ prefix: parsePrefix(r.loopback), site: s.name, what: `loopback of ${r.name}`, path: [...r.path, 'loopback'] });
    for (const st of s.statics) nets.push({ prefix: st.prefix, site: s.name, what: `static network ${st.prefix.text}`, path: [...st.path, 'prefix'], isStatic: true });
  }
  nets.push({ prefix: t.tunnelPool, site: '', what: 'the tunnel pool', path: ['defaults', 'tunnel_pool'] });
  // Sorted sweep: overlap checks stay linear in the number of subnets.
  const sorted = [...nets].sort((a, b) => a.prefix.first - b.prefix.first || b.prefix.last - a.prefix.last);
  let widest: (typeof nets)[number] | undefined;
  for (const n of sorted) {
    // Two sites' static networks are announcements, checked with the
    // connected ones (announcements.ts); so is a LAN marked as a deliberate
    // more-specific of another site's static network.
    const announcement = widest?.isStatic === true && (n.isStatic === true || (n.moreSpecific === true && n.prefix.length > widest.prefix.length));
    if (widest && !announcement && overlaps(widest.prefix, n.prefix) && (widest.site !== n.site || widest.site === '')) {
      diags.error('overlapping-subnets', n.path, `${n.prefix.network} (${n.what}, ${n.site ? `site ${n.site}` : 'defaults'}) overlaps ${widest.prefix.network} (${widest.what}${widest.site ? `, site ${widest.site}` : ''})`, {
        expected: 'subnets of different sites, loopbacks and the tunnel pool that do not overlap',
        found: n.prefix.network,
        hint: 'BGP would announce the same addresses from two places; renumber one of them',
      });
    }
    if (!widest || n.prefix.last > widest.prefix.last) widest = n;
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
      const onInterface = s.routers.some((r) => [r.lan, r.wan].some((i) => i && i.prefix.network === c.prefix.network));
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
