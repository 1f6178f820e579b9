// Which role holds an address or touches a prefix, by binary search over the
// roles' networks (disjoint once the overlap check passed): every router asks
// for each of its addresses and peers, so a scan of every role network per
// question would cost routers x networks.
import { familyOf, parseIp, type IpPrefix } from '../../net/ip.js';
import { toNumber, type Prefix } from '../../net/ipv4.js';
import type { FwRole } from './model.js';

export class RoleIndex {
  private readonly nets: { first: number; last: number; role: FwRole }[];
  private readonly nets6: { first: bigint; last: bigint; role: FwRole }[];

  constructor(roles: readonly FwRole[]) {
    this.nets = roles.flatMap((role) => role.networks.map((n) => ({ first: n.prefix.first, last: n.prefix.last, role }))).sort((a, b) => a.first - b.first);
    this.nets6 = roles.flatMap((role) => role.networks6.map((n) => ({ first: n.prefix.first, last: n.prefix.last, role }))).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  }

  private from6(n: bigint): number {
    let lo = 0;
    let hi = this.nets6.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.nets6[mid]!.last < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first network that ends at or after `n`. */
  private from(n: number): number {
    let lo = 0;
    let hi = this.nets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.nets[mid]!.last < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  roleOf(address: string): FwRole | undefined {
    if (familyOf(address) === 6) {
      const v = parseIp(address).value;
      const net6 = this.nets6[this.from6(v)];
      return net6 && net6.first <= v ? net6.role : undefined;
    }
    const n = toNumber(address);
    const net = this.nets[this.from(n)];
    return net && net.first <= n ? net.role : undefined;
  }

  /** Roles with a network overlapping `p`. */
  touching(p: Prefix): FwRole[] {
    const out: FwRole[] = [];
    for (let i = this.from(p.first); i < this.nets.length && this.nets[i]!.first <= p.last; i++) out.push(this.nets[i]!.role);
    return out;
  }

  /** Roles with an IPv6 network overlapping `p`. */
  touching6(p: IpPrefix): FwRole[] {
    const out: FwRole[] = [];
    for (let i = this.from6(p.first); i < this.nets6.length && this.nets6[i]!.first <= p.last; i++) out.push(this.nets6[i]!.role);
    return out;
  }
}
