// Link numbers and inner /30s. A link's number is pinned by `id`, or else the
// lowest number no pinned link holds, taken in list order; it names the tunnel
// interface on both ends (tun<id>) and selects the id-th /30 of the pool. So
// appending a link or a site never renumbers an existing tunnel, and a link
// that must survive edits above it can be pinned.
import { formatPath, type Diagnostics } from '../../diagnostics.js';
import type { Link } from '../../model/topology.js';
import { capacity, carve, type Prefix } from '../../net/ipv4.js';

export const INNER_PREFIX_LENGTH = 30;

export function allocateLinks(links: Link[], pool: Prefix, reserved: readonly { first: number; last: number }[], diags: Diagnostics): void {
  const taken = new Map<number, Link>();
  const isReserved = (id: number) => reserved.some((r) => id >= r.first && id <= r.last);
  for (const link of links) {
    if (link.id < 0) continue;
    const other = taken.get(link.id);
    if (other) {
      diags.error('duplicate-link-id', link.path[0] === 'links' ? [...link.path, 'id'] : link.path, `link id ${link.id} is already pinned by ${formatPath(other.path)}`, {
        expected: 'a link id used once',
        found: String(link.id),
        hint: 'remove the id to let vygen choose a free one, or pick another',
      });
      link.id = -2;
      continue;
    }
    taken.set(link.id, link);
  }
  let next = 0;
  for (const link of links) {
    if (link.id === -2) continue;
    if (link.id < 0) {
      while (taken.has(next) || isReserved(next)) next++;
      link.id = next;
      taken.set(next, link);
    }
  }
  const slots = capacity(pool, INNER_PREFIX_LENGTH);
  for (const link of links) {
    if (link.id < 0) continue;
    const inner = carve(pool, INNER_PREFIX_LENGTH, link.id);
    if (inner) {
      link.inner = inner;
      continue;
    }
    diags.error('tunnel-pool-exhausted', link.path, `no /30 left in the tunnel pool ${pool.network} for link ${link.id}`, {
      expected: `a link number below ${slots} (the pool holds ${slots} /30 networks)`,
      found: String(link.id),
      hint: `make the pool larger, e.g. defaults.tunnel_pool: ${pool.network.split('/')[0]}/${Math.max(8, pool.length - 2)}`,
    });
  }
}
