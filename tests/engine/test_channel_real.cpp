// Channels on real threads: every value arrives once and in order, a closed
// channel ends a range loop, and select merges two producers; the channel
// scenes end as they claim on native threads and on green threads.
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/channel.hpp"
#include "tests/engine/channel_tasks.hpp"
#include "scenes/scene.hpp"

using namespace such::engine;
using such::engine::testing::collect;
using such::engine::testing::merge;

namespace {
Task produce(Ctx& ctx, Channel<int>& ch, int from, int count, bool close_after) {
    for (int i = 0; i < count; ++i) co_await ch.send(ctx, from + i);
    if (close_after) co_await ch.close(ctx);
}
}  // namespace

TEST_CASE("on real threads every value crosses an unbuffered and a buffered channel once, in order") {
    for (int capacity : {0, 1, 16}) {
        CAPTURE(capacity);
        Channel<int> ch{"ch", capacity};
        std::vector<int> got;
        RealRuntime rt(RealOptions{false, 0});
        rt.add(ch);
        rt.spawn("producer", 0, [&](Ctx& c) { return produce(c, ch, 0, 20000, true); });
        rt.spawn("consumer", 0, [&](Ctx& c) { return collect(c, ch, got); });
        rt.run();
        REQUIRE(rt.error().empty());
        REQUIRE(got.size() == 20000);
        CHECK(std::is_sorted(got.begin(), got.end()));
        CHECK(got.back() == 19999);
    }
}

TEST_CASE("on real threads select merges two producers, each value once, until both close") {
    Channel<int> a{"a"}, b{"b", 4};
    std::vector<int> got;
    RealRuntime rt(RealOptions{false, 0});
    rt.add(a);
    rt.add(b);
    rt.spawn("a", 0, [&](Ctx& c) { return produce(c, a, 0, 5000, true); });
    rt.spawn("b", 0, [&](Ctx& c) { return produce(c, b, 100000, 5000, true); });
    rt.spawn("merge", 0, [&](Ctx& c) { return merge(c, a, b, got); });
    rt.run();
    REQUIRE(rt.error().empty());
    CHECK(got.size() == 10000);
    std::sort(got.begin(), got.end());
    CHECK(std::adjacent_find(got.begin(), got.end()) == got.end());
}

TEST_CASE("on real threads a send on a closed channel ends that task with the panic message") {
    Channel<int> ch{"ch", 1};
    std::vector<int> got;
    RealRuntime rt;
    rt.add(ch);
    rt.spawn("closer", 0, [&](Ctx& c) { return produce(c, ch, 0, 0, true); });
    rt.run();
    RealRuntime rt2;
    rt2.add(ch);
    rt2.spawn("late", 0, [&](Ctx& c) { return produce(c, ch, 0, 1, false); });
    rt2.run();
    CHECK(rt2.error() == "late: send on closed channel ch");
}

TEST_CASE("the message-passing scenes run on real threads: cakes in order, pipelines complete or stop at the deadline, actors, futures, pipes") {
    const std::vector<std::pair<std::string, std::map<std::string, int>>> runs = {
        {"csp/cake", {}}, {"csp/pipeline", {}}, {"csp/pipeline", {{"shape", 1}}}, {"csp/pipeline", {{"shape", 1}, {"deadline", 3}}},
        {"actors/pingpong", {}}, {"actors/selective", {}}, {"futures/pinger", {{"variant", 1}}}, {"futures/pinger", {{"variant", 2}}},
        {"proc/pipe", {}}, {"proc/pipe", {{"variant", 1}}}, {"coroutines/fibers", {}}, {"coroutines/fibers", {{"variant", 1}}},
        {"actors/anonymous", {}}, {"actors/anonymous", {{"style", 1}}}};
    for (const auto& entry : runs) {  // not a structured binding: clang 14 cannot capture one
        const std::string& id = entry.first;
        CAPTURE(id);
        such::scenes::Settings s;
        s.params = entry.second;
        s.runtime = such::scenes::RuntimeKind::Real;
        s.record = false;
        auto run = such::scenes::find_scene(id)->build(s);
        run->real().run();
        REQUIRE(run->real().error().empty());
        CHECK_FALSE(run->outcome().bad);
        MESSAGE(run->outcome().headline);
    }
}

TEST_CASE("the channel scenes on green threads (1 and 2 workers): cakes in order, pipelines complete or stop at the deadline, a deadlock ends as one") {
    const std::vector<std::pair<std::string, std::map<std::string, int>>> runs = {
        {"csp/cake", {}}, {"csp/pipeline", {}}, {"csp/pipeline", {{"shape", 1}}}, {"csp/pipeline", {{"shape", 1}, {"deadline", 3}}}};
    for (int workers : {1, 2}) {
        CAPTURE(workers);
        for (const auto& entry : runs) {
            const std::string& id = entry.first;
            CAPTURE(id);
            such::scenes::Settings s;
            s.params = entry.second;
            s.runtime = such::scenes::RuntimeKind::Real;
            s.record = false;
            s.workers = workers;
            auto run = such::scenes::find_scene(id)->build(s);
            REQUIRE(run->real().green());
            run->real().run();
            REQUIRE(run->real().error().empty());
            CHECK_FALSE(run->outcome().bad);
        }
        such::scenes::Settings s;
        s.runtime = such::scenes::RuntimeKind::Real;
        s.record = false;
        s.workers = workers;
        auto run = such::scenes::find_scene("csp/deadlock")->build(s);
        run->real().run();  // on native threads it would never end
        CHECK(run->real().deadlocked());
        CHECK(run->real().failure().rfind("deadlock: 2 green threads wait forever", 0) == 0);
    }
}
