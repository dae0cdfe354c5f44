#!/usr/bin/env bash
# Our event loop's timers next to libuv's (Debian's libuv1-dev), the same
# program, one after the other on the same machine.
#   bench/bench_libuv.sh [N]   (after ./such test; installs libuv1-dev if missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ours="$root/build/native/bench_loop"
[[ -x $ours ]] || { echo "build first: ./such test"; exit 2; }
[[ -f /usr/include/uv.h ]] || apt-get install -y -q --no-install-recommends libuv1-dev >/dev/null
n="${1:-200000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/timers" "$root/bench/libuv/timers.c" -luv
"$ours" "$n" > "$work/ours.txt"
"$work/timers" "$n" > "$work/uv.txt"
printf "%-12s %16s %16s %8s\n" "program" "such (per s)" "libuv (per s)" "such/libuv"
paste "$work/ours.txt" "$work/uv.txt" | while read -r name a _ b; do
    printf "%-12s %16s %16s %7.3fx\n" "$name" "$a" "$b" "$(echo "$a / $b" | bc -l)"
done
echo "($n timers due over 0-9 ms, each fired once)"
