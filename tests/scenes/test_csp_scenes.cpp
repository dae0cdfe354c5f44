// The CSP scenes show what they claim: cakes handed over in order with
// backpressure, pipelines that deliver every value, a deadline that ends a
// merge, and channel deadlocks drawn as cycles.
#include <doctest/doctest.h>

#include <set>

#include "scenes/scene.hpp"
#include "tests/scenes/explore_scene.hpp"

using namespace such;
using namespace such::tests;

namespace {
std::size_t maker_waits(std::uint64_t seed, int shelf) {
    scenes::Settings s;
    s.seed = seed;
    s.params = {{"cakes", 6}, {"shelf", shelf}, {"pack", 3}};
    auto run = scenes::find_scene("csp/cake")->build(s);
    run->sched().run(10000);
    REQUIRE(run->outcome().headline.rfind("all 6 of 6 cakes packed, in order", 0) == 0);
    return run->rt().trace().count(engine::EventKind::ChanWait, 0);
}
}  // namespace

TEST_CASE("every schedule packs every cake in order, with or without a shelf") {
    for (int shelf : {0, 2}) {
        CAPTURE(shelf);
        const auto r = explore("csp/cake", {{"cakes", 3}, {"shelf", shelf}, {"pack", 1}});
        CHECK(r.complete);
        CHECK(outcomes(r) == std::set<std::string>{"3 packed"});
    }
}

TEST_CASE("with a slow packer the maker waits at every handover without a shelf, and less with one") {
    std::size_t unbuffered = 0, shelved = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        unbuffered += maker_waits(seed, 0);
        shelved += maker_waits(seed, 4);
    }
    CHECK(unbuffered > shelved);
    MESSAGE("maker waits over 10 seeds: " << unbuffered << " unbuffered, " << shelved << " with a shelf of 4");
}

TEST_CASE("a pipeline delivers every value exactly once in every schedule") {
    const auto r = explore("csp/pipeline", {{"shape", 0}, {"n", 3}, {"buffer", 0}, {"slow", 1}});
    CHECK(r.complete);
    CHECK(outcomes(r) == std::set<std::string>{"total = 14"});
    const auto fan_in = explore("csp/pipeline", {{"shape", 1}, {"n", 2}, {"buffer", 1}, {"slow", 1}});
    // Both producers finish their 1 ms together, so the merge's select can
    // find both cases ready and take one at random: the explorer takes each
    // pick, and the total is the same whichever it takes.
    CHECK(fan_in.complete);
    CHECK(outcomes(fan_in) == std::set<std::string>{"total = 6"});
}

TEST_CASE("a deadline ends the merge, and closing done lets every producer return") {
    const auto r = explore("csp/pipeline", {{"shape", 1}, {"n", 2}, {"slow", 2}, {"deadline", 4}});
    CHECK(r.complete);
    CHECK(r.findings.empty());  // no producer is left waiting: no deadlock
    CHECK(outcomes(r).count("stopped at the deadline") == 1);
}

TEST_CASE("tasks that both receive first deadlock in every schedule, and the ring names both channels") {
    const auto r = explore("csp/deadlock", {{"variant", 0}});
    CHECK(outcomes(r) == std::set<std::string>{"deadlock"});
    REQUIRE_FALSE(r.findings.empty());
    CHECK(r.findings[0].detail == "deadlock cycle: ping -> waits for a -> sent on by pong -> waits for b -> sent on by ping");
    CHECK(outcomes(explore("csp/deadlock", {{"variant", 1}})) == std::set<std::string>{"both done"});
    const auto empty_select = explore("csp/deadlock", {{"variant", 2}});
    REQUIRE_FALSE(empty_select.findings.empty());
    CHECK(empty_select.findings[0].detail.find("select with no case") != std::string::npos);
}

TEST_CASE("the cake scene's trace is the same for the same seed, natively and in WebAssembly") {
    scenes::Settings s;
    s.seed = 2;
    auto run = scenes::find_scene("csp/cake")->build(s);
    run->sched().run(10000);
    CHECK(run->outcome().headline == "all 4 of 4 cakes packed, in order; the maker waited 4 times at the shelf, the packer 4");
    CHECK(run->rt().trace().hash() == 1656454140775954656ull);  // the WebAssembly build runs this same check
}
