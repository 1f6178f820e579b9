// The lab's findings as a table for people and as JSON for CI.
import type { RouteRow, SessionRow } from './checks.js';
import type { IpsecResult } from './ipsec.js';
import type { VrrpResult } from './vrrp.js';

export interface ScenarioResult {
  fail: string;
  ok: boolean;
  /** Seconds from the failure until every check passed and stayed passing; null when it never did. */
  seconds: number | null;
  hold: number;
  problems: string[];
  /** Seconds from the repair until the baseline held again. */
  restored: number | null;
}

export interface Untranslated {
  router: string;
  file: string;
  line: number;
  text: string;
}

export interface LabReport {
  ok: boolean;
  source: string;
  /** FRR's version, once the lab ran. */
  frr?: string;
  routers: number;
  gateways: string[];
  /** Peers outside the topology modelled from the routers naming them (an HA partner, route server endpoints). */
  peers: string[];
  /** Seconds from the daemons' start until every session was Established and the checks passed. */
  converged: number | null;
  sessions: SessionRow[];
  routes: RouteRow[];
  scenarios: ScenarioResult[];
  untranslated: Untranslated[];
  /** IPsec pairs run with strongSwan: both ends' rendered lines, test secrets. */
  ipsec: IpsecResult[];
  /** VRRP groups run with keepalived: one master, and the backup takes over when the master dies. */
  vrrp: VrrpResult[];
  problems: string[];
  notes: string[];
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

function ranges(lines: number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    out.push(i === j ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

export function formatReport(r: LabReport): string {
  const out: string[] = [];
  out.push(`vygen lab: ${r.source}: ${r.routers} routers${r.gateways.length > 0 ? `, cloud gateway${r.gateways.length > 1 ? 's' : ''} ${r.gateways.join(', ')}` : ''}${r.peers.length > 0 ? `, peer${r.peers.length > 1 ? 's' : ''} outside the topology ${r.peers.join(', ')}` : ''}${r.frr ? ` (FRR ${r.frr})` : ''}`);
  if (r.converged !== null) out.push(`converged in ${r.converged.toFixed(1)} s`);
  out.push('', `sessions (${r.sessions.length})`);
  if (r.sessions.length > 0) out.push(...table([['ROUTER', 'NEIGHBOR', 'PEER', 'STATE'], ...r.sessions.map((s) => [s.router, s.neighbor, s.peer, s.state])]).map((l) => `  ${l}`));
  out.push('', `routes (${r.routes.length})`);
  if (r.routes.length > 0) out.push(...table([['ROUTER', 'PREFIX', 'VIA'], ...r.routes.map((x) => [x.router, x.prefix, x.via.join(' > ')])]).map((l) => `  ${l}`));
  if (r.scenarios.length > 0) {
    out.push('', `scenarios (${r.scenarios.length})`);
    out.push(
      ...table([
        ['FAIL', 'RESULT', 'SECONDS', 'HOLD'],
        ...r.scenarios.map((s) => [`${s.fail}`, s.ok ? 'ok' : 'FAILED', s.seconds === null ? '-' : s.seconds.toFixed(1), String(s.hold)]),
      ]).map((l) => `  ${l}`),
    );
    for (const s of r.scenarios.filter((x) => !x.ok)) for (const p of s.problems) out.push(`  ${s.fail}: ${p}`);
  }
  if (r.ipsec.length > 0) {
    out.push('', `ipsec (${r.ipsec.length} pairs, strongSwan with userspace ESP)`);
    out.push(...table([['BETWEEN', 'IKE', 'CHILD'], ...r.ipsec.map((x) => [x.between.join(' ↔ '), x.ike, x.child])]).map((l) => `  ${l}`));
  }
  if (r.vrrp.length > 0) {
    out.push('', `vrrp (${r.vrrp.length} groups, keepalived)`);
    out.push(
      ...table([['GROUP', 'ROUTERS', 'MASTER', 'TAKEOVER'], ...r.vrrp.map((x) => [x.group, x.routers.join(' '), x.master ?? '-', x.takeover === null ? '-' : `${x.takeover.toFixed(1)} s`])]).map((l) => `  ${l}`),
    );
  }
  if (r.untranslated.length > 0) {
    out.push('', `untranslated (${r.untranslated.length} lines, not modelled by the lab)`);
    const byFile = new Map<string, Map<string, number[]>>();
    for (const u of r.untranslated) {
      const section = u.text.split(/\s+/).slice(1, 3).join(' ');
      const m = byFile.get(u.file) ?? new Map<string, number[]>();
      m.set(section, [...(m.get(section) ?? []), u.line]);
      byFile.set(u.file, m);
    }
    for (const [file, sections] of byFile) out.push(`  ${file}: ${[...sections].map(([s, ls]) => `${s} (${ls.length}: lines ${ranges(ls)})`).join('; ')}`);
  }
  for (const n of r.notes) out.push('', `note: ${n}`);
  if (r.problems.length > 0) out.push('', `problems (${r.problems.length})`, ...r.problems.map((p) => `  ${p}`));
  const failed = r.scenarios.filter((s) => !s.ok).length;
  out.push('', r.ok ? 'result: ok' : `result: FAILED (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}${failed > 0 ? `, ${failed} scenario${failed === 1 ? '' : 's'}` : ''})`);
  return out.join('\n') + '\n';
}

export function jsonOf(r: LabReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}
