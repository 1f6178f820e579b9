// DirectorIntent -> <node>.keepalived.conf and <node>.sysctl.conf.
import type { DirectorIntent, SysctlSetting } from './keepalived-intent.js';
import type { SecretRef } from '../../model/topology.js';
import { template, tidy } from './templates.js';

// A comment, plain words (optionally opening a block; the last one may be a
// quoted command of plain words), or a closing brace.
const WORD = '[^\\s{}"#!$]+';
const KEEPALIVED_LINE = new RegExp(`^(# [\\x20-\\x7e]*|( {2})*${WORD}( ${WORD})*( "${WORD}( ${WORD})*")?( \\{)?|( {2})*\\})$`);

export function renderKeepalived(d: DirectorIntent, header: string[], authPasses: ReadonlyMap<SecretRef, string>): string {
  const instances = d.instances.map((i) => {
    const value = i.authPass ? authPasses.get(i.authPass) : undefined;
    if (i.authPass && value === undefined) throw new Error(`internal error: no resolved auth_pass for ${d.name} ${i.name}`);
    return { ...i, authPassValue: value };
  });
  const view = { ...d, header, instances };
  return tidy(template('keepalived.conf')(view), (l) => KEEPALIVED_LINE.test(l), 'keepalived.conf');
}

// Interface names in the keys may hold capitals (Linux and the schema allow them).
const SYSCTL_LINE = /^(# [\x20-\x7e]*|[A-Za-z0-9_./-]+ = [0-9]+)$/;

export function renderSysctl(d: DirectorIntent, header: string[]): string {
  const sections: { why: string; settings: SysctlSetting[] }[] = [];
  for (const s of d.sysctl) {
    const last = sections[sections.length - 1];
    if (last && last.why === s.why) last.settings.push(s);
    else sections.push({ why: s.why, settings: [s] });
  }
  return tidy(template('sysctl.conf')({ header, sections }), (l) => SYSCTL_LINE.test(l), 'sysctl.conf');
}
