// Bandwidth shaping on a router's WAN or tunnel interface: a total rate and
// classes by role (the role's networks as source) or by protocol and port;
// on a router with IPv6, IPv6 matches beside the IPv4 ones.
import { shown, type Diagnostics } from '../../diagnostics.js';
import type { RouterIntent } from '../../model/intent.js';
import { suggest, Suggester } from '../../suggest.js';
import type { FirewallModel, ShaperIntent } from './model.js';
import { hasIpv6 } from './intents.js';

type Attach = Pick<ShaperIntent, 'interfaceType'> & { vif?: number };

function findInterface(intent: RouterIntent, name: string): Attach | undefined {
  const [base, vif] = name.split('.') as [string, string | undefined];
  const eth = intent.ethernet.find((e) => e.name === base);
  if (eth) {
    if (vif === undefined) return { interfaceType: 'ethernet' };
    return eth.vifs?.some((v) => v.id === Number(vif)) ? { interfaceType: 'ethernet', vif: Number(vif) } : undefined;
  }
  if (intent.tunnels.some((t) => t.name === name)) return { interfaceType: 'tunnel' };
  if (intent.vtis.some((v) => v.name === name)) return { interfaceType: 'vti' };
  return undefined;
}

export function addShapers(fw: FirewallModel, routers: readonly RouterIntent[], diags: Diagnostics): void {
  const byName = new Map(routers.map((r) => [r.name, r]));
  const roles = new Map(fw.roles.map((r) => [r.name, r]));
  const routerNames = new Suggester(() => [...byName.keys()]);
  for (const s of fw.shapers) {
    const intent = byName.get(s.router);
    if (!intent) {
      const guess = routerNames.suggest(s.router);
      diags.error('unknown-router', [...s.path, 'router'], `unknown router ${shown(s.router)}`, {
        expected: 'a router of the topology',
        found: shown(s.router),
        ...(guess ? { hint: `did you mean ${shown(guess)}?` } : {}),
      });
      continue;
    }
    const at = findInterface(intent, s.interface);
    if (!at) {
      const names = [...intent.ethernet.map((e) => e.name), ...intent.tunnels.map((t) => t.name), ...intent.vtis.map((v) => v.name)];
      const guess = suggest(s.interface, names);
      diags.error('unknown-reference', [...s.path, 'interface'], `router ${shown(s.router)} has no interface ${shown(s.interface)}`, {
        expected: 'an ethernet, tunnel or VTI interface of the router',
        found: shown(s.interface),
        hint: guess ? `did you mean ${shown(guess)}?` : `its interfaces: ${names.join(', ')}`,
      });
      continue;
    }
    if (intent.shapers?.some((x) => x.interface === s.interface)) {
      diags.error('config-defined-twice', s.path, `a second shaper on ${s.router} ${s.interface}`, { expected: 'one shaper per interface' });
      continue;
    }
    const ipv6 = hasIpv6(intent);
    const shaper: ShaperIntent = {
      name: s.name,
      ifname: s.interface,
      interface: at.vif !== undefined ? s.interface.split('.')[0]! : s.interface,
      ...at,
      bandwidth: s.bandwidth,
      ...(s.description !== undefined ? { description: s.description } : {}),
      defaultClass: s.defaultClass,
      classes: s.classes.map((c) => {
        const role = c.role !== undefined ? roles.get(c.role)! : undefined;
        // A tc filter matches one family: an IPv6 packet passes every `ip` match by.
        // VyOS takes one family per match (1.3 refuses both in one), so IPv6 gets its own matches.
        const sources: { family: 'ip' | 'ipv6'; source?: string }[] = role
          ? [...role.networks.map((n) => ({ family: 'ip' as const, source: n.prefix.network })), ...(ipv6 ? role.networks6.map((n) => ({ family: 'ipv6' as const, source: n.prefix.network })) : [])]
          : [{ family: 'ip' }, ...(ipv6 ? [{ family: 'ipv6' as const }] : [])];
        const ports = c.ports.length ? c.ports : [undefined];
        const matches = sources.flatMap(({ family, source }) => ports.map((port) => ({
          ...(family === 'ipv6' ? { ipv6: true as const } : {}),
          ...(c.protocol !== undefined ? { protocol: c.protocol } : {}),
          ...(port !== undefined ? { port } : {}),
          ...(source !== undefined ? { source } : {}),
        }))).map((m, i) => ({ name: `m${i + 1}`, ...m }));
        return {
          id: c.id,
          bandwidth: c.bandwidth,
          ...(c.ceiling !== undefined ? { ceiling: c.ceiling } : {}),
          ...(c.priority !== undefined ? { priority: c.priority } : {}),
          ...(c.description !== undefined ? { description: c.description } : {}),
          matches,
        };
      }),
    };
    (intent.shapers ??= []).push(shaper);
  }
}
