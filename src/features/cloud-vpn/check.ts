// Checks for the cloud side of a site: VPN connection inside addresses (what
// AWS accepts), routing mode, VRRP on the LAN.
import type { Diagnostics } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { Topology } from '../../model/topology.js';
import type { Model } from '../feature.js';
import { AWS_VPN, DEFAULTS } from '../../model/defaults.js';
import { originatedBy } from '../sites/route-policy.js';
import { contains, isNetworkAddress, overlaps, parsePrefix, type Prefix } from '../../net/ipv4.js';
import { checkAwsReserved } from './aws-reserved.js';

const LINK_LOCAL = parsePrefix('169.254.0.0/16');
// AWS refuses these inside CIDRs (AWS's site-to-site VPN documentation).
const AWS_RESERVED = ['169.254.0.0/30', '169.254.1.0/30', '169.254.2.0/30', '169.254.3.0/30', '169.254.4.0/30', '169.254.5.0/30', '169.254.169.252/30'];

export function checkCloud(model: Model, diags: Diagnostics): void {
  const t = model.topology;
  checkVpnConnections(t, diags);
  checkRouteLimit(t, diags);
  checkVrrp(t, diags);
  checkAwsReserved(model, diags);
}

function checkVpnConnections(t: Topology, diags: Diagnostics): void {
  const insides: { prefix: Prefix; path: (string | number)[] }[] = [];
  for (const r of t.routers.values()) {
    const names = new Set<string>();
    const outsides = new Set<string>();
    for (const c of r.vpnConnections ?? []) {
      if (names.has(c.name)) diags.error('duplicate-connection', [...c.path, 'name'], `router ${r.name} has two VPN connections named ${shown(c.name)}`, { expected: 'connection names unique per router', found: shown(c.name) });
      names.add(c.name);
      if (c.mtuWritten && c.mtu > c.fitMtu) {
        const e = c.ipsec.esp;
        diags.warn('mtu-exceeds-path', [...c.path, 'mtu'], `VTI MTU ${c.mtu} does not fit a ${DEFAULTS.pathMtu}-byte path under ${e.encryption}/${e.hash} ESP${c.natT ? ' with NAT-T (UDP 4500)' : ''}: at most ${c.fitMtu} does`, {
          expected: `an MTU of at most ${c.fitMtu}, or leave it out (AWS's ${AWS_VPN.mtu})`,
          found: String(c.mtu),
          hint: 'the TCP MSS clamp follows the path whatever the MTU says',
        });
      }
      if (c.routing === 'static' && c.staticPrefixes.length === 0) {
        diags.error('static-without-prefixes', [...c.path, 'routing'], `connection ${c.name} uses static routing but names no prefixes`, { expected: 'static_prefixes: the networks behind the gateway', hint: 'or use routing: bgp' });
      }
      if (c.routing === 'bgp' && c.staticPrefixes.length > 0) {
        diags.error('prefixes-with-bgp', [...c.path, 'static_prefixes'], `connection ${c.name} learns its routes by BGP; static_prefixes would be ignored`, { expected: 'static_prefixes only with routing: static', at: 'key' });
      }
      for (const tn of c.tunnels) {
        const path = [...tn.path, 'inside'];
        if (outsides.has(tn.outside)) diags.error('duplicate-address', [...tn.path, 'outside'], `outside address ${tn.outside} is used by two tunnels of ${r.name}`, { expected: 'one tunnel per gateway address', found: tn.outside });
        outsides.add(tn.outside);
        if (tn.inside.length !== 30 || !contains(LINK_LOCAL, tn.inside.address) || !isNetworkAddress(tn.inside)) {
          diags.error('inside-cidr', path, `inside CIDR ${tn.inside.text} is not a /30 network in 169.254.0.0/16`, {
            expected: 'a /30 network address from 169.254.0.0/16, as the gateway\'s configuration gives it (e.g. 169.254.10.0/30)',
            found: tn.inside.text,
            ...(tn.inside.length === 30 && !isNetworkAddress(tn.inside) ? { hint: `did you mean ${tn.inside.network}?` } : {}),
          });
          continue;
        }
        if (AWS_RESERVED.includes(tn.inside.network)) {
          diags.error('inside-cidr-reserved', path, `AWS reserves ${tn.inside.network} and refuses it as a tunnel inside CIDR`, {
            expected: `a /30 in 169.254.0.0/16 other than ${AWS_RESERVED.join(', ')}`,
            found: tn.inside.network,
          });
          continue;
        }
        const clash = insides.find((i) => overlaps(i.prefix, tn.inside));
        if (clash) {
          diags.error('inside-cidr-overlap', path, `inside CIDR ${tn.inside.network} overlaps ${clash.prefix.network}`, { expected: 'distinct inside /30s for every tunnel', found: tn.inside.network, hint: `the other one is at ${clash.path.join('.')}` });
        } else insides.push({ prefix: tn.inside, path });
      }
    }
  }
}

function checkVrrp(t: Topology, diags: Diagnostics): void {
  for (const s of t.sites) {
    const v = s.vrrp;
    if (!v) continue;
    const actives = s.routers.filter((r) => r.role === 'active');
    if (actives.length !== 1) {
      diags.error('vrrp-one-active', v.path, `site ${s.name} has ${actives.length} active routers; VRRP would run ${actives.length === 0 ? 'without a master' : 'two masters with equal priorities'}`, {
        at: 'key',
        expected: 'exactly one router with role: active in a site with vrrp',
        found: `${actives.length} active`,
        hint: 'make the others role: standby',
      });
    }
    for (const r of s.routers) {
      if (!r.lan) {
        diags.error('vrrp-needs-lan', r.path, `router ${r.name} has no lan for VRRP`, { at: 'key', expected: 'a lan interface on every router of a site with vrrp' });
        continue;
      }
      if (!contains(r.lan.prefix, v.address.address) || r.lan.prefix.length !== v.address.length) {
        diags.error('vrrp-address-outside-lan', [...v.path, 'address'], `virtual address ${v.address.text} is not on ${r.name}'s LAN ${r.lan.prefix.network}`, {
          expected: `an address in ${r.lan.prefix.network} with prefix length /${r.lan.prefix.length}`,
          found: v.address.text,
        });
      } else if (r.lan.prefix.address === v.address.address) {
        diags.error('vrrp-address-taken', [...v.path, 'address'], `virtual address ${v.address.address} is ${r.name}'s own LAN address`, {
          expected: 'a free address of the LAN, moved between the routers',
          found: v.address.text,
        });
      }
    }
  }
}

/** AWS accepts at most AWS_VPN.maxPrefix routes from a customer gateway and drops the session beyond. */
function checkRouteLimit(t: Topology, diags: Diagnostics): void {
  const sites = new Map(t.sites.map((s) => [s.name, s]));
  for (const r of t.routers.values()) {
    const c = (r.vpnConnections ?? []).find((x) => x.routing === 'bgp');
    if (!c) continue;
    const announced = originatedBy(sites.get(r.site)!, sites).length;
    if (announced <= AWS_VPN.maxPrefix) continue;
    diags.warn('aws-route-limit', [...c.path, 'name'], `router ${r.name} announces ${announced} networks to ${c.name}; AWS accepts at most ${AWS_VPN.maxPrefix} from a customer gateway`, {
      expected: `at most ${AWS_VPN.maxPrefix} networks announced over a VPN connection`,
      found: String(announced),
      hint: 'summarise the site\'s networks into fewer, larger prefixes',
    });
  }
}
