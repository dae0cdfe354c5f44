// Green threads (RealRuntime with workers, M:N) on real cores: every message
// delivered exactly once to 100,000 actors, work stealing, deadlock
// detection, receive timeouts on the real clock, fibers, links and monitors.
// Counts and outcomes only: timing lives in bench/.
#include <doctest/doctest.h>

#include <chrono>
#include <deque>
#include <vector>

#include "engine/actor.hpp"
#include "engine/fiber.hpp"
#include "scenes/scene.hpp"

using namespace such::engine;

namespace {
RealOptions green(int workers = 2) { return RealOptions{false, 0, workers}; }

Task answer(Ctx& ctx, Mailbox& me, Mailbox& main) {
    const auto job = co_await me.receive(ctx);
    co_await main.send(ctx, "done", job->value);
}

Task hand_out(Ctx& ctx, RealRuntime& rt, std::deque<Mailbox>& boxes, Mailbox& me, int n, std::vector<int>& seen) {
    for (int i = 0; i < n; ++i) {
        Mailbox& box = boxes.emplace_back("a");
        rt.spawn("actor", 0, [&box, &me](Ctx& c) { return answer(c, box, me); });
    }
    for (int i = 0; i < n; ++i) co_await boxes[static_cast<std::size_t>(i)].send(ctx, "job", i);
    for (int i = 0; i < n; ++i) {
        const auto m = co_await me.receive(ctx);
        ++seen[static_cast<std::size_t>(m->value)];
    }
}

Task spinner(Ctx& ctx, int yields) {
    for (int i = 0; i < yields; ++i) co_await YieldStep(ctx);
}

Task waits(Ctx& ctx, Mailbox& me) { co_await me.receive(ctx); }

Task crasher(Ctx& ctx, Mailbox& me) {
    co_await me.receive(ctx);
    throw Panic("bad input");
}

Task records(Ctx& ctx, Mailbox& me, std::vector<Message>& got, int count) {
    for (int i = 0; i < count; ++i) got.push_back(*co_await me.receive(ctx));
}

Task poke(Ctx& ctx, Mailbox& to) { co_await to.send(ctx, "poke"); }

Task timed_wait(Ctx& ctx, Mailbox& box, std::optional<Message>& out) { out = co_await box.receive(ctx, {}, 5); }
}  // namespace

TEST_CASE("green threads: 100,000 actors on 2 workers, every message delivered exactly once") {
    constexpr int n = 100000;
    std::deque<Mailbox> boxes;
    Mailbox main_box{"main"};
    std::vector<int> seen(n, 0);
    RealRuntime rt(green());
    rt.add(main_box);
    rt.spawn("main", 0, [&](Ctx& c) { return hand_out(c, rt, boxes, main_box, n, seen); });
    rt.run();
    REQUIRE(rt.failure().empty());
    CHECK(rt.task_count() == n + 1);
    int once = 0;
    for (int s : seen) once += s == 1;
    CHECK(once == n);
    CHECK(main_box.messages().empty());
    CHECK(rt.green_stats().peak_live == n + 1);  // all alive at once, on 2 threads
}

TEST_CASE("green threads: an idle worker steals from a busy one") {
    RealRuntime rt(green());
    for (int i = 0; i < 400; ++i) rt.spawn("spin", 0, [](Ctx& c) { return spinner(c, 50); });
    rt.run();
    REQUIRE(rt.failure().empty());
    CHECK(rt.green_stats().switches >= 400u * 51u);
    CHECK(rt.green_stats().steals > 0);
}

TEST_CASE("green threads: when every actor waits for a message nobody can send, the run ends with a deadlock naming them") {
    Mailbox a{"<0.1> a"}, b{"<0.2> b"};
    RealRuntime rt(green());
    rt.add(a);
    rt.add(b);
    rt.spawn("a", 0, [&](Ctx& c) { return waits(c, a); });
    rt.spawn("b", 0, [&](Ctx& c) { return waits(c, b); });
    rt.run();
    CHECK(rt.deadlocked());
    CHECK(rt.failure() == "deadlock: 2 green threads wait forever: a waits on <0.1> a; b waits on <0.2> b");
}

TEST_CASE("green threads: a receive timeout fires on the real clock, no earlier") {
    Mailbox box{"box"};
    std::optional<Message> got = Message{};
    RealRuntime rt(green());
    rt.add(box);
    rt.spawn("waiter", 0, [&](Ctx& c) { return timed_wait(c, box, got); });
    const auto t0 = std::chrono::steady_clock::now();
    rt.run();
    CHECK_FALSE(got.has_value());
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(5));
    CHECK_FALSE(rt.deadlocked());
}

TEST_CASE("links and monitors on green threads: a trapping actor gets EXIT, a monitor gets DOWN, an untrapped link dies") {
    Mailbox dying{"dying"}, trapper{"trapper"}, watcher{"watcher"}, bystander{"bystander"};
    std::vector<Message> trapped, watched;
    RealRuntime rt(green());
    Links links(rt);
    for (Mailbox* m : {&dying, &trapper, &watcher, &bystander}) rt.add(*m);
    const TaskId d = rt.spawn("dying", 0, [&](Ctx& c) { return crasher(c, dying); });
    const TaskId t = rt.spawn("trapper", 0, [&](Ctx& c) { return records(c, trapper, trapped, 1); });
    const TaskId w = rt.spawn("watcher", 0, [&](Ctx& c) { return records(c, watcher, watched, 1); });
    const TaskId b = rt.spawn("bystander", 0, [&](Ctx& c) { return waits(c, bystander); });
    links.attach(d, dying);
    links.attach(t, trapper);
    links.attach(w, watcher);
    links.attach(b, bystander);
    links.link(d, t);
    links.link(d, b);
    links.trap_exits(t);
    links.monitor(w, d);
    rt.spawn("poke", 0, [&](Ctx& c) { return poke(c, dying); });
    rt.run();
    REQUIRE(rt.failure().empty());
    REQUIRE(trapped.size() == 1);
    CHECK(trapped[0].tag == "EXIT");
    CHECK(trapped[0].note == "bad input");
    REQUIRE(watched.size() == 1);
    CHECK(watched[0].tag == "DOWN");
    const auto panics = rt.panics();
    REQUIRE(panics.size() == 2);
    CHECK(panics[1].task == b);
    CHECK(panics[1].message == "linked to dying, which died: bad input");
    CHECK(links.killed() == 1);
    CHECK_FALSE(dying.alive());
}

TEST_CASE("scenes on green threads: fibers, ping-pong, the supervisor and 10,000 green threads end as they claim") {
    namespace sc = such::scenes;
    sc::Settings s;
    s.runtime = sc::RuntimeKind::Real;
    s.record = false;
    for (const char* id : {"coroutines/fibers", "actors/supervisor", "coroutines/green", "actors/pingpong"}) {
        CAPTURE(id);
        const sc::Scene* scene = sc::find_scene(id);
        REQUIRE(scene);
        auto run = scene->build(s);
        REQUIRE(run->real().green());
        run->real().run();
        REQUIRE(run->real().failure().empty());
        const sc::Outcome out = run->outcome();
        CHECK(out.over);
        CHECK_FALSE(out.bad);
    }
}

TEST_CASE("one worker thread: a green thread that never yields holds it, and the others first run after all its work") {
    namespace sc = such::scenes;
    sc::Settings s;
    s.runtime = sc::RuntimeKind::Real;
    s.params["yields"] = 0;
    auto run = sc::find_scene("basics/scheduling")->build(s);
    REQUIRE(run->real().workers() == 1);
    run->real().run();
    const sc::Outcome out = run->outcome();
    CHECK(out.bad);  // each unit of work busy-waits its 5 ms, so 10 of them come first: a lower bound, not a timing
    CHECK(out.headline.find("the hog held the thread") != std::string::npos);
}
