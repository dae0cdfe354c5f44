#!/usr/bin/env bash
# Our event loop's timers next to libuv's (Debian's libuv1-dev), the same
# program, one after the other on the same machine.
#   bench/bench_libuv.sh [N]   (installs libuv1-dev if missing)
source "$(dirname "$0")/peer.sh"
peer_setup bench_loop
peer_install "test -f /usr/include/uv.h" libuv1-dev
n="${1:-200000}"
cc -O2 -o "$work/timers" "$root/bench/libuv/timers.c" -luv
"$ours" "$n" > "$work/ours.txt"
"$work/timers" "$n" > "$work/peer.txt"
peer_table libuv libuv
record libuv.n "$n"
echo "(per second; $n timers due over 0-9 ms, each fired once)"
