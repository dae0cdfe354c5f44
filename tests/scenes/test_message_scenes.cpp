// The futures and processes scenes show what they claim in every schedule.
#include <doctest/doctest.h>

#include <set>

#include "engine/os_process.hpp"
#include "scenes/scene.hpp"
#include "tests/scenes/explore_scene.hpp"

using namespace such;
using namespace such::tests;

TEST_CASE("a future's caller waits only when the value is not there yet, and always prints it") {
    // Whether main waits depends on the schedule, not on the step counts alone: both happen.
    for (int ping : {1, 6}) {
        CAPTURE(ping);
        CHECK(outcomes("futures/pinger", {{"variant", 0}, {"ping", ping}, {"work", 2}}) ==
              std::set<std::string>{"printed 21, main never waited", "printed 21, main waited"});
    }
    // Cooperatively, main runs its other work and asks before the pinger has run at all: it waits.
    scenes::Settings s;
    s.policy = engine::Policy::Cooperative;
    auto run = scenes::find_scene("futures/pinger")->build(s);
    run->sched().run();
    CHECK(run->outcome().headline == "printed reply = 21; main had to wait for it");
}

TEST_CASE("a then chain computes the message as the reply arrives; dataflow X = Y + Z in any order") {
    for (const auto& o : outcomes("futures/pinger", {{"variant", 1}, {"ping", 2}, {"work", 2}})) CHECK(o.rfind("printed 43", 0) == 0);
    CHECK(outcomes("futures/pinger", {{"variant", 2}, {"ping", 2}, {"work", 1}}) == std::set<std::string>{"printed 7"});
}

TEST_CASE("date | xargs echo prints the whole date in every schedule, whatever the pipe's capacity") {
    for (int capacity : {1, 4, 16}) {
        CAPTURE(capacity);
        CHECK(outcomes("proc/pipe", {{"variant", 0}, {"capacity", capacity}}) == std::set<std::string>{"The date is: Thu Nov 26 2026"});
    }
}

TEST_CASE("processes keep their own counters, and reaching into another's memory is refused") {
    CHECK(outcomes("proc/pipe", {{"variant", 1}, {"counts", 3}}) == std::set<std::string>{"counters 3 and 3"});
    CHECK(outcomes("proc/pipe", {{"variant", 2}}) == std::set<std::string>{"refused"});
}

TEST_CASE("processes that share a page on purpose count to 2N on it under its mutex, and N each in their own memory, in every schedule") {
    // 2 processes x 2 increments on the page; each counts its own `mine` to 2.
    CHECK(outcomes("proc/pipe", {{"variant", 3}, {"counts", 2}}) == std::set<std::string>{"page.counter 4, mine 2 and 2"});
}

TEST_CASE("where the build cannot start processes (the browser), the real date | xargs and shared page are refused: processes are simulated there") {
    const scenes::Scene& scene = *scenes::find_scene("proc/pipe");
    CHECK(scene.slide.find("These processes are simulated; on real threads the desktop app starts real ones, which a browser cannot.") != std::string::npos);
    for (int variant : {0, 1, 2, 3}) {
        CAPTURE(variant);
        scenes::Settings s;
        s.runtime = scenes::RuntimeKind::Real;
        s.params = {{"variant", variant}};
        const std::string why = scenes::check_settings(scene, s);
        const bool forks = variant == 0 || variant == 3;  // the other two stay threads with the engine's private memories
        if (engine::os_processes_available() || !forks) {
            CHECK(why.empty());
        } else {
            CHECK(why.rfind("processes are simulated in the browser: ", 0) == 0);
        }
    }
}
