#!/usr/bin/env bash
# Runs vyos-check --commit on every .vyos file under fixtures/ and examples/
# (and any directories given after the checker), grouped by the release its
# header names. A golden directory expected/R/ lists in same-as-P.txt the
# files that render for R as for release P (test/helpers/release-goldens.ts):
# those are checked for R too, from the directory that holds them. Exits
# non-zero on any invalid line, commit error, a file whose header names no
# release, or a list naming a file that is not there.
set -euo pipefail
check=$1; shift
dirs=("fixtures" "examples" "$@")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
status=0
while IFS= read -r -d '' f; do
  rel=$(head -n 3 "$f" | grep -oE 'VyOS (1\.3|1\.4|1\.5|rolling)' | head -n 1 | cut -d' ' -f2 || true)
  if [ -z "$rel" ]; then echo "$f: header names no VyOS release"; status=1; continue; fi
  printf '%s\0' "$f" >> "$tmp/$rel"
done < <(find "${dirs[@]}" -name '*.vyos' -type f -print0 2>/dev/null | sort -z)

# The file a same-as list stands for: follow the lists back until one holds it.
resolve() { # expected-dir release path
  local dir=$1 rel=$2 path=$3 list prev
  while [ ! -f "$dir/$rel/$path" ]; do
    list=$(find "$dir/$rel" -maxdepth 1 -name 'same-as-*.txt' | head -n 1)
    [ -n "$list" ] && grep -qxF -- "$path" "$list" || return 1
    prev=${list##*/same-as-}; rel=${prev%.txt}
  done
  printf '%s' "$dir/$rel/$path"
}
while IFS= read -r -d '' list; do
  reldir=${list%/*}; rel=${reldir##*/}; expected=${reldir%/*}
  while IFS= read -r path; do
    case $path in *.vyos) ;; *) continue ;; esac
    if f=$(resolve "$expected" "$rel" "$path"); then printf '%s\0' "$f" >> "$tmp/$rel"
    else echo "$list: $path is in no golden directory"; status=1; fi
  done < "$list"
done < <(find "${dirs[@]}" -path '*/expected/*' -name 'same-as-*.txt' -type f -print0 2>/dev/null | sort -z)

for list in "$tmp"/*; do
  [ -f "$list" ] || continue
  rel=${list##*/}
  echo "vyos-check --commit --release $rel: $(tr -cd '\0' < "$list" | wc -c) files"
  if ! xargs -0 "$check" --commit --release "$rel" < "$list"; then status=1; fi
done
exit $status
