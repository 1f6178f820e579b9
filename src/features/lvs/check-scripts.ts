// Scripts keepalived runs (notify_* of instances, sync groups and real
// servers, vrrp_script, MISC_CHECK's misc_path) must be absolute paths:
// keepalived accepts a relative one and resolves it against its working
// directory at run time, where it is never found. With script security on,
// keepalived runs them as script_user and refuses (with a log line) what that
// user cannot reach: a non-root script_user cannot enter /root.
import type { Diagnostics } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { Located, LvsNotify, LvsPair, LvsTopology } from './model.js';

export function checkScripts(lvs: LvsTopology, diags: Diagnostics): void {
  for (const p of lvs.pairs) {
    const user = p.global.scriptUser;
    for (const [what, script] of scriptsOf(p)) {
      if (!isAbsolute(script.value)) {
        diags.error('lvs-script-not-absolute', script.path, `${what} ${shown(script.value)} is not an absolute path`, {
          expected: 'an absolute path without . or .. components, e.g. /usr/local/sbin/notify-master',
          found: shown(script.value),
          hint: 'keepalived accepts any path and only fails to run it when the state changes',
        });
        continue;
      }
      if (user && user.value !== 'root' && (script.value === '/root' || script.value.startsWith('/root/'))) {
        diags.error('lvs-script-user-cannot-run', script.path, `${what} ${shown(script.value)} is under /root, which script_user ${user.value} cannot enter`, {
          expected: `a script script_user ${user.value} can execute, e.g. under /usr/local/sbin (root-owned, not writable by others)`,
          found: shown(script.value),
          hint: 'keepalived refuses to run the script (a log line only) and the state change goes unnoticed',
        });
      }
    }
  }
}

/** Every script keepalived runs for a pair, with the directive that names it. */
export function scriptsOf(p: LvsPair): [string, Located<string>][] {
  const out: [string, Located<string>][] = [];
  const notify = (n: LvsNotify) => {
    for (const k of ['master', 'backup', 'fault', 'stop'] as const) {
      const s = n[k];
      if (s) out.push([`notify_${k}`, s.script]);
    }
  };
  for (const i of p.instances) {
    notify(i.notify);
    for (const t of i.trackScripts) out.push([`vrrp_script ${t.name}`, t.script]);
  }
  for (const g of p.syncGroups) notify(g.notify);
  for (const vs of p.virtualServers) {
    for (const rs of vs.realServers) {
      if (rs.notifyUp) out.push(['notify_up', rs.notifyUp.script]);
      if (rs.notifyDown) out.push(['notify_down', rs.notifyDown.script]);
      for (const c of rs.checks) if (c.kind === 'MISC_CHECK') out.push(['misc_path', c.script.script]);
    }
  }
  return out;
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') && !path.endsWith('/') && !path.split('/').slice(1).some((seg) => seg === '' || seg === '.' || seg === '..');
}
