#!/usr/bin/env bash
# Our actors on green threads next to Erlang processes (Debian's erlang-base),
# the same programs, one after the other on the same machine.
#   bench/bench_erlang.sh [N] [HOPS]   (installs erlang-base if missing)
source "$(dirname "$0")/peer.sh"
peer_setup bench_actors
peer_install "command -v erl" erlang-base
n="${1:-100000}"
hops="${2:-100000}"
cp "$root/bench/erlang/actors.erl" "$work/"
(cd "$work" && erlc actors.erl)
"$ours" "$n" "$hops" > "$work/ours.txt"
(cd "$work" && erl -noshell +S 2 -s actors main "$n" "$hops" -s init stop) > "$work/peer.txt"
peer_table Erlang erlang
record erlang.n "$n"
record erlang.hops "$hops"
echo "(per second, but bytes_per_actor: ping-pong $n round trips; ring of 1,000 actors, $hops hops; 100,000 actors spawned)"
