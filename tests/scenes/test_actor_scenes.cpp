// The actor scenes: ping-pong counts, orders before logs, and supervision.
#include <doctest/doctest.h>

#include <set>

#include "scenes/scene.hpp"
#include "tests/scenes/explore_scene.hpp"

using namespace such;
using namespace such::tests;

namespace {
std::vector<std::string> spawned(const scenes::Run& run) {
    std::vector<std::string> out;
    for (std::size_t t = 0; t < run.rt().task_count(); ++t) out.push_back(run.rt().task_name(static_cast<engine::TaskId>(t)));
    return out;
}

std::unique_ptr<scenes::Run> supervised(std::uint64_t seed, int strategy, int crashes, int intensity) {
    scenes::Settings s;
    s.seed = seed;
    s.params = {{"strategy", strategy}, {"crashes", crashes}, {"intensity", intensity}};
    auto run = scenes::find_scene("actors/supervisor")->build(s);
    run->sched().run(20000);
    return run;
}
}  // namespace

TEST_CASE("ping and pong count to the end in every schedule") {
    CHECK(outcomes("actors/pingpong", {{"rounds", 3}}) == std::set<std::string>{"ping counted to 3, pong answered 3"});
}

TEST_CASE("the shop ships every order before writing any log, in every schedule") {
    for (const auto& o : outcomes("actors/selective", {{"clients", 2}})) {
        CAPTURE(o);
        CHECK(o.rfind("orders ", 0) == 0);
        CHECK(o.find("then logs") == 10);  // both orders came first
    }
}

TEST_CASE("one-for-one restarts only the crashed worker; one-for-all restarts all three") {
    const auto one = supervised(1, 0, 1, 2);
    REQUIRE(one->over());
    const auto names = spawned(*one);
    const auto restarted = std::count_if(names.begin(), names.end(), [](const std::string& n) { return n.back() == '\''; });
    CHECK(restarted == 1);
    const auto all = supervised(1, 1, 1, 2);
    const auto names_all = spawned(*all);
    CHECK(std::count_if(names_all.begin(), names_all.end(), [](const std::string& n) { return n.back() == '\''; }) == 3);
    CHECK_FALSE(one->outcome().bad);
    CHECK_FALSE(all->outcome().bad);
}

TEST_CASE("a crash loses the jobs queued for its worker, and the outcome says how many and why") {
    // With no preemption the client, which never waits to send, sends all nine messages before any
    // worker runs: worker0 (jobs 3, 6, 9 by the listing's job mod 3) holds the crash with jobs 6 and 9
    // behind it, and the supervisor's shutdown is in its mailbox before the crash's exit notice.
    const auto unpreempted = outcomes(explore("actors/supervisor", {{"strategy", 0}, {"crashes", 1}, {"intensity", 2}}, Reduction::Dpor, 0));
    CHECK(unpreempted == std::set<std::string>{"6 of 8 jobs done, 2 lost with a dead worker, shut down before any restart"});
    // One preemption lets the crash come first: a restart, and every job done when none was queued behind it.
    const auto one = outcomes(explore("actors/supervisor", {{"strategy", 0}, {"crashes", 1}, {"intensity", 2}}, Reduction::Dpor, 1));
    CHECK(one.count("8 of 8 jobs done, 1 restart") == 1);
    for (const std::string& o : one) {
        CAPTURE(o);
        // Done and lost add up to the 8 jobs sent (9 minus the one that carried the crash).
        const int done = std::stoi(o), lost = o.find(" lost") == std::string::npos ? 0 : std::stoi(o.substr(o.find("done, ") + 6));
        CHECK(done + lost == 8);
    }
}

TEST_CASE("past its restart intensity the supervisor gives up, on some seed; within it, never") {
    bool gave_up = false;
    for (std::uint64_t seed = 1; seed <= 60 && !gave_up; ++seed) gave_up = supervised(seed, 0, 2, 1)->outcome().bad;
    CHECK(gave_up);
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        CAPTURE(seed);
        const auto run = supervised(seed, 0, 2, 2);
        CHECK(run->sched().verdict() == engine::Verdict::Finished);
        CHECK_FALSE(run->outcome().bad);
    }
}

TEST_CASE("fibers: ping-pong doubles by hand, the generator sums Fibonacci, and one resume too many is refused") {
    CHECK(outcomes("coroutines/fibers", {{"variant", 0}, {"count", 5}}) == std::set<std::string>{"result 32"});
    CHECK(outcomes("coroutines/fibers", {{"variant", 1}, {"count", 5}}) == std::set<std::string>{"result 12"});
    CHECK(outcomes("coroutines/fibers", {{"variant", 2}, {"count", 3}}) == std::set<std::string>{"resume refused"});
}

TEST_CASE("workers that only pass messages get the same total as workers sharing a locked total, in every schedule") {
    CHECK(outcomes("actors/anonymous", {{"style", 0}, {"workers", 2}, {"jobs", 2}}) == std::set<std::string>{"total = 5"});
    CHECK(outcomes("actors/anonymous", {{"style", 1}, {"workers", 2}, {"jobs", 3}}) == std::set<std::string>{"total = 14"});
}
