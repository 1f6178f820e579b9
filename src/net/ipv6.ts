// IPv6 through ip-cidr (the project's CIDR library): parsing, the range a
// prefix covers, and the canonical text of RFC 5952 (lowercase, no leading
// zeros, the longest run of two or more zero groups compressed, the first on a
// tie). ip-cidr's own toString() keeps what was written and its start()/end()
// print all 32 digits, so the canonical text comes from the ip-address object
// it parsed (`correctForm()`, which is RFC 5952's form). Parsing goes through
// jsbn big integers and is slow next to src/net/ipv4.ts, so every text is
// parsed once and cached; IPv4 never comes here.
import IPCIDR from 'ip-cidr';

export interface Prefix6 {
  /** Canonical address/length: 2001:db8::1/64 */
  text: string;
  /** Canonical address part: 2001:db8::1 */
  address: string;
  length: number;
  /** The address as a 128-bit number. */
  value: bigint;
  /** Network address and last address of the network. */
  first: bigint;
  last: bigint;
  /** Canonical network: 2001:db8::/64 */
  network: string;
}

const cache = new Map<string, Prefix6>();
/** A long-running library process must not grow without bound. */
const CACHE_LIMIT = 50_000;
let parses = 0;

/** How many texts this process has parsed as IPv6 (test/cold-start.test.ts: a topology without IPv6 parses none). */
export const ipv6Parses = (): number => parses;

/** An IPv6 address or prefix the schema validated; a bare address is a /128. */
export function parsePrefix6(text: string): Prefix6 {
  const hit = cache.get(text);
  if (hit) return hit;
  parses++;
  const cidr = new IPCIDR(text.includes('/') ? text : `${text}/128`);
  const address = cidr.address.correctForm();
  const length = cidr.address.subnetMask;
  const first = cidr.start<bigint>({ type: 'bigInteger' });
  const last = cidr.end<bigint>({ type: 'bigInteger' });
  const value = BigInt(cidr.address.bigInteger().toString());
  const p: Prefix6 = { text: `${address}/${length}`, address, length, value, first, last, network: `${cidr.addressStart.correctForm()}/${length}` };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, p);
  return p;
}

/** A 128-bit number in canonical text. */
export function format6(n: bigint): string {
  const hex = n.toString(16).padStart(32, '0');
  const groups: string[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
  return parsePrefix6(`${groups.join(':')}/128`).address;
}
