// The lab's namespaces, links and FRR daemons: brought up from a plan, torn
// down on every exit path. Names start with `vylab-<run>_<n>-` (the run is
// the process id in base 36, n counts the labs of one process) so a lab left by a killed run is recognised, and
// removed, by the next run, while a concurrent run's lab is left alone.
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError, mapLimit, poll, run, runSync } from './exec.js';
import type { Plan } from './plan.js';
import { Vty } from './snapshot.js';

export const PREFIX = 'vylab-';
const NETNS_DIR = '/run/netns';
const ETC = '/etc/frr';
const RUN = '/var/run/frr';
export const FRR_BIN = '/usr/lib/frr';

function frrIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('frr:'));
  if (!line) throw new LabError('there is no frr user: install FRR (apt-get install frr)');
  const f = line.split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function pidsOf(ns: string): number[] {
  const pids = new Set<number>();
  const dir = join(RUN, ns);
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.pid')) pids.add(Number(readFileSync(join(dir, f), 'utf8').trim()));
  const listed = runSync('ip', ['netns', 'pids', ns]);
  if (listed.ok) for (const p of listed.stdout.split(/\s+/)) if (/^\d+$/.test(p)) pids.add(Number(p));
  return [...pids].filter((p) => Number.isInteger(p) && p > 1 && p !== process.pid);
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const p of pids) {
    try {
      process.kill(p, sig);
    } catch {
      /* already gone */
    }
  }
}

/** Stops every process in the namespaces (SIGTERM, then SIGKILL after a bounded wait), deletes them and FRR's directories for them. */
function removeNamespaces(names: string[]): void {
  const targets = names.flatMap(pidsOf);
  signal(targets, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while (targets.some(alive) && Date.now() < deadline) pause(20);
  signal(targets.filter(alive), 'SIGKILL');
  for (const ns of names) {
    if (existsSync(join(NETNS_DIR, ns))) runSync('ip', ['netns', 'del', ns]);
    rmSync(join(ETC, ns), { recursive: true, force: true });
    rmSync(join(RUN, ns), { recursive: true, force: true });
  }
}

function runOf(name: string): number | undefined {
  const m = /^vylab-([0-9a-z]+)(?:_\d+)?-/.exec(name);
  return m ? parseInt(m[1]!, 36) : undefined;
}

/** Removes what a lab of a run that is no longer alive left behind; returns the names removed. */
export function cleanStale(): string[] {
  const names = new Set<string>();
  for (const dir of [NETNS_DIR, ETC, RUN]) {
    if (!existsSync(dir)) continue;
    for (const n of readdirSync(dir)) if (n.startsWith(PREFIX)) names.add(n);
  }
  const stale = [...names].filter((n) => {
    const pid = runOf(n);
    return pid === undefined || !alive(pid);
  });
  removeNamespaces(stale);
  for (const t of readdirSync(tmpdir())) {
    const pid = t.startsWith(PREFIX) ? runOf(t) : undefined;
    if (pid !== undefined && pid !== process.pid && !alive(pid)) rmSync(join(tmpdir(), t), { recursive: true, force: true });
  }
  return stale.sort();
}

let labs = 0;

export class Lab {
  /** The process id (what tells a stale lab from a live one), and which lab of this process. */
  readonly id = `${process.pid.toString(36)}_${labs++}`;
  private readonly namespaces: string[] = [];
  private down = false;
  readonly vty = new Vty((node) => join(RUN, this.ns(node)));

  ns(node: string): string {
    return `${PREFIX}${this.id}-${node}`;
  }

  /** A namespace made outside up() (the IPsec pairs), removed with the rest. */
  track(ns: string): void {
    this.namespaces.push(ns);
  }

  /** A scratch directory removed with the lab. */
  scratch(): string {
    if (!this.tmp) this.tmp = mkdtempSync(join(tmpdir(), `${PREFIX}${this.id}-`));
    return this.tmp;
  }
  private tmp: string | undefined;

  async up(plan: Plan): Promise<void> {
    const ids = frrIds();
    const all = [...plan.nodes.map((n) => this.ns(n.name)), ...plan.lans.map((l) => this.ns(l.id))];
    for (const ns of all) {
      const r = await run('ip', ['netns', 'add', ns]).catch((e: Error) => e);
      if (r instanceof Error) throw new LabError(`cannot create network namespace ${ns}: ${r.message}`);
      this.namespaces.push(ns);
    }
    // IPv6 before any link exists, so every interface inherits it: enabled
    // (a host may disable it by default), forwarding, and no duplicate
    // address detection (an address stays tentative, unusable by bgpd, for
    // a second or more; the lab's addresses are unique by construction).
    // Addresses are kept while a link is down: Linux would flush IPv6
    // addresses on a failure, and the repair would not bring them back.
    const v6 = ['disable_ipv6=0', 'accept_dad=0', 'keep_addr_on_down=1'].flatMap((x) => [`net.ipv6.conf.all.${x}`, `net.ipv6.conf.default.${x}`]);
    await mapLimit(all, 4, (ns) => run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', ...v6]));
    // Links are made straight inside their namespaces: nothing lands in the
    // host's namespace, so deleting the namespaces removes every link.
    const links: string[] = [];
    for (const w of plan.wires) links.push(`link add ${w.a.iface} netns ${this.ns(w.a.node)} type veth peer name ${w.b.iface} netns ${this.ns(w.b.node)}`);
    plan.lans.forEach((l) => l.members.forEach((m, j) => links.push(`link add ${m.iface} netns ${this.ns(m.node)} type veth peer name p${j} netns ${this.ns(l.id)}`)));
    for (const n of plan.nodes)
      for (const i of n.ifaces) if (i.medium === 'solo') links.push(`link add ${i.name} netns ${this.ns(n.name)} type veth peer name ${soloPeer(i.name)} netns ${this.ns(n.name)}`);
    await run('ip', ['-batch', '-'], { input: links.join('\n') + '\n' });
    await mapLimit(plan.lans, 4, async (l) => {
      const cmds = ['link add br0 type bridge forward_delay 0', ...l.members.map((_, j) => `link set p${j} master br0`), ...l.members.map((_, j) => `link set p${j} up`), 'link set br0 up', 'link set lo up'];
      await run('ip', ['-n', this.ns(l.id), '-batch', '-'], { input: cmds.join('\n') + '\n' });
    });
    await mapLimit(plan.nodes, 4, async (n) => {
      const cmds = ['link set lo up'];
      for (const i of n.ifaces) {
        for (const a of i.addresses) cmds.push(`addr add ${a} dev ${i.name}${a.includes(':') ? ' nodad' : ''}`);
        if (i.medium === 'solo') cmds.push(`link set ${soloPeer(i.name)} up`);
        if (i.medium !== 'lo') cmds.push(`link set ${i.name} up`);
      }
      await run('ip', ['-n', this.ns(n.name), '-batch', '-'], { input: cmds.join('\n') + '\n' });
      await run('ip', ['netns', 'exec', this.ns(n.name), 'sysctl', '-qw', 'net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1', ...(n.sysctls ?? [])]);
    });
    // The modelled peers first: a route server waits for the routers to
    // connect, and a router refused once retries only after FRR's connect
    // timer (120 s); on a real network the route server is already up.
    const start = async (n: Plan['nodes'][number]) => {
      const ns = this.ns(n.name);
      const etc = join(ETC, ns);
      const runDir = join(RUN, ns);
      for (const d of [etc, runDir]) {
        mkdirSync(d, { recursive: true, mode: 0o755 });
        chownSync(d, ids.uid, ids.gid);
      }
      const files: [string, string][] = [
        ['vtysh.conf', ''],
        // FRR 8.4's zebra leaves a static route with two interface next hops
        // unresolved after both interfaces went down and up in turn (tried:
        // the kernel nexthop objects go stale); routes as plain kernel
        // routes do not. The choice does not change what is routed.
        ['zebra.conf', 'no zebra nexthop kernel enable\n'],
        ['bgpd.conf', n.config.bgpd],
        ['staticd.conf', n.config.staticd],
      ];
      for (const [f, text] of files) {
        writeFileSync(join(etc, f), text, { mode: 0o640 });
        chownSync(join(etc, f), ids.uid, ids.gid);
      }
      // FRR daemons start as root, drop to the frr user, and daemonise once
      // their configuration is read; each namespace has its own pathspace.
      await run('ip', ['netns', 'exec', ns, join(FRR_BIN, 'zebra'), '-d', '-N', ns, '-f', join(etc, 'zebra.conf')]);
      await run('ip', ['netns', 'exec', ns, join(FRR_BIN, 'staticd'), '-d', '-N', ns, '-f', join(etc, 'staticd.conf')]);
      await run('ip', ['netns', 'exec', ns, join(FRR_BIN, 'bgpd'), '-d', '-N', ns, '-f', join(etc, 'bgpd.conf')]);
    };
    await this.linkLocals(plan);
    await mapLimit(plan.nodes.filter((n) => n.kind !== 'router'), 4, start);
    await mapLimit(plan.nodes.filter((n) => n.kind === 'router'), 4, start);
  }

  /**
   * FRR installs an IPv6 route learned from a directly connected peer with
   * the peer's link-local next hop: the lab learns who owns each one (the
   * kernel makes them when a link comes up) to follow paths hop by hop.
   */
  private async linkLocals(plan: Plan): Promise<void> {
    // The kernel makes them once a veth sees carrier, which it learns
    // asynchronously (linkwatch): polled until each interface has one.
    await mapLimit(plan.nodes, 4, async (n) => {
      const wanted = n.ifaces.filter((i) => i.medium !== 'lo').map((i) => i.name);
      await poll(async () => {
        const doc = JSON.parse((await run('ip', ['-n', this.ns(n.name), '-j', '-6', 'addr', 'show', 'scope', 'link'])).trim() || '[]') as { ifname?: string; addr_info?: { local?: string }[] }[];
        const have = new Set<string>();
        for (const l of doc)
          for (const a of l.addr_info ?? [])
            if (a.local) {
              plan.owner.set(a.local, n.name);
              if (l.ifname) have.add(l.ifname);
            }
        return wanted.every((w) => have.has(w)) ? true : undefined;
      }, 10000, 100);
    });
  }

  /** Sets interfaces down (a failure) or up (its repair). */
  async setLinks(ends: { node: string; iface: string }[], state: 'up' | 'down'): Promise<void> {
    const byNode = new Map<string, string[]>();
    for (const e of ends) byNode.set(e.node, [...(byNode.get(e.node) ?? []), `link set ${e.iface} ${state}`]);
    await Promise.all([...byNode].map(([node, cmds]) => run('ip', ['-n', this.ns(node), '-batch', '-'], { input: cmds.join('\n') + '\n' })));
  }

  /** Idempotent and synchronous, so exit and signal handlers can call it. */
  destroy(): void {
    if (this.down) return;
    this.down = true;
    this.vty.close();
    const tmp = this.tmp;
    const mine = new Set(this.namespaces);
    // Directories made before a namespace failed to come up.
    for (const dir of [ETC, RUN]) {
      if (!existsSync(dir)) continue;
      for (const n of readdirSync(dir)) if (n.startsWith(`${PREFIX}${this.id}-`)) mine.add(n);
    }
    removeNamespaces([...mine]);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

function soloPeer(name: string): string {
  return `z-${name}`.slice(0, 15);
}
