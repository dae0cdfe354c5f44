// The scheduler: determinism per seed, policies, replay, trace export.
#include <doctest/doctest.h>
#include <set>
#include <algorithm>

#include "engine/rng.hpp"
#include "engine/shared_var.hpp"
#include "scenes/scene.hpp"

using namespace such;
using engine::Policy;

namespace {
scenes::Settings settings(std::uint64_t seed, Policy policy = Policy::Preemptive) {
    scenes::Settings s;
    s.seed = seed;
    s.policy = policy;
    return s;
}

std::unique_ptr<scenes::Run> finished_race(const scenes::Settings& s) {
    auto run = scenes::find_scene("atomicity/race")->build(s);
    run->sched().run();
    return run;
}
}  // namespace

TEST_CASE("the same seed gives the same trace, event for event") {
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        auto a = finished_race(settings(seed));
        auto b = finished_race(settings(seed));
        REQUIRE(a->sched().trace().to_jsonl() == b->sched().trace().to_jsonl());
        CHECK(a->sched().choices() == b->sched().choices());
    }
}

TEST_CASE("different seeds give different interleavings") {
    std::set<std::vector<engine::TaskId>> schedules;
    for (std::uint64_t seed = 1; seed <= 50; ++seed) schedules.insert(finished_race(settings(seed))->sched().choices());
    CHECK(schedules.size() > 5);
}

TEST_CASE("trace hashes are fixed per seed on every platform") {
    // The same numbers are asserted by the WebAssembly build of this suite.
    CHECK(finished_race(settings(7))->sched().trace().hash() == 0x06226ab49e9238baull);  // = engine_wasm and browser_e2e
    CHECK(finished_race(settings(42))->sched().trace().hash() == 0x594d0dad16400edaull);  // = engine_wasm
}

// Every seeded pick draws with Rng::below; it masks powers of two rather
// than dividing, which must give next() % n exactly or every seed's run changes.
TEST_CASE("a seeded pick among n is the next number modulo n, powers of two included") {
    engine::Rng picks(42), numbers(42);
    for (std::uint64_t n = 1; n <= 70; ++n) {
        for (int i = 0; i < 50; ++i) REQUIRE(picks.below(n) == numbers.next() % n);
    }
    for (std::uint64_t n : {1ull << 32, 1ull << 63, (1ull << 40) + 3}) CHECK(picks.below(n) == numbers.next() % n);
}

TEST_CASE("cooperative scheduling runs each thread to the end before the next") {
    auto run = finished_race(settings(3, Policy::Cooperative));
    const std::vector<engine::TaskId> expected = {0, 0, 0, 1, 1, 1};
    CHECK(run->sched().choices() == expected);
    CHECK(run->sched().verdict() == engine::Verdict::Finished);
}

TEST_CASE("a recorded choice list replays the exact run") {
    auto original = finished_race(settings(11));
    scenes::Settings replay = settings(999, Policy::Replay);
    replay.replay = original->sched().choices();
    auto again = finished_race(replay);
    CHECK(again->sched().trace().to_jsonl() == original->sched().trace().to_jsonl());
}

TEST_CASE("a replay that asks for a task that cannot step says it diverged") {
    scenes::Settings replay = settings(1, Policy::Replay);
    replay.replay = {0, 0, 0, 0, 1};  // T1 has only three steps
    auto run = finished_race(replay);
    CHECK(run->sched().verdict() == engine::Verdict::ReplayDiverged);
    CHECK(run->sched().verdict_detail().find("T1") != std::string::npos);
}

TEST_CASE("a choice list with a window keeps the latest choices by step, widens past task 254, and will not pass for the whole list") {
    engine::ChoiceLog log;
    log.keep_last(3);
    for (engine::TaskId t : {0, 1, 2, 3, 4}) log.push_back(t);  // at 6 kept (twice the window) the oldest 3 go
    CHECK(log.size() == 5);
    CHECK(log.forgotten() == 0);
    log.push_back(5);
    CHECK(log.size() == 6);
    CHECK(log.forgotten() == 3);
    CHECK(std::vector<engine::TaskId>(log.begin(), log.end()) == std::vector<engine::TaskId>{3, 4, 5});
    CHECK(log[4] == 4);
    log.push_back(300);  // past a byte: the kept choices widen, by the same steps
    CHECK(log[3] == 3);
    CHECK(log[6] == 300);  // step 6 is the 300 pushed above
    CHECK(log.back() == 300);  // the same, the last step
    CHECK_FALSE(log == std::vector<engine::TaskId>{0, 1, 2, 3, 4, 5, 300});  // it no longer has steps 0 to 2
    CHECK_THROWS_AS((void)log.to_vector(), std::logic_error);
}

TEST_CASE("only a run whose seed makes its choices lets old choices go; a manual or replayed one keeps every choice") {
    for (Policy p : {Policy::Preemptive, Policy::Cooperative, Policy::Manual, Policy::Replay}) {
        scenes::Settings s = settings(5, p);
        if (p == Policy::Replay) s.replay = finished_race(settings(5))->sched().choices();
        auto run = scenes::find_scene("atomicity/race")->build(s);
        run->sched().keep_last_choices(1);
        while (run->sched().runnable().size() > 0 && (p == Policy::Manual ? run->sched().step_task(run->sched().runnable().front()) : run->sched().step())) {
        }
        INFO(engine::to_string(p));
        CHECK(run->sched().steps() == 6);  // two threads, each a read, an increment and a write (scenes/atomicity_race.cpp)
        CHECK(run->sched().choices().forgotten() == (p == Policy::Manual || p == Policy::Replay ? 0u : 5u));
    }
}

TEST_CASE("manual policy steps only the task the user picks") {
    auto run = scenes::find_scene("atomicity/race")->build(settings(1, Policy::Manual));
    CHECK_FALSE(run->sched().step());
    CHECK(run->sched().runnable() == std::vector<engine::TaskId>{0, 1});
    CHECK(run->sched().step_task(1));
    CHECK(run->sched().choices() == std::vector<engine::TaskId>{1});
    CHECK(run->sched().task(1).line == 1);
    CHECK(run->sched().task(0).line == 0);
}

TEST_CASE("the trace exports one JSON object per line") {
    auto run = finished_race(settings(5));
    const std::string jsonl = run->sched().trace().to_jsonl();
    const auto lines = static_cast<std::size_t>(std::count(jsonl.begin(), jsonl.end(), '\n'));
    CHECK(lines == run->sched().trace().size());
    CHECK(jsonl.rfind("{\"step\":0,\"time\":0,\"core\":0,\"task\":0,\"object\":-1,\"kind\":\"spawn\"", 0) == 0);
}

TEST_CASE("policy names parse and print") {
    Policy p{};
    CHECK(engine::parse_policy("manual", p));
    CHECK(p == Policy::Manual);
    CHECK_FALSE(engine::parse_policy("fastest", p));
    CHECK(engine::to_string(Policy::Replay) == "replay");
}
