// Benchmark: one fiber hand-off (resume or yield), as the coroutines/fibers
// scene runs it on real threads: green (both sides are tasks on 1 or 2
// worker threads; the side that hands over parks, the other is queued) and
// native (each side a std::thread; the hand-off is a mutex and a condition
// variable). The peer is the same ping-pong of control written by hand with
// two std::threads, a std::mutex and a std::condition_variable: what a C++
// programmer gets without a runtime. Prints hand-offs per second, best of 3.
// Run: build/native/bench_fibers [N]
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "bench/rates.hpp"
#include "engine/fiber.hpp"

namespace {
using such::engine::Ctx;
using such::engine::Fiber;
using such::engine::RealOptions;
using such::engine::RealRuntime;
using such::engine::Task;

Task caller(Ctx& ctx, Fiber& f, long n) {
    std::int64_t x = 0;
    for (long i = 0; i < n; ++i) x = *co_await f.resume(ctx, x);
    co_await f.resume(ctx, x);
}

Task body(Ctx& ctx, Fiber& f, long n) {
    std::int64_t x = *co_await f.start(ctx);
    for (long i = 0; i < n; ++i) x = *co_await f.yield(ctx, x + 1);
    co_await f.finish(ctx);
}

// 2n + 2 hand-offs.
double engine_fiber(long n, int workers) {
    Fiber f{"f"};
    RealRuntime rt(RealOptions{false, 0, workers});
    rt.add(f);
    rt.spawn("caller", 0, [&](Ctx& c) { return caller(c, f, n); });
    rt.spawn("fiber", 0, [&](Ctx& c) { return body(c, f, n); });
    rt.run();
    return rt.seconds();
}

// The peer: two threads take turns, 2n hand-offs.
double plain_threads(long n) {
    std::mutex mu;
    std::condition_variable cv;
    bool fiber_turn = false;
    const auto start = std::chrono::steady_clock::now();
    std::thread other([&] {
        for (long i = 0; i < n; ++i) {
            std::unique_lock lock(mu);
            cv.wait(lock, [&] { return fiber_turn; });
            fiber_turn = false;
            cv.notify_one();
        }
    });
    for (long i = 0; i < n; ++i) {
        std::unique_lock lock(mu);
        fiber_turn = true;
        cv.notify_one();
        cv.wait(lock, [&] { return !fiber_turn; });
    }
    other.join();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const long n = argc > 1 ? std::atol(argv[1]) : 200000;
    if (n <= 0) {
        std::fprintf(stderr, "usage: bench_fibers [N > 0]\n");
        return 2;
    }
    const double hand_offs = static_cast<double>(2 * n);
    such::bench::print_rate("green_1_worker", hand_offs, [&] { return engine_fiber(n, 1); });
    such::bench::print_rate("green_2_workers", hand_offs, [&] { return engine_fiber(n, 2); });
    such::bench::print_rate("native_threads", hand_offs, [&] { return engine_fiber(n, 0); });
    such::bench::print_rate("peer_std_thread_cv", hand_offs, [&] { return plain_threads(n); });
    return 0;
}
