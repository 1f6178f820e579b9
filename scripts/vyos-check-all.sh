#!/usr/bin/env bash
# Runs vyos-check --commit on every .vyos file under fixtures/ and examples/
# (and any directories given after the checker), grouped by the release its
# header names. Exits non-zero on any invalid line, commit error, or a file
# whose header names no release.
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
for list in "$tmp"/*; do
  [ -f "$list" ] || continue
  rel=${list##*/}
  if ! xargs -0 "$check" --commit --release "$rel" < "$list"; then status=1; fi
done
exit $status
