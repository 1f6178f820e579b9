// The keepalived check both VRRP users of the lab share (VyOS routers'
// `high-availability vrrp` groups, LVS directors' vrrp_instances): every group
// elects exactly one master, the one with the highest priority; then each
// master's keepalived is killed once (SIGKILL: no goodbye) and every group it
// was master of must move to a backup. Elections come first for every group:
// killing one keepalived takes all of that box's groups down at once and
// leaves their addresses behind.
import { existsSync, readFileSync } from 'node:fs';
import { poll } from './exec.js';

export interface VrrpResult {
  group: string;
  routers: string[];
  ok: boolean;
  master: string | null;
  /** Seconds from the master's keepalived being killed until the backup held the address. */
  takeover: number | null;
  problems: string[];
  /** Why the takeover was not tried. */
  note?: string;
}

export interface CheckedGroup {
  /** As reported: `VRRP <label> (vrid N): …`. */
  label: string;
  vrid: number;
  members: string[];
  addresses: string[];
  /** The longest advertisement interval of its members, in seconds. */
  advert: number;
  /** The member that must win the election; undefined when the first master may stay (nopreempt, a preempt delay). */
  best: string | undefined;
  /** The members holding every address of the group, `skip` left out. */
  holders(skip?: string): Promise<string[]>;
}

export interface FailoverCheck {
  kind: 'VRRP' | 'LVS';
  /** What a member is called in "no … holds". */
  member: string;
  /** The pid files of a member's keepalived (parent and VRRP child). */
  pidFiles(member: string): string[];
  /** Brings members killed for an earlier master back before the next master is killed; without it their groups are not tested. */
  restore?(members: string[]): Promise<void>;
}

export async function electAndFailOver(groups: readonly CheckedGroup[], c: FailoverCheck): Promise<VrrpResult[]> {
  const results: VrrpResult[] = [];
  const elected: { g: CheckedGroup; master: string; problems: string[] }[] = [];
  for (const g of groups) {
    // A master is elected after the master-down interval (3 adverts and a
    // skew); a lone holder counts once it has kept the address that long
    // again, so a second master coming up a moment later is not missed.
    const steadyMs = (3 * g.advert + 1) * 1000;
    let since = 0;
    let who = '';
    const first = await poll(async () => {
      const h = await g.holders();
      const now = Date.now();
      if (h.length !== 1) {
        who = '';
        return undefined;
      }
      if (h[0] !== who) {
        who = h[0]!;
        since = now;
      }
      return now - since >= steadyMs ? h : undefined;
    }, 20000, 100);
    if (!first) {
      const h = await g.holders();
      results.push({ group: g.label, routers: g.members, ok: false, master: null, takeover: null, problems: [`${c.kind} ${g.label} (vrid ${g.vrid}): ${h.length === 0 ? `no ${c.member} holds` : `${h.join(' and ')} all hold`} ${g.addresses.join(', ')} after 20 s`] });
      continue;
    }
    const problems: string[] = [];
    if (g.best !== undefined && first[0] !== g.best) problems.push(`${c.kind} ${g.label}: ${first[0]} is master, not ${g.best} with the highest priority`);
    elected.push({ g, master: first[0]!, problems });
  }
  const killed = new Set<string>();
  for (const [k, master] of [...new Set(elected.map((e) => e.master))].entries()) {
    if (k > 0 && c.restore) {
      await c.restore([...killed]);
      killed.clear();
      await poll(async () => ((await Promise.all(elected.map((e) => e.g.holders()))).every((h) => h.length === 1) ? true : undefined), 20000, 100);
    }
    const mine = elected.filter((e) => e.master === master);
    const testable = mine.filter((e) => e.g.members.some((m) => m !== master && !killed.has(m)));
    if (testable.length > 0) {
      for (const p of c.pidFiles(master)) {
        const text = existsSync(p) ? readFileSync(p, 'utf8').trim() : '';
        if (/^\d+$/.test(text)) process.kill(Number(text), 'SIGKILL');
      }
    }
    killed.add(master);
    const t0 = Date.now();
    for (const { g, problems } of mine) {
      if (!testable.some((e) => e.g === g)) {
        results.push({ group: g.label, routers: g.members, ok: problems.length === 0, master, takeover: null, problems, note: "takeover not tested: every backup's keepalived was killed for an earlier group" });
        continue;
      }
      const next = await poll(async () => {
        const h = await g.holders(master);
        return h.length === 1 ? h : undefined;
      }, 15000, 100);
      if (!next) problems.push(`${c.kind} ${g.label}: no backup took ${g.addresses.join(', ')} over within 15 s of ${master}'s keepalived being killed`);
      results.push({ group: g.label, routers: g.members, ok: problems.length === 0, master, takeover: next ? (Date.now() - t0) / 1000 : null, problems });
    }
  }
  const order = new Map(groups.map((g, i) => [g.label, i]));
  return results.sort((a, b) => order.get(a.group)! - order.get(b.group)!);
}
