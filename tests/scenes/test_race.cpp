// Scene "atomicity/race": the lost update happens, and the mutex prevents it.
#include <doctest/doctest.h>

#include "scenes/scene.hpp"

using namespace such;

namespace {
scenes::Outcome run_race(std::uint64_t seed, int sync, int threads = 2) {
    scenes::Settings s;
    s.seed = seed;
    s.params = {{"sync", sync}, {"threads", threads}};
    auto run = scenes::find_scene("atomicity/race")->build(s);
    run->sched().run();
    return run->outcome();
}
}  // namespace

TEST_CASE("the scene is found by its id and by its short name") {
    CHECK(scenes::find_scene("atomicity/race") != nullptr);
    CHECK(scenes::find_scene("race") == scenes::find_scene("atomicity/race"));
    CHECK(scenes::find_scene("nope") == nullptr);
}

TEST_CASE("reading both values before either write loses an update") {
    scenes::Settings s;
    s.policy = engine::Policy::Replay;
    s.replay = {0, 1, 0, 1, 0, 1};  // read, read, increment, increment, write, write
    auto run = scenes::find_scene("race")->build(s);
    run->sched().run();
    const auto out = run->outcome();
    CHECK(out.over);
    CHECK(out.bad);
    CHECK(out.headline.rfind("foo = 1: lost update!", 0) == 0);
}

TEST_CASE("some seeds lose the update without a mutex") {
    int lost = 0;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) lost += run_race(seed, 0).bad ? 1 : 0;
    CHECK(lost > 0);
    CHECK(lost < 100);
}

TEST_CASE("with the mutex no update is lost over 1,000 seeds") {
    for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
        const auto out = run_race(seed, 1, 2 + static_cast<int>(seed % 3));
        REQUIRE(out.over);
        REQUIRE_FALSE(out.bad);
    }
}

TEST_CASE("with an atomic fetch-add no update is lost over 1,000 seeds") {
    for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
        const auto out = run_race(seed, 2, 2 + static_cast<int>(seed % 3));
        REQUIRE(out.over);
        REQUIRE_FALSE(out.bad);
    }
}

TEST_CASE("settings out of range are refused with a clear message") {
    const auto& scene = *scenes::find_scene("race");
    scenes::Settings s;
    s.params = {{"threads", 9}};
    CHECK(scenes::check_settings(scene, s) == "parameter 'threads' must be between 2 and 4 (got 9)");
    s.params = {{"speed", 1}};
    CHECK(scenes::check_settings(scene, s) == "scene atomicity/race has no parameter 'speed'");
    s.params = {{"sync", 1}};
    CHECK(scenes::check_settings(scene, s).empty());
    s.cores = 9;
    CHECK(scenes::check_settings(scene, s) == "cores must be between 1 and 4 (got 9)");  // the slider's 1-4 (README)
}
