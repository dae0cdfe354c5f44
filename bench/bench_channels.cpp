// Benchmark: our channels on real threads, the same programs as
// bench/go/channels.go:
//   ping-pong: a value goes to the other task and comes back, N times;
//   a 4-stage pipeline: generate, three stages adding one, a sink.
// Unbuffered and with a buffer of 64. Prints per-second rates, best of 3.
// With no WORKERS (or 0) every task is a native std::thread; with WORKERS = K
// the tasks are green threads on K workers (a step that must wait parks its
// task and frees the worker).
// Run: build/native/bench_channels [N] [WORKERS]   (bench/bench_go.sh runs it next to Go)
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>

#include "bench/rates.hpp"
#include "engine/channel.hpp"

namespace {
using such::engine::Channel;
using such::engine::Ctx;
using such::engine::RealOptions;
using such::engine::RealRuntime;
using such::engine::Received;
using such::engine::Task;

Task echo(Ctx& ctx, Channel<long>& in, Channel<long>& out) {
    for (;;) {
        const Received r = co_await in.recv(ctx);
        if (!r.ok) break;
        co_await out.send(ctx, r.value + 1);
    }
    co_await out.close(ctx);
}

Task ping(Ctx& ctx, Channel<long>& out, Channel<long>& in, long n) {
    for (long i = 0; i < n; ++i) {
        co_await out.send(ctx, i);
        co_await in.recv(ctx);
    }
    co_await out.close(ctx);
}

Task generate(Ctx& ctx, Channel<long>& out, long n) {
    for (long i = 0; i < n; ++i) co_await out.send(ctx, i);
    co_await out.close(ctx);
}

Task sink(Ctx& ctx, Channel<long>& in, long& sum) {
    for (;;) {
        const Received r = co_await in.recv(ctx);
        if (!r.ok) break;
        sum += r.value;
    }
}

int workers = 0;

double pingpong(long n, int capacity) {
    Channel<long> a{"ping", capacity}, b{"pong", capacity};
    RealRuntime rt(RealOptions{false, 0, workers});
    rt.add(a);
    rt.add(b);
    rt.spawn("ping", 0, [&](Ctx& c) { return ping(c, a, b, n); });
    rt.spawn("pong", 0, [&](Ctx& c) { return echo(c, a, b); });
    rt.run();
    if (!rt.error().empty()) std::fprintf(stderr, "%s\n", rt.error().c_str());
    return rt.seconds();
}

double pipeline(long n, int capacity) {
    std::deque<Channel<long>> chans;
    for (int i = 0; i < 4; ++i) chans.emplace_back("c" + std::to_string(i), capacity);
    RealRuntime rt(RealOptions{false, 0, workers});
    for (auto& c : chans) rt.add(c);
    long sum = 0;
    rt.spawn("generate", 0, [&](Ctx& c) { return generate(c, chans[0], n); });
    for (int s = 0; s < 3; ++s) rt.spawn("stage", 0, [&, s](Ctx& c) { return echo(c, chans[static_cast<std::size_t>(s)], chans[static_cast<std::size_t>(s) + 1]); });
    rt.spawn("sink", 0, [&](Ctx& c) { return sink(c, chans[3], sum); });
    rt.run();
    if (!rt.error().empty()) std::fprintf(stderr, "%s\n", rt.error().c_str());
    if (sum != n * (n - 1) / 2 + 3 * n) std::fprintf(stderr, "pipeline lost values\n");
    return rt.seconds();
}


}  // namespace

int main(int argc, char** argv) {
    const long n = argc > 1 ? std::atol(argv[1]) : 200000;
    workers = argc > 2 ? std::atoi(argv[2]) : 0;
    if (n <= 0 || workers < 0 || argc > 3) {
        std::fprintf(stderr, "usage: bench_channels [N > 0] [WORKERS >= 0 (0: a native thread per task)]\n");
        return 2;
    }
    such::bench::print_rate("pingpong_unbuffered", static_cast<double>(n), [&] { return pingpong(n, 0); });
    such::bench::print_rate("pingpong_buffered", static_cast<double>(n), [&] { return pingpong(n, 64); });
    such::bench::print_rate("pipeline_unbuffered", static_cast<double>(n), [&] { return pipeline(n, 0); });
    such::bench::print_rate("pipeline_buffered", static_cast<double>(n), [&] { return pipeline(n, 64); });
    return 0;
}
