// DirectorIntent -> <node>.keepalived.conf and <node>.sysctl.conf.
import type { DirectorIntent, SysctlSetting } from './keepalived-intent.js';
import { template, tidy } from './templates.js';

// A comment, plain words (optionally opening a block), or a closing brace.
const KEEPALIVED_LINE = /^(# [\x20-\x7e]*|( {2})*[^\s{}"#!$]+( [^\s{}"#!$]+)*( \{)?|( {2})*\})$/;

export function renderKeepalived(d: DirectorIntent, header: string[], authPass: string | undefined): string {
  const view = { ...d, header, authPass };
  return tidy(template('keepalived.conf')(view), (l) => KEEPALIVED_LINE.test(l), 'keepalived.conf');
}

const SYSCTL_LINE = /^(# [\x20-\x7e]*|[a-z0-9_./-]+ = [0-9]+)$/;

export function renderSysctl(d: DirectorIntent, header: string[]): string {
  const sections: { why: string; settings: SysctlSetting[] }[] = [];
  for (const s of d.sysctl) {
    const last = sections[sections.length - 1];
    if (last && last.why === s.why) last.settings.push(s);
    else sections.push({ why: s.why, settings: [s] });
  }
  return tidy(template('sysctl.conf')({ header, sections }), (l) => SYSCTL_LINE.test(l), 'sysctl.conf');
}
