// Benchmark: the real-thread runtime's increments against plain C++ doing the
// same work, measured in the same run. Each side: T threads x N increments of
// one shared counter, under a mutex, as an atomic fetch-add, and unprotected.
// One more peer row: the mutex loop with its counter on a cache line of its
// own, as the engine's is (the hand-written loop's counter shares the
// mutex's line, so one line changes hands per increment instead of two).
// Run: build/native/bench_real [threads] [millions]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/rates.hpp"
#include "scenes/scene.hpp"

namespace {
using Clock = std::chrono::steady_clock;

struct Result {
    double ms;
    std::int64_t value;
};

// The peer: what a C++ programmer writes by hand (sync 0-2); 3: the mutex
// loop with the counter a line apart from the mutex.
Result plain(int sync, int threads, std::int64_t n) {
    std::mutex m;
    std::atomic<std::int64_t> atomic{0};
    std::atomic<std::int64_t> racy{0};
    std::int64_t locked = 0;
    struct alignas(64) Apart {
        std::int64_t value = 0;
    } apart;
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            while (!go.load()) std::this_thread::yield();
            for (std::int64_t i = 0; i < n; ++i) {
                if (sync == 1) {
                    std::lock_guard lock(m);
                    ++locked;
                } else if (sync == 3) {
                    std::lock_guard lock(m);
                    ++apart.value;
                } else if (sync == 2) {
                    atomic.fetch_add(1);
                } else {
                    racy.store(racy.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                }
            }
        });
    }
    const auto start = Clock::now();
    go.store(true);
    for (auto& th : pool) th.join();
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    return {ms, sync == 1 ? locked : sync == 2 ? atomic.load() : sync == 3 ? apart.value : racy.load()};
}

// The engine: the counter scene's own program on real threads, recording off.
Result engine_run(int sync, int threads, int m) {
    such::scenes::Settings s;
    s.runtime = such::scenes::RuntimeKind::Real;
    s.record = false;
    s.params = {{"sync", sync}, {"threads", threads}, {"m", m}};
    auto run = such::scenes::find_scene("threads/counter")->build(s);
    run->real().run();
    const std::string h = run->outcome().headline;
    return {run->real().seconds() * 1000.0, std::stoll(h.substr(h.find("= ") + 2))};
}
}  // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const int tenths = argc > 2 ? std::atoi(argv[2]) * 10 : 10;  // the scene counts in 100,000s
    if (threads < 2 || threads > 4 || tenths < 10 || tenths > 100) {
        std::fprintf(stderr, "usage: bench_real [threads 2-4] [millions 1-10]\n");
        return 2;
    }
    const std::int64_t n = std::int64_t{tenths} * 100000;
    std::printf("%d threads x %lld increments, best of 5\n", threads, static_cast<long long>(n));
    such::bench::record("real.threads", threads);
    such::bench::record("real.increments", static_cast<double>(n));
    std::printf("%-11s %11s %12s %8s   %s\n", "protection", "engine ms", "plain ms", "ratio", "final values (engine / plain)");
    const char* names[] = {"none", "mutex", "atomic"};
    const auto report = [&](const char* name, const Result& e, const Result& p) {
        std::printf("%-11s %11.2f %12.2f %7.2fx   %lld / %lld of %lld\n", name, e.ms, p.ms, e.ms / p.ms,
                    static_cast<long long>(e.value), static_cast<long long>(p.value), static_cast<long long>(n * threads));
        const std::string key = "real." + std::string(name) + ".";
        such::bench::record(key + "engine_ms", e.ms);
        such::bench::record(key + "plain_ms", p.ms);
        such::bench::record(key + "engine_final", static_cast<double>(e.value));
        such::bench::record(key + "plain_final", static_cast<double>(p.value));
    };
    for (int sync = 0; sync < 3; ++sync) {
        Result best_e{1e18, 0}, best_p{1e18, 0}, best_apart{1e18, 0};
        for (int rep = 0; rep < 5; ++rep) {
            const Result e = engine_run(sync, threads, tenths);
            const Result p = plain(sync, threads, n);
            if (e.ms < best_e.ms) best_e = e;
            if (p.ms < best_p.ms) best_p = p;
            if (sync == 1) {
                const Result a = plain(3, threads, n);
                if (a.ms < best_apart.ms) best_apart = a;
            }
        }
        report(names[sync], best_e, best_p);
        // The same engine runs against the loop whose counter is a line apart, as the engine's is.
        if (sync == 1) report("mutex_apart", best_e, best_apart);
    }
    return 0;
}
