// "Did you mean …?" for mistyped names and keywords.
import { closest, distance } from 'fastest-levenshtein';

/** The candidate closest to `value`, when it is close enough to be a typo. */
export function suggest(value: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const guess = closest(value, [...candidates]);
  const d = distance(value.toLowerCase(), guess.toLowerCase());
  return d <= Math.max(2, Math.floor(Math.max(value.length, guess.length) / 3)) ? guess : undefined;
}

/** Suggestions made for one list of names before the suggester stops (each costs a pass over the list). */
export const MAX_SUGGESTIONS = 100;
/** Names listed in a hint when there is no suggestion. */
export const MAX_LISTED = 10;

/**
 * Suggestions against one large list of names (routers, sites), bounded: a
 * file naming 20,000 unknown routers among 10,000 would otherwise cost
 * errors × names distance computations. After MAX_SUGGESTIONS the
 * suggester stops guessing; hints then list the first names only.
 */
export class Suggester {
  private made = 0;
  private sorted: string[] | undefined;
  constructor(private readonly names: () => readonly string[]) {}

  suggest(value: string): string | undefined {
    if (this.made >= MAX_SUGGESTIONS) return undefined;
    this.made++;
    return suggest(value, this.names());
  }

  /** "a, b, c" or "a, b, …, and 9,990 more" ("none" when empty). */
  listed(): string {
    this.sorted ??= [...this.names()].sort();
    const s = this.sorted;
    if (s.length === 0) return 'none';
    return s.length <= MAX_LISTED ? s.join(', ') : `${s.slice(0, MAX_LISTED).join(', ')}, … and ${(s.length - MAX_LISTED).toLocaleString('en')} more`;
  }
}

const byList = new WeakMap<object, Suggester>();

/** The one suggester of a map of names (one per render: the map is built once per run). */
export function suggesterFor(names: ReadonlyMap<string, unknown>): Suggester {
  let s = byList.get(names);
  if (!s) {
    s = new Suggester(() => [...names.keys()]);
    byList.set(names, s);
  }
  return s;
}
