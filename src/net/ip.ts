// Both address families behind one shape, for the checks that take either
// (the per-router layer, dual-stack sites). IPv4 goes through the plain
// arithmetic of ipv4.ts (the hot path of a large render stays there), IPv6
// through ipv6.ts; both end up as bigint ranges so containment and overlap
// are one comparison whatever the family.
import { parsePrefix, toNumber } from './ipv4.js';
import { format6, parsePrefix6 } from './ipv6.js';

export type Family = 4 | 6;

export interface IpPrefix {
  family: Family;
  /** Canonical address/length. */
  text: string;
  /** Canonical address part. */
  address: string;
  length: number;
  value: bigint;
  first: bigint;
  last: bigint;
  /** Canonical network/length. */
  network: string;
}

/** The family of a text the schema validated: only IPv6 has colons. */
export const familyOf = (text: string): Family => (text.includes(':') ? 6 : 4);
export const maxLength = (f: Family): number => (f === 4 ? 32 : 128);

export function parseIp(text: string): IpPrefix {
  if (familyOf(text) === 6) return { family: 6, ...parsePrefix6(text) };
  const p = parsePrefix(text);
  return { family: 4, text: p.text, address: p.address, length: p.length, value: BigInt(toNumber(p.address)), first: BigInt(p.first), last: BigInt(p.last), network: p.network };
}

/**
 * The text as vygen prints it: IPv6 in RFC 5952 form (so a diff never shows
 * 2001:DB8::1 against 2001:db8::1), the prefix length kept when written;
 * IPv4 as written (the schema admits only its canonical dotted form).
 */
export function canonical(text: string): string {
  if (familyOf(text) === 4) return text;
  const p = parsePrefix6(text);
  return text.includes('/') ? p.text : p.address;
}

export function containsIp(net: IpPrefix, address: IpPrefix): boolean {
  return net.family === address.family && address.value >= net.first && address.value <= net.last;
}

/** Whether the address written as text (either family) is inside the prefix. */
export function containsAddress(net: IpPrefix, address: string): boolean {
  return containsIp(net, parseIp(address));
}

export function overlapsIp(a: IpPrefix, b: IpPrefix): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/**
 * Whether the address can be an interface's own: not IPv4's network or
 * broadcast address (a /31 and /32 have neither), not IPv6's Subnet-Router
 * anycast address (RFC 4291 2.6.1; a /127 and /128 have none, RFC 6164).
 */
export function isUsableHostIp(p: IpPrefix): boolean {
  if (p.length >= maxLength(p.family) - 1) return true;
  return p.value !== p.first && (p.family === 6 || p.value !== p.last);
}

interface Reserved {
  net: IpPrefix;
  says: string;
}

// Parsed on first use, a family at a time: IPv6 goes through ip-cidr, whose first
// run cost about 10 ms of every start, also of a topology without IPv6.
const RESERVED_TEXT: Readonly<Record<4 | 6, readonly (readonly [string, string])[]>> = {
  4: [
    ['0.0.0.0/8', '"this network" (RFC 791)'],
    ['127.0.0.0/8', 'loopback'],
    ['224.0.0.0/4', 'multicast'],
    ['240.0.0.0/4', 'reserved (RFC 1112), including the broadcast address'],
  ],
  6: [
    ['::/128', 'the unspecified address'],
    ['::1/128', 'loopback'],
    ['::ffff:0:0/96', 'IPv4-mapped (RFC 4291)'],
    ['ff00::/8', 'multicast'],
  ],
};
const reserved: { 4?: Reserved[]; 6?: Reserved[] } = {};

/** What a reserved range an address lies in is for, or undefined for an assignable address. */
export function reservedUse(p: IpPrefix): string | undefined {
  const ranges = (reserved[p.family] ??= RESERVED_TEXT[p.family].map(([net, says]) => ({ net: parseIp(net), says })));
  return ranges.find((r) => containsIp(r.net, p))?.says;
}

let linkLocal6: IpPrefix | undefined;

/** IPv6 link-local (fe80::/10): reachable only on one link, so valid only with an interface. IPv4's 169.254/16 is left to the features that use it (AWS inside addresses). */
export function isLinkLocal6(p: IpPrefix): boolean {
  return p.family === 6 && containsIp((linkLocal6 ??= parseIp('fe80::/10')), p);
}

export { format6 };
