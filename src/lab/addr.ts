// Address tests the lab makes on rendered text, for either family: an IPv6
// address never falls "inside" an IPv4 subnet (the IPv4 arithmetic alone
// would read its digits as a dotted quad).
import { canonical, containsAddress, familyOf, parseIp, type Family } from '../net/ip.js';

export { canonical, familyOf, type Family };

/** Whether `address` lies in the subnet of the interface address or prefix `cidr` (same family only). */
export function inside(cidr: string, address: string): boolean {
  return familyOf(cidr) === familyOf(address) && containsAddress(parseIp(cidr), address);
}

/** The canonical network of an address or prefix (`2001:db8:1::10/64` -> `2001:db8:1::/64`). */
export function networkOf(cidr: string): string {
  return parseIp(cidr).network;
}

export function lengthOf(cidr: string): number {
  return parseIp(cidr).length;
}

/** An address as the lab keys it: IPv6 in RFC 5952 form, as FRR prints it. */
export function key(address: string): string {
  return canonical(address);
}
