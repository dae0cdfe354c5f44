// Benchmark: what one scheduling point of the deterministic engine costs,
// next to its floor, a bare C++20 coroutine suspend/resume (the peer, measured
// in the same run). Run: build/native/bench_scheduler
#include <chrono>
#include <cstdio>

#include "bench/rates.hpp"
#include "engine/coro.hpp"
#include "scenes/scene.hpp"

namespace {
using Clock = std::chrono::steady_clock;
namespace coro = such::engine::coro;

// The peer: a coroutine that suspends at every "step" and is resumed by a loop.
struct Bare {
    struct promise_type {
        Bare get_return_object() { return Bare{coro::handle<promise_type>::from_promise(*this)}; }
        coro::suspend_always initial_suspend() noexcept { return {}; }
        coro::suspend_always final_suspend() noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() {}
    };
    coro::handle<promise_type> h;
};

Bare counter(long steps, volatile long& sink) {
    for (long i = 0; i < steps; ++i) {
        sink = sink + 1;
        co_await coro::suspend_always{};
    }
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}
}  // namespace

int main() {
    // Engine: the race scene (two threads, foo += 1) built and run to its end, many seeds.
    const auto* scene = such::scenes::find_scene("atomicity/race");
    std::uint64_t steps = 0;
    const int runs = 200000;
    auto start = Clock::now();
    for (int seed = 0; seed < runs; ++seed) {
        such::scenes::Settings s;
        s.seed = static_cast<std::uint64_t>(seed);
        auto run = scene->build(s);
        run->sched().run();
        steps += run->sched().steps();
    }
    const double engine_s = seconds_since(start);

    // Peer: the same number of bare coroutine resumptions.
    volatile long sink = 0;
    Bare b = counter(static_cast<long>(steps), sink);
    start = Clock::now();
    while (!b.h.done()) b.h.resume();
    const double bare_s = seconds_since(start);
    b.h.destroy();

    const double engine_ns = engine_s * 1e9 / static_cast<double>(steps);
    const double bare_ns = bare_s * 1e9 / static_cast<double>(steps);
    std::printf("engine: %d race runs, %llu steps, %.1f ns/step (including scene setup and trace)\n", runs,
                static_cast<unsigned long long>(steps), engine_ns);
    std::printf("peer:   bare coroutine resume, %.1f ns/step\n", bare_ns);
    std::printf("ratio:  %.0fx the bare resumption\n", engine_ns / bare_ns);
    such::bench::record("scheduler.engine_ns", engine_ns);
    such::bench::record("scheduler.bare_ns", bare_ns);
    return 0;
}
