// The topology without its parts that hold errors, so the checks of the rest
// can run in the same run. What is left is schema-valid (validated again), so
// every feature reads it with the types it always reads: a feature never sees
// half-valid input. A part that names a left-out part (a link to a router of
// a left-out site) is left out with it; otherwise it would fail only because
// of the gap ("unknown router"), an error the user did not make.
import type { DocPath } from '../diagnostics.js';
import type { TopologyDoc } from '../model/document.js';
import { topologyValidator } from '../schema/schema-validator.js';
import { unitKey, unitOf } from './units.js';

export interface Removed {
  unit: DocPath;
  /** The part with errors this one names, when it was left out only for that. */
  needs?: DocPath;
  /** Left out because leaving out its entries left it invalid (an `lvs` without pairs): its entries say it all. */
  emptied?: true;
}

export interface Pruned {
  doc: TopologyDoc;
  removed: Removed[];
  /** A path into the pruned document -> the same place in the written one (links after a left-out link move up). */
  toOriginal(path: DocPath): DocPath;
  /** The same for the paths messages name (`links[2]`). */
  textToOriginal(text: string): string;
}

/** Removing a part can leave its container invalid (an `lvs` without pairs): each round removes those too. */
const MAX_ROUNDS = 8;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `undefined` when what is left cannot be checked at all (an error in `defaults`, or in the file as a whole). */
export function pruneDocument(original: unknown, units: readonly DocPath[]): Pruned | undefined {
  if (!isObj(original)) return undefined;
  const removed = new Map<string, Removed>();
  let pending: Removed[] = units.map((unit) => ({ unit }));
  const validate = topologyValidator();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    for (const r of pending) if (!removed.has(unitKey(r.unit))) removed.set(unitKey(r.unit), r);
    leaveOutDependents(original, removed);
    const built = build(original, [...removed.values()].map((r) => r.unit));
    if (validate(built.doc)) return { doc: built.doc as unknown as TopologyDoc, removed: [...removed.values()], ...built.maps };
    pending = [];
    for (const e of validate.errors ?? []) {
      const u = unitOf(built.maps.toOriginal(errorPath(e)));
      if (u === 'all') return undefined;
      if (!removed.has(unitKey(u))) pending.push({ unit: u, emptied: true });
    }
    if (pending.length === 0) return undefined;
  }
  return undefined;
}

/** `unit` or a part holding it is left out: its prefixes looked up, not every left-out part compared. */
export function isLeftOut(unit: DocPath, removed: ReadonlyMap<string, unknown>): boolean {
  for (let n = 1; n <= unit.length; n++) if (removed.has(unitKey(unit.slice(0, n)))) return true;
  return false;
}

function errorPath(e: { instancePath: string; params: unknown; propertyName?: string }): DocPath {
  const path: (string | number)[] =
    e.instancePath === ''
      ? []
      : e.instancePath
          .slice(1)
          .split('/')
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
          .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
  const extra = e.propertyName ?? (e.params as { additionalProperty?: unknown }).additionalProperty;
  if (typeof extra === 'string') path.push(extra);
  return path;
}

/**
 * The parts that name a left-out site or one of its routers, and the
 * `routers:` entries of the routers a left-out link or hub mesh joined: such
 * an entry may configure what the link derives (a BGP neighbor on its inner
 * address takes the link's remote AS).
 */
function leaveOutDependents(doc: Obj, removed: Map<string, Removed>): void {
  const gone = (unit: DocPath) => isLeftOut(unit, removed);
  const leaveOut = (unit: DocPath, needs: DocPath) => {
    if (!gone(unit)) removed.set(unitKey(unit), { unit, needs });
  };
  const names = (list: unknown): string[] => (Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : []);
  const sites = isObj(doc.sites) ? doc.sites : {};
  const routersOf = (site: string): string[] => {
    const s = sites[site];
    return isObj(s) && isObj(s.routers) ? Object.keys(s.routers) : [];
  };
  const missingRouters = new Map<string, DocPath>();
  for (const name of Object.keys(sites)) {
    if (!gone(['sites', name])) continue;
    const unit = removed.get(unitKey(['sites', name]))?.unit ?? ['sites'];
    for (const r of routersOf(name)) missingRouters.set(r, unit);
  }
  // Routers that lose a link, with the part that took it away.
  const unlinked = new Map<string, DocPath>();
  if (Array.isArray(doc.links)) {
    doc.links.forEach((l: unknown, i) => {
      const between = names(isObj(l) ? l.between : undefined);
      const hit = between.find((n) => missingRouters.has(n));
      if (hit !== undefined) leaveOut(['links', i], missingRouters.get(hit)!);
      if (gone(['links', i])) for (const n of between) if (!unlinked.has(n)) unlinked.set(n, ['links', i]);
    });
  }
  const mesh = doc.hub_mesh;
  if (isObj(mesh) && Array.isArray(mesh.regions)) {
    const regions = (mesh.regions as unknown[]).filter(isObj);
    const meshSites = regions.flatMap((region) => [...names([region.hub]), ...names(region.spokes)]);
    const hit = meshSites.find((n) => gone(['sites', n]));
    if (hit !== undefined) leaveOut(['hub_mesh'], ['sites', hit]);
    if (gone(['hub_mesh'])) for (const site of meshSites) for (const r of routersOf(site)) if (!unlinked.has(r)) unlinked.set(r, ['hub_mesh']);
  }
  // A `routers:` entry of a left-out site router would otherwise be read as a router of its own.
  if (isObj(doc.routers)) {
    for (const name of Object.keys(doc.routers)) {
      const needs = missingRouters.get(name) ?? unlinked.get(name);
      if (needs) leaveOut(['routers', name], needs);
    }
  }
  // The firewall's roles name sites, its protection and shapers name routers
  // and their interfaces (a link's tunnel too): with one of them left out it is
  // left out too (never checked against a gap).
  if (isObj(doc.firewall)) {
    const named = [...removed.values()].find((r) => ['sites', 'routers', 'links', 'hub_mesh'].includes(String(r.unit[0])));
    if (named) leaveOut(['firewall'], named.unit);
  }
}

function build(original: Obj, units: readonly DocPath[]): { doc: Obj; maps: Pick<Pruned, 'toOriginal' | 'textToOriginal'> } {
  const doc: Obj = { ...original };
  const droppedLinks = new Set<number>();
  const whole = new Set(units.filter((u) => u.length === 1).map((u) => String(u[0])));
  for (const top of whole) delete doc[top];
  // Containers are copied before an entry is deleted: the written document stays as loaded.
  const copies = new Map<string, Obj>();
  const container = (path: readonly string[]): Obj | undefined => {
    let holder: Obj = doc;
    for (let i = 0; i < path.length; i++) {
      const id = path.slice(0, i + 1).join('\u0000');
      let next = copies.get(id);
      if (!next) {
        const v = holder[path[i]!];
        if (!isObj(v)) return undefined;
        next = { ...v };
        holder[path[i]!] = next;
        copies.set(id, next);
      }
      holder = next;
    }
    return holder;
  };
  for (const u of units) {
    if (u.length < 2 || whole.has(String(u[0]))) continue;
    if (u[0] === 'links') {
      if (typeof u[1] === 'number') droppedLinks.add(u[1]);
      continue;
    }
    const parent = container(u.slice(0, -1).map(String));
    if (parent) delete parent[String(u[u.length - 1])];
  }
  let kept: number[] = [];
  if (droppedLinks.size > 0 && Array.isArray(original.links)) {
    kept = original.links.map((_, i) => i).filter((i) => !droppedLinks.has(i));
    doc.links = kept.map((i) => (original.links as unknown[])[i]);
  }
  const index = (n: number) => kept[n] ?? n;
  return {
    doc,
    maps: {
      toOriginal: (path) => (kept.length > 0 && path[0] === 'links' && typeof path[1] === 'number' ? ['links', index(path[1]), ...path.slice(2)] : path),
      textToOriginal: (text) => (kept.length > 0 ? text.replace(/(^|[^A-Za-z0-9_.\]-])links\[(\d+)\]/g, (_, pre: string, n: string) => `${pre}links[${index(Number(n))}]`) : text),
    },
  };
}
