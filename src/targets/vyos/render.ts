// RouterIntent x Dialect -> the router's `set` commands. One Handlebars
// environment per release: the dialect's path shapes are its partials, so the
// template (templates/vyos/router.hbs) is the same for every release.
import type { BgpIntent, NatNodeIntent, RouterIntent } from '../../model/intent.js';
import type { Release, SecretRef } from '../../model/topology.js';
import { bare, singleQuoted } from '../quote.js';
import { loadTemplate, type Render } from '../templates.js';
import { argsOnly } from '../template-runtime.js';
import { withImplicitFamiliesDenied } from './implicit-families.js';
import { DIALECTS, type Dialect } from './dialects.js';
import { dualStackView, familyStatements, sessionFamilies } from './dual-stack.js';
import { extend } from '../../model/extend.js';

const compiled = new Map<string, Render>();

function template(file: 'vyos/router.hbs' | 'vyos/nat-node.hbs', release: Release): Render {
  const key = `${release} ${file}`;
  let t = compiled.get(key);
  if (!t) {
    t = compile(file, DIALECTS[release]);
    compiled.set(key, t);
  }
  return t;
}

function compile(file: string, dialect: Dialect): Render {
  return loadTemplate(file, dialect.paths, {
    q: argsOnly((v: unknown) => singleQuoted(v)),
    t: argsOnly((v: unknown) => bare(v)),
    has: argsOnly((v: unknown) => v !== undefined && v !== null),
    words: argsOnly((v: unknown[]) => v.map(String).join(' ')),
    word: argsOnly((table: keyof Dialect['words'], key: string) => {
      const word = (dialect.words[table] as Record<string, string>)[key];
      if (word === undefined) throw new Error(`internal error: no ${table} word for ${key} in VyOS ${dialect.release}`);
      return word;
    }),
  }, PARTIAL_FILES);
}

/** Partials every release shares (the dialect's own are its path shapes). */
const PARTIAL_FILES = {
  'bgp-session': 'vyos/partials/bgp-session.hbs',
  'bgp-session6': 'vyos/partials/bgp-session6.hbs',
  'bgp-af': 'vyos/partials/bgp-af.hbs',
  'transition-scripts': 'vyos/partials/transition-scripts.hbs',
  firewall: 'vyos/partials/firewall.hbs',
  'fw-chain': 'vyos/partials/fw-chain.hbs',
  shaper: 'vyos/partials/shaper.hbs',
};

/** A view that names every field of T (optional ones too), and may add its own. */
type Naming<T> = Record<keyof Required<T>, unknown> & Record<string, unknown>;

export interface RenderInput {
  intent: RouterIntent;
  header: string[];
  /** The value (or redaction placeholder) of every secret the intent references. */
  secrets: ReadonlyMap<SecretRef, string>;
}

/** The file is a function of the input alone (src/targets/render-input.ts relies on it). */
export function renderVyos({ intent: asChecked, header, secrets }: RenderInput): string {
  const intent = withImplicitFamiliesDenied(asChecked);
  const families = dualStackView(intent);
  const ipsec = intent.ipsec;
  const vrrp = intent.vrrp;
  // Every field named once, in one order: every router's view has one shape, so
  // the template's lookups stay monomorphic, and no field of a copied intent is
  // overwritten (V8 re-types such a field on every render). The type makes a
  // field that a feature adds to RouterIntent a compile error here until it is listed.
  const view = {
    name: intent.name,
    site: intent.site,
    role: intent.role,
    release: intent.release,
    releasePath: intent.releasePath,
    path: intent.path,
    hostName: intent.hostName,
    header,
    ethernet: intent.ethernet,
    loopbacks: intent.loopbacks,
    dummies: intent.dummies,
    tunnels: intent.tunnels,
    // A VTI with nothing else to say is still created (1.3 clamps its MSS elsewhere, and a peer can bind only an existing VTI).
    vtis: intent.vtis.map((v) => extend(v, { bare: !v.address && !v.description && !v.mtu })),
    // Where a release clamps the MSS outside the interface (1.3's firewall options).
    mssClamps: [...intent.tunnels, ...intent.vtis].filter((i) => i.adjustMss !== undefined).map((i) => ({ name: i.name, mss: i.adjustMss })),
    ipsec: ipsec && {
      interface: ipsec.interface,
      disableRouteAutoinstall: ipsec.disableRouteAutoinstall,
      ikeGroups: ipsec.ikeGroups,
      espGroups: ipsec.espGroups.map((g) => extend(g, { pfs: typeof g.proposal.pfs === 'number' ? `dh-group${g.proposal.pfs}` : g.proposal.pfs })),
      peers: ipsec.peers.map((p) => extend(p, { secret: secretFor(secrets, p.psk) })),
    } satisfies Naming<NonNullable<RouterIntent['ipsec']>>,
    vrrp: vrrp && {
      groups: vrrp.groups.map((g) => (g.password ? extend(g, { secret: secretFor(secrets, g.password) }) : { ...g })),
      syncGroups: vrrp.syncGroups,
    } satisfies Naming<NonNullable<RouterIntent['vrrp']>>,
    hasPolicy: intent.routeMaps.length + intent.prefixLists.length + (intent.asPathLists?.length ?? 0) + (intent.communityLists?.length ?? 0) > 0,
    prefixLists: families.prefixLists,
    prefixLists6: families.prefixLists6,
    routeMaps: families.routeMaps,
    asPathLists: intent.asPathLists,
    communityLists: intent.communityLists,
    bgp: intent.bgp && bgpView(intent, intent.bgp, secrets),
    staticRoutes: families.staticRoutes,
    staticRoutes6: families.staticRoutes6,
    nat: intent.nat,
    firewall: intent.firewall,
    shapers: intent.shapers,
    extraLines: intent.extraLines,
    notes: intent.notes,
  } satisfies Naming<RouterIntent>;
  return tidy(template('vyos/router.hbs', intent.release)(view));
}

export function renderNatNode(intent: NatNodeIntent, header: string[]): string {
  return tidy(template('vyos/nat-node.hbs', intent.release)(extend(intent, { header })));
}

function bgpView(intent: RouterIntent, bgp: NonNullable<RouterIntent['bgp']>, secrets: ReadonlyMap<SecretRef, string>) {
  const statements = familyStatements(intent, bgp);
  const sessions = sessionFamilies(
    bgp.neighbors.map((n) => (n.password ? extend(n, { secret: secretFor(secrets, n.password) }) : { ...n })),
    (bgp.peerGroups ?? []).map((g) => (g.password ? extend(g, { secret: secretFor(secrets, g.password) }) : { ...g })),
  );
  // One test for the template's whole IPv6 block.
  const v6 = sessions.neighbors6.length + sessions.peerGroups6.length + statements.networks6.length + statements.redistribute6.length > 0;
  // Named field by field, like the router's view (renderVyos).
  return {
    asn: bgp.asn,
    routerId: bgp.routerId,
    keepalive: bgp.keepalive,
    holdtime: bgp.holdtime,
    neighbors: sessions.neighbors,
    neighbors6: sessions.neighbors6,
    peerGroups: sessions.peerGroups,
    peerGroups6: sessions.peerGroups6,
    networks: statements.networks,
    networks6: statements.networks6,
    redistribute: statements.redistribute,
    redistribute6: statements.redistribute6,
    v6,
  } satisfies Naming<BgpIntent>;
}

function secretFor(secrets: ReadonlyMap<SecretRef, string>, ref: SecretRef): string {
  const s = secrets.get(ref);
  if (s === undefined) throw new Error(`internal error: no resolved secret for ${ref.kind} ${ref.name}`);
  return s;
}

/**
 * One blank line between sections, none at the ends; every other line a
 * command or a comment (only a value carrying a line break could make
 * another line, and the quoting helpers refuse those already). One pass over
 * the lines; the template's flattened output is returned as is when nothing
 * needs cutting, so a file held for writing is its only copy, and a cut file
 * is joined into a new flat string that keeps nothing of the old one alive.
 */
function tidy(text: string): string {
  const n = text.length;
  let start = 0;
  while (start < n && text.charCodeAt(start) === 10) start++;
  let end = n;
  while (end > start && text.charCodeAt(end - 1) === 10) end--;
  let parts: string[] | undefined;
  let from = start;
  let at = start;
  for (;;) {
    if (!text.startsWith('set ', at) && !text.startsWith('# ', at)) {
      const next = text.indexOf('\n', at);
      throw new Error(`internal error: template produced a line that is not a command: ${JSON.stringify(text.slice(at, next < 0 ? undefined : next).slice(0, 60))}`);
    }
    const nl = text.indexOf('\n', at);
    if (nl < 0 || nl >= end) break;
    let next = nl + 1;
    while (text.charCodeAt(next) === 10) next++;
    if (next - nl > 2) {
      (parts ??= []).push(text.slice(from, nl + 2));
      from = next;
    }
    at = next;
  }
  if (!parts && start === 0 && end === n - 1) return text;
  (parts ??= []).push(text.slice(from, end), '\n');
  return parts.join('');
}
