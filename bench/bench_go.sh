#!/usr/bin/env bash
# Our channels on real threads next to Go's (Debian's golang-go), the same
# programs, one after the other on the same machine, N round trips / values.
#   bench/bench_go.sh [N]      (installs golang-go if missing)
source "$(dirname "$0")/peer.sh"
peer_setup bench_channels
peer_install "command -v go" golang-go
n="${1:-200000}"
(cd "$work" && cp "$root/bench/go/channels.go" . && GOCACHE="$work/cache" GOFLAGS=-mod=mod go build -o channels_go channels.go)
"$ours" "$n" > "$work/ours.txt"
GOMAXPROCS=2 "$work/channels_go" "$n" > "$work/peer.txt"
peer_table Go go
record go.n "$n"
echo "(per second; $n round trips or values)"
