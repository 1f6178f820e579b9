// VRRP mistakes keepalived accepts without a word: two instances fighting
// over one VRID, two MASTERs or equal priorities (both hold the VIPs), a
// BACKUP that can never lose, one VIP in two instances, a unicast peer that is
// the node itself, mistyped interface names.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { formatPath as formatted, shown } from '../../diagnostics.js';
import type { LvsNode, LvsPair, LvsSegment, LvsTopology } from './model.js';
import { contains } from '../../net/ipv4.js';

export function checkVrrp(lvs: LvsTopology, diags: Diagnostics): void {
  for (const p of lvs.pairs) {
    checkRoles(p, diags);
    checkPriorities(p, diags);
    checkSegment(p, diags);
    checkUnicast(p, diags);
    checkPreempt(p, diags);
    checkInterfaces(p, diags);
  }
  checkVrids(lvs, diags);
  checkVips(lvs, diags);
}

function checkRoles(p: LvsPair, diags: Diagnostics): void {
  const [a, b] = p.nodes;
  if (a.role !== b.role) return;
  if (a.role === 'master') {
    diags.error('lvs-two-masters', [...b.path, 'role'], `both directors of LVS pair ${p.name} are MASTER`, {
      expected: 'one node with role master and one with role backup',
      found: `${a.name}: master, ${b.name}: master`,
      hint: 'two MASTERs both hold the VIPs until the adverts sort it out (keepalived accepts it); make one of them backup',
    });
  } else {
    diags.error('lvs-no-master', [...b.path, 'role'], `both directors of LVS pair ${p.name} are BACKUP`, {
      expected: 'one node with role master and one with role backup',
      found: `${a.name}: backup, ${b.name}: backup`,
      hint: 'make the preferred director master; for "no failback" use preempt: false, which vygen renders as two BACKUPs with nopreempt',
    });
  }
}

function checkPriorities(p: LvsPair, diags: Diagnostics): void {
  const [a, b] = p.nodes;
  if (a.priority === b.priority) {
    const at = b.priorityPath.length > b.path.length ? b : a;
    diags.error('lvs-priority-equal', at.priorityPath, `both directors of LVS pair ${p.name} have priority ${a.priority}`, {
      at: at.priorityPath === at.path ? 'key' : 'value',
      expected: 'two different priorities, the master\'s higher',
      found: `${a.name}: ${a.priority}, ${b.name}: ${b.priority}`,
      hint: 'with equal priorities the node with the higher IP address wins, whatever its role; set priority on one node (or leave both to the role defaults 150 and 100)',
    });
  } else if (a.role !== b.role) {
    const master = a.role === 'master' ? a : b;
    const backup = master === a ? b : a;
    // A backup at 255 has its own, more specific diagnostic below.
    if (master.priority < backup.priority && backup.priority !== 255) {
      diags.error('lvs-priority-inverted', backup.priorityPath, `the backup ${backup.name} has a higher priority than the master ${master.name}`, {
        at: backup.priorityPath === backup.path ? 'key' : 'value',
        expected: `a backup priority below the master's ${master.priority}`,
        found: String(backup.priority),
        hint: 'the higher priority becomes MASTER whatever state says; swap the roles or the priorities',
      });
    }
  }
  for (const n of p.nodes) {
    if (n.role === 'backup' && n.priority === 255) {
      diags.error('lvs-backup-priority-255', n.priorityPath, `backup ${n.name} has priority 255`, {
        expected: 'a priority from 1 to 254 on a backup',
        found: '255',
        hint: '255 means "owns the VIPs": the node preempts at once and never stays BACKUP; use 254 or less',
      });
    }
  }
}

function checkSegment(p: LvsPair, diags: Diagnostics): void {
  const [a, b] = p.nodes;
  if (a.address.length === b.address.length && contains(a.address, b.address.address)) return;
  diags.error('lvs-nodes-apart', [...b.path, 'address'], `${b.name} (${b.address.text}) is not on the subnet of ${a.name} (${a.address.network})`, {
    expected: `an address in ${a.address.network}`,
    found: b.address.text,
    hint: 'VRRP and the VIPs need both directors on one layer-2 segment',
  });
}

function checkUnicast(p: LvsPair, diags: Diagnostics): void {
  if (!p.unicast) {
    for (const n of p.nodes) {
      if (n.unicastSrcPath[n.unicastSrcPath.length - 1] !== 'unicast_src_ip') continue;
      diags.warn('lvs-unicast-src-unused', n.unicastSrcPath, `unicast_src_ip of ${n.name} is not used: LVS pair ${p.name} sends multicast adverts`, {
        expected: 'unicast: true on the pair, or multicast: false on its segment',
        found: n.unicastSrc,
        hint: 'remove unicast_src_ip, or set unicast: true if multicast does not work on the segment',
      });
    }
    return;
  }
  const [a, b] = p.nodes;
  if (a.unicastSrc !== b.unicastSrc) return;
  diags.error('lvs-unicast-peer-self', b.unicastSrcPath, `the unicast peer of ${a.name} is its own address ${a.unicastSrc}`, {
    expected: `an address of ${b.name} other than ${a.name}'s ${a.unicastSrc}`,
    found: b.unicastSrc,
    hint: 'each node sends its adverts to the other node\'s unicast_src_ip (default: its address); a node that only talks to itself becomes MASTER alongside the other',
  });
}

function checkPreempt(p: LvsPair, diags: Diagnostics): void {
  if (!p.preempt) {
    // Found by the fuzzer's keepalived -t: the address owner always preempts.
    for (const n of p.nodes.filter((x) => x.priority === 255)) {
      diags.error('lvs-nopreempt-with-255', n.priorityPath, `${n.name} has priority 255, which always takes the VIPs back: preempt: false cannot hold for LVS pair ${p.name}`, {
        at: n.priorityPath === n.path ? 'key' : 'value',
        expected: 'a priority from 1 to 254 with preempt: false',
        found: '255',
        hint: 'keepalived drops nopreempt for the address owner (priority 255) with a warning only; lower the priority, or remove preempt: false',
      });
    }
  }
  if (p.preempt || !p.preemptDelay) return;
  diags.error('lvs-nopreempt-with-delay', p.preemptDelay.path, `LVS pair ${p.name} has both preempt: false and preempt_delay`, {
    expected: 'preempt_delay only when preempting',
    found: `preempt: false, preempt_delay: ${p.preemptDelay.value}`,
    hint: 'nopreempt never takes the VIPs back, so a delay means nothing (keepalived warns and drops it); remove one of the two',
  });
}

function checkInterfaces(p: LvsPair, diags: Diagnostics): void {
  const known = (n: LvsNode, name: string) => n.interface === name || n.interfaces.includes(name);
  const declared = (name: string) => p.nodes.filter((n) => !known(n, name));
  for (const vip of p.vips) {
    if (!vip.dev) continue;
    for (const n of declared(vip.dev.value)) unknownInterface(n, vip.dev.value, vip.dev.path, diags);
  }
  for (const t of p.trackInterfaces) {
    const own = p.nodes.find((n) => n.interface === t.value);
    if (own) {
      diags.error('lvs-track-own-interface', t.path, `track_interfaces names ${own.name}'s VRRP interface ${t.value}`, {
        expected: 'interfaces other than the one VRRP runs on',
        found: shown(t.value),
        hint: 'the VRRP interface is always tracked; keepalived ignores this entry with a warning. Remove it',
      });
      continue;
    }
    for (const n of declared(t.value)) unknownInterface(n, t.value, t.path, diags);
  }
}

function unknownInterface(n: LvsNode, name: string, path: DocPath, diags: Diagnostics): void {
  const all = [n.interface, ...n.interfaces];
  diags.error('lvs-unknown-interface', path, `${n.name} has no interface ${shown(name)}`, {
    expected: `one of ${n.name}'s interfaces: ${all.join(', ')}`,
    found: shown(name),
    hint: `keepalived accepts any name and fails at run time; fix the name, or list the interface under ${formatted(n.path)}.interfaces`,
  });
}

function checkVrids(lvs: LvsTopology, diags: Diagnostics): void {
  const bySegment = new Map<LvsSegment, LvsPair[]>();
  for (const p of lvs.pairs) bySegment.set(p.segment, [...(bySegment.get(p.segment) ?? []), p]);
  for (const [segment, pairs] of bySegment) {
    const seen = new Map<number, string>();
    for (const r of segment.reserved) seen.set(r.value, `reserved by ${formatted(r.path)}`);
    for (const p of pairs) {
      if (!p.vridPath) continue;
      const first = seen.get(p.vrid);
      if (first) {
        diags.error('lvs-vrid-twice', p.vridPath, `VRID ${p.vrid} is used twice on segment ${segment.name}`, {
          expected: 'a VRID used once per layer-2 segment',
          found: `${p.vrid}, already ${first}`,
          hint: 'two VRRP instances with one VRID on a segment take each other\'s adverts (keepalived does not notice); pick another, or remove vrid to let vygen choose a free one',
        });
        continue;
      }
      seen.set(p.vrid, `used by LVS pair ${p.name}`);
    }
  }
}

function checkVips(lvs: LvsTopology, diags: Diagnostics): void {
  const owners = new Map<string, string>();
  for (const p of lvs.pairs) for (const n of p.nodes) owners.set(n.address.address, `the address of director ${n.name}`);
  const seen = new Map<string, { pair: LvsPair; path: DocPath }>();
  for (const p of lvs.pairs) {
    for (const v of p.vips) {
      const node = owners.get(v.address);
      if (node) {
        diags.error('lvs-vip-is-node-address', [...v.path, 'address'], `VIP ${v.address} is ${node}`, {
          expected: 'a virtual IP no host has as its own address',
          found: v.address,
          hint: 'the VIP moves between the directors; a director\'s own address must stay where it is',
        });
        continue;
      }
      const first = seen.get(v.address);
      if (first) {
        const samePair = first.pair === p;
        diags.error('lvs-vip-twice', [...v.path, 'address'], samePair ? `VIP ${v.address} is listed twice in LVS pair ${p.name}` : `VIP ${v.address} is in two VRRP instances`, {
          expected: 'each VIP once, in one instance',
          found: `${v.address}, already at ${formatted(first.path)}`,
          hint: samePair
            ? 'remove the second entry'
            : 'two instances holding one VIP each add it when MASTER and delete it when BACKUP, so it flaps; keep it in one pair',
        });
        continue;
      }
      seen.set(v.address, { pair: p, path: v.path });
    }
  }
}
