// VRRP with the real keepalived (VyOS runs keepalived for `high-availability
// vrrp`): each router's rendered groups translated to a vrrp_instance the way
// VyOS writes keepalived.conf, keepalived started in the router's namespace
// on the lab's LAN bridge. Exactly one master must hold each group's
// address; when the master's keepalived dies without a goodbye (SIGKILL),
// the backup must take the address over. Transition scripts are not run
// (they call the cloud's API); the password is a test secret.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec.js';
import { electAndFailOver } from './failover-check.js';
import { inside, networkOf } from './addr.js';
import type { RouterFacts } from './facts.js';

interface Group {
  name: string;
  vrid?: number;
  iface?: string;
  addresses: string[];
  priority?: number;
  advert?: number;
  helloSource?: string;
  /** peer-address is multi: a site of three routers has two. */
  peers: string[];
  password?: string;
  preempt: boolean;
}

export interface VrrpFacts {
  router: string;
  groups: Map<string, Group>;
  understood: Set<number>;
}

/** The `high-availability vrrp group` lines (1.3 `virtual-address`, 1.4+ `address`). */
export function vrrpFacts(f: RouterFacts, lines: { path: string[]; value?: string; line: number }[]): VrrpFacts {
  const out: VrrpFacts = { router: f.header.router, groups: new Map(), understood: new Set() };
  for (const { path, value, line } of lines) {
    const w = [...path, ...(value !== undefined ? [value] : [])];
    const [a, name, key, v, v2] = w;
    if (a === 'sync-group') {
      // Health checks are read, not run: like the transition scripts, they need the router's own tools.
      if (key === 'member' || key === 'transition-script' || key === 'health-check') out.understood.add(line);
      continue;
    }
    if (a !== 'group' || !name || !key) continue;
    let g = out.groups.get(name);
    if (!g) out.groups.set(name, (g = { name, addresses: [], peers: [], preempt: true }));
    const ok = (() => {
      if ((key === 'address' || key === 'virtual-address') && v && w.length === 4) return Boolean(g.addresses.push(v));
      if (key === 'vrid' && v) return Boolean((g.vrid = Number(v)));
      if (key === 'interface' && v) return Boolean((g.iface = v));
      if (key === 'priority' && v) return Boolean((g.priority = Number(v)));
      if (key === 'advertise-interval' && v) return Boolean((g.advert = Number(v)));
      if (key === 'hello-source-address' && v) return Boolean((g.helloSource = v));
      if (key === 'peer-address' && v) return Boolean(g.peers.push(v));
      if (key === 'no-preempt' && w.length === 3) return !(g.preempt = false);
      // Read, not applied: the routers start together, so a delay would only postpone the election the lab checks.
      if (key === 'preempt-delay' && v) return true;
      if (key === 'health-check') return true;
      if (key === 'authentication' && v === 'password' && v2) return Boolean((g.password = v2));
      if (key === 'authentication' && v === 'type') return true;
      return false;
    })();
    if (ok) out.understood.add(line);
  }
  return out;
}

function conf(x: VrrpFacts, secretOf: (t: string | undefined) => string): string {
  const out = ['global_defs {', `  router_id ${x.router}`, '}'];
  for (const g of x.groups.values()) {
    out.push(
      `vrrp_instance ${g.name} {`,
      '  state BACKUP',
      `  interface ${g.iface}`,
      `  virtual_router_id ${g.vrid}`,
      `  priority ${g.priority ?? 100}`,
      `  advert_int ${g.advert ?? 1}`,
      ...(g.preempt ? [] : ['  nopreempt']),
      ...(g.helloSource ? [`  unicast_src_ip ${g.helloSource}`] : []),
      ...(g.peers.length > 0 ? ['  unicast_peer {', ...g.peers.map((p) => `    ${p}`), '  }'] : []),
      ...(g.password ? ['  authentication {', '    auth_type PASS', `    auth_pass ${secretOf(g.password).slice(0, 8)}`, '  }'] : []),
      '  virtual_ipaddress {',
      ...g.addresses.map((a) => `    ${a}`),
      '  }',
      '}',
    );
  }
  return out.join('\n') + '\n';
}

import type { VrrpResult } from './failover-check.js';
export type { VrrpResult };

const KEEPALIVED = ['/usr/sbin/keepalived', '/sbin/keepalived', '/usr/local/sbin/keepalived'];

export function keepalivedPath(): string | undefined {
  return KEEPALIVED.find((p) => existsSync(p));
}

/** Groups that two or more routers of one site render with the same VRID. */
export function vrrpGroups(routers: { facts: RouterFacts; x: VrrpFacts }[]): { name: string; vrid: number; members: { facts: RouterFacts; x: VrrpFacts; g: Group }[] }[] {
  const by = new Map<string, { name: string; vrid: number; members: { facts: RouterFacts; x: VrrpFacts; g: Group }[] }>();
  for (const r of routers)
    for (const g of r.x.groups.values()) {
      if (g.vrid === undefined || !g.iface || g.addresses.length === 0) continue;
      // One group is one VRID on one layer-2 segment: the virtual address's subnet names the
      // segment (routers written without a site carry their own name as the site).
      const key = `${networkOf(g.addresses[0]!)}/${g.name}/${g.vrid}`;
      const e = by.get(key) ?? { name: g.name, vrid: g.vrid, members: [] };
      e.members.push({ ...r, g });
      by.set(key, e);
    }
  return [...by.values()].filter((e) => e.members.length >= 2);
}

type Paired = ReturnType<typeof vrrpGroups>;

/**
 * What the election cannot show, as failed groups of their own: a group that
 * one router renders alone while another lab router on its subnet runs VRRP
 * (that router renders the group without its address, or not at all: no
 * backup would take the address over, and the group would simply not be
 * run), and members of one group moving different addresses (each would
 * "hold" its own and the takeover look fine).
 */
export function unpairedGroups(routers: { facts: RouterFacts; x: VrrpFacts }[], paired: Paired): VrrpResult[] {
  const out: VrrpResult[] = [];
  const inGroup = new Set(paired.flatMap((e) => e.members.map((m) => `${m.facts.header.router}/${m.g.name}`)));
  for (const r of routers)
    for (const g of r.x.groups.values()) {
      const me = r.facts.header.router;
      if (g.vrid === undefined || !g.iface || g.addresses.length === 0 || inGroup.has(`${me}/${g.name}`)) continue;
      const vip = g.addresses[0]!;
      const net = networkOf(vip);
      const others = routers.filter((o) => o.facts.header.router !== me && [...o.facts.interfaces.values()].some((i) => i.addresses.some((a) => inside(net, a))));
      if (others.length === 0) continue; // its partner is not rendered here: nothing to run it with
      const names = others.map((o) => o.facts.header.router);
      out.push({
        group: g.name,
        routers: [me, ...names],
        ok: false,
        master: null,
        takeover: null,
        problems: [`VRRP ${g.name} (vrid ${g.vrid}): only ${me} moves ${g.addresses.join(', ')}; ${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} on ${net} and run${names.length > 1 ? '' : 's'} VRRP but ${names.length > 1 ? 'have' : 'has'} no group ${g.name} (vrid ${g.vrid}) with that address: no backup can take it over`],
      });
    }
  for (const e of paired) {
    const first = e.members[0]!;
    const want = [...first.g.addresses].sort().join(', ');
    for (const m of e.members.slice(1)) {
      const have = [...m.g.addresses].sort().join(', ');
      if (have === want) continue;
      out.push({
        group: e.name,
        routers: e.members.map((x) => x.facts.header.router),
        ok: false,
        master: null,
        takeover: null,
        problems: [`VRRP ${e.name} (vrid ${e.vrid}): ${m.facts.header.router} moves ${have}, ${first.facts.header.router} ${want}: a takeover would not move the master's addresses`],
      });
    }
  }
  return out;
}

export async function runVrrp(
  groups: ReturnType<typeof vrrpGroups>,
  ns: (node: string) => string,
  dir: string,
  secretOf: (t: string | undefined) => string,
  bin: string,
): Promise<VrrpResult[]> {
  const routers = new Map<string, VrrpFacts>();
  for (const e of groups) for (const m of e.members) routers.set(m.facts.header.router, m.x);
  const pidOf = (r: string) => join(dir, `${r}.vrrp.pid`);
  for (const [r, x] of routers) {
    const file = join(dir, `${r}.keepalived.conf`);
    writeFileSync(file, conf(x, secretOf), { mode: 0o600 });
    // -n: in the foreground, so it lives in the namespace and dies with it.
    const child = spawn('ip', ['netns', 'exec', ns(r), bin, '-n', '-P', '-f', file, '-p', join(dir, `${r}.pid`), '-r', pidOf(r)], { stdio: 'ignore' });
    child.unref();
  }
  const holder = async (e: (typeof groups)[number], skip?: string) => {
    const have: string[] = [];
    for (const m of e.members) {
      if (m.facts.header.router === skip) continue;
      const out = await run('ip', ['-n', ns(m.facts.header.router), '-o', 'addr', 'show', 'dev', m.g.iface!]).catch(() => '');
      if (m.g.addresses.every((a) => out.includes(` ${a} `))) have.push(m.facts.header.router);
    }
    return have;
  };
  const checked = groups.map((e) => ({
    label: e.name,
    vrid: e.vrid,
    members: e.members.map((m) => m.facts.header.router),
    addresses: e.members[0]!.g.addresses,
    advert: Math.max(...e.members.map((m) => m.g.advert ?? 1)),
    best: [...e.members].sort((a, b) => (b.g.priority ?? 100) - (a.g.priority ?? 100))[0]!.facts.header.router,
    holders: (skip?: string) => holder(e, skip),
  }));
  return electAndFailOver(checked, { kind: 'VRRP', member: 'router', pidFiles: (r) => [pidOf(r), join(dir, `${r}.pid`)] });
}
