// Benchmark: the event loop on real threads. N timers with due times spread
// over 0-9 ms, each firing once (the same program as bench/libuv/timers.c):
// timers set and fired per second. The loop runs every callback as a step of
// its task, with the microtask drain after each, as the scenes do.
// Prints "timers <per second>", best of 3.
// Run: build/native/bench_loop [N]   (bench/bench_libuv.sh runs it next to libuv)
#include <cstdio>
#include <cstdlib>

#include "bench/rates.hpp"
#include "engine/event_loop.hpp"

namespace {
using namespace such::engine;

Task loop_task(Ctx& ctx, EventLoop& loop, Callback main) { co_await loop.run(ctx, "main", std::move(main)); }

double timers(long n) {
    EventLoop loop{"loop"};
    long fired = 0;
    RealRuntime rt(RealOptions{false, 0, 0});
    rt.add(loop);
    rt.spawn("loop", 0, [&](Ctx& c) {
        return loop_task(c, loop, [n, &fired](EventLoop& l) {
            for (long i = 0; i < n; ++i) l.set_timeout("t", static_cast<std::uint64_t>(i % 10), [&fired](EventLoop&) { ++fired; });
        });
    });
    rt.run();
    if (fired != n) {
        std::fprintf(stderr, "fired %ld of %ld\n", fired, n);
        std::exit(1);
    }
    return rt.seconds();
}
}  // namespace

int main(int argc, char** argv) {
    const long n = argc > 1 ? std::atol(argv[1]) : 200000;
    if (n <= 0) {
        std::fprintf(stderr, "usage: bench_loop [N > 0]\n");
        return 2;
    }
    such::bench::print_rate("timers", static_cast<double>(n), [&] { return timers(n); });
    return 0;
}
