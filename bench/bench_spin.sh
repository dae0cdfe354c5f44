#!/usr/bin/env bash
# The explorer next to Spin (Debian's `spin`, a stateful model checker with its
# own partial-order reduction) on the same program: N threads x M unprotected
# increments. Ours twice: its search of states (the scene declares its state,
# so `such explore` stores states as Spin does) and its stateless search of
# schedules (DPOR, --stateless). All run here, one after the other.
#   bench/bench_spin.sh            (after ./such test; installs spin if missing)
source "$(dirname "$0")/peer.sh"
peer_setup such_cli
peer_install "command -v spin" spin
cli="$ours"
cp "$root/bench/spin/counter.pml" "$work/"
printf "%-8s | %-44s | %-48s | %s\n" "N x M" "Spin: states stored, search time (compile time)" "such explore: states stored, time (/ Spin's)" \
    "such explore --stateless (DPOR): executions, time"
for size in "2 2" "2 3" "3 2" "4 1" "3 3" "4 2"; do
    set -- $size
    start=$(date +%s.%N)
    (cd "$work" && spin -a -DN="$1" -DM="$2" counter.pml >/dev/null && gcc -O2 -DSAFE -o pan pan.c)
    compile_s=$(echo "$(date +%s.%N) - $start" | bc)
    start=$(date +%s.%N)
    (cd "$work" && ./pan -c0 -m10000000 > pan.out 2>&1)
    search_s=$(echo "$(date +%s.%N) - $start" | bc)
    states=$(grep -oE "[0-9]+ states, stored" "$work/pan.out" | grep -oE "^[0-9]+")
    json=$("$cli" explore counter --set threads="$1" --set m="$2" --hunt 0 --max-executions 10000000 --time-limit 30 --json)
    field() { grep -oE "\"$1\":[^,]*" <<< "$json" | head -1 | cut -d: -f2; }
    cached_states=$(field states) cached_transitions=$(field transitions) cached_runs=$(field executions) cached_s=$(field seconds)
    cached_complete=$([[ $(field complete) == true ]] && echo 1 || echo 0)
    json=$("$cli" explore counter --set threads="$1" --set m="$2" --hunt 0 --stateless --max-executions 2000000 --time-limit 30 --json)
    printf "%-8s | %-44s | %-48s | %s executions, %s s%s\n" "$1 x $2" "$states states, ${search_s:0:5} s (${compile_s:0:4} s)" \
        "$cached_states states, $cached_s s ($(printf "%.3f" "$(echo "$cached_s / $search_s" | bc -l)")x)$( ((cached_complete)) || echo " (stopped)")" \
        "$(field executions)" "$(field seconds)" "$([[ $(field complete) == true ]] || echo " (stopped at a limit)")"
    key="spin.$1x$2"
    record "$key.states" "$states"
    record "$key.search_s" "$search_s"
    record "$key.compile_s" "$compile_s"
    record "$key.such_executions" "$(field executions)"
    record "$key.such_s" "$(field seconds)"
    record "$key.such_complete" "$([[ $(field complete) == true ]] && echo 1 || echo 0)"
    record "$key.cached_states" "$cached_states"
    record "$key.cached_transitions" "$cached_transitions"
    record "$key.cached_runs" "$cached_runs"
    record "$key.cached_s" "$cached_s"
    record "$key.cached_complete" "$cached_complete"
done
