// VRRP mistakes keepalived accepts without a word: two instances fighting
// over one VRID, two MASTERs or equal priorities (both hold the VIPs), a
// BACKUP that can never lose, one VIP in two instances, a unicast peer that is
// the node itself or an address the node does not have, mistyped interface
// names, a VIP outside its interface's subnet.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { formatPath as formatted, shown } from '../../diagnostics.js';
import type { LvsInstance, LvsInstanceNode, LvsPair, LvsSegment, LvsTopology } from './model.js';
import { containsAddress as contains, familyOf } from '../../net/ip.js';

export function checkVrrp(lvs: LvsTopology, diags: Diagnostics): void {
  for (const p of lvs.pairs) {
    checkUnicastSources(p, diags);
    for (const i of p.instances) {
      checkRoles(i, diags);
      checkPriorities(i, diags);
      checkSegment(i, diags);
      checkUnicast(i, diags);
      checkPreempt(i, diags);
      checkInterfaces(i, diags);
      checkVipSubnets(i, diags);
    }
    checkInstanceNames(p, diags);
  }
  checkVrids(lvs, diags);
  checkVips(lvs, diags);
}

function checkRoles(i: LvsInstance, diags: Diagnostics): void {
  const [a, b] = i.nodes;
  if (a.role !== b.role) return;
  if (a.role === 'master') {
    diags.error('lvs-two-masters', b.rolePath, `both directors of ${i.label} are MASTER`, {
      expected: 'one node with role master and one with role backup',
      found: `${a.name}: master, ${b.name}: master`,
      hint: 'two MASTERs both hold the VIPs until the adverts sort it out (keepalived accepts it); make one of them backup',
    });
  } else {
    diags.error('lvs-no-master', b.rolePath, `both directors of ${i.label} are BACKUP`, {
      expected: 'one node with role master and one with role backup',
      found: `${a.name}: backup, ${b.name}: backup`,
      hint: 'make the preferred director master; for "no failback" use preempt: false, which vygen renders as two BACKUPs with nopreempt',
    });
  }
}

const derived = (n: LvsInstanceNode) => n.priorityPath === n.path;
/** Nothing in the short form (the pair is the instance), the instance in the long form. */
const of = (i: LvsInstance) => (i.label.startsWith('LVS pair') ? '' : ` in VRRP instance ${i.name}`);

function checkPriorities(i: LvsInstance, diags: Diagnostics): void {
  const [a, b] = i.nodes;
  if (a.priority === b.priority) {
    const at = !derived(b) ? b : a;
    diags.error('lvs-priority-equal', at.priorityPath, `both directors of ${i.label} have priority ${a.priority}`, {
      at: derived(at) ? 'key' : 'value',
      expected: 'two different priorities, the master\'s higher',
      found: `${a.name}: ${a.priority}, ${b.name}: ${b.priority}`,
      hint: 'with equal priorities the node with the higher IP address wins, whatever its role; set priority on one node (or leave both to the role defaults 150 and 100)',
    });
  } else if (a.role !== b.role) {
    const master = a.role === 'master' ? a : b;
    const backup = master === a ? b : a;
    // A backup at 255 has its own, more specific diagnostic below.
    if (master.priority < backup.priority && backup.priority !== 255) {
      diags.error('lvs-priority-inverted', backup.priorityPath, `the backup ${backup.name} has a higher priority than the master ${master.name}${of(i)}`, {
        at: derived(backup) ? 'key' : 'value',
        expected: `a backup priority below the master's ${master.priority}`,
        found: String(backup.priority),
        hint: 'the higher priority becomes MASTER whatever state says; swap the roles or the priorities',
      });
    }
  }
  for (const n of i.nodes) {
    if (n.role === 'backup' && n.priority === 255) {
      diags.error('lvs-backup-priority-255', n.priorityPath, `backup ${n.name} has priority 255${of(i)}`, {
        expected: 'a priority from 1 to 254 on a backup',
        found: '255',
        hint: '255 means "owns the VIPs": the node preempts at once and never stays BACKUP; use 254 or less',
      });
    }
  }
}

function checkSegment(i: LvsInstance, diags: Diagnostics): void {
  const [a, b] = i.nodes;
  if (a.address.length === b.address.length && contains(a.address, b.address.address)) return;
  diags.error('lvs-nodes-apart', b.node.addresses.get(b.interface)?.find((x) => x.value.family === b.address.family)?.path ?? b.path, `${b.name} (${b.address.text}) is not on the subnet of ${a.name} (${a.address.network})`, {
    expected: `an address in ${a.address.network}`,
    found: b.address.text,
    hint: 'VRRP and the VIPs need both directors on one layer-2 segment',
  });
}

/** unicast_src_ip must be one of the node's own addresses, and is used only by a unicast instance. */
function checkUnicastSources(p: LvsPair, diags: Diagnostics): void {
  for (const n of p.nodes) {
    const src = n.unicastSrcIp;
    if (!src) continue;
    const own = [...n.addresses.values()].flat().map((a) => a.value.address);
    if (!own.includes(src.value)) {
      diags.error('lvs-unicast-src-not-local', src.path, `unicast_src_ip ${src.value} is not an address of ${n.name}`, {
        expected: `one of ${n.name}'s addresses: ${own.join(', ')}`,
        found: src.value,
        hint: 'keepalived sends the adverts from it anyway and the peer, which sends to it, is never heard: both become MASTER',
      });
      continue;
    }
    const users = p.instances.filter((i) => i.nodes.some((m) => m.node === n && m.interface === n.interface));
    if (users.length === 0 || users.some((i) => i.unicast)) continue;
    diags.warn('lvs-unicast-src-unused', src.path, `unicast_src_ip of ${n.name} is not used: LVS pair ${p.name} sends multicast adverts`, {
      expected: 'unicast: true on the pair, or multicast: false on its segment',
      found: src.value,
      hint: 'remove unicast_src_ip, or set unicast: true if multicast does not work on the segment',
    });
  }
}

function checkUnicast(i: LvsInstance, diags: Diagnostics): void {
  if (!i.unicast) return;
  const [a, b] = i.nodes;
  if (a.unicastSrc !== b.unicastSrc) return;
  diags.error('lvs-unicast-peer-self', b.unicastSrcPath, `the unicast peer of ${a.name} is its own address ${a.unicastSrc}`, {
    expected: `an address of ${b.name} other than ${a.name}'s ${a.unicastSrc}`,
    found: b.unicastSrc,
    hint: 'each node sends its adverts to the other node\'s unicast_src_ip (default: its address); a node that only talks to itself becomes MASTER alongside the other',
  });
}

function checkPreempt(i: LvsInstance, diags: Diagnostics): void {
  if (!i.preempt) {
    // Found by the fuzzer's keepalived -t: the address owner always preempts.
    for (const n of i.nodes.filter((x) => x.priority === 255)) {
      diags.error('lvs-nopreempt-with-255', n.priorityPath, `${n.name} has priority 255, which always takes the VIPs back: preempt: false cannot hold for ${i.label}`, {
        at: derived(n) ? 'key' : 'value',
        expected: 'a priority from 1 to 254 with preempt: false',
        found: '255',
        hint: 'keepalived drops nopreempt for the address owner (priority 255) with a warning only; lower the priority, or remove preempt: false',
      });
    }
  }
  if (i.preempt || !i.preemptDelay) return;
  diags.error('lvs-nopreempt-with-delay', i.preemptDelay.path, `${i.label} has both preempt: false and preempt_delay`, {
    expected: 'preempt_delay only when preempting',
    found: `preempt: false, preempt_delay: ${i.preemptDelay.value}`,
    hint: 'nopreempt never takes the VIPs back, so a delay means nothing (keepalived warns and drops it); remove one of the two',
  });
}

function checkInterfaces(i: LvsInstance, diags: Diagnostics): void {
  const lacking = (name: string) => i.nodes.filter((n) => !n.interfaces.includes(name));
  for (const vip of i.vips) {
    if (!vip.dev) continue;
    for (const n of lacking(vip.dev.value)) unknownInterface(n, vip.dev.value, vip.dev.path, diags);
  }
  for (const vip of i.vips) {
    if (!vip.label) continue;
    for (const n of i.nodes) {
      const dev = vip.dev?.value ?? n.interface;
      if (vip.label.value.startsWith(`${dev}:`)) continue;
      diags.error('lvs-vip-label', vip.label.path, `label ${shown(vip.label.value)} of VIP ${vip.address} does not start with its interface ${dev} on ${n.name}`, {
        expected: `${dev}:<tag>`,
        found: shown(vip.label.value),
        hint: 'the kernel refuses a label that does not begin with the interface name, so the MASTER fails to add the VIP',
      });
      break;
    }
  }
  for (const r of i.routes) {
    if (!r.dev) continue;
    for (const n of lacking(r.dev.value)) unknownInterface(n, r.dev.value, r.dev.path, diags);
  }
  for (const t of i.trackInterfaces) {
    const own = i.nodes.find((n) => n.interface === t.value);
    if (own) {
      diags.error('lvs-track-own-interface', t.path, `track_interfaces names ${own.name}'s VRRP interface ${t.value}`, {
        expected: 'interfaces other than the one VRRP runs on',
        found: shown(t.value),
        hint: 'the VRRP interface is always tracked; keepalived ignores this entry with a warning. Remove it',
      });
      continue;
    }
    for (const n of lacking(t.value)) unknownInterface(n, t.value, t.path, diags);
  }
}

function unknownInterface(n: LvsInstanceNode, name: string, path: DocPath, diags: Diagnostics): void {
  diags.error('lvs-unknown-interface', path, `${n.name} has no interface ${shown(name)}`, {
    expected: `one of ${n.name}'s interfaces: ${n.interfaces.join(', ')}`,
    found: shown(name),
    hint: `keepalived accepts any name and fails at run time; fix the name, or list the interface under ${formatted(n.path)}.interfaces`,
  });
}

/** A VIP outside every subnet of its interface is announced where no router sends its traffic. */
function checkVipSubnets(i: LvsInstance, diags: Diagnostics): void {
  for (const v of i.vips) {
    const dev = v.dev?.value;
    for (const n of i.nodes) {
      const on = n.node.addresses.get(dev ?? n.interface)?.find((a) => a.value.family === familyOf(v.address))?.value;
      if (!on || contains(on, v.address)) continue;
      diags.warn('lvs-vip-off-subnet', [...v.path, 'address'], `VIP ${v.address} is outside ${n.name}'s subnet ${on.network} on ${dev ?? n.interface}`, {
        expected: `an address in ${on.network}, or dev: the interface whose subnet holds it`,
        found: v.text,
        hint: 'the neighbours on that segment do not route the VIP to the director; it works only where a router sends the VIP\'s traffic to the directors\' segment',
      });
      break;
    }
  }
}

/** Instance names are vrrp_instance names: unique among the pair's instances. */
function checkInstanceNames(p: LvsPair, diags: Diagnostics): void {
  const names = new Set(p.instances.map((i) => i.name));
  const member = new Map<string, DocPath>();
  for (const g of p.syncGroups) {
    const masters = new Map<string, string>();
    for (const ref of g.instances) {
      const inst = p.instances.find((i) => i.name === ref.value);
      if (!names.has(ref.value) || !inst) {
        diags.error('lvs-unknown-instance', ref.path, `sync group ${g.name} names ${shown(ref.value)}, which is no instance of LVS pair ${p.name}`, {
          expected: `one of ${[...names].join(', ')}`,
          found: shown(ref.value),
          hint: 'a sync group lists instances of its own pair',
        });
        continue;
      }
      const earlier = member.get(ref.value);
      if (earlier) {
        diags.error('lvs-instance-in-two-groups', ref.path, `instance ${ref.value} is in two sync groups`, {
          expected: 'each instance in at most one sync group',
          found: `${ref.value}, also at ${formatted(earlier)}`,
          hint: 'keepalived drops the instance from the second group with a log line only; keep it in one',
        });
        continue;
      }
      member.set(ref.value, ref.path);
      masters.set(ref.value, inst.nodes.find((n) => n.role === 'master')?.name ?? '');
    }
    const distinct = new Set(masters.values());
    if (distinct.size > 1) {
      diags.error('lvs-sync-group-split', g.path, `the instances of sync group ${g.name} have different masters`, {
        at: 'key',
        expected: 'one master for every instance of a sync group',
        found: [...masters].map(([i, m]) => `${i}: ${m}`).join(', '),
        hint: 'a sync group moves its instances together, so one director is master of all of them; in an active/active pair put each director\'s instances into a group of their own',
      });
    }
    if (g.instances.length === 1) {
      diags.error('lvs-sync-group-single', g.path, `sync group ${g.name} holds one instance`, {
        at: 'key',
        expected: 'two or more instances',
        found: g.instances[0]!.value,
        hint: 'a group of one instance synchronises nothing (keepalived warns "this probably isn\'t what you want"); use the instance\'s own notify, or add the instances that must fail over with it',
      });
    }
  }
  const s = p.sync;
  if (s.instance && s.explicit && !names.has(s.instance.value)) {
    diags.error('lvs-unknown-instance', s.instance.path, `lvs_sync follows ${shown(s.instance.value)}, which is no instance of LVS pair ${p.name}`, {
      expected: `one of ${[...names].join(', ')}`,
      found: shown(s.instance.value),
      hint: 'the sync daemon follows the state of one VRRP instance of the pair',
    });
  }
  const followed = p.instances.find((i) => i.name === s.instance?.value);
  if (s.explicit && s.enabled && followed && !followed.segment.multicast) {
    diags.warn('lvs-sync-no-multicast', s.path, `lvs_sync on segment ${followed.segment.name}, which has no multicast`, {
      at: 'key',
      expected: 'a sync interface where multicast works (the IPVS sync daemon sends multicast only)',
      found: `segment ${followed.segment.name}: multicast false`,
      hint: 'established connections are not synchronised; follow an instance on a multicast segment, or set lvs_sync: false',
    });
  }
}

function checkVrids(lvs: LvsTopology, diags: Diagnostics): void {
  const bySegment = new Map<LvsSegment, LvsInstance[]>();
  for (const i of lvs.instances) bySegment.set(i.segment, [...(bySegment.get(i.segment) ?? []), i]);
  for (const [segment, instances] of bySegment) {
    const seen = new Map<number, string>();
    for (const r of segment.reserved) seen.set(r.value, `reserved by ${formatted(r.path)}`);
    for (const i of instances) {
      if (!i.vridPath) continue;
      const first = seen.get(i.vrid);
      if (first) {
        diags.error('lvs-vrid-twice', i.vridPath, `VRID ${i.vrid} is used twice on segment ${segment.name}`, {
          expected: 'a VRID used once per layer-2 segment',
          found: `${i.vrid}, already ${first}`,
          hint: 'two VRRP instances with one VRID on a segment take each other\'s adverts (keepalived does not notice); pick another, or remove vrid to let vygen choose a free one',
        });
        continue;
      }
      seen.set(i.vrid, `used by ${i.label}`);
    }
  }
}

function checkVips(lvs: LvsTopology, diags: Diagnostics): void {
  const owners = new Map<string, string>();
  for (const p of lvs.pairs) for (const n of p.nodes) for (const a of [...n.addresses.values()].flat()) owners.set(a.value.address, `the address of director ${n.name}`);
  const seen = new Map<string, { inst: LvsInstance; path: DocPath }>();
  for (const inst of lvs.instances) {
    for (const v of inst.vips) {
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
        const same = first.inst === inst;
        diags.error('lvs-vip-twice', [...v.path, 'address'], same ? `VIP ${v.address} is listed twice in ${inst.label}` : `VIP ${v.address} is in two VRRP instances`, {
          expected: 'each VIP once, in one instance',
          found: `${v.address}, already at ${formatted(first.path)}`,
          hint: same
            ? 'remove the second entry'
            : 'two instances holding one VIP each add it when MASTER and delete it when BACKUP, so it flaps; keep it in one instance',
        });
        continue;
      }
      seen.set(v.address, { inst, path: v.path });
    }
  }
}
