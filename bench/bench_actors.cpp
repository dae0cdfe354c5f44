// Benchmark: actors on real threads, green (M:N on WORKERS worker threads,
// as the actor scenes run) or native (WORKERS = 0: a std::thread each), the
// same programs as bench/erlang/actors.erl:
//   ping-pong: a message to the other actor and back, N times;
//   a ring of 1,000 actors passing a token HOPS hops;
//   100,000 actors spawned, each waiting in receive: spawns per second, and
//   resident bytes per waiting actor (its task, frame and mailbox).
// Prints per-second rates, best of 3.
// Run: build/native/bench_actors [N] [HOPS] [WORKERS=2]   (bench/bench_erlang.sh runs it next to Erlang)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>

#include "bench/rates.hpp"
#include "engine/actor.hpp"

namespace {
using such::engine::Ctx;
using such::engine::Mailbox;
using such::engine::RealOptions;
using such::engine::RealRuntime;
using such::engine::Task;

Task pinger(Ctx& ctx, Mailbox& me, Mailbox& other, long n) {
    for (long i = 0; i < n; ++i) {
        co_await other.send(ctx, "ping", i);
        co_await me.receive(ctx);
    }
    co_await other.send(ctx, "stop");
}

Task ponger(Ctx& ctx, Mailbox& me, Mailbox& other) {
    for (;;) {
        const auto m = co_await me.receive(ctx);
        if (m->tag == "stop") break;
        co_await other.send(ctx, "pong", m->value);
    }
}

// Passes the token on (one hop fewer) until it runs out, then tells the next
// to stop. The first node starts the token with `hops` (0 for the others).
Task ring_node(Ctx& ctx, Mailbox& me, Mailbox& next, long hops) {
    if (hops > 0) co_await next.send(ctx, "token", hops);
    for (;;) {
        const auto m = co_await me.receive(ctx);
        if (m->tag == "stop" || m->value == 0) {
            co_await next.send(ctx, "stop");
            break;
        }
        co_await next.send(ctx, "token", m->value - 1);
    }
}

int workers = 2;

double pingpong(long n) {
    Mailbox a{"ping"}, b{"pong"};
    RealRuntime rt(RealOptions{false, 0, workers});
    rt.add(a);
    rt.add(b);
    rt.spawn("ping", 0, [&](Ctx& c) { return pinger(c, a, b, n); });
    rt.spawn("pong", 0, [&](Ctx& c) { return ponger(c, b, a); });
    rt.run();
    return rt.seconds();
}

double ring(int size, long hops) {
    std::deque<Mailbox> boxes;
    for (int i = 0; i < size; ++i) boxes.emplace_back("<0." + std::to_string(i) + ">");
    RealRuntime rt(RealOptions{false, 0, workers});
    for (auto& b : boxes) rt.add(b);
    const auto at = [&](int i) -> Mailbox& { return boxes[static_cast<std::size_t>(i % size)]; };
    rt.spawn("start", 0, [&](Ctx& c) { return ring_node(c, at(0), at(1), hops); });
    for (int i = 1; i < size; ++i) rt.spawn("node", 0, [&, i](Ctx& c) { return ring_node(c, at(i), at(i + 1), 0); });
    rt.run();
    return rt.seconds();
}

Task waiter(Ctx& ctx, Mailbox& me) { co_await me.receive(ctx); }

struct Spawned {
    double seconds = 0;
    double bytes_per = 0;
};

Task spawner(Ctx& ctx, RealRuntime& rt, std::deque<Mailbox>& boxes, long n, Spawned& out) {
    const such::engine::MemoryMark before;
    const auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < n; ++i) {
        Mailbox& box = boxes.emplace_back("a");
        rt.spawn("actor", 0, [&box](Ctx& c) { return waiter(c, box); });
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.bytes_per = static_cast<double>(before.grown()) / static_cast<double>(n);
    for (auto& box : boxes) co_await box.send(ctx, "stop");
}

Spawned spawn_many(long n) {
    std::deque<Mailbox> boxes;
    Spawned out;
    RealRuntime rt(RealOptions{false, 0, workers});
    rt.spawn("main", 0, [&](Ctx& c) { return spawner(c, rt, boxes, n, out); });
    rt.run();
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    const long n = argc > 1 ? std::atol(argv[1]) : 100000;
    const long hops = argc > 2 ? std::atol(argv[2]) : 100000;
    workers = argc > 3 ? std::atoi(argv[3]) : 2;
    if (n <= 0 || hops <= 0 || workers < 0 || workers > 64) {
        std::fprintf(stderr, "usage: bench_actors [N > 0] [HOPS > 0] [WORKERS 0-64, 0: a native thread per actor]\n");
        return 2;
    }
    such::bench::print_rate("pingpong", static_cast<double>(n), [&] { return pingpong(n); });
    such::bench::print_rate("ring_hops", static_cast<double>(hops), [&] { return ring(1000, hops); });
    const long many = workers > 0 ? 100000 : 10000;  // native threads: 10,000 is plenty
    such::bench::print_rate("spawn", static_cast<double>(many), [&] { return spawn_many(many).seconds; });
    std::printf("bytes_per_actor %.0f\n", spawn_many(many).bytes_per);
    return 0;
}
