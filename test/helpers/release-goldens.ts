// Per-release goldens without copies: most files render the same for two
// adjacent releases but for the header's release name, and a reviewer should
// see only what a release changes. The goldens of release R hold the files
// that differ from release R-1 and a list, same-as-<R-1>.txt, of the files that
// do not; a listed file is compared with R-1's text, itself resolved the same
// way. scripts/vyos-check-all.sh follows the same lists, so every listed file
// is still checked with vyos-check for release R.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELEASES, type Release } from '../../dist/index.js';

const RELEASE_IN_HEADER = /VyOS \S+ \([^)]*\)/;

export function sameAsName(previous: Release): string {
  return `same-as-${previous}.txt`;
}

/** The text of `path` as release `release`'s goldens hold it, following same-as lists back. */
export function goldenText(expected: string, release: Release, path: string): string | undefined {
  const own = join(expected, release, path);
  if (existsSync(own)) return readFileSync(own, 'utf8');
  const previous = RELEASES[RELEASES.indexOf(release) - 1];
  if (previous === undefined) return undefined;
  const list = join(expected, release, sameAsName(previous));
  if (!existsSync(list) || !readFileSync(list, 'utf8').split('\n').includes(path)) return undefined;
  return goldenText(expected, previous, path);
}

/** Equal but for the release named on the first line (a .vyos header), or equal outright. */
function sameButRelease(a: string, b: string): boolean {
  const cut = (t: string) => {
    const nl = t.indexOf('\n');
    const first = nl < 0 ? t : t.slice(0, nl);
    return `${first.replace(RELEASE_IN_HEADER, 'VyOS')}${nl < 0 ? '' : t.slice(nl)}`;
  };
  return a === b || cut(a) === cut(b);
}

/**
 * The files release `release`'s directory must hold for this render: those
 * that differ from what the previous release's goldens hold, plus the list
 * of the others (when there are any). The listed files are checked here: a
 * listed file that renders differently from the previous release's golden is
 * kept as a file, so matchGolden reports it (or UPDATE_GOLDEN writes it).
 */
export function releaseGoldens(expected: string, release: Release, files: ReadonlyMap<string, string>): Map<string, string> {
  const previous = RELEASES[RELEASES.indexOf(release) - 1];
  if (previous === undefined) return new Map(files);
  const out = new Map<string, string>();
  const same: string[] = [];
  for (const [path, content] of files) {
    const before = goldenText(expected, previous, path);
    const named = RELEASE_IN_HEADER.exec(content.slice(0, content.indexOf('\n') >>> 0))?.[0];
    const ownRelease = named === undefined || named.startsWith(`VyOS ${release} `);
    if (before !== undefined && ownRelease && sameButRelease(before, content)) same.push(path);
    else out.set(path, content);
  }
  if (same.length > 0) out.set(sameAsName(previous), `${same.sort().join('\n')}\n`);
  return out;
}
