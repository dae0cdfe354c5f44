#!/usr/bin/env bash
# The headless command line as a user types it: list, run with a trace file
# (byte for byte the same for the same arguments), real threads, bad input
# (values, options given twice, choice lists naming tasks that cannot step).
set -uo pipefail
cli="$1"; out="$2"
mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }

"$cli" list | grep -q "^atomicity/race .*Atomicity: foo += 1" || fail "list does not show the race scene"

"$cli" run race --seed 7 --trace "$out/a.jsonl" > "$out/run_a.txt" || fail "run exited $?"
"$cli" run race --seed 7 --trace "$out/b.jsonl" > /dev/null || fail "second run failed"
cmp -s "$out/a.jsonl" "$out/b.jsonl" || fail "the same arguments wrote different traces"
grep -q "outcome  foo = 1: lost update!" "$out/run_a.txt" || { cat "$out/run_a.txt"; fail "seed 7 should lose an update"; }
"$cli" trace "$out/a.jsonl" | grep -q "all match the re-run" || fail "a trace written by run did not reopen"
"$cli" trace "$out/a.jsonl" --explain | grep -q "T[12] *reads foo = 0" || fail "trace --explain does not say what the run did"
sed 's/"kind":"write","value":1/"kind":"write","value":7/' "$out/a.jsonl" > "$out/changed.jsonl"
"$cli" trace "$out/changed.jsonl" 2> "$out/err.txt"; [[ $? == 1 ]] || fail "a changed trace was not found to differ (exit 1)"
grep -q "differs at event" "$out/err.txt" || { cat "$out/err.txt"; fail "the first difference is not named"; }

"$cli" run philosophers --seed 1 --set n=5 | grep -q "verdict  deadlock" || fail "philosophers seed 1 should deadlock"
"$cli" run counter --real --set sync=2 --set m=2 | grep -q "outcome  counter = 400000: every increment counted" ||
    fail "the real atomic counter is not exact"

# The explorer: the claim decides the exit code; findings replay.
"$cli" explore counter --set m=2 > "$out/explore.txt" || fail "explore counter exited $?"
grep -q "counter = 2   <- bad" "$out/explore.txt" || { cat "$out/explore.txt"; fail "explore missed counter = 2"; }
"$cli" explore race --bound 0 > /dev/null; [[ $? == 1 ]] || fail "with no preemptions the lost update must not be shown (exit 1)"
"$cli" explore philosophers --set n=3 --set meals=1 --set strategy=1 | grep -q "claim       no schedule deadlocks: true: every schedule was run" ||
    fail "ordered philosophers should never deadlock"
"$cli" explore race --json > "$out/explore.json" || fail "explore --json failed"
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1])); if (r.outcomes.length !== 2 || !r.claim_holds) process.exit(1)' \
    "$out/explore.json" || fail "explore --json is not the expected JSON"
# The counts are the search's, with or without the hunt before it (the hunt's
# runs repeat schedules the search runs): the race's 4 schedules, 2 and 2, as
# in the app's Explorer tab. By hand: a read and a write of foo in each of two
# threads interleave 4!/(2!2!) = 6 ways; the two reads commute, so the 4 that
# overlap are 2 traces (foo = 1) and the 2 serial ones 2 more (foo = 2).
"$cli" explore race | grep -E "^explored|^ +[0-9]+  foo" > "$out/hunt.txt"
"$cli" explore race --hunt 0 | grep -E "^explored|^ +[0-9]+  foo" > "$out/nohunt.txt"
sed -i 's/, [0-9.]* s$//' "$out/hunt.txt" "$out/nohunt.txt"
cmp -s "$out/hunt.txt" "$out/nohunt.txt" || { diff "$out/hunt.txt" "$out/nohunt.txt"; fail "the hunt changed the search's counts"; }
grep -q "^explored    4 executions" "$out/hunt.txt" || { cat "$out/hunt.txt"; fail "explore race should count 4 executions"; }
# A search of states counts each end state once, and says so above the counts (a column of 1s read as "1
# schedule in 325 reaches counter = 6"); the hunt's and the search's runs are counted together for "found by".
"$cli" explore threads/counter > "$out/states.txt"
grep -q "^outcomes    the end states reached, each counted once (a search of states does not count schedules)$" "$out/states.txt" ||
  { cat "$out/states.txt"; fail "a search of states should say its counts are end states"; }
grep -q "^found by    .*, at run [0-9]* of the hunt's and the search's, counted in the order they ran$" "$out/states.txt" ||
  { cat "$out/states.txt"; fail "the run a bad outcome was found at should say what it counts"; }
# An outcome only the hunt reached (the supervisor's search stops at its limit before a restart that
# saves every job) shows a dash and the hunt's count, never a count of 0 beside an outcome that happens.
"$cli" explore actors/supervisor > "$out/sup.txt"
grep -qE "^ +- +8 of 8 jobs done, 1 restart \(seen [0-9,]+ times? in the hunt's 10,000 runs; not by the search\)$" "$out/sup.txt" ||
  { cat "$out/sup.txt"; fail "an outcome reached by the hunt alone should show a dash and the hunt's count"; }
grep -qE "^ +0  " "$out/sup.txt" && { cat "$out/sup.txt"; fail "an outcome with a count of 0"; }
choices=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).findings[0].choices.join(","))' "$out/explore.json")
"$cli" run race --replay "$choices" | grep -q "outcome  foo = 1: lost update!" || fail "replaying the finding ($choices) did not lose the update"

expect_usage() {  # expect exit 2 and a message containing $1
    local want="$1"; shift
    "$cli" "$@" > /dev/null 2> "$out/err.txt"; local code=$?
    [[ $code == 2 ]] || fail "'$*' exited $code, expected 2"
    grep -q -- "$want" "$out/err.txt" || { cat "$out/err.txt"; fail "'$*' did not say: $want"; }
}
expect_usage "no scene called 'nope'" run nope
expect_usage "a program is a file whose name ends in .lua" run /tmp
# A program that does not compile is the program's fault: its message, and no usage after it.
printf 'go(function(\n' > "$out/syntax.lua"
expect_usage "syntax.lua: line 2" run "$out/syntax.lua"
grep -q "usage" "$out/err.txt" && { cat "$out/err.txt"; fail "a bad program printed the usage"; }
expect_usage "--selects needs case numbers" run csp/pipeline --selects 1,,0
expect_usage "--selects needs case numbers" run csp/pipeline --selects 99999
expect_usage "seed needs a whole number" run race --seed -4
expect_usage "cores is a number from 1 to 4" run race --cores 99
expect_usage "parameter 'threads' must be between 2 and 4" run race --set threads=40
expect_usage "runs on the simulator only" run philosophers --real
expect_usage "unknown verb 'dance'" dance
# A list that ends before the run does: the outcome says so, not what the half-run state looks like
# (a commit cut halfway read "updates lost"), and the exit is 1.
"$cli" run stm/commit --replay 0,0,1 > "$out/short.txt"; code=$?
[ "$code" = 1 ] || fail "a replay that ends early should exit 1 (got $code)"
grep -q "^outcome  replay diverged: the recorded schedule ended at step 3 before the run did$" "$out/short.txt" ||
  { cat "$out/short.txt"; fail "a replay that ends early should say so in its outcome"; }
expect_usage "--replay needs task numbers" run race --replay 0,,1
expect_usage "--bound is a number of preemptions" explore race --bound x
# Choice lists that name a task that cannot step are refused before running
# (9,9,9 once exited 0 having taken no step): the race scene has tasks 0 and 1,
# three steps each (read, increment, write).
expect_usage "choice 1 of 3 (task 9) names no task at step 0; the tasks that can are 0 (T1), 1 (T2)" run race --replay 9,9,9
expect_usage "choice 4 of 4 (task 0) is T1, which cannot step at step 3" run race --replay 0,0,0,0
expect_usage "choice 7 of 7 (task 0) comes after the run is over: it ends after 6 steps" run race --replay 0,1,0,1,0,1,0
expect_usage "--replay needs task numbers from 0 to 63" run race --replay 64
expect_usage "--replay needs task numbers" run race --replay ""
expect_usage "--replay needs task numbers" run race --replay abc
expect_usage "--replay needs task numbers" run race --replay 99999999999999999999999
expect_usage "--replay is a schedule of its own: it takes no --policy" run race --replay 0,1 --policy cooperative
expect_usage "--replay follows a schedule on the simulator" run counter --real --replay 0
expect_usage "--seed is given twice" run race --seed 1 --seed 2
expect_usage "--steps needs a value" run race --steps
expect_usage "unexpected argument 'extra'" run race extra
expect_usage "say what to do" 
long=$(printf '9%.0s' {1..10000})
expect_usage "unknown verb '9999999999999999999999999999999999999999... (10,000 characters)'" "$long"

expect_usage "cannot read /dev/zero (not a readable file)" trace /dev/zero
printf '{"step":0}\n' > "$out/bad.jsonl"
"$cli" trace "$out/bad.jsonl" 2> "$out/err.txt"; [[ $? == 2 ]] || fail "a file with no header was accepted"
grep -q "bad.jsonl: line 1: not a Such Concurrency trace" "$out/err.txt" || { cat "$out/err.txt"; fail "no message for a file with no header"; }
{ head -1 "$out/a.jsonl"; printf '{"step":0}\n'; } > "$out/bad.jsonl"
"$cli" trace "$out/bad.jsonl" 2> "$out/err.txt"; [[ $? == 2 ]] || fail "a malformed trace was accepted"
grep -q "bad.jsonl: line 2: missing fields" "$out/err.txt" || { cat "$out/err.txt"; fail "no line number for a malformed trace"; }
# Programs: run and explore a .lua file or a shipped example; exit 0 nothing
# went wrong, 1 something did, 2 a bad program; a finding replays.
printf 'local x = shared(0)\nlocal function w() x.value = x.value + 1 end\ngo(w)\ngo(w)\nprint("done")\ninvariant(function() return x.value == 2 end)\n' > "$out/race.lua"
"$cli" run "$out/race.lua" --seed 3 > "$out/prog.txt" || fail "run race.lua exited $?"
grep -q "^| done" "$out/prog.txt" || { cat "$out/prog.txt"; fail "the program's output is not printed"; }
"$cli" run "$out/race.lua" --seed 3 --trace "$out/prog.jsonl" > /dev/null || fail "run race.lua --trace exited $?"
"$cli" trace "$out/prog.jsonl" | grep -q "^a program, seed 3, .*all match the re-run" || fail "a program's trace did not reopen"
"$cli" explore "$out/race.lua" --json > "$out/prog.json"; [[ $? == 1 ]] || fail "explore of a racy program must exit 1"
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1])); const o = r.outcomes.map(x => x.outcome).sort().join("|");
         if (!r.complete || o !== "x = 1; invariant violated: the invariant of line 6|x = 2") { console.log(o); process.exit(1) }' "$out/prog.json" || fail "explore race.lua: outcomes are not x = 1 and x = 2"
"$cli" explore examples/peterson > "$out/peterson.txt" || { cat "$out/peterson.txt"; fail "Peterson's algorithm must explore clean (exit 0)"; }
grep -q "nothing goes wrong in any schedule" "$out/peterson.txt" || fail "Peterson's verdict is missing"
"$cli" explore examples/philosophers > "$out/phil.txt"; [[ $? == 1 ]] || fail "the philosophers example must deadlock (exit 1)"
choices=$(grep -m1 "^    choices" "$out/phil.txt" | awk '{print $2}')
"$cli" run examples/philosophers --replay "$choices" | grep -q "verdict  deadlock" || fail "replaying the philosophers' finding ($choices) did not deadlock"
# A spin the depth bound cuts: the search is complete within that bound only, and says so; the livelock's
# choices write the spin's run of one task once ("0,1x39"), and replay for as far as the search went.
printf 'local done = shared(false)\ngo("spinner", function() while not done.value do yield() end end)\ngo("setter", function() done.value = true end)\n' > "$out/spin.lua"
"$cli" explore "$out/spin.lua" --max-depth 40 > "$out/spin.txt"; [[ $? == 1 ]] || fail "a livelock must exit 1"
grep -qE "^explored .*, complete within 40 steps a run \([0-9]+ runs? cut there\)" "$out/spin.txt" || { cat "$out/spin.txt"; fail "the search should say the depth bound cut runs"; }
grep -qE "^    choices [0-9,x]*x[0-9]+ \(add --steps 40: the search stopped it there\)$" "$out/spin.txt" || { cat "$out/spin.txt"; fail "a livelock's choices should be written short, with --steps"; }
choices=$(grep -m1 "^    choices" "$out/spin.txt" | awk '{print $2}')
"$cli" run "$out/spin.lua" --replay "$choices" --steps 40 > "$out/spin_run.txt" || { cat "$out/spin_run.txt"; fail "replaying the livelock ($choices) for 40 steps exited $?"; }
grep -q "verdict  stopped after 40 steps" "$out/spin_run.txt" || { cat "$out/spin_run.txt"; fail "the livelock's replay should run its 40 steps"; }
printf 'local x = 1\nlocal y = (x + )\n' > "$out/bad.lua"
expect_usage "bad.lua: line 2, column 16: unexpected symbol near ')'" run "$out/bad.lua"
expect_usage "bad.lua: line 2, column 16" explore "$out/bad.lua"
expect_usage "cannot read the program" run "$out/missing.lua"
expect_usage "no example called 'nope'" explore examples/nope
printf 'os.exit(3)\n' > "$out/escape.lua"
"$cli" run "$out/escape.lua" | grep -q "outcome  main failed: line 1: attempt to index a nil value (global 'os')" || fail "os.exit must not be reachable"

echo "cli e2e passed"
