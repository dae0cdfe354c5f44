// Virtual cores and time: with more cores, more tasks advance in one tick.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "scenes/scene.hpp"

using namespace such;

namespace {
std::unique_ptr<scenes::Run> parallel(std::uint64_t seed, int cores, engine::Policy policy = engine::Policy::Preemptive) {
    scenes::Settings s;
    s.seed = seed;
    s.cores = cores;
    s.policy = policy;
    s.params = {{"tasks", 4}, {"work", 4}};
    auto run = scenes::find_scene("basics/parallelism")->build(s);
    run->sched().run();
    return run;
}
}  // namespace

TEST_CASE("one core runs one step per tick; four cores run four tasks side by side") {
    auto one = parallel(1, 1);
    auto four = parallel(1, 4);
    REQUIRE(one->sched().verdict() == engine::Verdict::Finished);
    REQUIRE(four->sched().verdict() == engine::Verdict::Finished);
    CHECK(one->sched().ticks() + 1 == one->sched().steps());
    CHECK(four->sched().ticks() + 1 == one->sched().steps() / 4);
}

TEST_CASE("in one tick every core runs a different task") {
    for (int cores = 1; cores <= 4; ++cores) {
        auto run = parallel(3, cores);
        std::map<std::uint64_t, std::set<int>> cores_in_tick;
        std::map<std::uint64_t, std::set<int>> tasks_in_tick;
        std::map<std::uint64_t, int> steps_in_tick;
        std::uint64_t last_step = ~0ull;
        for (const auto& e : run->sched().trace().events()) {
            if (e.kind == engine::EventKind::Spawn || e.kind == engine::EventKind::Finish) continue;
            if (e.step == last_step) continue;
            last_step = e.step;
            cores_in_tick[e.time].insert(e.core);
            tasks_in_tick[e.time].insert(e.task);
            ++steps_in_tick[e.time];
        }
        for (const auto& [tick, n] : steps_in_tick) {
            CHECK(n <= cores);
            CHECK(static_cast<int>(tasks_in_tick[tick].size()) == n);
            CHECK(static_cast<int>(cores_in_tick[tick].size()) == n);
        }
    }
}

TEST_CASE("replaying the choices reproduces ticks and cores too") {
    auto original = parallel(5, 3);
    scenes::Settings s;
    s.cores = 3;
    s.policy = engine::Policy::Replay;
    s.replay = original->sched().choices();
    s.params = {{"tasks", 4}, {"work", 4}};
    auto again = scenes::find_scene("basics/parallelism")->build(s);
    again->sched().run();
    CHECK(again->sched().trace().to_jsonl() == original->sched().trace().to_jsonl());
}

TEST_CASE("cooperative tasks keep their cores until they give them up") {
    auto run = parallel(1, 2, engine::Policy::Cooperative);
    // W1 and W2 take the two cores and run to their ends before W3 and W4 start.
    const auto& choices = run->sched().choices();
    const std::vector<engine::TaskId> first_half(choices.begin(), choices.begin() + 16);
    for (engine::TaskId t : first_half) CHECK(t < 2);
}
