// Scripts keepalived runs (notify_*, vrrp_script, MISC_CHECK's misc_path) must
// be absolute paths: keepalived accepts a relative one and resolves it against
// its working directory at run time, where it is never found.
import type { Diagnostics } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { Located, LvsTopology } from './model.js';

export function checkScripts(lvs: LvsTopology, diags: Diagnostics): void {
  for (const p of lvs.pairs) {
    const scripts: [string, Located<string> | undefined][] = [
      ['notify_master', p.notify.master],
      ['notify_backup', p.notify.backup],
      ['notify_fault', p.notify.fault],
      ...p.trackScripts.map((t): [string, Located<string>] => [`vrrp_script ${t.name}`, t.script]),
    ];
    for (const vs of p.virtualServers) {
      for (const rs of vs.realServers) {
        for (const c of rs.checks) if (c.kind === 'MISC_CHECK') scripts.push(['misc_path', c.script]);
      }
    }
    for (const [what, script] of scripts) {
      if (!script || isAbsolute(script.value)) continue;
      diags.error('lvs-script-not-absolute', script.path, `${what} ${shown(script.value)} is not an absolute path`, {
        expected: 'an absolute path without . or .. components, e.g. /usr/local/sbin/notify-master',
        found: shown(script.value),
        hint: 'keepalived accepts any path and only fails to run it when the state changes',
      });
    }
  }
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') && !path.endsWith('/') && !path.split('/').slice(1).some((seg) => seg === '' || seg === '.' || seg === '..');
}
