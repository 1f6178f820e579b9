// LVS directors in the lab: each director's rendered keepalived.conf run by
// the real keepalived, VRRP only (`-P`: the IPVS virtual servers need the
// kernel's IPVS and real servers, which the lab has not), in a namespace of
// its own, its interfaces on one bridge per pair and interface name. Every
// instance must elect exactly one master, the one with the highest priority,
// and when a master's keepalived dies without a goodbye (SIGKILL) every
// instance it was master of must move to a backup.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec.js';
import { electAndFailOver, type CheckedGroup, type VrrpResult } from './failover-check.js';

const HEADER = /^# vygen: keepalived\.conf of director ([A-Za-z0-9._-]+) \(LVS pair ([A-Za-z0-9._-]+), /;

export interface DirectorFile {
  name: string;
  text: string;
}

interface Instance {
  name: string;
  iface: string;
  vrid: number;
  priority: number;
  advert: number;
  unicastSource?: string;
  /** nopreempt or a preempt_delay: the first master stays for a while, whatever the priorities. */
  noPreempt: boolean;
  /** Interfaces the instance tracks (it goes to FAULT when one is missing or down). */
  tracked: string[];
  /** Each virtual address as written (`A` or `A/len`) and bare, with its interface. */
  addresses: { address: string; written: string; iface: string }[];
}

export interface Director {
  file: string;
  name: string;
  pair: string;
  text: string;
  instances: Instance[];
}

export function isDirectorFile(f: DirectorFile): boolean {
  return HEADER.test(f.text);
}

/** The vrrp_instance blocks of a rendered director file (vygen writes one key per line). */
export function readDirector(f: DirectorFile): Director {
  const [, name, pair] = HEADER.exec(f.text)!;
  const instances: Instance[] = [];
  let cur: Instance | undefined;
  let block: string | undefined;
  let depth = 0;
  for (const raw of f.text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || line === '') continue;
    const open = line.endsWith('{');
    if (depth === 0 && open) {
      const m = /^vrrp_instance (\S+) \{$/.exec(line);
      if (m) cur = { name: m[1]!, iface: '', vrid: 0, priority: 100, noPreempt: false, tracked: [], advert: 1, addresses: [] };
    } else if (cur && depth === 1 && open) block = line.split(' ')[0];
    else if (cur && depth === 1) {
      const [k, v] = line.split(/\s+/);
      if (k === 'interface') cur.iface = v!;
      if (k === 'virtual_router_id') cur.vrid = Number(v);
      if (k === 'priority') cur.priority = Number(v);
      if (k === 'advert_int') cur.advert = Number(v);
      if (k === 'unicast_src_ip') cur.unicastSource = v!;
      if (k === 'nopreempt' || (k === 'preempt_delay' && Number(v) > 0)) cur.noPreempt = true;
    } else if (cur && depth === 2 && block === 'track_interface' && line !== '}') {
      cur.tracked.push(line.split(/\s+/)[0]!);
    } else if (cur && depth === 2 && block === 'virtual_ipaddress' && line !== '}') {
      const w = line.split(/\s+/);
      const dev = w.indexOf('dev');
      cur.addresses.push({ address: w[0]!.replace(/\/\d+$/, ''), written: w[0]!, iface: dev > 0 ? w[dev + 1]! : cur.iface });
    }
    if (open) depth++;
    if (line === '}' || line.endsWith('}')) {
      depth--;
      if (depth === 1) block = undefined;
      if (depth === 0 && cur) {
        instances.push(cur);
        cur = undefined;
      }
    }
  }
  return { file: f.name, name: name!, pair: pair!, text: f.text, instances };
}

interface Group {
  pair: string;
  name: string;
  vrid: number;
  members: { d: Director; i: Instance }[];
}

interface Lab {
  ns(node: string): string;
  track(ns: string): void;
  scratch(): string;
}

/** Runs every pair's directors and checks their instances; one result per instance and pair. */
export async function runDirectors(lab: Lab, directors: readonly Director[], bin: string): Promise<{ results: VrrpResult[]; notes: string[] }> {
  const notes: string[] = [];
  const dir = join(lab.scratch(), 'directors');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Namespaces: one per director, one per pair and interface (its bridge).
  const segments = new Map<string, { ns: string; members: { director: Director; iface: string }[] }>();
  for (const d of directors) {
    const ifaces = interfacesOf(d);
    for (const iface of ifaces) {
      const key = `${d.pair}/${iface}`;
      const seg = segments.get(key) ?? { ns: lab.ns(`lan-${d.pair}-${iface}`.slice(0, 40)), members: [] };
      seg.members.push({ director: d, iface });
      segments.set(key, seg);
    }
  }
  const nsOf = (d: Director) => lab.ns(`dir-${d.name}`);
  for (const ns of [...directors.map(nsOf), ...[...segments.values()].map((s) => s.ns)]) {
    await run('ip', ['netns', 'add', ns]);
    lab.track(ns);
  }
  const links: string[] = [];
  for (const s of segments.values()) s.members.forEach((m, j) => links.push(`link add ${m.iface} netns ${nsOf(m.director)} type veth peer name p${j} netns ${s.ns}`));
  await run('ip', ['-batch', '-'], { input: `${links.join('\n')}\n` });
  for (const s of segments.values()) {
    const cmds = ['link add br0 type bridge forward_delay 0', ...s.members.flatMap((_, j) => [`link set p${j} master br0`, `link set p${j} up`]), 'link set br0 up'];
    await run('ip', ['-n', s.ns, '-batch', '-'], { input: `${cmds.join('\n')}\n` });
  }
  // Each director's address on each interface: its unicast source where it
  // names one, else a test address (multicast VRRP needs some address).
  let testHost = 10;
  const segIndex = new Map([...segments.keys()].map((k, i) => [k, i]));
  for (const d of directors) {
    const cmds = ['link set lo up'];
    for (const iface of interfacesOf(d)) {
      const here = d.instances.filter((i) => i.iface === iface);
      const own = [...new Set(here.map((i) => i.unicastSource).filter((x): x is string => x !== undefined))];
      const addresses = own.map((a) => (a.includes(':') ? `${a}/64 nodad` : `${a}/24`));
      // IPv4 VRRP needs an IPv4 address to send from; IPv6 VRRP sends from the link-local one.
      if (!own.some((a) => !a.includes(':')) && (here.length === 0 || here.some((i) => !i.unicastSource && !i.addresses.some((x) => x.address.includes(':'))))) {
        const address = `198.19.${200 + segIndex.get(`${d.pair}/${iface}`)!}.${testHost++}/24`;
        notes.push(`director ${d.name} has no IPv4 address of its own on ${iface} in its keepalived.conf: the lab gave it ${address}`);
        addresses.push(address);
      }
      cmds.push(...addresses.map((a) => `addr add ${a} dev ${iface}`), `link set ${iface} up`);
    }
    await run('ip', ['-n', nsOf(d), '-batch', '-'], { input: `${cmds.join('\n')}\n` });
  }
  const pidOf = (d: Director) => join(dir, `${d.name}.vrrp.pid`);
  const start = (d: Director) => {
    const child = spawn('ip', ['netns', 'exec', nsOf(d), bin, '-n', '-P', '-f', join(dir, `${d.name}.keepalived.conf`), '-p', join(dir, `${d.name}.pid`), '-r', pidOf(d)], { stdio: 'ignore' });
    child.unref();
  };
  for (const d of directors) {
    const conf = join(dir, `${d.name}.keepalived.conf`);
    // Connection sync is IPVS's: keepalived's VRRP process initialises IPVS for
    // it, and without the kernel's IPVS it crashes (tried: keepalived 2.2.7).
    // Track scripts check the director's own services, which the lab has not:
    // a missing script would hold the instance in FAULT.
    writeFileSync(conf, withoutTrackScripts(d.text.replace(/^\s*lvs_sync_daemon .*\n/gm, '')), { mode: 0o600 });
    start(d);
  }
  if (directors.some((d) => /^\s*track_script \{/m.test(d.text))) notes.push('LVS directors: track scripts (vrrp_script) are not run in the lab (they check services the lab has not)');
  notes.push('LVS directors: only VRRP was tested (keepalived -P; this kernel has no IPVS): the virtual servers, their checkers and connection sync (lvs_sync_daemon, left out of the lab\'s copy) were not run');

  // The groups: one VRID of one pair, with each director's instance.
  const groups = new Map<string, Group>();
  for (const d of directors)
    for (const i of d.instances) {
      // A pair is one set of segments: its VRIDs are unique across them.
      const key = `${d.pair}/${i.vrid}`;
      const g = groups.get(key) ?? { pair: d.pair, name: i.name, vrid: i.vrid, members: [] };
      g.members.push({ d, i });
      groups.set(key, g);
    }
  const holders = async (g: Group, skip?: string) => {
    const have: string[] = [];
    for (const { d, i } of g.members) {
      if (d.name === skip || i.addresses.length === 0) continue;
      const out = await run('ip', ['-n', nsOf(d), '-o', 'addr', 'show']).catch(() => '');
      if (i.addresses.every((a) => out.includes(` ${a.address}/`))) have.push(d.name);
    }
    return have;
  };
  const checked: CheckedGroup[] = [];
  for (const g of [...groups.values()]) {
    const label = `${g.pair} ${g.name}`;
    if (g.members.length < 2) {
      notes.push(`LVS ${label} (vrid ${g.vrid}): only ${g.members.map((m) => m.d.name).join(', ')} has it: not tested`);
      continue;
    }
    checked.push({
      label,
      vrid: g.vrid,
      members: g.members.map((m) => m.d.name),
      addresses: g.members[0]!.i.addresses.map((a) => a.address),
      advert: Math.max(...g.members.map((m) => m.i.advert)),
      best: g.members.some((m) => m.i.noPreempt) ? undefined : [...g.members].sort((a, b) => b.i.priority - a.i.priority)[0]!.d.name,
      holders: (skip?: string) => holders(g, skip),
    });
  }
  const byName = new Map(directors.map((d) => [d.name, d]));
  const results = await electAndFailOver(
    checked.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
    {
      kind: 'LVS',
      member: 'director',
      pidFiles: (name) => [pidOf(byName.get(name)!), join(dir, `${name}.pid`)],
      // The killed directors come back, their addresses (left behind by SIGKILL) removed first.
      restore: async (names) => {
        for (const name of names) {
          const back = byName.get(name)!;
          const cmds = back.instances.flatMap((i) => i.addresses.map((a) => `addr del ${a.written.includes('/') ? a.written : `${a.written}/32`} dev ${a.iface}`));
          await run('ip', ['-force', '-n', nsOf(back), '-batch', '-'], { input: `${cmds.join('\n')}\n` }).catch(() => '');
          start(back);
        }
      },
    },
  );
  return { results, notes };
}

/** The text without its vrrp_script blocks and the instances' track_script blocks. */
function withoutTrackScripts(text: string): string {
  const out: string[] = [];
  let skip = 0;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (skip === 0 && /^(vrrp_script \S+|track_script) \{$/.test(t)) {
      skip = 1;
      continue;
    }
    if (skip > 0) {
      if (t.endsWith('{')) skip++;
      if (t === '}') skip--;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

function interfacesOf(d: Director): string[] {
  return [...new Set(d.instances.flatMap((i) => [i.iface, ...i.addresses.map((a) => a.iface), ...i.tracked]))].sort();
}
