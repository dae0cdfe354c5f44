#!/usr/bin/env bash
# Our channels on real threads next to Go's (Debian's golang-go), the same
# programs, one after the other on the same machine, N round trips / values.
#   bench/bench_go.sh [N]      (after ./such test; installs golang-go if missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ours="$root/build/native/bench_channels"
[[ -x $ours ]] || { echo "build first: ./such test"; exit 2; }
command -v go >/dev/null || apt-get install -y -q --no-install-recommends golang-go >/dev/null
n="${1:-200000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && cp "$root/bench/go/channels.go" . && GOCACHE="$work/cache" GOFLAGS=-mod=mod go build -o channels_go channels.go)
"$ours" "$n" > "$work/ours.txt"
GOMAXPROCS=2 "$work/channels_go" "$n" > "$work/go.txt"
printf "%-22s %16s %16s %8s\n" "program ($n)" "such (per s)" "Go (per s)" "such/Go"
paste "$work/ours.txt" "$work/go.txt" | while read -r name a _ b; do
    printf "%-22s %16s %16s %7.2fx\n" "$name" "$a" "$b" "$(echo "$a / $b" | bc -l)"
done
