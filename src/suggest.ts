// "Did you mean …?" for mistyped names and keywords.
import { closest, distance } from 'fastest-levenshtein';

/** The candidate closest to `value`, when it is close enough to be a typo. */
export function suggest(value: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const guess = closest(value, [...candidates]);
  const d = distance(value.toLowerCase(), guess.toLowerCase());
  return d <= Math.max(2, Math.floor(Math.max(value.length, guess.length) / 3)) ? guess : undefined;
}
