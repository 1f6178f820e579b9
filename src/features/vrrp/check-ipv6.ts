// The IPv6 group of a site's VRRP (vrrp.ipv6): its address must be a host of
// every router's IPv6 LAN with the LAN's prefix length and no router's own
// address, every router needs an IPv6 LAN address to send from, and its VRID
// is not the IPv4 group's (VyOS 1.3 refuses one VRID twice on an interface;
// vygen keeps VRIDs unique per segment on every release).
import type { Diagnostics } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { Topology } from '../../model/topology.js';
import { containsIp, isLinkLocal6, isUsableHostIp, reservedUse } from '../../net/ip.js';
import type { DualStack } from '../dual-stack/model.js';

export function checkVrrp6(t: Topology, d: DualStack, diags: Diagnostics): void {
  for (const site of t.sites) {
    const v = site.vrrp;
    const v6 = v?.ipv6;
    if (!v || !v6) continue;
    const at = [...v6.path, 'address'];
    const vip = v6.address;
    if (v6.vrid === v.vrid) {
      diags.error('vrid-conflict', v6.vridPath ?? [...v.path, 'vrid'], `site ${shown(site.name)}'s IPv6 VRRP group uses VRID ${v6.vrid}, the VRID of its IPv4 group on the same LAN`, {
        expected: 'another VRID for the IPv6 group (VyOS 1.3 refuses one VRID twice on an interface, whatever the family)',
        found: String(v6.vrid),
        hint: 'remove vrrp.ipv6.vrid to take the IPv4 vrid + 1',
      });
    }
    if (isLinkLocal6(vip)) {
      diags.error('link-local-address', at, `IPv6 virtual address ${vip.text} of site ${shown(site.name)} is link-local (fe80::/10)`, {
        expected: 'a global or unique-local address of the IPv6 LAN',
        found: vip.text,
        hint: 'vygen moves an address of the IPv6 LAN; a link-local virtual router address is used only through router advertisements, which vygen does not write',
      });
      continue;
    }
    const reserved = reservedUse(vip);
    if (reserved) diags.error('reserved-address', at, `IPv6 virtual address ${vip.text} of site ${shown(site.name)} is in a reserved range: ${reserved}`, { expected: 'a global unicast or unique-local address', found: vip.text });
    if (!isUsableHostIp(vip)) diags.error('address-not-host', at, `IPv6 virtual address ${vip.text} of site ${shown(site.name)} is the Subnet-Router anycast address of its subnet (RFC 4291), which is no host's`, { expected: `a host address of ${vip.network}`, found: vip.text });
    for (const r of site.routers) {
      if (!r.lan) continue; // vrrp-needs-lan says so already
      const lan = d.routers.get(r.name)?.lan;
      if (!lan) {
        diags.error('vrrp-needs-lan', r.path, `router ${shown(r.name)} has no IPv6 LAN address for site ${shown(site.name)}'s IPv6 VRRP group`, {
          at: 'key',
          expected: 'ipv6.lan.address on every router of a site with vrrp.ipv6',
          hint: `add ipv6: { lan: { address: <an address of ${vip.network}> } } to ${r.name}`,
        });
        continue;
      }
      if (!containsIp(lan.prefix, vip) || lan.prefix.length !== vip.length) {
        diags.error('vrrp-address-outside-lan', at, `IPv6 virtual address ${vip.text} is not on ${shown(r.name)}'s IPv6 LAN ${lan.prefix.network}`, {
          expected: `an address in ${lan.prefix.network} with prefix length /${lan.prefix.length}`,
          found: vip.text,
        });
      } else if (lan.prefix.address === vip.address) {
        diags.error('vrrp-address-taken', at, `IPv6 virtual address ${vip.address} is ${shown(r.name)}'s own IPv6 LAN address`, {
          expected: 'a free address of the IPv6 LAN, moved between the routers',
          found: vip.text,
        });
      }
    }
    if (site.aws) {
      // Not only useless: the security group passes IPv4 VRRP only, so each router would be master of
      // the IPv6 group, and the sync group would pull the standby's IPv4 group (and its failover script) along.
      diags.error('vrrp-ipv6-in-vpc', at, `site ${shown(site.name)} is in AWS: an IPv6 VRRP group cannot work there`, {
        expected: 'vrrp.ipv6 on a LAN where the VRRP address itself moves (not in a VPC)',
        hint: 'a VPC forwards to an instance, not to a moving address, and its security group passes IPv4 VRRP only: remove vrrp.ipv6; the failover script moves the IPv6 routes to the new master',
      });
    }
  }
}
