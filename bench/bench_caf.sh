#!/usr/bin/env bash
# Our actors on green threads next to CAF actors (C++ Actor Framework 0.17,
# Debian's libcaf-dev, scheduler of 2 worker threads), the same programs,
# one after the other on the same machine.
#   bench/bench_caf.sh [N] [HOPS]   (installs libcaf-dev if missing)
source "$(dirname "$0")/peer.sh"
peer_setup bench_actors
peer_install "test -f /usr/include/caf/all.hpp" libcaf-dev
n="${1:-100000}"
hops="${2:-100000}"
g++ -std=c++17 -O2 -o "$work/actors" "$root/bench/caf/actors.cpp" -lcaf_core -lpthread
"$ours" "$n" "$hops" | head -2 > "$work/ours.txt"  # the CAF program has the first two only
"$work/actors" "$n" "$hops" > "$work/peer.txt"
peer_table CAF caf
record caf.n "$n"
record caf.hops "$hops"
echo "(per second; ping-pong: $n round trips; ring: 1,000 actors, $hops hops)"
