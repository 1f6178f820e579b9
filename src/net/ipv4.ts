// IPv4 arithmetic: parsing, containment, overlap, carving /30s out of a pool.
// Numbers are unsigned 32-bit integers held in JS numbers. The schema has
// validated every address before it gets here, so parsing is plain arithmetic
// (ip-cidr did the same through BigInteger objects and was a third of the
// time of a 1,000-site render).
import { flat } from '../model/flat.js';

export interface Prefix {
  /** As written: 10.0.1.2/24 */
  text: string;
  /** The address part: 10.0.1.2 */
  address: string;
  length: number;
  /** Network address as a number, and the last address of the network. */
  first: number;
  last: number;
  /** 10.0.1.0/24 */
  network: string;
}

export function parsePrefix(text: string): Prefix {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const length = slash < 0 ? 32 : Number(text.slice(slash + 1));
  const size = 2 ** (32 - length);
  const first = Math.floor(toNumber(address) / size) * size;
  return { text: slash < 0 ? flat(`${text}/32`) : text, address, length, first, last: first + size - 1, network: flat(`${toDotted(first)}/${length}`) };
}

/** Dotted quad (already validated by the schema) to its 32-bit value. */
export function toNumber(address: string): number {
  let n = 0;
  let octet = 0;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + octet;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  return n * 256 + octet;
}

export function toDotted(n: number): string {
  return flat(`${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`);
}

export function contains(net: Prefix, address: string): boolean {
  const n = toNumber(address);
  return n >= net.first && n <= net.last;
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** Whether the written address is the network address itself (10.0.1.0/24). */
export function isNetworkAddress(p: Prefix): boolean {
  return toNumber(p.address) === p.first;
}

/** For a subnet of 2+ hosts: the network or broadcast address cannot be an interface address. */
export function isUsableHost(p: Prefix): boolean {
  if (p.length >= 31) return true;
  const n = toNumber(p.address);
  return n !== p.first && n !== p.last;
}

/** The index-th block of 2^(32-length) addresses in the pool, or undefined when the pool is too small. */
export function carve(pool: Prefix, length: number, index: number): Prefix | undefined {
  const size = 2 ** (32 - length);
  const first = pool.first + index * size;
  if (length < pool.length || first + size - 1 > pool.last) return undefined;
  return parsePrefix(`${toDotted(first)}/${length}`);
}

export function capacity(pool: Prefix, length: number): number {
  return length < pool.length ? 0 : 2 ** (length - pool.length);
}
