// Every scene runs headless to its outcome, and each shows what it exists to show.
#include <doctest/doctest.h>

#include <map>
#include <utility>
#include <vector>

#include "scenes/scene.hpp"
#include "tests/scenes/explore_scene.hpp"

using namespace such;
using such::tests::explore;

namespace {
scenes::Outcome run_scene(std::string_view id, std::uint64_t seed, std::map<std::string, int> params,
                          engine::Policy policy = engine::Policy::Preemptive, int cores = 1) {
    scenes::Settings s;
    s.seed = seed;
    s.params = std::move(params);
    s.policy = policy;
    s.cores = cores;
    auto run = scenes::find_scene(id)->build(s);
    run->sched().run(20000);
    return run->outcome();
}
}  // namespace

TEST_CASE("every scene reaches an outcome on many seeds and both policies") {
    for (const scenes::Scene& scene : scenes::catalogue()) {
        CAPTURE(scene.id);
        for (std::uint64_t seed = 1; seed <= 40; ++seed) {
            for (auto policy : {engine::Policy::Preemptive, engine::Policy::Cooperative}) {
                scenes::Settings s;
                s.seed = seed;
                s.policy = policy;
                s.cores = 1 + static_cast<int>(seed % 3);
                auto run = scene.build(s);
                run->sched().run(20000);
                REQUIRE(run->over());
                CHECK_FALSE(run->outcome().headline.empty());
            }
        }
    }
}

TEST_CASE("naive philosophers deadlock on some seed, and the verdict names the cycle") {
    bool found = false;
    for (std::uint64_t seed = 1; seed <= 200 && !found; ++seed) {
        const auto out = run_scene("philosophers", seed, {{"n", 3}, {"strategy", 0}});
        if (out.bad) {
            found = true;
            CHECK(out.headline.rfind("deadlock cycle: P", 0) == 0);
            CHECK(out.headline.find("-> waits for fork") != std::string::npos);
        }
    }
    CHECK(found);
}

TEST_CASE("philosophers who take the lower fork first never deadlock") {
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
        const auto out = run_scene("philosophers", seed, {{"n", 5}, {"strategy", 1}});
        REQUIRE_MESSAGE(!out.bad, out.headline);
        CHECK(out.headline == "everyone ate: 10 meals, no deadlock");
    }
}

TEST_CASE("polite philosophers never deadlock, and some seeds show them livelock") {
    int livelocks = 0;
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
        const auto out = run_scene("philosophers", seed, {{"n", 3}, {"strategy", 2}, {"meals", 3}});
        CHECK(out.headline.rfind("deadlock cycle", 0) == std::string::npos);
        if (out.bad) {
            ++livelocks;
            CHECK(out.headline.rfind("livelock: ", 0) == 0);
        }
    }
    CHECK(livelocks > 0);
}

TEST_CASE("cooperative scheduling lets the hog starve the others; preemption does not") {
    const auto coop = run_scene("scheduling", 1, {{"hog", 10}, {"yields", 0}}, engine::Policy::Cooperative);
    CHECK(coop.bad);
    CHECK(coop.headline.find("starved") != std::string::npos);
    const auto polite_hog = run_scene("scheduling", 1, {{"hog", 10}, {"yields", 1}}, engine::Policy::Cooperative);
    CHECK_FALSE(polite_hog.bad);
    int starved = 0;
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        starved += run_scene("scheduling", seed, {{"hog", 10}, {"yields", 0}}).bad ? 1 : 0;
    }
    CHECK(starved < 10);
}

TEST_CASE("the explorer orders each polite task's first unit against the hog's: every schedule, both outcomes") {
    // A's first unit reads how far the hog has gone, each hog unit writes it, and nothing else the tasks do
    // touches anything shared: A's first unit falls in one of the 11 gaps around the hog's 10 units, B's in
    // one too, independently (the two reads commute): 11 x 11 = 121 orders, of which 10 x 10 = 100 have both
    // before the hog's last unit, and 2 x 11 - 1 = 21 have one after it: starved.
    const auto r = explore("basics/scheduling", {{"hog", 10}, {"yields", 0}});
    REQUIRE(r.complete);
    std::map<std::string, std::uint64_t> counts;
    for (const auto& o : r.outcomes) counts[o.outcome] = o.executions - o.hunted;
    CHECK(counts == std::map<std::string, std::uint64_t>{{"no starvation (both polite tasks ran while the hog worked)", 100},
                                                         {"starvation (a polite task first ran after all the hog's work)", 21}});
}

namespace {
// An enumerator of its own for the cooperative schedules of the scheduling scene on one core: a
// task keeps the core until it yields or ends, so a schedule is an order of the tasks' bursts (the
// steps up to a yield, or to the end). The hog's work comes in `hog` bursts (one when it never
// yields), each polite task's in 3. Counts the orders, and those in which a polite task's first
// burst comes after the hog's last: starvation.
struct Bursts {
    std::uint64_t schedules = 0, starved = 0;
};
void orders(int hog_left, int a_left, int b_left, bool a_late, bool b_late, Bursts& out) {
    if (hog_left + a_left + b_left == 0) {
        ++out.schedules;
        out.starved += a_late || b_late ? 1 : 0;
        return;
    }
    if (hog_left > 0) orders(hog_left - 1, a_left, b_left, a_late, b_late, out);
    if (a_left > 0) orders(hog_left, a_left - 1, b_left, a_late || (a_left == 3 && hog_left == 0), b_late, out);
    if (b_left > 0) orders(hog_left, a_left, b_left - 1, a_late, b_late || (b_left == 3 && hog_left == 0), out);
}
}  // namespace

TEST_CASE("under the cooperative policy the explorer runs every cooperative schedule and only those") {
    for (const auto& setting : std::vector<std::pair<int, int>>{{10, 0}, {4, 1}, {6, 1}}) {
        const int hog = setting.first, yields = setting.second;  // not a structured binding: clang's INFO cannot capture one
        scenes::Settings s;
        s.params = {{"hog", hog}, {"yields", yields}};
        s.policy = engine::Policy::Cooperative;
        const auto r = scenes::explore_scene(*scenes::find_scene("basics/scheduling"), s, {});
        Bursts expected;
        orders(yields ? hog : 1, 3, 3, false, false, expected);
        INFO("hog " << hog << ", yields " << yields);
        REQUIRE(r.complete);
        CHECK(r.cooperative);
        std::map<std::string, std::uint64_t> counts;
        for (const auto& o : r.outcomes) counts[o.outcome] = o.executions;
        CHECK(r.executions == expected.schedules);
        CHECK(counts["starvation (a polite task first ran after all the hog's work)"] == expected.starved);
        CHECK(counts["no starvation (both polite tasks ran while the hog worked)"] == expected.schedules - expected.starved);
    }
    // The hog that never yields: 7! / (3! 3!) = 140 orders of its one burst and the polite tasks' six; in
    // 90 the hog's comes after both polite tasks' first (the enumerator above agrees).
    Bursts never;
    orders(1, 3, 3, false, false, never);
    CHECK(never.schedules == 140);  // 7! / (3! 3!): a formula, beside the enumerator
    CHECK(never.starved == 50);  // 140 - 90, the orders with the hog's burst after both polite tasks' first (counted by hand: 60 + 24 + 6)
}

TEST_CASE("more cores finish the parallelism scene in fewer ticks") {
    const auto one = run_scene("parallelism", 1, {{"tasks", 4}, {"work", 4}}, engine::Policy::Preemptive, 1);
    const auto four = run_scene("parallelism", 1, {{"tasks", 4}, {"work", 4}}, engine::Policy::Preemptive, 4);
    CHECK(one.headline.rfind("4 tasks finished in 32 ticks on 1 core", 0) == 0);
    CHECK(four.headline.rfind("4 tasks finished in 8 ticks on 4 cores", 0) == 0);
}

TEST_CASE("the counter loses updates without protection and never with a mutex or an atomic") {
    int lost = 0;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        lost += run_scene("counter", seed, {{"sync", 0}, {"threads", 3}, {"m", 3}}).bad ? 1 : 0;
        CHECK_FALSE(run_scene("counter", seed, {{"sync", 1}, {"threads", 3}, {"m", 3}}).bad);
        CHECK_FALSE(run_scene("counter", seed, {{"sync", 2}, {"threads", 3}, {"m", 3}}).bad);
    }
    CHECK(lost > 50);
}

TEST_CASE("a bounded buffer with while-loops or semaphores never over- or underflows") {
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        for (int style : {0, 2}) {
            const auto out = run_scene("buffer", seed, {{"style", style}, {"capacity", 1 + static_cast<int>(seed % 3)}});
            REQUIRE_MESSAGE(!out.bad, out.headline);
            CHECK(out.headline == "all 6 items passed through; the buffer never over- or underflowed");
        }
    }
}

TEST_CASE("waiting with if instead of while lets a consumer take from an empty buffer") {
    int broken = 0;
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        const auto out = run_scene("buffer", seed, {{"style", 1}});
        if (out.bad) {
            ++broken;
            CHECK(out.headline.rfind("a consumer took from an empty buffer", 0) == 0);
        }
    }
    CHECK(broken > 0);
}

TEST_CASE("the explorer names the if-bug's underflow, and no schedule of the buffer deadlocks") {
    // No deadlock is possible, by hand. Nobody waits for the lock while its
    // holder waits (wait gives it up), so all would wait on a condition. Each
    // put wakes every waiting consumer and each take the producer, so a
    // waiting consumer saw count = puts - takes = 0 with no put since: were
    // the producer done, takes = puts = 2 x items, yet this consumer has one
    // left. A waiting producer saw count = capacity with no take since: were
    // the consumers done, puts = 2 x items + capacity. And both at once would
    // need the count 0 and the capacity. (A consumer that took from an empty
    // buffer used to stop holding the lock, and the search said deadlock.)
    const engine::ExploreResult r = tests::explore("threads/buffer", {{"style", 1}, {"items", 2}});
    REQUIRE(r.complete);
    const auto seen = tests::outcomes(r);
    CHECK(seen == std::set<std::string>{"all 4 items passed through; the buffer never over- or underflowed",
                                        "a consumer took from an empty buffer (count = -1): it woke, did not re-check, and went on"});
    for (const auto& f : r.findings) CHECK(f.kind == "violation");
}

TEST_CASE("a replay whose choices end before the run does says so in every scene's headline, and shows no outcome") {
    // `such run stm/commit --replay 0,0,1` said "counter = 0 of 2: updates lost" (a commit cut halfway is no
    // lost update), and other scenes "0 meals, no deadlock" or "0 of 4 cakes packed" (a review of the scenes).
    for (const scenes::Scene& scene : scenes::catalogue()) {
        CAPTURE(scene.id);
        scenes::Settings s;
        s.policy = engine::Policy::Replay;
        s.replay = {0};
        auto run = scene.build(s);
        run->sched().run(20000);
        REQUIRE(run->sched().verdict() == engine::Verdict::ReplayDiverged);
        const scenes::Outcome out = run->outcome();
        CHECK(out.over);
        CHECK(out.bad);
        CHECK(out.headline.starts_with("replay diverged: "));
    }
}
