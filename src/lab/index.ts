// `vygen lab`: the rendered files of a topology run by the real FRR in
// network namespaces. Loaded only by the lab command, so the other commands'
// start-up does not pay for it.
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, NO_FAILURE, type Failure, type Verdict } from './checks.js';
import { mkdirSync } from 'node:fs';
import { LabError, mapLimit, poll, runSync } from './exec.js';
import { ipsecMissing, ipsecPairs, runPair, testSecrets } from './ipsec.js';
import { keepalivedPath, runVrrp, unpairedGroups, vrrpFacts, vrrpGroups } from './vrrp.js';
import { isDirectorFile, readDirector, runDirectors, type Director } from './directors.js';
import { FactsError, parseHeader, readFacts, type RouterFacts } from './facts.js';
import { TranslateError } from './frr.js';
import { cleanStale, FRR_BIN, Lab } from './lab.js';
import { planLab, PlanError, type Plan } from './plan.js';
import { formatReport, jsonOf, type LabReport, type ScenarioResult } from './report.js';
import { defaultScenarios, namedScenario, UnknownTarget, type Scenario } from './scenarios.js';
import { look, type Snapshot } from './snapshot.js';

export { formatReport, jsonOf, type LabReport } from './report.js';

export interface LabFile {
  /** Shown in the report: a path relative to the working directory, or the rendered file's name. */
  name: string;
  text: string;
}

export interface LabOptions {
  source: string;
  files: LabFile[];
  /** `--fail` names; empty: every active router, then every inter-site link. */
  fail: string[];
  scenarios: boolean;
  /** Run each IPsec pair with strongSwan (default true). */
  ipsec?: boolean;
  progress: (line: string) => void;
}

/** A reason the lab cannot run on this machine, phrased as what to do; undefined when it can. */
export function missingPrerequisites(): string | undefined {
  if (process.platform !== 'linux') return 'vygen lab runs on Linux only (network namespaces and FRR)';
  const missing: string[] = [];
  for (const d of ['zebra', 'staticd', 'bgpd']) if (!executable(join(FRR_BIN, d))) missing.push(`${FRR_BIN}/${d}`);
  if (!onPath('vtysh')) missing.push('vtysh');
  const frrMissing = missing.length > 0 ? `FRR is not installed (missing ${missing.join(', ')}): install it with \`apt-get install frr\` (Debian/Ubuntu, FRR 8.4 or newer)` : undefined;
  const ipMissing = onPath('ip') ? undefined : 'iproute2 is not installed: `apt-get install iproute2`';
  const root = process.getuid?.() === 0 ? undefined : 'vygen lab needs root to create network namespaces and start FRR: run it as root (for example `sudo npx vygen lab ...`)';
  const all = [root, frrMissing, ipMissing].filter((x): x is string => x !== undefined);
  return all.length > 0 ? all.join('\n') : undefined;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin']).some((d) => d !== '' && executable(join(d, cmd)));
}

/** The router files of a directory of rendered output (`*.vyos` whose line 1 is a router header). */
export function filesOfDirectory(dir: string, shown: string): LabFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new LabError(`${shown} is not a directory`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.vyos') || f.endsWith('.keepalived.conf'))
    .sort()
    .map((f) => ({ name: `${shown.replace(/\/$/, '')}/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

export function isRouterFile(f: LabFile): boolean {
  try {
    parseHeader(f.name, f.text);
    return true;
  } catch {
    return false;
  }
}

export interface LabOutcome {
  report: LabReport;
  exitCode: 0 | 1;
}

function emptyReport(source: string): LabReport {
  return { ok: false, source, routers: 0, gateways: [], peers: [], converged: null, sessions: [], routes: [], scenarios: [], untranslated: [], ipsec: [], vrrp: [], problems: [], notes: [] };
}

/** Refusals of the input itself (a line that does not parse, a missing route-map) come back as a report, never as a half-built lab. */
export function prepare(o: LabOptions): { plan?: Plan; report: LabReport; facts: RouterFacts[]; directors: Director[] } {
  const report = emptyReport(o.source);
  const facts: RouterFacts[] = [];
  const directors = o.files.filter(isDirectorFile).map(readDirector);
  for (const f of o.files.filter(isRouterFile)) {
    try {
      facts.push(readFacts(f.name, f.text));
    } catch (e) {
      if (e instanceof FactsError) report.problems.push(e.message);
      else throw e;
    }
  }
  report.routers = facts.length;
  for (const f of facts) for (const u of f.untranslated) report.untranslated.push({ router: f.header.router, file: f.file, line: u.line, text: u.text });
  if (facts.length === 0 && directors.length === 0 && report.problems.length === 0) report.problems.push(`${o.source}: no router files (*.vyos with a "# vygen: router" header) and no LVS director files (*.keepalived.conf)`);
  if (report.problems.length > 0 || facts.length === 0) return { report, facts, directors };
  try {
    const plan = planLab(facts);
    report.gateways = plan.nodes.filter((n) => n.kind === 'gateway').map((n) => n.name);
    report.peers = plan.nodes.filter((n) => n.kind === 'peer').map((n) => n.name);
    report.problems.push(...plan.problems);
    report.notes.push(...plan.notes);
    return { plan, report, facts, directors };
  } catch (e) {
    if (e instanceof TranslateError) {
      report.problems.push(...e.problems.map((p) => `translation refused: ${e.router}: ${p}`));
      return { report, facts, directors };
    }
    if (e instanceof PlanError) {
      report.problems.push(e.message);
      return { report, facts, directors };
    }
    throw e;
  }
}

interface Settled {
  verdict: Verdict;
  seconds: number | null;
}

interface SettleLimits {
  /** Give up after this long, whatever happens. */
  timeoutMs: number;
  /** Or once failing looks have not changed for `quietMs`, but not before `minMs`. */
  quietMs: number;
  minMs: number;
  /** A passing look counts only this long after the start. */
  passAfterMs?: number;
}

/**
 * bgpd sends a new session's first updates only when the session's update
 * subgroup's coalesce timer fires (about a second, longer with many peers):
 * until every Established session is older than that, a passing look may
 * simply not have seen a path yet (a standby's tied path to a route server).
 */
const FIRST_UPDATES_MS = 3000;

function youngSessions(snap: Snapshot): boolean {
  for (const view of snap.values()) for (const p of view.peers.values()) if (p.state === 'Established' && p.uptimeMs !== undefined && p.uptimeMs < FIRST_UPDATES_MS) return true;
  return false;
}

/** Session states that are not Established all read as "down": a refused session cycles through them and is still the same failure. */
function steadyPart(v: Verdict): string {
  return v.fingerprint.replace(/=(?!Established)\S+/g, '=down');
}

/**
 * Polls until every check passes in two looks in a row that saw the same
 * routes and sessions; gives up at the timeout, or earlier when failing
 * looks stop changing (a refused session or a detour is not going away).
 */
async function settle(lab: Lab, plan: Plan, failure: Failure, limits: SettleLimits): Promise<Settled> {
  const t0 = Date.now();
  const nodes = plan.nodes.map((n) => n.name).filter((n) => !failure.nodes.has(n));
  const ipv6 = plan.adjacencies.some((a) => a.address.includes(':') || a.families.includes(6)) || plan.origins.some((o) => o.prefix.includes(':'));
  let prev: { v: Verdict; at: number; passing: boolean } | undefined;
  let last: Verdict | undefined;
  let quietSince = t0;
  let quietPrint = '';
  const done = await poll(
    async () => {
      const at = Date.now();
      const snap = await look(lab.vty, nodes, true, ipv6);
      const v = evaluate(plan, snap, failure);
      last = v;
      const passing = v.problems.length === 0 && at - t0 >= (limits.passAfterMs ?? 0) && !youngSessions(snap);
      if (passing && prev && prev.passing && prev.v.fingerprint === v.fingerprint) return { verdict: v, seconds: (prev.at - t0) / 1000 };
      prev = { v, at, passing };
      const steady = steadyPart(v) + v.problems.join('\n');
      if (steady !== quietPrint) {
        quietPrint = steady;
        quietSince = at;
      }
      if (!passing && at - t0 >= limits.minMs && at - quietSince >= limits.quietMs) return { verdict: v, seconds: null };
      return undefined;
    },
    limits.timeoutMs,
    100,
  );
  return done ?? { verdict: last!, seconds: null };
}

export async function runLab(o: LabOptions): Promise<LabOutcome> {
  const { plan, report, facts, directors } = prepare(o);
  if (report.problems.length > 0 || (!plan && directors.length === 0)) return { report, exitCode: 1 };
  if (!plan) return directorsOnly(o, report, directors);
  let scenarios: Scenario[];
  try {
    scenarios = !o.scenarios ? [] : o.fail.length > 0 ? o.fail.map((n) => namedScenario(plan, n)) : defaultScenarios(plan);
  } catch (e) {
    if (e instanceof UnknownTarget) throw new LabError(e.message);
    throw e;
  }
  report.notes.push('tunnels are veth pairs carrying their inner addresses: this kernel has no GRE, VTI or xfrm');

  report.frr = frrVersion();
  const stale = cleanStale();
  if (stale.length > 0) o.progress(`removed a stale lab: ${stale.join(' ')}`);
  return guarded(async (lab) => {
    const started = Date.now();
    await lab.up(plan);
    o.progress(`${plan.nodes.length} namespaces up (${plan.wires.length} links, ${plan.lans.length} bridges) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const base = await settle(lab, plan, NO_FAILURE, { timeoutMs: 90000, quietMs: 5000, minMs: 10000 });
    report.sessions = base.verdict.sessions;
    report.routes = base.verdict.routes;
    report.converged = base.seconds === null ? null : (Date.now() - started) / 1000;
    report.problems.push(...plan.findings);
    for (const n of plan.nodes) {
      const id = base.verdict.routerIds.get(n.name);
      if (n.kind === 'router' && n.facts?.bgp && !n.facts.bgp.routerId && id !== undefined) report.notes.push(`${n.name} sets no router-id: FRR chose ${id} from its interface addresses (on the router it depends on the addresses it has when bgpd starts)`);
    }
    if (base.seconds === null) {
      report.problems.push(...base.verdict.problems);
      o.progress(`baseline: FAILED (${base.verdict.problems.length} problems)`);
      return { report, exitCode: 1 };
    }
    o.progress(`baseline: ok, every session Established and every route as expected after ${report.converged!.toFixed(1)} s`);
    for (const s of scenarios) {
      const result = await runScenario(lab, plan, s);
      report.scenarios.push(result);
      o.progress(`fail ${s.name}: ${result.ok ? 'ok' : 'FAILED'}${result.seconds === null ? '' : ` in ${result.seconds.toFixed(1)} s`} (hold ${s.bound} s; back to the baseline in ${result.restored === null ? '-' : result.restored.toFixed(1)} s)`);
      if (result.problems.some((p) => p.startsWith('the lab did not recover'))) break;
    }
    for (const s of report.scenarios) if (!s.ok) report.problems.push(...s.problems.map((p) => `after ${s.fail} failed: ${p}`));
    if (o.ipsec !== false) await runIpsec(lab, facts, report, o.progress);
    await runVrrpGroups(lab, facts, report, o.progress);
    await runDirectorGroups(lab, directors, report, o.progress);
    report.ok = report.problems.length === 0;
    return { report, exitCode: report.ok ? 0 : 1 };
  });
}

/** A lab that is removed however its run ends: returned, thrown, a signal, or the process exiting. */
async function guarded<T>(body: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = new Lab();
  const signals: [NodeJS.Signals, number][] = [
    ['SIGINT', 2],
    ['SIGTERM', 15],
    ['SIGHUP', 1],
  ];
  const handlers = signals.map(([sig, num]) => {
    const h = () => {
      lab.destroy();
      process.stderr.write(`vygen lab: ${sig}: the lab was removed\n`);
      process.exit(128 + num);
    };
    process.once(sig, h);
    return [sig, h] as const;
  });
  const onExit = () => lab.destroy();
  process.once('exit', onExit);
  try {
    return await body(lab);
  } finally {
    lab.destroy();
    process.removeListener('exit', onExit);
    for (const [sig, h] of handlers) process.removeListener(sig, h);
  }
}

async function runIpsec(lab: Lab, facts: RouterFacts[], report: LabReport, progress: (l: string) => void): Promise<void> {
  const missing = ipsecMissing();
  if (missing) {
    report.notes.push(`IPsec not tested: ${missing}`);
    return;
  }
  const pairs = ipsecPairs(facts);
  if (pairs.length === 0) {
    if (facts.some((f) => f.ipsec.length > 0)) report.notes.push('IPsec not tested: no two rendered routers are IPsec peers of each other (the other ends are the cloud\'s)');
    return;
  }
  const secrets = testSecrets();
  const started = Date.now();
  const results = await mapLimit(pairs, 4, async (pair) => {
    const k = pairs.indexOf(pair);
    const ns = (side: 'a' | 'b') => lab.ns(`ike${k}${side}`);
    lab.track(ns('a'));
    lab.track(ns('b'));
    const dir = join(lab.scratch(), `ike${k}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return runPair(pair, ns, dir, secrets);
  });
  report.ipsec = results;
  for (const r of results) report.problems.push(...r.problems);
  // The IPsec translation read these lines: they are no longer untranslated.
  const read = new Map(pairs.flatMap((p) => [p.a, p.b]).map((s) => [s.facts.file, s.x.understood]));
  report.untranslated = report.untranslated.filter((u) => !read.get(u.file)?.has(u.line));
  progress(`IPsec: ${results.filter((r) => r.ok).length} of ${results.length} pairs ESTABLISHED/INSTALLED with strongSwan (userspace ESP) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function runDirectorGroups(lab: Lab, directors: Director[], report: LabReport, progress: (l: string) => void): Promise<void> {
  if (directors.length === 0) return;
  const bin = keepalivedPath();
  if (!bin) {
    report.notes.push('LVS directors not tested: keepalived is not installed (apt-get install keepalived)');
    return;
  }
  const { results, notes } = await runDirectors(lab, directors, bin);
  report.vrrp.push(...results);
  report.notes.push(...notes);
  for (const r of results) report.problems.push(...r.problems);
  for (const r of results) progress(`LVS ${r.group}: ${r.ok ? 'ok' : 'FAILED'}, master ${r.master ?? '-'}, backup took over in ${r.takeover === null ? '-' : r.takeover.toFixed(1)} s`);
}

/** A topology of LVS pairs only: no BGP to run, only the directors' VRRP. */
async function directorsOnly(o: LabOptions, report: LabReport, directors: Director[]): Promise<LabOutcome> {
  const stale = cleanStale();
  if (stale.length > 0) o.progress(`removed a stale lab: ${stale.join(' ')}`);
  return guarded(async (lab) => {
    await runDirectorGroups(lab, directors, report, o.progress);
    report.ok = report.problems.length === 0;
    return { report, exitCode: report.ok ? 0 : 1 };
  });
}

async function runVrrpGroups(lab: Lab, facts: RouterFacts[], report: LabReport, progress: (l: string) => void): Promise<void> {
  const withVrrp = facts.filter((f) => f.vrrp.length > 0).map((f) => ({ facts: f, x: vrrpFacts(f, f.vrrp) }));
  if (withVrrp.length === 0) return;
  const bin = keepalivedPath();
  if (!bin) {
    report.notes.push('VRRP not tested: keepalived is not installed (apt-get install keepalived)');
    return;
  }
  const groups = vrrpGroups(withVrrp);
  const dir = join(lab.scratch(), 'vrrp');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const results = [...unpairedGroups(withVrrp, groups), ...(await runVrrp(groups, (n) => lab.ns(n), dir, testSecrets(), bin))];
  report.vrrp = results;
  for (const r of results) report.problems.push(...r.problems);
  // Only the groups that ran read their lines: a group no other rendered router shares stays listed.
  const ran = new Set(groups.flatMap((g) => g.members.map((m) => m.facts.file)));
  const read = new Map(withVrrp.filter((w) => ran.has(w.facts.file)).map((w) => [w.facts.file, w.x.understood]));
  report.untranslated = report.untranslated.filter((u) => !read.get(u.file)?.has(u.line));
  for (const r of results) progress(`VRRP ${r.group}: ${r.ok ? 'ok' : 'FAILED'}, master ${r.master ?? '-'}, backup took over in ${r.takeover === null ? '-' : r.takeover.toFixed(1)} s`);
}

/**
 * What the hold time alone cannot cover: a LAN peer's death is only noticed
 * when the hold timer runs out (up to the full hold time), then the news
 * still has to cross the network and be seen by a poll. Five seconds: two
 * were exceeded (14.3 s against 12 + 2) when several labs and the test suite
 * shared the 2-core machine; a real defect (a session waiting for BGP's 120 s
 * connect retry, a detour) is far beyond it.
 */
const RESOLUTION = 5;

async function runScenario(lab: Lab, plan: Plan, s: Scenario): Promise<ScenarioResult> {
  await lab.setLinks(s.ends, 'down');
  // Past the hold time the scenario has failed whatever comes next; a few
  // seconds more tell "too slow" from "never".
  const limitMs = (s.bound + RESOLUTION) * 1000;
  const after = await settle(lab, plan, s.failure, { timeoutMs: limitMs + 5000, quietMs: 3000, minMs: limitMs, passAfterMs: s.observe * 1000 });
  const problems = [...(after.seconds === null ? after.verdict.problems : [])];
  if (after.seconds !== null && after.seconds > s.bound + RESOLUTION) problems.push(`rerouting took ${after.seconds.toFixed(1)} s, longer than the hold time (${s.bound} s) and ${RESOLUTION} s to spread the news`);
  await lab.setLinks(s.ends, 'up');
  const back = await settle(lab, plan, NO_FAILURE, { timeoutMs: 90000, quietMs: 10000, minMs: 30000 });
  if (back.seconds === null) problems.push(`the lab did not recover after ${s.name} came back: ${back.verdict.problems.slice(0, 3).join('; ')}`);
  return { fail: s.name, ok: problems.length === 0, seconds: after.seconds, hold: s.bound, problems, restored: back.seconds };
}

function frrVersion(): string {
  const r = runSync(join(FRR_BIN, 'bgpd'), ['--version']);
  return /version (\S+)/i.exec(r.stdout)?.[1] ?? 'unknown';
}
export { LabError } from './exec.js';
