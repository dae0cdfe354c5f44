// The event loop on the simulator: timer order, the microtask drain, the
// phases in libuv's order, the poll timeout, a blocked callback delaying
// timers, reactor and proactor echoing the same bytes, posts from another
// task.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/event_loop.hpp"
#include "tests/engine/sim.hpp"

using namespace such::engine;
using namespace such::tests;

namespace {
Task loop_task(Ctx& ctx, EventLoop& loop, Callback main) { co_await loop.run(ctx, "main", std::move(main)); }

// Runs `main` on a loop alone on the simulator (cooperative, one core); returns what it printed.
std::vector<std::string> printed(Callback main, EventLoop* keep = nullptr) {
    Scheduler s(coop());
    EventLoop local{"loop"};
    EventLoop& loop = keep ? *keep : local;
    s.add(loop);
    s.spawn("loop", 0, [&](Ctx& c) { return loop_task(c, loop, main); });
    s.run(100000);
    REQUIRE(s.verdict() == Verdict::Finished);
    return loop.output();
}

Callback say(std::string what) {
    return [what](EventLoop& l) { l.log(what); };
}

Task network(Ctx& ctx, Stream& s, std::vector<std::string> chunks) {
    for (const std::string& c : chunks) {
        co_await SleepStep(ctx, 7);
        co_await s.write(ctx, c);
    }
    co_await SleepStep(ctx, 7);
    co_await s.close(ctx);
}

Task worker(Ctx& ctx, EventLoop& loop) {
    co_await SleepStep(ctx, 5);
    co_await loop.post(ctx, "result", [](EventLoop& l) {
        l.log("result from the worker");
        l.keep_alive(-1);  // the work is done: the loop may end
    });
}
}  // namespace

TEST_CASE("timers fire by due time, ties in the order they were set") {
    const auto out = printed([](EventLoop& l) {
        l.set_timeout("b", 5, say("b"));
        l.set_timeout("a", 3, say("a"));
        l.set_timeout("c", 5, say("c"));
        l.set_timeout("d", 3, say("d"));
        l.set_timeout("zero", 0, say("zero"));  // 0 ms is 1 ms, as in node
    });
    CHECK(out == std::vector<std::string>{"zero", "a", "d", "b", "c"});
}

TEST_CASE("after every callback: all next ticks, then all promise jobs, before the next callback") {
    const auto out = printed([](EventLoop& l) {
        l.log("main");
        l.set_timeout("t1", 1, [](EventLoop& x) {
            x.log("t1");
            x.queue_microtask("p", say("t1 promise"));
            x.next_tick("n", [](EventLoop& y) {
                y.log("t1 tick");
                y.queue_microtask("p2", say("promise from a tick"));
            });
        });
        l.set_timeout("t2", 1, say("t2"));
        l.queue_microtask("p", say("main promise"));
        l.next_tick("n", say("main tick"));
    });
    CHECK(out == std::vector<std::string>{"main", "main tick", "main promise", "t1", "t1 tick", "t1 promise", "promise from a tick", "t2"});
}

TEST_CASE("the loop turns through its phases in libuv's documented order, and stops when nothing is left") {
    Scheduler s(coop());
    EventLoop loop{"loop"};
    s.add(loop);
    s.spawn("loop", 0, [&](Ctx& c) { return loop_task(c, loop, say("main")); });
    s.run();
    CHECK(loop.phase_log().empty());  // nothing queued: no turn at all
    EventLoop busy{"loop2"};
    const auto out = printed([](EventLoop& l) { l.set_immediate("i", say("immediate")); }, &busy);
    const auto phases = busy.phase_log();
    REQUIRE(phases.size() == kLoopPhases);
    for (int p = 0; p < kLoopPhases; ++p) CHECK(phases[static_cast<std::size_t>(p)] == static_cast<LoopPhase>(p));
    CHECK(busy.finished());
}

TEST_CASE("poll waits until the nearest timer: its timeout is the timer's due time minus the loop's time") {
    EventLoop loop{"loop"};
    std::uint64_t at_prepare = 0;
    std::int64_t polled = -2;
    printed(
        [&](EventLoop& l) {
            l.set_timeout("t", 40, [&polled](EventLoop& x) { polled = x.stats().last_poll_timeout; });
            l.on_prepare("p", [&at_prepare](EventLoop& x) {
                at_prepare = x.loop_time();
                x.stop_prepare();
            });
        },
        &loop);
    CHECK(polled == static_cast<std::int64_t>(40 - at_prepare));
    CHECK(loop.stats().blocked_ms >= 30);
    CHECK(loop.stats().iterations == 2);  // one turn waits, the next runs the timer
}

TEST_CASE("a callback that computes for 30 ms delays a due timer by exactly what is left of it") {
    for (const bool block : {false, true}) {
        CAPTURE(block);
        EventLoop loop{"loop"};
        printed(
            [block](EventLoop& l) {
                l.set_timeout("tick", 5, say("tick"));
                l.set_immediate("work", [block](EventLoop& x) {
                    if (block) x.busy(30);
                });
            },
            &loop);
        REQUIRE(loop.lateness().size() == 1);
        const auto late = loop.lateness()[0].fired - loop.lateness()[0].due;
        // Steps take no time on the clock. The immediate runs at 0 ms; busy,
        // it holds the loop until 30, and the timer due at 5 fires then:
        // 30 - 5 = 25 ms late. Not busy, the loop waits in poll until 5: on time.
        CHECK(late == (block ? 25 : 0));
    }
}

TEST_CASE("reactor and proactor echo the same bytes, in order") {
    for (const bool proactor : {false, true}) {
        CAPTURE(proactor);
        Scheduler s(coop());
        EventLoop loop{"loop"};
        Stream sock{"socket 4"};
        s.add(loop);
        s.add(sock);
        Callback main;
        if (proactor) {
            main = [&sock](EventLoop& l) {
                l.read(sock, "socket 4", [&sock](EventLoop&, const std::string& data) {
                    if (!data.empty()) sock.reply(data);
                });
            };
        } else {
            main = [&sock](EventLoop& l) {
                l.watch(sock, "socket 4", [&sock](EventLoop& x) {
                    const std::string data = sock.read();
                    if (data.empty()) {
                        x.unwatch(sock);
                    } else {
                        sock.reply(data);
                    }
                });
            };
        }
        s.spawn("loop", 0, [&](Ctx& c) { return loop_task(c, loop, main); });
        s.spawn("network", 1, [&](Ctx& c) { return network(c, sock, {"GET /1", "GET /2", "GET /3"}); });
        s.run(100000);
        REQUIRE(s.verdict() == Verdict::Finished);
        CHECK(sock.echoed() == std::vector<std::string>{"GET /1", "GET /2", "GET /3"});
        CHECK(loop.finished());
    }
}

TEST_CASE("a worker posts its result to the loop, which waits for it while held alive") {
    Scheduler s(coop());
    EventLoop loop{"loop"};
    s.add(loop);
    s.spawn("loop", 0, [&](Ctx& c) {
        return loop_task(c, loop, [](EventLoop& l) {
            l.keep_alive(1);
            l.log("work handed to the worker");
        });
    });
    s.spawn("worker", 1, [&](Ctx& c) { return worker(c, loop); });
    s.run(100000);
    CHECK(s.verdict() == Verdict::Finished);
    CHECK(loop.stats().last_poll_timeout == -1);  // no timer: it waited for the post
    CHECK(loop.output().size() == 2);
    CHECK(loop.output().back() == "result from the worker");
}

namespace {
Task pool_task(Ctx& ctx, EventLoop& loop) { co_await loop.work_pool(ctx); }
}  // namespace

TEST_CASE("work handed to the pool computes off the loop: on a second core the loop's timer stays on time") {
    Scheduler s(Config{1, Policy::Cooperative, 2, 1, {}, {}});
    EventLoop loop{"loop"};
    s.add(loop);
    s.spawn("loop", 0, [&](Ctx& c) {
        return loop_task(c, loop, [](EventLoop& l) {
            l.set_timeout("tick", 10, [](EventLoop& x) { x.log("tick"); });
            l.queue_work("hash", 30, [](EventLoop& x) { x.log("hash done"); });
        });
    });
    s.spawn("pool", 1, [&](Ctx& c) { return pool_task(c, loop); });
    s.run(100000);
    CHECK(s.verdict() == Verdict::Finished);
    CHECK(loop.output() == std::vector<std::string>{"tick", "hash done"});
    REQUIRE(loop.lateness().size() == 1);
    CHECK(loop.lateness()[0].fired - loop.lateness()[0].due < 10);
}
