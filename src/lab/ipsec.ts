// Site-to-site IPsec with the real strongSwan: both ends' rendered `vpn
// ipsec` lines translated to swanctl configuration the way VyOS writes it
// (vyos-1x data/templates/ipsec/swanctl), one charon per namespace with
// userspace ESP (kernel-libipsec over TUN: this kernel has no xfrm). The
// IKE and CHILD SAs must establish; a PSK, identity or proposal mismatch
// must not. Secrets: each distinct key text (a redacted placeholder or a
// real key) becomes one random test secret, so equal keys stay equal and
// different keys stay different, and no real key is written anywhere.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parsePrefix, contains } from '../net/ipv4.js';
import { LabError, poll, run } from './exec.js';
import type { RouterFacts } from './facts.js';

interface Proposal {
  encryption?: string;
  hash?: string;
  dh?: string;
}

interface IkeGroup {
  version: string;
  lifetime?: number;
  proposals: Map<string, Proposal>;
  dpd: { action?: string; interval?: number; timeout?: number };
}

interface EspGroup {
  lifetime?: number;
  mode?: string;
  pfs?: string;
  proposals: Map<string, Proposal>;
}

interface TunnelSel {
  localPrefix?: string;
  remotePrefix?: string;
  protocol?: string;
}

export interface IpsecPeer {
  name: string;
  localId?: string;
  remoteId?: string;
  localAddress?: string;
  remoteAddress?: string;
  connectionType?: string;
  ikeGroup?: string;
  espGroup?: string;
  secret?: string;
  tunnels: Map<string, TunnelSel>;
  vti?: string;
}

export interface IpsecFacts {
  router: string;
  ike: Map<string, IkeGroup>;
  esp: Map<string, EspGroup>;
  peers: Map<string, IpsecPeer>;
  /** Lines of `vpn ipsec` this translation reads. */
  understood: Set<number>;
}

function get<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

/** VyOS 1.4+ (`authentication psk`, peer named) and 1.3 (peer tagged by address, key on the peer) shapes. */
export function ipsecFacts(f: RouterFacts): IpsecFacts {
  const out: IpsecFacts = { router: f.header.router, ike: new Map(), esp: new Map(), peers: new Map(), understood: new Set() };
  const psk = new Map<string, { ids: string[]; secret?: string }>();
  for (const { path, value, line } of f.ipsec) {
    const w = [...path, ...(value !== undefined ? [value] : [])];
    const ok = ((): boolean => {
      const [a, b, c, d, e, g] = w;
      if ((a === 'interface' && w.length === 2) || (a === 'ipsec-interfaces' && b === 'interface')) return true;
      if (a === 'options' && b === 'disable-route-autoinstall') return true;
      if (a === 'ike-group' && b) {
        const grp = get<string, IkeGroup>(out.ike, b, () => ({ version: 'ikev1', proposals: new Map(), dpd: {} }));
        if (c === 'key-exchange' && d) return Boolean((grp.version = d));
        if (c === 'lifetime' && d) return Boolean((grp.lifetime = Number(d)));
        if (c === 'proposal' && d && e && g) {
          const p = get<string, Proposal>(grp.proposals, d, () => ({}));
          if (e === 'dh-group') return Boolean((p.dh = g));
          if (e === 'encryption') return Boolean((p.encryption = g));
          if (e === 'hash') return Boolean((p.hash = g));
        }
        if (c === 'dead-peer-detection' && d && e) {
          if (d === 'action') return Boolean((grp.dpd.action = e));
          if (d === 'interval' || d === 'timeout') return Boolean((grp.dpd[d] = Number(e)));
        }
        return false;
      }
      if (a === 'esp-group' && b) {
        const grp = get<string, EspGroup>(out.esp, b, () => ({ proposals: new Map() }));
        if (c === 'lifetime' && d) return Boolean((grp.lifetime = Number(d)));
        if (c === 'mode' && d) return Boolean((grp.mode = d));
        if (c === 'pfs' && d) return Boolean((grp.pfs = d));
        if (c === 'proposal' && d && e && g) {
          const p = get<string, Proposal>(grp.proposals, d, () => ({}));
          if (e === 'encryption') return Boolean((p.encryption = g));
          if (e === 'hash') return Boolean((p.hash = g));
        }
        return false;
      }
      if (a === 'authentication' && b === 'psk' && c && d) {
        const k = get(psk, c, () => ({ ids: [] }));
        if (d === 'id' && e) return Boolean(k.ids.push(e));
        if (d === 'secret' && e) return Boolean((k.secret = e));
        return false;
      }
      if (a === 'site-to-site' && b === 'peer' && c) {
        const p = get(out.peers, c, () => ({ name: c, tunnels: new Map() }) as IpsecPeer);
        const rest = w.slice(3);
        const [x, y, z, u] = rest;
        if (x === 'authentication') {
          if (y === 'mode') return true;
          if (y === 'local-id' && z) return Boolean((p.localId = z));
          if (y === 'id' && z) return Boolean((p.localId = z));
          if (y === 'remote-id' && z) return Boolean((p.remoteId = z));
          if (y === 'pre-shared-secret' && z) return Boolean((p.secret = z));
          return false;
        }
        if (x === 'description') return true;
        if (x === 'connection-type' && y) return Boolean((p.connectionType = y));
        if (x === 'ike-group' && y) return Boolean((p.ikeGroup = y));
        if (x === 'default-esp-group' && y) return Boolean((p.espGroup = y));
        if (x === 'local-address' && y) return Boolean((p.localAddress = y));
        if (x === 'remote-address' && y) return Boolean((p.remoteAddress = y));
        if (x === 'tunnel' && y && z) {
          const t = get<string, TunnelSel>(p.tunnels, y, () => ({}));
          if (z === 'local' && u === 'prefix' && rest[4]) return Boolean((t.localPrefix = rest[4]));
          if (z === 'remote' && u === 'prefix' && rest[4]) return Boolean((t.remotePrefix = rest[4]));
          if (z === 'protocol' && u) return Boolean((t.protocol = u));
          return false;
        }
        if (x === 'vti' && y === 'bind' && z) return Boolean((p.vti = z));
        if (x === 'vti' && y === 'esp-group' && z) return Boolean((p.espGroup = z));
        return false;
      }
      return false;
    })();
    if (ok) out.understood.add(line);
  }
  // 1.3 tags the peer by its address and keeps the key on it; 1.4+ names the
  // peer and finds the key by the peer's identities.
  for (const p of out.peers.values()) {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(p.name) && !p.remoteAddress) p.remoteAddress = p.name;
    if (p.secret === undefined) {
      const k = [...psk.values()].find((x) => (p.remoteId ? x.ids.includes(p.remoteId) : false)) ?? psk.get(p.name);
      if (k?.secret !== undefined) p.secret = k.secret;
    }
  }
  return out;
}

const DH: Record<string, string> = { '1': 'modp768', '2': 'modp1024', '5': 'modp1536', '14': 'modp2048', '15': 'modp3072', '16': 'modp4096', '19': 'ecp256', '20': 'ecp384', '21': 'ecp521' };

function proposalText(p: Proposal, dh?: string): string {
  return [p.encryption, p.hash, dh ? DH[dh] ?? `dh${dh}` : undefined].filter(Boolean).join('-');
}

/** swanctl.conf for one peer of one router; `remoteAddress` is where the lab's other charon listens. */
export function swanctlConf(x: IpsecFacts, peer: IpsecPeer, remoteAddress: string, secret: string): string {
  const ike = x.ike.get(peer.ikeGroup ?? '');
  const esp = x.esp.get(peer.espGroup ?? '');
  if (!ike) throw new LabError(`${x.router}: IPsec peer ${peer.name} names ike-group ${peer.ikeGroup ?? '(none)'}, which is not defined`);
  if (!esp) throw new LabError(`${x.router}: IPsec peer ${peer.name} names esp-group ${peer.espGroup ?? '(none)'}, which is not defined`);
  const ikeProps = [...ike.proposals.values()].map((p) => proposalText(p, p.dh)).join(',');
  // swanctl.conf reads a dot in a section name as nesting: 1.3 names a peer by its address.
  const name = peer.name.replace(/[^A-Za-z0-9_-]/g, '_');
  // pfs `enable` reuses the IKE group's DH group; `dh-groupN` names one; `disable` none.
  const pfsGroup = esp.pfs === undefined || esp.pfs === 'enable' ? [...ike.proposals.values()][0]?.dh : esp.pfs.startsWith('dh-group') ? esp.pfs.slice('dh-group'.length) : undefined;
  const espProps = [...esp.proposals.values()].map((p) => proposalText(p, pfsGroup)).join(',');
  const start = peer.connectionType === 'initiate' ? 'start' : 'none';
  const children = [...peer.tunnels].map(([n, t]) => {
    const proto = t.protocol && t.protocol !== 'all' ? `[${t.protocol}]` : '';
    return [
      `      ${name}-tunnel-${n} {`,
      `        local_ts = ${t.localPrefix}${proto}`,
      `        remote_ts = ${t.remotePrefix}${proto}`,
      `        esp_proposals = ${espProps}`,
      `        mode = ${esp.mode ?? 'tunnel'}`,
      ...(esp.lifetime ? [`        rekey_time = ${esp.lifetime}s`] : []),
      `        start_action = ${start}`,
      '      }',
    ].join('\n');
  });
  return [
    'connections {',
    `  ${name} {`,
    `    version = ${ike.version === 'ikev2' ? 2 : 1}`,
    `    local_addrs = ${peer.localAddress}`,
    `    remote_addrs = ${remoteAddress}`,
    `    proposals = ${ikeProps}`,
    ...(ike.lifetime ? [`    rekey_time = ${ike.lifetime}s`] : []),
    ...(ike.dpd.interval ? [`    dpd_delay = ${ike.dpd.interval}s`] : []),
    `    local { auth = psk${peer.localId ? `\n      id = ${peer.localId}` : ''}\n    }`,
    `    remote { auth = psk${peer.remoteId ? `\n      id = ${peer.remoteId}` : ''}\n    }`,
    '    children {',
    ...children,
    '    }',
    '  }',
    '}',
    'secrets {',
    `  ike-${name} {`,
    ...[peer.localId, peer.remoteId].filter(Boolean).map((id, i) => `    id-${i + 1} = ${id}`),
    `    secret = "${secret}"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export interface IpsecPair {
  a: { facts: RouterFacts; x: IpsecFacts; peer: IpsecPeer };
  b: { facts: RouterFacts; x: IpsecFacts; peer: IpsecPeer };
}

/** Peers that name each other: A's remote-id is B's local-id and the other way round. */
export function ipsecPairs(routers: RouterFacts[]): IpsecPair[] {
  const all = routers.map((f) => ({ facts: f, x: ipsecFacts(f) }));
  const pairs: IpsecPair[] = [];
  for (let i = 0; i < all.length; i++)
    for (let j = i + 1; j < all.length; j++)
      for (const pa of all[i]!.x.peers.values())
        for (const pb of all[j]!.x.peers.values()) {
          // A router's identity is its public address, the same for all its
          // peers: only both directions together pick one peer on each side.
          // The remote address pairs them too, so a wrong remote-id on one end
          // is negotiated (and refused), not skipped.
          const names = (p: IpsecPeer, q: IpsecPeer) => q.localId !== undefined && (p.remoteId === q.localId || p.remoteAddress === q.localId);
          if (names(pa, pb) && names(pb, pa)) {
            const [first, second] = all[i]!.facts.header.router < all[j]!.facts.header.router ? [{ ...all[i]!, peer: pa }, { ...all[j]!, peer: pb }] : [{ ...all[j]!, peer: pb }, { ...all[i]!, peer: pa }];
            pairs.push({ a: first, b: second });
          }
        }
  return pairs;
}

export interface IpsecResult {
  between: [string, string];
  ok: boolean;
  ike: string;
  child: string;
  problems: string[];
}

function wanOf(f: RouterFacts, address: string | undefined): string | undefined {
  if (!address) return undefined;
  for (const i of f.interfaces.values()) for (const a of i.addresses) if (a.startsWith(`${address}/`)) return a;
  return undefined;
}

function charonConf(dir: string): string {
  return [
    'charon-systemd {',
    '  load = random nonce aes sha1 sha2 hmac kdf gmp pem pkcs1 x509 pubkey kernel-libipsec kernel-netlink socket-default vici updown',
    `  piddir = ${dir}`,
    '  install_routes = yes',
    '  filelog {',
    `    lab { path = ${join(dir, 'charon.log')}\n      default = 1\n      flush_line = yes\n    }`,
    '  }',
    '  plugins {',
    `    vici { socket = unix://${join(dir, 'charon.vici')} }`,
    // IKE itself must not be routed into the TUN device that carries ESP.
    '    kernel-netlink { fwmark = !0x42 }',
    '    socket-default { fwmark = 0x42 }',
    '  }',
    '}',
    '',
  ].join('\n');
}

const CHARON = '/usr/sbin/charon-systemd';
const SWANCTL = '/usr/sbin/swanctl';

export function ipsecMissing(): string | undefined {
  const gone = [CHARON, SWANCTL, '/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so'].filter((p) => !existsSync(p));
  return gone.length > 0 ? `strongSwan with userspace ESP is not installed (missing ${gone.join(', ')}): apt-get install charon-systemd strongswan-swanctl libcharon-extra-plugins` : undefined;
}

/**
 * Runs one pair in two fresh namespaces joined by a veth between their
 * private WAN addresses. Each side's remote address is the other's private
 * WAN address: the lab has no Elastic-IP NAT in between, so the rendered
 * public remote-address is replaced (the identities stay as rendered).
 */
export async function runPair(pair: IpsecPair, ns: (side: 'a' | 'b') => string, workDir: string, secretOf: (text: string | undefined) => string): Promise<IpsecResult> {
  const between: [string, string] = [pair.a.facts.header.router, pair.b.facts.header.router];
  const sides = [
    { key: 'a' as const, ...pair.a, other: pair.b },
    { key: 'b' as const, ...pair.b, other: pair.a },
  ];
  for (const s of sides) {
    if (!wanOf(s.facts, s.peer.localAddress)) return { between, ok: false, ike: '-', child: '-', problems: [`${s.facts.header.router}: IPsec peer ${s.peer.name} has local-address ${s.peer.localAddress ?? '(none)'}, on none of its interfaces`] };
  }
  for (const s of sides) await run('ip', ['netns', 'add', ns(s.key)]);
  await run('ip', ['link', 'add', 'wan0', 'netns', ns('a'), 'type', 'veth', 'peer', 'name', 'wan0', 'netns', ns('b')]);
  const confs: string[] = [];
  for (const s of sides) {
    const wan = wanOf(s.facts, s.peer.localAddress)!;
    const otherAddr = s.other.peer.localAddress!;
    const cmds = ['link set lo up', `addr add ${wan} dev wan0`, 'link set wan0 up'];
    for (const i of s.facts.interfaces.values()) if (i.kind === 'loopback') for (const a of i.addresses) cmds.push(`addr add ${a} dev lo`);
    if (!contains(parsePrefix(wan), otherAddr)) cmds.push(`route add ${otherAddr}/32 dev wan0`);
    await run('ip', ['-n', ns(s.key), '-batch', '-'], { input: cmds.join('\n') + '\n' });
    const dir = join(workDir, s.key);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'strongswan.conf'), charonConf(dir));
    const conf = join(dir, 'swanctl.conf');
    writeFileSync(conf, swanctlConf(s.x, s.peer, otherAddr, secretOf(s.peer.secret)), { mode: 0o600 });
    confs.push(conf);
    const child = spawn('ip', ['netns', 'exec', ns(s.key), CHARON], { env: { ...process.env, STRONGSWAN_CONF: join(dir, 'strongswan.conf') }, stdio: 'ignore', detached: false });
    child.unref();
    const vici = join(dir, 'charon.vici');
    if (!(await poll(async () => (existsSync(vici) ? true : undefined), 10000, 50))) throw new LabError(`charon for ${s.facts.header.router} did not open its control socket within 10 s`);
  }
  // The responder loads first, so the initiator's first IKE_SA_INIT is answered.
  const order = sides[0]!.peer.connectionType === 'initiate' ? [1, 0] : [0, 1];
  for (const k of order) await run(SWANCTL, ['--load-all', '--file', confs[k]!, '-u', `unix://${join(workDir, sides[k]!.key, 'charon.vici')}`]);
  const state = async (k: number) => {
    const out = await run(SWANCTL, ['--list-sas', '-u', `unix://${join(workDir, sides[k]!.key, 'charon.vici')}`]).catch(() => '');
    return { ike: /ESTABLISHED/.test(out) ? 'ESTABLISHED' : (/(CONNECTING|CREATED|REKEYING|DELETING)/.exec(out)?.[1] ?? 'none'), child: /INSTALLED/.test(out) ? 'INSTALLED' : 'none' };
  };
  // charon says why a negotiation failed; once it has, waiting longer changes nothing.
  const refusal = (): string | undefined => {
    for (const s of sides) {
      const log = join(workDir, s.key, 'charon.log');
      if (!existsSync(log)) continue;
      const line = readFileSync(log, 'utf8')
        .split('\n')
        .find((l) => REFUSALS.test(l));
      if (line) return `${s.facts.header.router}'s charon: ${line.replace(/^.*?\]\s*/, '').trim()}`;
    }
    return undefined;
  };
  let why: string | undefined;
  const settled = await poll(
    async () => {
      const [sa, sb] = [await state(0), await state(1)];
      if (sa.ike === 'ESTABLISHED' && sb.ike === 'ESTABLISHED' && sa.child === 'INSTALLED' && sb.child === 'INSTALLED') return sa;
      why = refusal();
      return why ? { ike: 'refused', child: 'none' } : undefined;
    },
    15000,
    200,
  );
  if (settled && settled.ike === 'ESTABLISHED') return { between, ok: true, ike: 'ESTABLISHED', child: 'INSTALLED', problems: [] };
  const last = await state(0);
  return {
    between,
    ok: false,
    ike: last.ike,
    child: last.child,
    problems: [`IPsec ${between[0]} ↔ ${between[1]} (peers ${pair.a.peer.name} / ${pair.b.peer.name}): IKE ${last.ike}, CHILD ${last.child}${why ? `; ${why}` : ' after 15 s'}`],
  };
}

const REFUSALS = /AUTHENTICATION_FAILED|NO_PROPOSAL_CHOSEN|no matching peer config|no shared key found|tried \d+ shared keys? for|TS_UNACCEPTABLE|no acceptable proposal/i;

/** One random secret per distinct key text. */
export function testSecrets(): (text: string | undefined) => string {
  const m = new Map<string, string>();
  return (text) => {
    const k = text ?? '';
    let v = m.get(k);
    if (!v) m.set(k, (v = randomBytes(16).toString('hex')));
    return v;
  };
}
