// The fewest prefixes covering exactly the given ones: every router's group of
// all role networks lists them, so sibling subnets (10.0.0.0/24 and
// 10.0.1.0/24) are written once as their parent.
import { format6, type IpPrefix } from '../../net/ip.js';
import { toDotted, type Prefix } from '../../net/ipv4.js';

interface Span {
  first: bigint;
  length: number;
  last: bigint;
}

/** One algorithm for both families, over `bits`-bit numbers. */
function fewest(prefixes: readonly Span[], bits: number): Span[] {
  const sorted = [...prefixes].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.length - b.length));
  const stack: Span[] = [];
  for (const p of sorted) {
    const top = stack[stack.length - 1];
    if (top && p.first >= top.first && p.last <= top.last) continue;
    stack.push({ first: p.first, length: p.length, last: p.last });
    // Two siblings become their parent, which may in turn pair with the one before.
    for (;;) {
      const b = stack[stack.length - 1]!;
      const a = stack[stack.length - 2];
      const size = 1n << BigInt(bits - b.length);
      if (!a || b.length === 0 || a.length !== b.length || a.first % (2n * size) !== 0n || b.first !== a.first + size) break;
      stack.splice(-2, 2, { first: a.first, length: a.length - 1, last: b.last });
    }
  }
  return stack;
}

export function aggregate(prefixes: readonly Prefix[]): string[] {
  const spans = prefixes.map((p) => ({ first: BigInt(p.first), length: p.length, last: BigInt(p.last) }));
  return fewest(spans, 32).map((p) => `${toDotted(Number(p.first))}/${p.length}`);
}

/** The same for IPv6 prefixes (128-bit numbers). */
export function aggregate6(prefixes: readonly IpPrefix[]): string[] {
  return fewest(prefixes, 128).map((p) => `${format6(p.first)}/${p.length}`);
}
