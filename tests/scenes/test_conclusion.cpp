// The conclusion's counter on the simulator: one job in six models. Without a
// lock some schedule loses an update; with a mutex, a transaction, a channel,
// an actor or an event loop no schedule does, on any seed or in the explorer.
#include <doctest/doctest.h>

#include <string>

#include "scenes/scene.hpp"
#include "tests/scenes/explore_scene.hpp"

using namespace such;
using namespace such::tests;

namespace {
constexpr int kModels = 6;
constexpr const char* kId = "conclusion/one_counter";

scenes::Outcome run_model(int model, std::uint64_t seed, int workers, int m) {
    scenes::Settings s;
    s.seed = seed;
    s.cores = 1 + static_cast<int>(seed % 3);
    s.params = {{"model", model}, {"workers", workers}, {"m", m}};
    auto run = scenes::find_scene(kId)->build(s);
    run->sched().run(20000);
    REQUIRE(run->over());
    return run->outcome();
}
}  // namespace

TEST_CASE("conclusion counter: without a lock some seed loses an update; every other model counts every increment") {
    for (int model = 0; model < kModels; ++model) {
        CAPTURE(model);
        int lost = 0;
        for (std::uint64_t seed = 1; seed <= 20; ++seed) {
            CAPTURE(seed);
            const int workers = 2 + static_cast<int>(seed % 2);
            const scenes::Outcome out = run_model(model, seed, workers, 2);
            const std::string all = std::to_string(2 * workers);
            if (out.bad) {
                ++lost;
                CHECK(out.headline.find(" of " + all + ": ") != std::string::npos);
                CHECK(out.headline.find("lost update") != std::string::npos);
            } else {
                CHECK(out.headline == "count = " + all + " of " + all + ": every increment counted");
            }
        }
        if (model == 0) {
            CHECK(lost > 0);
        } else {
            CHECK(lost == 0);
        }
    }
}

TEST_CASE("conclusion counter: the explorer finds a lost update without a lock, and none in the other five models") {
    // Every search below completes (the event loop's, the largest, in a few hundred executions).
    for (int model = 0; model < kModels; ++model) {
        CAPTURE(model);
        const engine::ExploreResult r = explore(kId, {{"model", model}, {"workers", 2}, {"m", 1}});
        REQUIRE(r.complete);
        if (model == 0) {
            CHECK(outcomes(r) == std::set<std::string>{"count = 1", "count = 2"});
            REQUIRE_FALSE(r.findings.empty());
            CHECK(r.findings[0].detail == "count = 1");
        } else {
            CHECK(outcomes(r) == std::set<std::string>{"count = 2"});
            CHECK(r.findings.empty());
        }
    }
}

TEST_CASE("conclusion counter: each model's claim is what the explorer shows") {
    const scenes::Scene& scene = *scenes::find_scene(kId);
    for (int model = 0; model < kModels; ++model) {
        scenes::Settings s;
        s.params = {{"model", model}};
        const scenes::Claim c = scene.claim(s);
        CHECK(c.goes_wrong == (model == 0));
        CHECK(c.text == (model == 0 ? "a lost update is reachable" : "no schedule loses an update"));
    }
}

TEST_CASE("conclusion counter: the short name 'counter' still opens threads/counter, and 'one_counter' this scene") {
    REQUIRE(scenes::find_scene("counter") != nullptr);
    CHECK(scenes::find_scene("counter")->id == "threads/counter");
    REQUIRE(scenes::find_scene("one_counter") != nullptr);
    CHECK(scenes::find_scene("one_counter")->id == kId);
}
