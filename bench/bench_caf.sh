#!/usr/bin/env bash
# Our actors on real threads next to CAF actors (C++ Actor Framework 0.17,
# Debian's libcaf-dev, scheduler of 2 worker threads), the same programs,
# one after the other on the same machine.
#   bench/bench_caf.sh [N] [HOPS]   (after ./such test; installs libcaf-dev if missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ours="$root/build/native/bench_actors"
if [[ ! -x $ours ]]; then
    [[ -d $root/build/native ]] || { echo "build first: ./such test"; exit 2; }
    cmake --build "$root/build/native" --target bench_actors >/dev/null
fi
[[ -f /usr/include/caf/all.hpp ]] || apt-get install -y -q --no-install-recommends libcaf-dev >/dev/null
n="${1:-100000}"
hops="${2:-100000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
g++ -std=c++17 -O2 -o "$work/actors" "$root/bench/caf/actors.cpp" -lcaf_core -lpthread
"$ours" "$n" "$hops" | head -2 > "$work/ours.txt"  # the CAF program has the first two only
"$work/actors" "$n" "$hops" > "$work/caf.txt"
printf "%-12s %16s %16s %8s\n" "program" "such (per s)" "CAF (per s)" "such/CAF"
paste "$work/ours.txt" "$work/caf.txt" | while read -r name a _ b; do
    printf "%-12s %16s %16s %7.3fx\n" "$name" "$a" "$b" "$(echo "$a / $b" | bc -l)"
done
echo "(ping-pong: $n round trips; ring: 1,000 actors, $hops hops)"
