#!/usr/bin/env bash
# Our actors on real threads next to Erlang processes (Debian's erlang-base),
# the same programs, one after the other on the same machine.
#   bench/bench_erlang.sh [N] [HOPS]   (after ./such test; installs erlang-base if missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ours="$root/build/native/bench_actors"
[[ -x $ours ]] || { echo "build first: ./such test"; exit 2; }
command -v erl >/dev/null || apt-get install -y -q --no-install-recommends erlang-base >/dev/null
n="${1:-100000}"
hops="${2:-100000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$root/bench/erlang/actors.erl" "$work/"
(cd "$work" && erlc actors.erl)
"$ours" "$n" "$hops" > "$work/ours.txt"
(cd "$work" && erl -noshell +S 2 -s actors main "$n" "$hops" -s init stop) > "$work/erl.txt"
printf "%-16s %16s %16s %8s\n" "program" "such" "Erlang" "such/Erlang"
paste "$work/ours.txt" "$work/erl.txt" | while read -r name a _ b; do
    printf "%-16s %16s %16s %7.3fx\n" "$name" "$a" "$b" "$(echo "$a / $b" | bc -l)"
done
echo "(per second, but bytes_per_actor: ping-pong $n round trips; ring of 1,000 actors, $hops hops; 100,000 actors spawned)"
