#!/usr/bin/env bash
# Our channels on real threads next to Go's (Debian's golang-go), the same
# programs, one after the other on the same machine, N round trips / values:
# ours with a native thread per task, then as green threads on 1 and on 2
# workers (M:N, as goroutines are), then Go with GOMAXPROCS=2.
#   bench/bench_go.sh [N]      (installs golang-go if missing)
source "$(dirname "$0")/peer.sh"
peer_setup bench_channels
peer_install "command -v go" golang-go
n="${1:-200000}"
(cd "$work" && cp "$root/bench/go/channels.go" . && GOCACHE="$work/cache" GOFLAGS=-mod=mod go build -o channels_go channels.go)
"$ours" "$n" > "$work/ours.txt"
"$ours" "$n" 1 > "$work/green1.txt"
"$ours" "$n" 2 > "$work/green2.txt"
GOMAXPROCS=2 "$work/channels_go" "$n" > "$work/peer.txt"
peer_table Go go "$work/ours.txt" "such, native threads"
peer_table Go go.green1 "$work/green1.txt" "such, green, 1 worker"
peer_table Go go.green2 "$work/green2.txt" "such, green, 2 workers"
record go.n "$n"
echo "(per second; $n round trips or values)"
