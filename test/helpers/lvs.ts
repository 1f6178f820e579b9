// LVS test support: which fixtures and examples hold LVS pairs, finding the
// external tools (keepalived, shellcheck), and running `keepalived -t` on a
// generated file the way production parses it.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { FIXTURES, ROOT } from './golden.js';

export interface LvsCase {
  /** fixtures/<case> or examples/<name> */
  name: string;
  /** Path of the topology relative to the repository, as headers show it. */
  file: string;
  text: string;
}

/** Every valid fixture and every example whose topology has a top-level `lvs` key. */
export function lvsCases(): LvsCase[] {
  const out: LvsCase[] = [];
  const add = (dir: string, label: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name, 'topology.yaml');
      if (name.startsWith('err-') || !existsSync(file)) continue;
      const text = readFileSync(file, 'utf8');
      const doc = yaml.load(text, { schema: yaml.CORE_SCHEMA }) as Record<string, unknown> | null;
      if (doc && typeof doc === 'object' && 'lvs' in doc) out.push({ name: `${label}/${name}`, file: `${label}/${name}/topology.yaml`, text });
    }
  };
  add(FIXTURES, 'fixtures');
  add(join(ROOT, 'examples'), 'examples');
  return out;
}

/** An executable found on PATH or at one of the usual places, or undefined. */
export function findTool(name: string, extra: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...extra];
  for (const d of dirs) {
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const CI = process.env.CI === 'true';

/** A missing tool fails under CI=true and is skipped loudly elsewhere. */
export function requireTool(ctx: Mocha.Context, name: string, path: string | undefined, why: string): string {
  if (path) return path;
  if (CI) throw new Error(`${name} is required when CI=true but was not found on PATH: ${why}`);
  process.stderr.write(`\n  !!! SKIPPED (${name} not found on PATH): ${why}. Install it (Debian: apt-get install ${name}) to run these checks.\n\n`);
  ctx.skip();
}

// keepalived's only acceptable complaint about a vygen file: a track script
// that does not exist on the test machine (the test machine is not a director).
const TOLERATED = /^Disabling track script \S+ since not found\/accessible$/;

export interface KeepalivedVerdict {
  ok: boolean;
  /** Why not, with keepalived's output (repeated lines shown once). */
  reason: string;
}

/**
 * `keepalived -t` on `conf` (an absolute path), included from a wrapper that
 * sets what a production global_defs would: script security, and interfaces
 * that need not exist on the test machine. -e makes a missing include fatal.
 */
export function keepalivedCheck(bin: string, conf: string, workDir: string, name: string): KeepalivedVerdict {
  const wrapper = join(workDir, `${name}.wrapper.conf`);
  writeFileSync(wrapper, ['global_defs {', '  dynamic_interfaces', '  enable_script_security', '  script_user root', '}', `include ${conf}`, ''].join('\n'));
  const r = spawnSync(bin, ['-t', '-e', '-f', wrapper], { encoding: 'utf8', timeout: 15000 });
  if (r.error) return { ok: false, reason: `could not run ${bin}: ${r.error.message}` };
  const lines = [...new Set(r.stderr.split('\n').map((l) => l.trimEnd()).filter((l) => l !== ''))];
  const shown = lines.length > 0 ? `\n  stderr:\n    ${lines.join('\n    ')}` : '';
  if (r.signal) return { ok: false, reason: `keepalived was killed by ${r.signal}${shown}` };
  if (r.stdout !== '') return { ok: false, reason: `keepalived wrote to stdout: ${JSON.stringify(r.stdout.slice(0, 200))}${shown}` };
  if (r.status === 0 && lines.length === 0) return { ok: true, reason: '' };
  if (r.status === 5 && lines.length > 0 && lines.every((l) => TOLERATED.test(l))) return { ok: true, reason: '' };
  return { ok: false, reason: `keepalived -t exited ${r.status}${shown}` };
}
