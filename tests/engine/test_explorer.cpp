// The explorer: every schedule's outcome, findings that replay, sleep sets
// that agree with the full search, preemption bounds.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "engine/mutex.hpp"
#include "engine/shared_var.hpp"
#include "tests/engine/trace_oracle.hpp"
#include "tests/scenes/explore_scene.hpp"
#include "scenes/scene.hpp"

using namespace such;
using namespace such::tests;

namespace {
// Two tasks taking two locks in opposite orders, written here, not in a scene.
struct OppositeLocks final : engine::Explorable {
    engine::Mutex a{"a"}, b{"b"};
    engine::Scheduler s{engine::Config{1, engine::Policy::Manual, 1, 1, {}, {}}};
    static engine::Task take(engine::Ctx& ctx, engine::Mutex& first, engine::Mutex& second) {
        co_await first.lock(ctx);
        co_await second.lock(ctx);
        co_await second.unlock(ctx);
        co_await first.unlock(ctx);
    }
    OppositeLocks() {
        s.add(a);
        s.add(b);
        s.spawn("T1", 0, [this](engine::Ctx& c) { return take(c, a, b); });
        s.spawn("T2", 0, [this](engine::Ctx& c) { return take(c, b, a); });
    }
    engine::Scheduler& sched() override { return s; }
    std::string outcome() override { return "both done"; }
    bool bad() override { return false; }
};
}  // namespace

TEST_CASE("two threads incrementing twice reach exactly 2, 3 and 4; with a mutex only 4") {
    const auto plain = explore("counter", {{"threads", 2}, {"m", 2}, {"sync", 0}});
    CHECK(plain.complete);
    CHECK(outcomes(plain) == std::set<std::string>{"counter = 2", "counter = 3", "counter = 4"});
    const auto locked = explore("counter", {{"threads", 2}, {"m", 2}, {"sync", 1}});
    CHECK(outcomes(locked) == std::set<std::string>{"counter = 4"});
    CHECK(locked.findings.empty());
}

TEST_CASE("opposite-order locking deadlocks, and the finding names both tasks and both locks") {
    const auto r = engine::explore([] { return std::make_unique<OppositeLocks>(); }, {});
    REQUIRE(r.complete);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].kind == "deadlock");
    // As data: T1 (task 0) waits for b (object 1), held by T2, which waits for a (object 0), held by T1.
    CHECK(r.findings[0].waits.cycle);
    REQUIRE(r.findings[0].waits.waits.size() == 2);
    CHECK(r.findings[0].waits.waits[0].task == 0);
    CHECK(r.findings[0].waits.waits[0].object == 1);
    CHECK(r.findings[0].waits.waits[0].holder == 1);
    CHECK(r.findings[0].waits.waits[1].task == 1);
    CHECK(r.findings[0].waits.waits[1].object == 0);
    CHECK(r.findings[0].waits.waits[1].holder == 0);
    // In words only as the run gives them: this one has none of its own (scenes::deadlock_story makes the scenes').
    CHECK(r.findings[0].detail == "deadlock");
    CHECK(outcomes(r) == std::set<std::string>{"both done", "deadlock"});
}

namespace {
// Two tasks that each lock, write and unlock one mutex (issue 18's example).
struct TwoLockers final : engine::Explorable {
    engine::Mutex m{"m"};
    engine::SharedVar x{"x", 0};
    engine::Scheduler s{engine::Config{1, engine::Policy::Manual, 1, 1, {}, {}}};
    static engine::Task write(engine::Ctx& ctx, engine::Mutex& m, engine::SharedVar& x, int v) {
        co_await m.lock(ctx);
        co_await x.write(ctx, v);
        co_await m.unlock(ctx);
    }
    TwoLockers() {
        s.add(m);
        s.add(x);
        s.spawn("A", 0, [this](engine::Ctx& c) { return write(c, m, x, 1); });
        s.spawn("B", 0, [this](engine::Ctx& c) { return write(c, m, x, 2); });
    }
    engine::Scheduler& sched() override { return s; }
    std::string outcome() override { return "x = " + std::to_string(x.value()); }
    bool bad() override { return false; }
};
}  // namespace

TEST_CASE("two tasks taking one lock: two schedules, one per order of the critical sections") {
    // Whoever locks first keeps the other waiting until its unlock, so a
    // schedule is an order of the two sections: 2! = 2, in every reduction
    // (the unreduced search too, since waiting is not a step).
    for (auto r : {Reduction::None, Reduction::SleepSets, Reduction::Dpor}) {
        engine::ExploreOptions o;
        o.reduction = r;
        const auto result = engine::explore([] { return std::make_unique<TwoLockers>(); }, o);
        CHECK(result.executions == 2);
        CHECK(outcomes(result) == std::set<std::string>{"x = 1", "x = 2"});
    }
}

TEST_CASE("philosophers who take the lower fork first never deadlock in any schedule") {
    for (int n = 2; n <= 3; ++n) {
        const auto r = explore("philosophers", {{"n", n}, {"meals", 1}, {"strategy", 1}});
        CHECK(r.complete);
        CHECK(r.findings.empty());
        const auto naive = explore("philosophers", {{"n", n}, {"meals", 1}, {"strategy", 0}});
        REQUIRE_FALSE(naive.findings.empty());
        CHECK(naive.findings[0].kind == "deadlock");
    }
}

namespace {
// The interleavings of tasks taking these many steps each: (sum of n)! / product of n!.
std::uint64_t interleavings(const std::vector<std::uint64_t>& steps) {
    std::uint64_t out = 1, placed = 0;
    for (std::uint64_t n : steps) {
        for (std::uint64_t k = 1; k <= n; ++k) out = out * ++placed / k;  // times C(placed, k), exact at every k
    }
    return out;
}
}  // namespace

namespace {
std::uint64_t count_traces(std::string_view id, std::map<std::string, int> params) {
    scenes::Settings s;
    s.params = std::move(params);
    const scenes::Scene& scene = *scenes::find_scene(id);
    return such::testing::count_traces([&] { return scenes::explorable(scene, s); });
}
}  // namespace

TEST_CASE("sleep sets and DPOR reach the same outcomes as the full search with fewer executions") {
    struct Case {
        std::map<std::string, int> params;
        std::uint64_t full;  // every interleaving, by the formula above
    };
    // A plain increment is three steps (read, add, write); an atomic one is one.
    // With the mutex a thread waits while the other holds it, so each
    // increment is one block (lock, read, write, unlock) and a schedule is an
    // order of the four blocks, two per thread: (2+2)!/(2!*2!) = 6.
    const Case cases[] = {
        {{{"threads", 2}, {"m", 1}, {"sync", 0}}, interleavings({3, 3})},
        {{{"threads", 2}, {"m", 2}, {"sync", 0}}, interleavings({6, 6})},
        {{{"threads", 3}, {"m", 1}, {"sync", 0}}, interleavings({3, 3, 3})},
        {{{"threads", 3}, {"m", 1}, {"sync", 2}}, interleavings({1, 1, 1})},
        {{{"threads", 2}, {"m", 2}, {"sync", 1}}, interleavings({2, 2})},
    };
    // Both reductions run one complete execution per Mazurkiewicz trace here,
    // as the brute-force oracle counts them (tests/engine/trace_oracle.hpp);
    // DPOR's wakeup trees also spare the runs that sleep sets abandon half way.
    for (const Case& c : cases) {
        CAPTURE(c.params.at("threads"));
        CAPTURE(c.params.at("m"));
        CAPTURE(c.params.at("sync"));
        const std::uint64_t traces = count_traces("counter", c.params);
        const auto full = explore("counter", c.params, Reduction::None);
        const auto sleep = explore("counter", c.params, Reduction::SleepSets);
        const auto dpor = explore("counter", c.params, Reduction::Dpor);
        CHECK(outcomes(full) == outcomes(sleep));
        CHECK(outcomes(full) == outcomes(dpor));
        CHECK(full.executions == c.full);
        CHECK(sleep.executions == traces);
        CHECK(dpor.executions == traces);
        CHECK(dpor.pruned <= sleep.pruned);
        CHECK(dpor.pruned == 0);
    }
}

namespace {
// Each scene at small settings: every parameter at its minimum (three philosophers), in three variants,
// one per choice of its selectors.
template <class Each>
void each_small_setting(Each each) {
    for (const scenes::Scene& scene : scenes::catalogue()) {
        CAPTURE(scene.id);
        std::map<std::string, int> small;
        for (const auto& p : scene.params) small[p.id] = p.min;
        if (scene.id == "threads/philosophers") small["n"] = 3;
        for (int variant = 0; variant < 3; ++variant) {
            for (const auto& p : scene.params) {
                if (!p.choices.empty()) small[p.id] = std::min(variant, p.max);
            }
            each(scene, small);
        }
    }
}
}  // namespace

TEST_CASE("DPOR finds every outcome the full search finds, on every scene") {
    int tried = 0, compared = 0;
    each_small_setting([&](const scenes::Scene& scene, const std::map<std::string, int>& small) {
        const auto full = explore(scene.id, small, Reduction::None, -1, 20000);
        ++tried;
        if (!full.complete) return;  // too many interleavings to compare in a quick test
        ++compared;
        const auto dpor = explore(scene.id, small, Reduction::Dpor);
        CHECK(dpor.complete);
        CHECK(outcomes(full) == outcomes(dpor));
        CHECK(dpor.executions <= full.executions);
    });
    MESSAGE("compared " << compared << " of " << tried << " (scene, settings) pairs; the rest have more than 20,000 interleavings");
    // Three settings per scene (one per choice of its selectors); every
    // scene's claim at its defaults and extremes is checked by
    // tests/scenes/test_claims.cpp, this test checks DPOR against the
    // unreduced search where that one finishes.
    CHECK(tried == 3 * static_cast<int>(scenes::catalogue().size()));
    CHECK(compared * 2 > tried);
}

TEST_CASE("every outcome a random schedule reaches is among a complete DPOR search's, on every scene") {
    // The check above compares DPOR with the unreduced search only where that one finishes. This one asks
    // random preemptive schedules (the scheduler's own seeds, not the explorer) on every scene whose DPOR
    // search finishes: an outcome they reach that the search "completed" without is an effect a step had
    // and did not declare. It found basics/scheduling's outcome reading the step counter: the search ran
    // 2 schedules, both starved, while the slide's own run showed nobody starved.
    int checked = 0, runs = 0;
    each_small_setting([&](const scenes::Scene& scene, const std::map<std::string, int>& small) {
        const auto dpor = explore(scene.id, small, Reduction::Dpor, -1, 20000);
        if (!dpor.complete) return;
        ++checked;
        const std::set<std::string> found = outcomes(dpor);
        for (std::uint64_t seed = 1; seed <= 40; ++seed) {
            scenes::Settings s;
            s.params = small;
            s.seed = seed;
            auto run = scene.build(s);
            run->sched().run();
            ++runs;
            CAPTURE(seed);
            // Named as the explorer names it (Explorer::settle): a deadlock no task's death caused is "deadlock".
            const engine::Scheduler& sched = run->sched();
            const std::string key = sched.verdict() == engine::Verdict::Deadlock && sched.panics().empty() ? "deadlock" : run->outcome_key();
            CHECK_MESSAGE(found.count(key) == 1, "a random schedule reached \"" << key << "\"");
        }
    });
    MESSAGE("checked " << checked << " (scene, settings) pairs with " << runs << " random schedules");
    CHECK(checked * 2 > 3 * static_cast<int>(scenes::catalogue().size()));
}

TEST_CASE("the cooperative policy's own run is one of the cooperative search's schedules, whose outcomes all schedules reach") {
    // Under the cooperative policy the explorer runs only what a cooperative scheduler could pick
    // (ExploreOptions::cooperative_cores). The scheduler's own cooperative policy is one such
    // scheduler: each seed's run, its task choices and its select picks, must be among the search's
    // schedules. And those schedules are some of all schedules: a complete search of every one
    // (DPOR) reaches each outcome they reach.
    int checked = 0;
    each_small_setting([&](const scenes::Scene& scene, const std::map<std::string, int>& small) {
        scenes::Settings coop;
        coop.params = small;
        coop.policy = engine::Policy::Cooperative;
        std::set<std::pair<std::vector<engine::TaskId>, std::vector<std::uint64_t>>> schedules;
        engine::ExploreOptions o;
        o.max_executions = 5000;
        o.on_execution = [&](const engine::Scheduler& s) { schedules.insert({s.choices().to_vector(), s.picks()}); };
        const auto r = scenes::explore_scene(scene, coop, o);
        if (!r.complete) return;
        ++checked;
        CAPTURE(scene.id);
        CHECK(r.cooperative);
        CHECK(schedules.size() == r.executions);  // each schedule run once
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            coop.seed = seed;
            auto run = scene.build(coop);
            run->sched().run();
            CAPTURE(seed);
            CHECK(schedules.count({run->sched().choices().to_vector(), run->sched().picks()}) == 1);
        }
        const auto every = explore(scene.id, small, Reduction::Dpor, -1, 20000);
        if (!every.complete) return;
        const std::set<std::string> all = outcomes(every);
        for (const auto& out : r.outcomes) CHECK_MESSAGE(all.count(out.outcome) == 1, "a cooperative schedule reached \"" << out.outcome << "\"");
    });
    MESSAGE("checked " << checked << " (scene, settings) pairs");
    CHECK(checked * 2 > 3 * static_cast<int>(scenes::catalogue().size()));
}

TEST_CASE("replaying a finding's choice list reproduces its violation exactly") {
    const auto r = explore("race", {{"sync", 0}});
    REQUIRE_FALSE(r.findings.empty());
    const engine::Finding& f = r.findings[0];
    CHECK(f.kind == "violation");
    scenes::Settings s;
    s.policy = engine::Policy::Replay;
    s.replay = f.choices;
    auto run = scenes::find_scene("race")->build(s);
    run->sched().run();
    CHECK(run->sched().verdict() == engine::Verdict::Finished);
    CHECK(run->sched().choices() == f.choices);
    CHECK(run->outcome_key() == f.detail);
    CHECK(run->outcome().bad);
}

TEST_CASE("with no preemptions no update is lost; one preemption is enough to lose one") {
    const auto none = explore("race", {{"sync", 0}}, Reduction::Dpor, 0);
    CHECK_FALSE(none.complete);
    CHECK(none.bounded_by == "the preemption bound (0)");
    CHECK(none.findings.empty());
    const auto one = explore("race", {{"sync", 0}}, Reduction::Dpor, 1);
    CHECK_FALSE(one.findings.empty());
}

namespace {
engine::ExploreResult hunted(std::string_view id, std::map<std::string, int> params, int bound = -1) {
    scenes::Settings s;
    s.params = std::move(params);
    engine::ExploreOptions o;
    o.hunt = engine::kHuntBudget;
    o.preemption_bound = bound;
    o.max_executions = engine::kHuntBudget + 1;  // the hunt, and a step into the search after it
    return scenes::explore_scene(*scenes::find_scene(id), s, o);
}
}  // namespace

TEST_CASE("the hunt finds a lost update with one preemption, and a philosophers' deadlock by random priorities") {
    // The lost update needs one switch inside an increment (the test above):
    // the schedules with none end right, those with one find it.
    const auto race = hunted("race", {{"sync", 0}});
    CHECK(race.found_by == "preemption bound 1");
    CHECK(race.found_after <= race.hunted);
    // Five philosophers deadlock only when each is switched away holding its
    // left fork: four preemptions at least, past the hunt's bounds (0 and 1),
    // so random priorities find it.
    const auto dinner = hunted("philosophers", {});
    CHECK(dinner.found_by == "random priorities (PCT)");
    CHECK(dinner.found_after <= engine::kHuntBudget);
    CHECK(dinner.findings.at(0).kind == "deadlock");
    // The run number counts every run as made: the bounds' runs, the search's trial between them and random
    // priorities, then random priorities' runs up to the one that found it, the hunt's last. (The app said
    // "hunted 148 runs; found at run 1,148" without the search's 1,000 between.)
    CHECK(dinner.trial > 0);
    CHECK(dinner.found_after == dinner.hunted + dinner.trial);
    // Same options, same hunt: the priorities come from the options' seed.
    CHECK(hunted("philosophers", {}).found_after == dinner.found_after);
    // A search bounded by the user stays within its bound: no hunt.
    const auto bounded = hunted("race", {{"sync", 0}}, 0);
    CHECK(bounded.hunted == 0);
    CHECK(bounded.findings.empty());
}

TEST_CASE("each outcome says how many of its runs were the hunt's: without them the search counts as without a hunt") {
    // The Explorer tab shows the search's counts; the hunt's runs (which may
    // repeat the search's schedules) are said apart. The reference is the
    // same search with no hunt at all.
    for (const auto& scene : std::vector<std::pair<std::string, std::map<std::string, int>>>{
             {"race", {{"sync", 0}}}, {"counter", {{"threads", 2}, {"m", 2}, {"sync", 0}}}, {"philosophers", {{"n", 3}, {"meals", 1}}}}) {
        const std::string& id = scene.first;
        scenes::Settings s;
        s.params = scene.second;
        engine::ExploreOptions with, without;
        with.hunt = engine::kHuntBudget;
        without.hunt = 0;
        const auto a = scenes::explore_scene(*scenes::find_scene(id), s, with);
        const auto b = scenes::explore_scene(*scenes::find_scene(id), s, without);
        INFO(id);
        REQUIRE(a.complete);
        REQUIRE(b.complete);
        CHECK(a.hunted > 0);
        std::uint64_t hunted_executions = 0;
        for (const auto& o : a.outcomes) {
            hunted_executions += o.hunted;
            const auto same = std::find_if(b.outcomes.begin(), b.outcomes.end(), [&](const engine::Outcome& x) { return x.outcome == o.outcome; });
            REQUIRE(same != b.outcomes.end());
            CHECK(o.executions - o.hunted == same->executions);
            CHECK(same->hunted == 0);
        }
        CHECK(a.executions - hunted_executions == b.executions);
    }
}

TEST_CASE("an exploration can be advanced in slices and cancelled") {
    scenes::Settings s;
    s.params = {{"threads", 3}, {"m", 2}};
    engine::ExploreOptions o;
    o.reduction = Reduction::None;
    auto e = scenes::make_explorer(*scenes::find_scene("counter"), s, o);
    CHECK(e->advance(10));
    CHECK(e->result().executions + e->result().pruned == 10);
    e->cancel();
    CHECK_FALSE(e->advance(10));
    CHECK(e->result().bounded_by == "cancelled");
    CHECK_FALSE(e->result().complete);
}


TEST_CASE("DPOR runs exactly one complete execution per Mazurkiewicz trace (checked by brute force)") {
    struct Case {
        std::string_view id;
        std::map<std::string, int> params;
    };
    const Case cases[] = {
        {"race", {{"sync", 0}}},
        {"race", {{"sync", 1}}},
        {"counter", {{"threads", 2}, {"m", 2}, {"sync", 0}}},
        {"counter", {{"threads", 3}, {"m", 1}, {"sync", 1}}},
        {"philosophers", {{"n", 3}, {"meals", 1}, {"strategy", 0}}},
        {"philosophers", {{"n", 3}, {"meals", 1}, {"strategy", 1}}},
        {"philosophers", {{"n", 2}, {"meals", 2}, {"strategy", 0}}},
        {"buffer", {{"capacity", 1}, {"items", 1}, {"style", 2}}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.id);
        const std::uint64_t traces = count_traces(c.id, c.params);
        REQUIRE(traces > 0);
        const auto dpor = explore(c.id, c.params, Reduction::Dpor);
        CHECK(dpor.executions == traces);
    }
}
