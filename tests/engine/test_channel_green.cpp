// Channels on green threads (RealRuntime with workers, M:N), on 1 and 2
// workers: a send, receive or select that must wait parks its task and the
// partner that completes it wakes the task. Every value arrives once and in
// order, a close wakes whoever is parked, and a program whose every task
// waits on a channel ends with the green runtime's deadlock error, no hang.
// Outcomes only: timing lives in bench/bench_channels.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "engine/channel.hpp"
#include "tests/engine/channel_tasks.hpp"

using namespace such::engine;
using such::engine::testing::collect;
using such::engine::testing::merge;

namespace {
RealOptions green(int workers) { return RealOptions{false, 0, workers}; }

// Sends 0..n-1 and checks each reply is the value plus one, in order.
Task ping(Ctx& ctx, Channel<long>& out, Channel<long>& in, long n, long& replies_in_order) {
    for (long i = 0; i < n; ++i) {
        co_await out.send(ctx, i);
        const Received r = co_await in.recv(ctx);
        if (r.ok && r.value == i + 1) ++replies_in_order;
    }
    co_await out.close(ctx);
}

Task echo(Ctx& ctx, Channel<long>& in, Channel<long>& out, std::vector<long>* seen = nullptr) {
    for (;;) {
        const Received r = co_await in.recv(ctx);
        if (!r.ok) break;
        if (seen) seen->push_back(r.value);
        co_await out.send(ctx, r.value + 1);
    }
    co_await out.close(ctx);
}

Task generate(Ctx& ctx, Channel<long>& out, long n) {
    for (long i = 0; i < n; ++i) co_await out.send(ctx, i);
    co_await out.close(ctx);
}

Task sink(Ctx& ctx, Channel<long>& in, long& sum, long& count) {
    for (;;) {
        const Received r = co_await in.recv(ctx);
        if (!r.ok) break;
        sum += r.value;
        ++count;
    }
}

Task receive_once(Ctx& ctx, Channel<long>& in, Received& got) { got = co_await in.recv(ctx); }

Task send_once(Ctx& ctx, Channel<long>& out, long value) { co_await out.send(ctx, value); }

Task close_it(Ctx& ctx, Channel<long>& ch) { co_await ch.close(ctx); }

// Offers each value by a select's send case; a default counts the times no
// receiver was ready, and the select then waits (no default) to send it.
Task offer(Ctx& ctx, Channel<long>& out, long n, long& defaults) {
    for (long i = 0; i < n; ++i) {
        // (built first: g++ 12 cannot take a braced list inside co_await)
        std::vector<SelectCase> cases{send_case(out, i)};
        const Selected tried = co_await select(ctx, cases, true);
        if (tried.index == 0) continue;
        ++defaults;
        co_await select(ctx, std::move(cases));
    }
    co_await out.close(ctx);
}


Task wait_or_ring(Ctx& ctx, Channel<long>& never, Timer& timer, int& fired) {
    co_await timer.start(ctx, 2);
    std::vector<SelectCase> cases{recv_case(never), recv_case(timer)};
    const Selected s = co_await select(ctx, std::move(cases));
    fired = s.index;
}
}  // namespace

TEST_CASE("green channels: ping-pong on 1 and 2 workers, every reply arrives once and in order") {
    for (int workers : {1, 2}) {
        for (int capacity : {0, 1, 64}) {
            CAPTURE(workers);
            CAPTURE(capacity);
            const long n = 20000;
            Channel<long> a{"ping", capacity}, b{"pong", capacity};
            long in_order = 0;
            std::vector<long> seen;
            RealRuntime rt(green(workers));
            rt.add(a);
            rt.add(b);
            rt.spawn("ping", 0, [&](Ctx& c) { return ping(c, a, b, n, in_order); });
            rt.spawn("pong", 0, [&](Ctx& c) { return echo(c, a, b, &seen); });
            rt.run();
            REQUIRE(rt.error().empty());
            CHECK(in_order == n);
            REQUIRE(seen.size() == static_cast<std::size_t>(n));
            bool sequence = true;  // pong saw 0, 1, ..., n-1
            for (long i = 0; i < n; ++i) sequence = sequence && seen[static_cast<std::size_t>(i)] == i;
            CHECK(sequence);
            if (capacity == 0) CHECK(rt.green_stats().parks > 0);  // a rendezvous waits: it parked, it did not block the worker
        }
    }
}

TEST_CASE("green channels: a 4-stage pipeline delivers every value once, its sum is n(n-1)/2 + 3n") {
    for (int workers : {1, 2}) {
        for (int capacity : {0, 1, 64}) {
            CAPTURE(workers);
            CAPTURE(capacity);
            const long n = 20000;
            std::deque<Channel<long>> chans;
            for (int i = 0; i < 4; ++i) chans.emplace_back("c" + std::to_string(i), capacity);
            RealRuntime rt(green(workers));
            for (auto& c : chans) rt.add(c);
            long sum = 0, count = 0;
            rt.spawn("generate", 0, [&](Ctx& c) { return generate(c, chans[0], n); });
            for (std::size_t s = 0; s < 3; ++s) rt.spawn("stage", 0, [&, s](Ctx& c) { return echo(c, chans[s], chans[s + 1]); });
            rt.spawn("sink", 0, [&](Ctx& c) { return sink(c, chans[3], sum, count); });
            rt.run();
            REQUIRE(rt.error().empty());
            CHECK(count == n);
            // 0 + 1 + ... + (n-1), each value raised by 1 at each of 3 stages.
            CHECK(sum == n * (n - 1) / 2 + 3 * n);
        }
    }
}

TEST_CASE("green channels: a close wakes a parked receiver with \"closed\" and a parked sender with the panic") {
    for (int workers : {1, 2}) {
        CAPTURE(workers);
        Channel<long> ch{"ch"};
        Received got{7, true};
        RealRuntime rt(green(workers));
        rt.add(ch);
        // On one worker the tasks run in the order spawned: the receive parks, then the close comes.
        rt.spawn("receiver", 0, [&](Ctx& c) { return receive_once(c, ch, got); });
        rt.spawn("closer", 0, [&](Ctx& c) { return close_it(c, ch); });
        rt.run();
        REQUIRE(rt.error().empty());
        CHECK_FALSE(got.ok);
        CHECK(got.value == 0);
        if (workers == 1) CHECK(rt.green_stats().parks == 1);

        Channel<long> ch2{"ch2"};
        RealRuntime rt2(green(workers));
        rt2.add(ch2);
        rt2.spawn("sender", 0, [&](Ctx& c) { return send_once(c, ch2, 5); });
        rt2.spawn("closer", 0, [&](Ctx& c) { return close_it(c, ch2); });
        rt2.run();
        CHECK(rt2.error() == "sender: send on closed channel ch2");
        CHECK(rt2.failure().empty());  // a panic, not a bug or a deadlock
        if (workers == 1) CHECK(rt2.green_stats().parks == 1);
    }
}

TEST_CASE("green channels: a send on a closed channel panics as on the other runtimes") {
    Channel<long> ch{"ch", 1};
    RealRuntime rt(green(1));
    rt.add(ch);
    rt.spawn("closer", 0, [&](Ctx& c) { return close_it(c, ch); });
    rt.spawn("late", 0, [&](Ctx& c) { return send_once(c, ch, 1); });
    rt.run();
    CHECK(rt.error() == "late: send on closed channel ch");  // the message of test_channel_real.cpp's native run
}

TEST_CASE("green channels: select merges two producers, each value once, until both close") {
    for (int workers : {1, 2}) {
        CAPTURE(workers);
        Channel<long> a{"a"}, b{"b", 4};
        std::vector<long> got;
        RealRuntime rt(green(workers));
        rt.add(a);
        rt.add(b);
        rt.spawn("a", 0, [&](Ctx& c) { return generate(c, a, 5000); });
        rt.spawn("b", 0, [&](Ctx& c) { return generate(c, b, 5000); });
        rt.spawn("merge", 0, [&](Ctx& c) { return merge(c, a, b, got); });
        rt.run();
        REQUIRE(rt.error().empty());
        REQUIRE(got.size() == 10000);  // the two producers' 5,000 values each, none lost or doubled
        std::sort(got.begin(), got.end());
        bool twice_each = true;  // 0..4999 from a and again from b
        for (std::size_t i = 0; i < got.size(); ++i) twice_each = twice_each && got[i] == static_cast<long>(i / 2);
        CHECK(twice_each);
    }
}

TEST_CASE("green channels: a select's send case with a default, then waiting, delivers every value in order") {
    for (int workers : {1, 2}) {
        CAPTURE(workers);
        Channel<long> ch{"ch"};
        std::vector<long> got;
        long defaults = 0;
        RealRuntime rt(green(workers));
        rt.add(ch);
        rt.spawn("offer", 0, [&](Ctx& c) { return offer(c, ch, 2000, defaults); });
        rt.spawn("collect", 0, [&](Ctx& c) { return collect(c, ch, got); });
        rt.run();
        REQUIRE(rt.error().empty());
        REQUIRE(got.size() == 2000);  // every one of the 2,000 values offered, whether the default was taken or not
        bool in_order = true;
        for (std::size_t i = 0; i < got.size(); ++i) in_order = in_order && got[i] == static_cast<long>(i);
        CHECK(in_order);
        // On one worker the offer runs first, before any receive is parked: its first try takes the default.
        if (workers == 1) CHECK(defaults >= 1);
    }
}

TEST_CASE("green channels: a select waits on a channel no one sends on and a timer, and the timer's case fires") {
    for (int workers : {1, 2}) {
        CAPTURE(workers);
        Channel<long> never{"never"};
        Timer timer{"timer"};
        int fired = -1;
        RealRuntime rt(green(workers));
        rt.add(never);
        rt.add(timer);
        rt.spawn("waiter", 0, [&](Ctx& c) { return wait_or_ring(c, never, timer, fired); });
        rt.run();
        REQUIRE(rt.error().empty());  // a pending timer is no deadlock
        CHECK(fired == 1);
    }
}

TEST_CASE("green channels: two tasks each receiving from the other end with the deadlock error, no hang") {
    for (int workers : {1, 2}) {
        CAPTURE(workers);
        Channel<long> x{"x"}, y{"y"};
        Received gx, gy;
        RealRuntime rt(green(workers));
        rt.add(x);
        rt.add(y);
        rt.spawn("a", 0, [&](Ctx& c) { return receive_once(c, y, gx); });
        rt.spawn("b", 0, [&](Ctx& c) { return receive_once(c, x, gy); });
        rt.run();
        CHECK(rt.deadlocked());
        CHECK(rt.failure() == "deadlock: 2 green threads wait forever: a waits on y; b waits on x");

        Channel<long> z{"z"}, v{"v"}, w{"w", 2};  // a send no one receives, and a select no one completes
        std::vector<long> merged;
        RealRuntime rt2(green(workers));
        for (ChannelCell* c : {static_cast<ChannelCell*>(&z), static_cast<ChannelCell*>(&v), static_cast<ChannelCell*>(&w)}) rt2.add(*c);
        rt2.spawn("sender", 0, [&](Ctx& c) { return send_once(c, z, 1); });
        rt2.spawn("merger", 0, [&](Ctx& c) { return merge(c, v, w, merged); });
        rt2.run();
        CHECK(rt2.deadlocked());
        CHECK(rt2.failure() == "deadlock: 2 green threads wait forever: sender waits on z; merger waits on v");  // a select waits on its first channel's name
        CHECK(merged.empty());
    }
}
