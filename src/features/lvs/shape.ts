// The two forms of an LVS pair. The short form writes one VRRP instance's keys
// on the pair itself (the instance is named after the pair); the long form
// lists `instances`. A pair that mixes them would leave it open which
// instance a key belongs to, so it is refused before anything is derived.
import type { Diagnostics } from '../../diagnostics.js';
import type { LvsPairDoc } from '../../model/document.js';

/** The instance keys a short-form pair writes on itself (and a long-form pair must not). */
export const LVS_INSTANCE_KEYS = [
  'vrid',
  'advert_int',
  'auth_pass',
  'unicast',
  'preempt',
  'preempt_delay',
  'notify',
  'track_scripts',
  'track_interfaces',
  'garp',
  'vips',
  'vips_excluded',
  'virtual_routes',
] as const;

/** False (with an error) when the pair mixes the forms. */
export function checkPairShape(name: string, p: LvsPairDoc, diags: Diagnostics): boolean {
  let ok = true;
  if (p.instances === undefined) {
    if (p.sync_groups === undefined) return true;
    diags.error('lvs-sync-groups-without-instances', ['lvs', 'pairs', name, 'sync_groups'], `LVS pair ${name} has sync_groups but no instances`, {
      at: 'key',
      expected: 'instances: { <name>: { ... } } when the pair groups instances',
      found: 'sync_groups',
      hint: 'a short-form pair is one instance; list the instances under instances to group them',
    });
    return false;
  }
  for (const key of LVS_INSTANCE_KEYS) {
    if (p[key] === undefined) continue;
    ok = false;
    diags.error('lvs-instance-key-on-pair', ['lvs', 'pairs', name, key], `${key} is written on LVS pair ${name}, which lists instances`, {
      at: 'key',
      expected: `${key} inside one of the instances (${Object.keys(p.instances).join(', ')})`,
      found: key,
      hint: 'a pair with instances keeps every VRRP setting in its instances; move the key into the instance it belongs to',
    });
  }
  return ok;
}
