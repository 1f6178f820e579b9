#!/usr/bin/env bash
# Runs `vygen lab` (real FRR in network namespaces, every default scenario)
# over every example whose routers speak BGP or VRRP (LVS directors too), all at once (the labs mostly
# wait on BGP hold timers, not on the CPU), and prints each one's time. Two small examples run once more
# as VyOS 1.3 renders (its BGP and IPsec lines have their own shapes: peers tagged by address, every
# remote-as activated in IPv4, which its IPv6 sessions deny).
# Needs root and FRR; exits 1 when any lab fails, printing its report.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
names=()
for topo in examples/*/topology.yaml; do
  name=$(basename "$(dirname "$topo")")
  # grep reads everything (no -q): an early exit would break render's pipe.
  if node dist/cli.js render "$topo" --redact 2>/dev/null | grep -E '^set (protocols bgp|high-availability vrrp) |^vrrp_instance ' >/dev/null; then names+=("$name"); fi
done
# name@release: the release's render instead of the topology's own.
for extra in inter-region-vpn@1.3 inter-region-vpn-dual-stack@1.3; do names+=("$extra"); done
start=$(date +%s%N)
load=$(cut -d' ' -f1-3 /proc/loadavg)
for name in "${names[@]}"; do
  (
    s=$(date +%s%N)
    example=${name%@*}
    release=()
    [ "$example" != "$name" ] && release=(--release "${name#*@}")
    node dist/cli.js lab "examples/$example/topology.yaml" "${release[@]}" >"$out/$name.report" 2>"$out/$name.log"
    echo $? >"$out/$name.rc"
    echo $((($(date +%s%N) - s) / 1000000)) >"$out/$name.ms"
  ) &
done
wait
failed=0
for name in "${names[@]}"; do
  rc=$(cat "$out/$name.rc")
  ms=$(cat "$out/$name.ms")
  printf 'lab %-24s %-6s %4d.%d s\n' "$name" "$([ "$rc" = 0 ] && echo ok || echo FAILED)" $((ms / 1000)) $((ms % 1000 / 100))
  if [ "$rc" != 0 ]; then
    failed=1
    cat "$out/$name.log" "$out/$name.report"
  fi
done
ms=$((($(date +%s%N) - start) / 1000000))
printf 'lab: %d examples in %d.%d s (load average %s at the start, %s at the end)\n' "${#names[@]}" $((ms / 1000)) $((ms % 1000 / 100)) "$load" "$(cut -d' ' -f1-3 /proc/loadavg)"
exit $failed
