// Test-side checks on configuration trees: the references a router resolves
// by name, and whether a BGP neighbor still has the tunnel it runs over. Used
// to check that every prefix of a diff (every moment of a paste) is coherent.
import type { Branch, ConfigNode } from '../../dist/index.js';

interface Found {
  path: string[];
  values: string[];
}

/** Every leaf of the tree with its path. */
export function leaves(tree: Branch): Found[] {
  const out: Found[] = [];
  const walk = (n: ConfigNode, path: string[]) => {
    if (n.kind === 'leaf') out.push({ path, values: n.values });
    else for (const [name, c] of n.children) walk(c, [...path, name]);
  };
  walk(tree, []);
  return out;
}

export function nodeAt(tree: Branch, path: readonly string[]): ConfigNode | undefined {
  let n: ConfigNode = tree;
  for (const w of path) {
    if (n.kind !== 'node') return undefined;
    const c: ConfigNode | undefined = n.children.get(w);
    if (c === undefined) return undefined;
    n = c;
  }
  return n;
}

const last = (p: string[], k = 1) => p[p.length - k];

/** Names a configuration refers to that it does not define. */
export function danglingReferences(tree: Branch): string[] {
  const out: string[] = [];
  for (const { path, values } of leaves(tree)) {
    const where = path.join(' ');
    for (const v of values) {
      // BGP neighbor import/export, network and redistribute route-maps (any release's path shape).
      if (path[0] === 'protocols' && (last(path) === 'route-map' || last(path, 2) === 'route-map')) {
        if (!nodeAt(tree, ['policy', 'route-map', v])) out.push(`${where} names route-map ${v}, which does not exist`);
      }
      if (path[0] === 'policy' && last(path) === 'prefix-list' && last(path, 2) === 'address') {
        if (!nodeAt(tree, ['policy', 'prefix-list', v])) out.push(`${where} names prefix-list ${v}, which does not exist`);
      }
      if (path[0] === 'vpn' && path.includes('peer') && last(path) === 'ike-group') {
        if (!nodeAt(tree, ['vpn', 'ipsec', 'ike-group', v])) out.push(`${where} names ike-group ${v}, which does not exist`);
      }
      if (path[0] === 'vpn' && path.includes('peer') && last(path) === 'default-esp-group') {
        if (!nodeAt(tree, ['vpn', 'ipsec', 'esp-group', v])) out.push(`${where} names esp-group ${v}, which does not exist`);
      }
    }
  }
  return out;
}

const ip = (s: string) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const covers = (cidr: string, addr: string) => {
  const [a, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return Math.floor(ip(a!) / size) === Math.floor(ip(addr) / size);
};

/** The tunnel addresses (CIDR) of a tree. */
export function tunnelAddresses(tree: Branch): string[] {
  return leaves(tree)
    .filter((l) => l.path[0] === 'interfaces' && l.path[1] === 'tunnel' && last(l.path) === 'address')
    .flatMap((l) => l.values);
}

/** BGP neighbor addresses of a tree (1.3's `protocols bgp ASN neighbor X` and 1.4's `protocols bgp neighbor X`). */
export function bgpNeighbors(tree: Branch): string[] {
  const bgp = nodeAt(tree, ['protocols', 'bgp']);
  if (!bgp || bgp.kind !== 'node') return [];
  const direct = nodeAt(bgp, ['neighbor']);
  const asns = [...bgp.children.values()].map((c) => (c.kind === 'node' ? nodeAt(c, ['neighbor']) : undefined));
  return [direct, ...asns].flatMap((n) => (n && n.kind === 'node' ? [...n.children.keys()] : []));
}

/** Neighbors that run over a tunnel (of `tunnelCidrs`) the tree no longer has. */
export function neighborsWithoutTunnel(tree: Branch, tunnelCidrs: readonly string[]): string[] {
  const present = tunnelAddresses(tree);
  return bgpNeighbors(tree).filter((n) => tunnelCidrs.some((c) => covers(c, n)) && !present.some((c) => covers(c, n)));
}
