// The event loop on real threads: the same program prints in the same order
// as on the simulator; a worker thread posts back; a network thread's writes
// are echoed by a reactor and by a proactor; timers fire on the real clock.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/event_loop.hpp"
#include "scenes/scene.hpp"

using namespace such::engine;

namespace {
Task loop_task(Ctx& ctx, EventLoop& loop, Callback main) { co_await loop.run(ctx, "main", std::move(main)); }

Task network(Ctx& ctx, Stream& s, int n) {
    for (int i = 0; i < n; ++i) {
        co_await SleepStep(ctx, 1);
        co_await s.write(ctx, "req " + std::to_string(i));
    }
    co_await s.close(ctx);
}

Task worker(Ctx& ctx, EventLoop& loop) {
    co_await SleepStep(ctx, 3);
    co_await loop.post(ctx, "done", [](EventLoop& l) {
        l.log("worker done");
        l.keep_alive(-1);
    });
}

void ordering(EventLoop& l) {
    l.log("main");
    l.set_timeout("b", 4, [](EventLoop& x) { x.log("b"); });
    l.set_timeout("a", 2, [](EventLoop& x) {
        x.log("a");
        x.set_immediate("i", [](EventLoop& y) { y.log("immediate after a"); });
        x.next_tick("n", [](EventLoop& y) { y.log("tick after a"); });
    });
    l.queue_microtask("p", [](EventLoop& x) { x.log("promise"); });
    l.next_tick("n", [](EventLoop& x) { x.log("tick"); });
}
}  // namespace

TEST_CASE("real threads: the loop prints in the simulator's order, and its timers wait on the real clock") {
    EventLoop sim_loop{"loop"}, real_loop{"loop"};
    Scheduler s(Config{1, Policy::Cooperative, 1, 1, {}});
    s.add(sim_loop);
    s.spawn("loop", 0, [&](Ctx& c) { return loop_task(c, sim_loop, ordering); });
    s.run();
    RealRuntime rt(RealOptions{false, 0, 0});
    rt.add(real_loop);
    rt.spawn("loop", 0, [&](Ctx& c) { return loop_task(c, real_loop, ordering); });
    rt.run();
    REQUIRE(rt.failure().empty());
    const std::vector<std::string> expected{"main", "tick", "promise", "a", "tick after a", "immediate after a", "b"};
    CHECK(sim_loop.output() == expected);
    CHECK(real_loop.output() == expected);
    CHECK(rt.seconds() >= 0.004);
    for (const auto& l : real_loop.lateness()) CHECK(l.fired >= l.due);
}

TEST_CASE("real threads: a worker thread posts to the loop, and a network thread's requests are echoed both ways") {
    for (const bool proactor : {false, true}) {
        CAPTURE(proactor);
        EventLoop loop{"loop"};
        Stream sock{"socket"};
        RealRuntime rt(RealOptions{false, 0, 0});
        rt.add(loop);
        rt.add(sock);
        Callback main = [&sock, proactor](EventLoop& l) {
            l.keep_alive(1);
            if (proactor) {
                l.read(sock, "socket", [&sock](EventLoop&, const std::string& d) {
                    if (!d.empty()) sock.reply(d);
                });
            } else {
                l.watch(sock, "socket", [&sock](EventLoop& x) {
                    const std::string d = sock.read();
                    if (d.empty()) {
                        x.unwatch(sock);
                    } else {
                        sock.reply(d);
                    }
                });
            }
        };
        rt.spawn("loop", 0, [&](Ctx& c) { return loop_task(c, loop, main); });
        rt.spawn("network", 1, [&](Ctx& c) { return network(c, sock, 20); });
        rt.spawn("worker", 2, [&](Ctx& c) { return worker(c, loop); });
        rt.run();
        REQUIRE(rt.failure().empty());
        REQUIRE(sock.echoed().size() == 20);
        for (int i = 0; i < 20; ++i) CHECK(sock.echoed()[static_cast<std::size_t>(i)] == "req " + std::to_string(i));
        CHECK(loop.output() == std::vector<std::string>{"worker done"});
    }
}

namespace {
Task clients(Ctx& ctx, std::vector<std::unique_ptr<Stream>>& socks) {
    for (auto& s : socks) co_await s->write(ctx, "hello from " + s->name());
    for (auto& s : socks) co_await s->close(ctx);
}
}  // namespace

TEST_CASE("real threads natively: an epoll loop echoes every request of 500 socket pairs exactly once") {
    std::vector<std::unique_ptr<Stream>> socks;
    for (int i = 0; i < 500; ++i) socks.push_back(std::make_unique<Stream>("s" + std::to_string(i)));
    EventLoop loop{"loop"};
    RealRuntime rt(RealOptions{false, 0, 0});
    rt.add(loop);
    std::string backend;
    rt.spawn("loop", 0, [&](Ctx& c) {
        return loop_task(c, loop, [&socks, &backend](EventLoop& l) {
            backend = l.io_backend();
            for (auto& s : socks) {
                Stream* sp = s.get();
                l.watch(*sp, sp->name(), [sp](EventLoop& x) {
                    const std::string d = sp->read();
                    if (d.empty()) {
                        x.unwatch(*sp);
                    } else {
                        sp->reply(d);
                    }
                });
            }
        });
    });
    rt.spawn("clients", 1, [&](Ctx& c) { return clients(c, socks); });
    rt.run();
    REQUIRE(rt.failure().empty());
#if defined(__linux__)
    CHECK(backend == "epoll");
#endif
    for (auto& s : socks) {
        REQUIRE(s->echoed().size() == 1);
        CHECK(s->echoed()[0] == "hello from " + s->name());
    }
}

TEST_CASE("real threads natively: loop/c10k answers 1,000 connections once each, with one loop or a thread each") {
    namespace sc = such::scenes;
    for (const int model : {0, 1}) {
        CAPTURE(model);
        sc::Settings s;
        s.runtime = sc::RuntimeKind::Real;
        s.record = false;
        s.params = {{"model", model}, {"count", 1}};
        REQUIRE(sc::check_settings(*sc::find_scene("loop/c10k"), s).empty());
        auto run = sc::find_scene("loop/c10k")->build(s);
        run->real().run();
        REQUIRE(run->real().failure().empty());
        const sc::Outcome out = run->outcome();
        CHECK_FALSE(out.bad);
        CHECK(run->outcome_key() == "1000 of 1000 answered");
    }
}
