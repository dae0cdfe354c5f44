#!/bin/bash
# The desktop app's CPU while nothing moves: a paused scene, no input. Prints
# the CPU time it used over 5 s after 4 s to settle, in clock ticks and as a
# share of one core. Needs an X display (e.g. `Xvfb :77 &` and DISPLAY=:77).
# Usage: bench/idle_cpu.sh [path/to/such_app]
set -eu
app=${1:-build/native/such_app}
"$app" --scene atomicity/race --size 1280x720 >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
sleep 4
a=$(awk '{print $14+$15}' "/proc/$pid/stat")
sleep 5
b=$(awk '{print $14+$15}' "/proc/$pid/stat")
hz=$(getconf CLK_TCK)
# One figure for both lines, with its leading zero (bc printed ".8", the shell's division "0").
percent=$(awk -v t=$((b - a)) -v hz="$hz" 'BEGIN { printf "%.1f", t * 100 / (5 * hz) }')
echo "idle CPU over 5 s: $((b - a)) ticks = $percent% of one core"
echo "@ idle.ticks $((b - a))"
echo "@ idle.percent $percent"
