// What a router's release can express: names, ranges and keyword sets read
// from the dialect table, each refusal naming the release and pointing at the
// topology line that chose the value.
import type { Diagnostics, DocPath } from '../../diagnostics.js';
import { shown } from '../../diagnostics.js';
import type { NatNodeIntent, RouterIntent } from '../../model/intent.js';
import { suggest } from '../../suggest.js';
import { DIALECTS, type NameRule, type Range } from './dialects.js';

export function checkForRelease(intent: RouterIntent, diags: Diagnostics): void {
  const { d, name, range, oneOf, description } = rules(intent, diags);
  name(d.names.hostName, intent.hostName, 'a host name', intent.path, 'key');
  for (const e of intent.ethernet) if (e.description) description(e.description.value, e.description.path);
  for (const t of intent.tunnels) {
    range(d.ranges.tunnelMtu, t.mtu.value, 'tunnel MTU', t.mtu.path);
    if (t.mtu.value >= d.ranges.tunnelMtu.min && t.mtu.value < d.ranges.tunnelMtuCommitMin) {
      diags.error('out-of-range', t.mtu.path, `tunnel MTU ${t.mtu.value} is below what ${vyos(d)} commits`, {
        expected: `${d.ranges.tunnelMtuCommitMin} to ${d.ranges.tunnelMtu.max} (${vyos(d)})`,
        found: String(t.mtu.value),
        hint: 'VyOS gives every GRE tunnel an IPv6 link-local address, and IPv6 needs an MTU of at least 1280: the commit fails below it',
      });
    }
    description(t.description.value, t.description.path);
  }
  for (const v of intent.vtis) if (v.mtu) range(d.ranges.vtiMtu, v.mtu.value, 'VTI MTU', v.mtu.path);
  if (intent.ipsec) {
    for (const g of intent.ipsec.ikeGroups) {
      name(d.names.ipsecGroup, g.name, 'an IKE group name', g.path);
      range(d.ranges.ikeLifetime, g.proposal.lifetime, 'IKE lifetime', g.path, 'lifetime');
      oneOf(d.values.encryption, g.proposal.encryption, 'IKE encryption', g.path, 'encryption');
      oneOf(d.values.hash, g.proposal.hash, 'IKE hash', g.path, 'hash');
      oneOf(d.values.dhGroups, g.proposal.dhGroup, 'IKE DH group', g.path, 'dh_group');
    }
    for (const g of intent.ipsec.espGroups) {
      name(d.names.ipsecGroup, g.name, 'an ESP group name', g.path);
      range(d.ranges.espLifetime, g.proposal.lifetime, 'ESP lifetime', g.path, 'lifetime');
      oneOf(d.values.encryption, g.proposal.encryption, 'ESP encryption', g.path, 'encryption');
      oneOf(d.values.hash, g.proposal.hash, 'ESP hash', g.path, 'hash');
      if (typeof g.proposal.pfs === 'number') oneOf(d.values.dhGroups, g.proposal.pfs, 'PFS DH group', g.path, 'pfs');
    }
    // ESP transport mode: VyOS refuses it with the local/remote prefixes of a
    // GRE peer on every release, and with a VTI on some (found by the fuzzer's vyos-check --commit).
    const esp = new Map(intent.ipsec.espGroups.map((g) => [g.name, g]));
    for (const p of intent.ipsec.peers) {
      const g = esp.get(p.espGroup);
      if (g?.proposal.mode !== 'transport') continue;
      if (p.policy) {
        diags.error('unsupported-value', [...g.path, 'mode'], `${vyos(d)} refuses ESP transport mode for a GRE tunnel: vygen protects it by the loopback prefixes, which transport mode cannot have`, {
          expected: 'mode: tunnel (the default)',
          found: '"transport"',
          hint: 'vygen protects GRE between the loopbacks with tunnel-mode policies; remove mode',
        });
      } else if (p.vti) oneOf(d.values.espModesWithVti, 'transport', 'ESP mode with a VTI', g.path, 'mode');
    }
    for (const p of intent.ipsec.peers) {
      if (d.names.peerName) name(d.names.peerName, p.name, 'an IPsec peer name (vygen names a peer after the remote router)', p.namePath);
      if (p.description) description(p.description.value, p.description.path);
    }
  }
  for (const pl of intent.prefixLists) name(d.names.prefixList, pl.name, 'a prefix-list name (vygen derives it from the site name)', pl.path, 'key');
  for (const rm of intent.routeMaps) name(d.names.routeMap, rm.name, 'a route-map name (vygen derives it from the site name)', rm.path, 'key');
  for (const sg of intent.vrrp?.syncGroups ?? []) {
    if (sg.healthCheck !== undefined && !d.supports.syncGroupHealthCheck) {
      diags.error('unsupported-value', [...sg.path, 'health_check'], `${vyos(d)} has no health check on a VRRP sync-group`, {
        expected: `health_check on the member groups (${vyos(d)})`,
        hint: `move it to the groups, or render for 1.4 or later (the release is chosen at ${intent.releasePath.length > 0 ? intent.releasePath.join('.') : 'defaults.vyos'})`,
      });
    }
  }
  if (intent.bgp?.holdtime !== undefined && intent.bgp.holdtime !== 0) range(d.ranges.bgpHoldtime, intent.bgp.holdtime, 'BGP holdtime', ['defaults', 'bgp', 'holdtime']);
}


const vyos = (d: { release: string }) => `VyOS ${d.release}`;

function rules(intent: { release: RouterIntent['release']; releasePath: DocPath }, diags: Diagnostics) {
  const d = DIALECTS[intent.release];
  const vyos = `VyOS ${d.release}`;
  // Said only in a diagnostic: a valid router builds no message and no path.
  const hint = () => `the release is chosen at ${intent.releasePath.join('.') || 'the built-in default'}`;
  const sub = (path: DocPath, key: string | undefined): DocPath => (key === undefined ? path : [...path, key]);

  const name = (rule: NameRule, value: string, what: string, path: DocPath, at: 'key' | 'value' = 'value') => {
    if (rule.pattern.test(value)) return;
    diags.error('name-refused', path, `${vyos} refuses ${shown(value)} as ${what}`, { at, expected: `${rule.says} (${vyos})`, found: shown(value), hint: `rename it; ${hint()}` });
  };
  const range = (r: Range, value: number, what: string, path: DocPath, key?: string) => {
    if (value >= r.min && value <= r.max) return;
    diags.error('out-of-range', sub(path, key), `${what} ${value} is outside what ${vyos} accepts`, { expected: `${r.min} to ${r.max} (${vyos})`, found: String(value), hint: hint() });
  };
  const oneOf = (allowed: readonly (string | number)[], value: string | number, what: string, path: DocPath, key?: string) => {
    if (allowed.includes(value)) return;
    const guess = typeof value === 'string' ? suggest(value, allowed.map(String)) : undefined;
    diags.error('unsupported-value', sub(path, key), `${vyos} has no ${what} ${shown(value)}`, {
      expected: `one of: ${allowed.join(', ')}`,
      found: shown(value),
      hint: guess ? `did you mean ${shown(guess)}?` : hint(),
    });
  };
  const description = (value: string, path: DocPath) => {
    const r = d.ranges.descriptionLength;
    if (value.length < r.min || value.length > r.max) {
      diags.error('out-of-range', path, `a description of ${value.length} characters is outside what ${vyos} accepts`, { expected: `${r.min} to ${r.max} characters (${vyos})`, found: `${value.length} characters`, hint: hint() });
    }
  };

  return { d, name, range, oneOf, description };
}

/** A NAT node's few release-dependent values. */
export function checkNatNodeForRelease(intent: NatNodeIntent, diags: Diagnostics): void {
  const { d, name, description } = rules(intent, diags);
  name(d.names.hostName, intent.hostName, 'a host name', intent.path, 'key');
  if (intent.wan.description) description(intent.wan.description.value, intent.wan.description.path);
}
