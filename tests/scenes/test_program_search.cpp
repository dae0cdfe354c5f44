// Programs under the explorer: the classic stateless-model-checking programs
// written as scripts count like their C++ versions, and random programs over
// every primitive reach exactly the outcomes of the unreduced search.
#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench/classic.hpp"
#include "bench/classic_scripts.hpp"
#include "engine/rng.hpp"
#include "scenes/claim.hpp"
#include "scenes/program.hpp"
#include "tests/engine/trace_oracle.hpp"
#include "tests/scenes/explore_scene.hpp"

using namespace such;

TEST_CASE("the classic programs as scripts explore to the same counts as their C++ versions") {
    const auto count = [](const std::string& text) {
        const scenes::Scene scene = scenes::program_scene(text);
        engine::ExploreOptions o;
        const engine::ExploreResult r = scenes::explore_scene(scene, {}, o);
        REQUIRE(r.complete);
        return r.executions;
    };
    const auto count_cpp = [](const std::function<std::unique_ptr<engine::Explorable>()>& make) {
        const engine::ExploreResult r = engine::explore(make, {});
        REQUIRE(r.complete);
        return r.executions;
    };
    for (int n = 2; n <= 6; ++n) {
        CAPTURE(n);
        // lastzero: one execution per Mazurkiewicz trace, (N+3)*2^(N-2) of them (Abdulla et al. 2014).
        CHECK(count(classic::lastzero_script(n)) == static_cast<std::uint64_t>((n + 3) << (n - 2)) );
    }
    // indexer and filesystem: the same as the C++ programs of bench/classic.hpp,
    // whose counts are the published ones (test_classic.cpp).
    CHECK(count(classic::indexer_script(12)) == count_cpp([] { return std::make_unique<classic::Indexer>(12); }));
    CHECK(count(classic::filesystem_script(14)) == count_cpp([] { return std::make_unique<classic::FileSystem>(14); }));
    CHECK(count(classic::filesystem_script(15)) == count_cpp([] { return std::make_unique<classic::FileSystem>(15); }));
}

namespace {
// Explores `text` unreduced (the definition of its outcome set) and with the
// reduction its scene picks; true if the unreduced search finished.
bool same_outcomes_reduced(const std::string& text) {
    const scenes::Scene scene = scenes::program_scene(text);
    engine::ExploreOptions all;
    all.reduction = engine::ExploreOptions::Reduction::None;
    all.max_executions = 4000;
    const engine::ExploreResult full = scenes::explore_scene(scene, {}, all);
    if (!full.complete) return false;  // too many interleavings to list them all
    const engine::ExploreResult reduced = scenes::explore_scene(scene, {}, {});
    REQUIRE(reduced.complete);
    CHECK(tests::outcomes(reduced) == tests::outcomes(full));
    CHECK(reduced.executions <= full.executions);
    return true;
}

// A corpus of random programs after `header`: 2 or 3 tasks of 1 to max_ops
// operations drawn from `ops`, then `trailer`. Programs are compared
// (same_outcomes_reduced) until 50 have been, of at most `attempts`; those
// whose operations all meet `oracle_op` (the oracle's dependence is then the
// explorer's) are also held to one execution per brute-force-counted trace.
struct CorpusCount {
    int compared = 0;
    int traced = 0;
};
CorpusCount check_corpus(std::uint64_t seed, int attempts, const std::string& header, const std::vector<const char*>& ops, int max_ops,
                         const std::function<bool(std::size_t)>& oracle_op, const std::string& trailer = "") {
    engine::Rng rng(seed);
    CorpusCount n;
    for (int i = 0; i < attempts && n.compared < 50; ++i) {
        std::string text = header;
        bool oracle = true;
        for (int k = 0, tasks = 2 + static_cast<int>(rng.below(2)); k < tasks; ++k) {
            text += "go(function()\n";
            for (int j = 0, count = 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(max_ops))); j < count; ++j) {
                const std::size_t op = rng.below(ops.size());
                oracle &= oracle_op(op);
                text += std::string("  ") + ops[op] + "\n";
            }
            text += "end)\n";
        }
        text += trailer;
        CAPTURE(text);
        if (!same_outcomes_reduced(text)) continue;
        ++n.compared;
        if (!oracle) continue;
        const scenes::Scene scene = scenes::program_scene(text);
        const std::uint64_t traces = testing::count_traces([&] { return scenes::explorable(scene, {}); });
        if (traces == 0) continue;  // the oracle's full search did not finish
        CHECK(scenes::explore_scene(scene, {}, {}).executions == traces);
        ++n.traced;
    }
    return n;
}
}  // namespace

TEST_CASE("on 50 random programs over every primitive, DPOR reaches exactly the outcomes of the unreduced search") {
    // The unreduced search runs every interleaving: it is the definition of
    // the outcome set. DPOR must find the same set on programs nobody wrote.
    const char* ops[] = {
        "x.value = x.value + 1",
        "y.value = x.value",
        "a:add(2)",
        "if a:load() == 2 then y.value = y.value + 10 end",
        "m:lock() x.value = x.value * 3 m:unlock()",
        "atomically(function() t.value = t.value + x.value end)",
        "atomically(function() if t.value == 0 then t.value = 5 else y.value = 7 end end)",
        "ch:send(4)",
        "select{case_recv(ch, function(v) y.value = v end), case_default(function() x.value = 9 end)}",
        "await(function() return x.value > 0 end) y.value = y.value + 1",
        "if not p_set then p_set = true p:set(x.value) end",
        "s:acquire() y.value = y.value + x.value s:release()",
        "local ok = a:cas(0, 1) if ok then x.value = 100 end",
    };
    engine::Rng rng(18);
    int compared = 0;
    for (int i = 0; i < 150 && compared < 50; ++i) {
        std::string text = "local x, y, a, m, t, ch, p, s = shared(0), shared(0), atomic(0), mutex(), tvar(0), channel(2), promise(), semaphore(1)\n";
        const int tasks = 2 + static_cast<int>(rng.below(2));
        for (int k = 0; k < tasks; ++k) {
            text += "go(function()\n  local p_set\n";
            const int n = tasks == 2 ? 2 + static_cast<int>(rng.below(2)) : 1 + static_cast<int>(rng.below(2));
            for (int j = 0; j < n; ++j) text += std::string("  ") + ops[rng.below(std::size(ops))] + "\n";
            text += "end)\n";
        }
        CAPTURE(text);
        if (!same_outcomes_reduced(text)) continue;
        ++compared;
    }
    CHECK(compared == 50);  // the corpus size the loop stops at: each counted program's searches both finished
}


TEST_CASE("on 50 random programs with timers, actors, links, monitors, promises and loops, the reduced search reaches exactly the unreduced outcomes") {
    // Actors: every task is an actor, so each may link, monitor and receive.
    // A is an actor that crashes unless a message comes within 3 ms.
    const char* ops[] = {
        "sleep(1) x.value = x.value + 1",
        "m:lock() sleep(1) x.value = x.value * 2 m:unlock()",
        "ch:send(5)",
        "select{case_recv(ch, function(v) y.value = v end), case_timeout(2, function() x.value = x.value + 10 end)}",
        "sleep(2) ch:send(6)",  // wakes as the select's timeout rings: either may be chosen
        "after(1):recv() x.value = x.value + 3",
        "send(a, 'hi')",
        "monitor(a) local d = receive(4) if d then y.value = y.value + 5 end",
        "link(a)",
        "trap_exits() link(a) local e = receive(4) if e then x.value = x.value + 7 end",
        "if not p_set then p_set = true p:set(x.value) end",
        "y.value = q:get() + y.value",
        "local r = receive(2) if r == nil then x.value = x.value + 1 end",
    };
    // Loops: what the loop prints, against a network task's writes.
    const char* loop_ops[] = {
        "set_timeout(function() print('t1') end, 1)",
        "set_timeout(function() print('t3') end, 3)",
        "set_immediate(function() print('imm') end)",
        "busy(2)",
        "queue_work(2, function() print('pool') end)",
        "next_tick(function() print('tick') end)",
    };
    const char* net_ops[] = {"sleep(1)", "sock:write('a')", "sleep(2)", "sock:write('b')"};
    engine::Rng rng(20);
    int compared = 0, loops = 0;
    for (int i = 0; i < 200 && compared < 50; ++i) {
        std::string text;
        if (i % 4 == 3) {
            text = "local sock = stream('socket')\ngo('network', function()\n";
            for (int j = 0, n = 1 + static_cast<int>(rng.below(3)); j < n; ++j) text += std::string("  ") + net_ops[rng.below(std::size(net_ops))] + "\n";
            text += "  sock:close()\nend)\nevent_loop(function()\n"
                    "  watch(sock, function() local d = sock:read() if d then print(d) else unwatch(sock) end end)\n";
            for (int j = 0, n = 1 + static_cast<int>(rng.below(3)); j < n; ++j) text += std::string("  ") + loop_ops[rng.below(std::size(loop_ops))] + "\n";
            text += "end)\n";
        } else {
            text = "local x, y, m, ch, p = shared(0), shared(0), mutex(), channel(1), promise()\n"
                   "local q = p:next(function(v) return v + 1 end)\n"
                   "local a = spawn('A', function()\n"
                   "  local msg = receive(3)\n"
                   "  if msg == nil then error('nobody wrote') end\n"
                   "  y.value = y.value + 1\n"
                   "end)\n";
            for (int k = 0, tasks = 2 + static_cast<int>(rng.below(2)); k < tasks; ++k) {
                text += "spawn(function()\n  local p_set\n";
                for (int j = 0, n = 1 + static_cast<int>(rng.below(2)); j < n; ++j) text += std::string("  ") + ops[rng.below(std::size(ops))] + "\n";
                text += "end)\n";
            }
        }
        CAPTURE(text);
        if (!same_outcomes_reduced(text)) continue;
        ++compared;
        loops += i % 4 == 3 ? 1 : 0;
    }
    CHECK(compared == 50);  // the corpus size the loop stops at: each counted program's searches both finished
    // A loop takes many steps per turn: most loop programs have too many
    // interleavings to list them all, and are left out like the others.
    MESSAGE(loops << " of the 50 are loop programs");
    CHECK(loops >= 5);
}

TEST_CASE("on 50 random lock programs, DPOR reaches exactly the unreduced outcomes, one execution per trace where the oracle applies") {
    // Two mutexes taken in either order (so some programs deadlock), a
    // trylock, a semaphore, a condition variable and sleeps under a lock.
    const std::vector<const char*> ops = {
        "m1:lock() x.value = x.value + 1 m1:unlock()",
        "m1:lock() m2:lock() y.value = y.value + x.value m2:unlock() m1:unlock()",
        "m2:lock() m1:lock() x.value = x.value * 2 m1:unlock() m2:unlock()",
        "if m1:trylock() then y.value = y.value + 1 m1:unlock() end",
        "s:acquire() x.value = x.value + 3 s:release()",
        "m2:lock() y.value = y.value + 2 m2:unlock()",
        "m1:lock() if x.value == 0 then c:wait(m1) end y.value = y.value + 5 m1:unlock()",
        "m1:lock() x.value = x.value + 1 c:signal() m1:unlock()",
        "m2:lock() sleep(1) y.value = y.value * 3 m2:unlock()",
    };
    const CorpusCount n = check_corpus(21, 200, "local x, y, m1, m2, s, c = shared(0), shared(0), mutex(), mutex(), semaphore(1), condvar()\n",
                                       ops, 2, [](std::size_t op) { return op != 6 && op != 8; });  // no condition wait, no sleep
    CHECK(n.compared == 50);  // the corpus size the loop stops at: each counted program's searches both finished
    MESSAGE(n.traced << " of the 50 counted against the brute-force trace count");
    CHECK(n.traced >= 20);  // a floor, not a count: at least 20 programs of 50 met the oracle (21 with this seed)
}

TEST_CASE("on 50 random channel programs, DPOR reaches exactly the unreduced outcomes, one execution per trace where the oracle applies") {
    // Rendezvous on an unbuffered channel, a buffered one that fills up, a
    // close (a later send panics, receivers drain and then get "closed"), and
    // selects over both; some programs deadlock.
    const std::vector<const char*> ops = {
        "u:send(1)",
        "u:send(2)",
        "local v = u:recv() x.value = x.value * 10 + (v or 0)",
        "b:send(3)",
        "local v, ok = b:recv() if ok then x.value = x.value * 10 + v else y.value = y.value + 1 end",
        "b:close()",
        "x.value = x.value + 1",
        "select{case_recv(u, function(v) y.value = v or 0 end), case_recv(b, function(v) y.value = (v or 0) + 5 end)}",
        "select{case_send(u, 6, function() end), case_default(function() y.value = y.value + 2 end)}",
    };
    const CorpusCount n = check_corpus(7, 300, "local x, y, u, b = shared(0), shared(0), channel(0), channel(1)\n", ops, 3,
                                       [](std::size_t op) { return op < 7; },  // no select
                                       "outcome(function() return x.value .. \" \" .. y.value end)\n");
    CHECK(n.compared == 50);  // the corpus size the loop stops at: each counted program's searches both finished
    MESSAGE(n.traced << " of the 50 counted against the brute-force trace count");
    CHECK(n.traced >= 15);  // a floor, not a count: at least 15 programs of 50 met the oracle (18 with this seed)
}

TEST_CASE("the prime sieve: one execution per trace, now that waiting for a partner is no step") {
    // Go's sieve, a chain of tasks joined by unbuffered channels: while a
    // send that found no receiver parked as a step of its own, every
    // rendezvous came in two orders, and the shipped example (three primes)
    // ran past 400,000 runs. Its whole search now finishes.
    const scenes::Example* sieve = scenes::find_example("prime_sieve");
    REQUIRE(sieve != nullptr);
    engine::ExploreOptions o;
    o.hunt = 0;
    const engine::ExploreResult whole = scenes::explore_scene(scenes::program_scene(sieve->text), {}, o);
    CHECK(whole.complete);
    CHECK(tests::outcomes(whole) == std::set<std::string>{"2, 3, 5"});
    // Asked "can this go wrong?", the explorer hunts first; a search this
    // small is over in the trial between the preemption bounds and random
    // priorities, so the hunt spends no random runs on it (it used to spend
    // its whole budget of 10,000 before the search began).
    engine::ExploreOptions asked;
    asked.hunt = engine::kHuntBudget;
    const engine::ExploreResult hunted = scenes::explore_scene(scenes::program_scene(sieve->text), {}, asked);
    CHECK(hunted.complete);
    std::uint64_t hunt_runs = 0;  // the hunt's complete runs (ExploreResult::hunted counts cut-short ones too)
    for (const engine::Outcome& oc : hunted.outcomes) hunt_runs += oc.hunted;
    CHECK(hunted.executions - hunt_runs == whole.executions);  // the search's own runs, as without a hunt
    CHECK(hunted.hunted < 100);  // only the two bounded searches' runs, far below the 10,000 random ones
    // The actor ping-pong example's whole search is a few hundred runs: over in the trial too. With a
    // trial of 200 runs it took 10,384 (34 s in the single-threaded browser build) where 402 do.
    const scenes::Example* pingpong = scenes::find_example("actor_pingpong");
    REQUIRE(pingpong != nullptr);
    const engine::ExploreResult ping_whole = scenes::explore_scene(scenes::program_scene(pingpong->text), {}, o);
    REQUIRE(ping_whole.complete);
    REQUIRE(ping_whole.executions > 200);  // past the old trial
    const engine::ExploreResult ping = scenes::explore_scene(scenes::program_scene(pingpong->text), {}, asked);
    CHECK(ping.complete);
    std::uint64_t ping_hunt_runs = 0;
    for (const engine::Outcome& oc : ping.outcomes) ping_hunt_runs += oc.hunted;
    CHECK(ping.executions - ping_hunt_runs == ping_whole.executions);
    CHECK(ping.hunted < engine::kHuntBudget / 2);  // the bounded searches' runs: no random ones
    // Two primes out of 2..4, small enough for the brute-force count of every
    // interleaving: one execution per Mazurkiewicz trace.
    std::string two = sieve->text;
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"for i = 2, 5", "for i = 2, 4"}, {"for _ = 1, 3", "for _ = 1, 2"},
                                   {"== \"2,3,5\"", "== \"2,3\""}}) {
        const std::size_t at = two.find(from);
        REQUIRE(at != std::string::npos);
        two.replace(at, from.size(), to);
    }
    const scenes::Scene scene = scenes::program_scene(two);
    const std::uint64_t traces = testing::count_traces([&] { return scenes::explorable(scene, {}); });
    REQUIRE(traces > 0);  // the brute-force count finished
    const engine::ExploreResult r = scenes::explore_scene(scene, {}, o);
    CHECK(r.executions == traces);
    CHECK(tests::outcomes(r) == std::set<std::string>{"2, 3"});
    MESSAGE("the sieve: " << whole.executions << " executions for three primes; " << r.executions << " for two, as brute force counts its traces");
}

TEST_CASE("a search whose runs the depth bound cut says complete within that bound, and its livelock replays as far as it went") {
    // A spinner that yields until the setter runs: a schedule that never runs the setter never ends.
    const scenes::Scene scene = scenes::program_scene("local done = shared(false)\n"
                                                      "go(\"spinner\", function() while not done.value do yield() end end)\n"
                                                      "go(\"setter\", function() done.value = true end)\n");
    engine::ExploreOptions o;
    o.max_depth = 40;
    const engine::ExploreResult r = scenes::explore_scene(scene, {}, o);
    REQUIRE(r.complete);
    // Each run cut at the bound is counted under the outcome that says so, and the search's words carry the bound
    // (it said "complete", which holds within 40 steps a run only).
    const engine::Outcome* cut = nullptr;
    for (const engine::Outcome& out : r.outcomes) cut = out.outcome == "no end within 40 steps" ? &out : cut;
    REQUIRE(cut != nullptr);
    CHECK(r.cut_at_depth == cut->searched());
    // 40: the bound set above; the count of runs is the one the outcome's row gives (checked just before).
    CHECK(scenes::search_end_words(r) == "complete within 40 steps a run (" + scenes::counted(static_cast<long>(r.cut_at_depth), "run") + " cut there)");
    const engine::Finding* livelock = nullptr;
    for (const engine::Finding& f : r.findings) livelock = f.kind == "livelock?" ? &f : livelock;
    REQUIRE(livelock != nullptr);
    REQUIRE(livelock->choices.size() == 40);  // a choice a step, up to the bound of 40 set above
    // Its choices as the CLI and links write them: the spin's run of one task written once, read back the same.
    std::vector<engine::TaskId> choices(livelock->choices.begin(), livelock->choices.end());
    const std::string text = scenes::list_text(choices);
    CHECK(text.find('x') != std::string::npos);
    std::vector<std::uint64_t> back;
    REQUIRE(scenes::parse_list(text, 63, back));  // 63: the highest task number --replay takes (ui/cli_args.cpp)
    CHECK(std::vector<engine::TaskId>(back.begin(), back.end()) == choices);
    // Replayed for its 40 steps (such run --replay ... --steps 40), it is still running, not a replay that diverged.
    scenes::Settings s;
    s.policy = engine::Policy::Replay;
    s.replay = choices;
    auto run = scene.build(s);
    run->sched().run(40);
    CHECK_FALSE(run->over());
    CHECK(run->sched().verdict() == engine::Verdict::Running);
}

TEST_CASE("lists of numbers: a run of one number is written once as VxN and read back; bad runs are refused") {
    // Written by hand from the rule in scenes/scene.hpp: runs of four or more as VxN, shorter ones as they are.
    CHECK(scenes::list_text(std::vector<int>{0, 1, 1, 1, 1, 2, 2, 2}) == "0,1x4,2,2,2");
    std::vector<std::uint64_t> out;
    CHECK(scenes::parse_list("0,1x4,2", 63, out));
    CHECK(out == std::vector<std::uint64_t>{0, 1, 1, 1, 1, 2});
    CHECK(scenes::parse_list("3x100000", 63, out));  // a list's most, 100,000 entries (scenes/scene.hpp), in one run
    CHECK(out.size() == 100000);
    // 63 as --replay's highest task (ui/cli_args.cpp); each of these breaks one rule of parse_list: an empty run, no
    // count, no value, two counts, a task over 63, over 100,000 entries in all, a sign, an empty entry.
    for (const char* bad : {"1x0", "1x", "x2", "1x2x3", "64x2", "1x100001", "0,1x99999,2", "1x-1", ","}) {
        INFO(bad);
        CHECK_FALSE(scenes::parse_list(bad, 63, out));
    }
}
