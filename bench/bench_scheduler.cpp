// Benchmark: what one scheduling point of the deterministic engine costs,
// next to its floor, a bare C++20 coroutine suspend/resume (the peer, measured
// in the same run). Run: build/native/bench_scheduler
#include <chrono>
#include <cstdio>
#include <vector>

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

// The race scene (two threads, foo += 1) built and run to its end for seeds
// first..first+runs-1; gives the steps taken.
std::uint64_t race_runs(int first, int runs) {
    const auto* scene = such::scenes::find_scene("atomicity/race");
    std::uint64_t steps = 0;
    for (int seed = first; seed < first + runs; ++seed) {
        such::scenes::Settings s;
        s.seed = static_cast<std::uint64_t>(seed);
        auto run = scene->build(s);
        run->sched().run();
        steps += run->sched().steps();
    }
    return steps;
}
}  // namespace

int main() {
    // Untimed first: WebAssembly starts in V8's baseline compiler and moves
    // its hot functions to the optimizing one as it runs (native code has
    // nothing to warm). The figure is the steady state a page reaches after a
    // moment, which is where a student exploring a scene spends the session.
    race_runs(200000, 20000);
    // Five rounds, the engine and the peer taking turns; each figure is the
    // median of its five, so that a second or two of a slowed machine (a
    // bare resume once measured 2.5 ns against its usual 1.5) moves it less.
    const int runs = 200000;
    constexpr int kRounds = 5;
    std::vector<double> engine_round, bare_round;
    std::uint64_t steps = 0;
    for (int round = 0; round < kRounds; ++round) {
        auto start = Clock::now();
        steps = race_runs(0, runs);
        engine_round.push_back(seconds_since(start) * 1e9 / static_cast<double>(steps));
        // Peer: the same number of bare coroutine resumptions.
        volatile long sink = 0;
        Bare b = counter(static_cast<long>(steps), sink);
        start = Clock::now();
        while (!b.h.done()) b.h.resume();
        bare_round.push_back(seconds_since(start) * 1e9 / static_cast<double>(steps));
        b.h.destroy();
    }
    const auto itself = [](double x) { return x; };
    const double engine_ns = such::bench::median(engine_round, itself), bare_ns = such::bench::median(bare_round, itself);
    std::printf("engine: %d race runs, %llu steps, %.1f ns/step (including scene setup and trace; median of %d:", runs,
                static_cast<unsigned long long>(steps), engine_ns, kRounds);
    for (const double x : engine_round) std::printf(" %.1f", x);
    std::printf(")\npeer:   bare coroutine resume, %.1f ns/step (median of %d:", bare_ns, kRounds);
    for (const double x : bare_round) std::printf(" %.2f", x);
    std::printf(")\n");
    std::printf("ratio:  %.0fx the bare resumption\n", engine_ns / bare_ns);
    such::bench::record("scheduler.engine_ns", engine_ns);
    such::bench::record("scheduler.bare_ns", bare_ns);
    return 0;
}
