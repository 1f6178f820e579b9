// Checks of the policy itself: role networks that overlap (a packet would be
// in two roles: which rule applies would depend on rule order), and rules
// that can never match because an earlier rule takes all their traffic.
import { shown, type Diagnostics } from '../../diagnostics.js';
import { overlapsIp } from '../../net/ip.js';
import { overlaps } from '../../net/ipv4.js';
import type { FirewallModel, FirewallRule } from './model.js';

export function checkFirewall(fw: FirewallModel, diags: Diagnostics): void {
  checkOverlaps(fw, diags);
  checkShadowed(fw.rules, diags);
}

function checkOverlaps(fw: FirewallModel, diags: Diagnostics): void {
  const all = fw.roles.flatMap((r) => r.networks.map((n) => ({ role: r.name, ...n })));
  all.sort((a, b) => a.prefix.first - b.prefix.first);
  // Sorted by start: each network can only overlap the ones starting before its end.
  let reach: (typeof all)[number] | undefined;
  for (const n of all) {
    if (reach && overlaps(reach.prefix, n.prefix) && reach.role !== n.role) {
      diags.error('role-overlap', n.path, `${n.prefix.network} of role ${shown(n.role)} overlaps ${reach.prefix.network} of role ${shown(reach.role)}`, {
        expected: 'every network in one role only',
        found: `${n.prefix.network} and ${reach.prefix.network}`,
        hint: 'a packet in two roles would be judged by whichever rule comes first; split the network or move it to one role',
      });
    }
    if (!reach || n.prefix.last > reach.prefix.last) reach = n;
  }
  // The same sweep over the IPv6 networks (a prefix of one family never overlaps one of the other).
  const all6 = fw.roles.flatMap((r) => r.networks6.map((n) => ({ role: r.name, ...n })));
  all6.sort((a, b) => (a.prefix.first < b.prefix.first ? -1 : a.prefix.first > b.prefix.first ? 1 : 0));
  let reach6: (typeof all6)[number] | undefined;
  for (const n of all6) {
    if (reach6 && overlapsIp(reach6.prefix, n.prefix) && reach6.role !== n.role) {
      diags.error('role-overlap', n.path, `${n.prefix.network} of role ${shown(n.role)} overlaps ${reach6.prefix.network} of role ${shown(reach6.role)}`, {
        expected: 'every network in one role only',
        found: `${n.prefix.network} and ${reach6.prefix.network}`,
        hint: 'a packet in two roles would be judged by whichever rule comes first; split the network or move it to one role',
      });
    }
    if (!reach6 || n.prefix.last > reach6.prefix.last) reach6 = n;
  }
}

/** Whether every packet `later` matches is matched by `earlier`. */
export function covers(earlier: FirewallRule, later: FirewallRule): boolean {
  if (earlier.from !== later.from || earlier.to !== later.to) return false;
  if (earlier.protocol !== 'any') {
    if (later.protocol === 'any') return false;
    if (earlier.protocol !== later.protocol && !(earlier.protocol === 'tcp_udp' && (later.protocol === 'tcp' || later.protocol === 'udp'))) return false;
  }
  if (earlier.ports.length === 0) return true;
  if (later.ports.length === 0) return false;
  const ranges = earlier.ports.map(range);
  return later.ports.map(range).every(([lo, hi]) => ranges.some(([a, b]) => a <= lo && hi <= b));
}

function range(p: string): [number, number] {
  const [lo, hi] = p.split('-').map(Number) as [number, number | undefined];
  return [lo, hi ?? lo];
}

function checkShadowed(rules: readonly FirewallRule[], diags: Diagnostics): void {
  rules.forEach((r, i) => {
    const by = rules.slice(0, i).find((e) => covers(e, r));
    if (!by) return;
    diags.error('firewall-rule-shadowed', r.path, `rule ${r.number} (${r.from} -> ${r.to}) never matches: rule ${by.number} before it takes all its traffic`, {
      expected: 'a rule that some packet reaches',
      found: `rule ${by.number}: ${by.action} ${by.protocol}${by.ports.length ? ` ${by.ports.join(',')}` : ''}`,
      hint: by.action === r.action ? 'remove the rule' : 'move the narrower rule before the wider one',
    });
  });
}
