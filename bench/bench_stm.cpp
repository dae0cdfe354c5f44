// Benchmark: the bank workload on real threads. Each thread makes N transfers
// between random accounts (seeded, the same sequence for every variant):
//   stm          our TL2 STM, through the engine's real-thread runtime
//   global lock  one std::mutex around every transfer (the peer)
//   ordered      a std::mutex per account, both taken in account order (the peer)
// at 1, 2 and 4 threads, with 1024 accounts (low contention) and 4 (high).
// Reports transfers per second, the STM's abort rate, and STM / peer ratios.
// Run: build/native/bench_stm [transfers per thread, default 200000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/rates.hpp"
#include "engine/real_runtime.hpp"
#include "engine/rng.hpp"
#include "engine/stm.hpp"
#include "scenes/stm_accounts.hpp"

namespace {
using Clock = std::chrono::steady_clock;
using such::engine::Rng;

constexpr long kOpening = 1000;

struct Transfer {
    std::size_t from, to;
    long amount;
};

// The same transfers for every variant: thread t's list depends only on t.
std::vector<Transfer> plan(int thread, int accounts, std::int64_t n) {
    Rng rng(0x5eed + static_cast<std::uint64_t>(thread));
    std::vector<Transfer> out;
    out.reserve(static_cast<std::size_t>(n));
    const auto k = static_cast<std::uint64_t>(accounts);
    for (std::int64_t i = 0; i < n; ++i) {
        const auto from = static_cast<std::size_t>(rng.below(k));
        const auto to = static_cast<std::size_t>((from + 1 + rng.below(k - 1)) % k);
        out.push_back({from, to, static_cast<long>(rng.below(20))});
    }
    return out;
}

struct Result {
    double seconds;
    long total;
    double abort_rate = 0;  // rolled-back attempts per attempt
};

such::engine::Task mover(such::engine::Ctx& ctx, such::engine::Stm& stm, std::deque<such::scenes::Account>& acc, const std::vector<Transfer>& work) {
    for (const Transfer& t : work) {
        such::scenes::Account& a = acc[t.from];
        such::scenes::Account& b = acc[t.to];
        const long amount = t.amount;
        co_await such::engine::atomically(ctx, stm, [&a, &b, amount](such::engine::Tx& tx) -> such::engine::Co<void> {
            const long x = co_await tx.read(a);
            const long y = co_await tx.read(b);
            co_await tx.write(a, x - amount);
            co_await tx.write(b, y + amount);
        });
    }
}

Result run_stm(int threads, int accounts, const std::vector<std::vector<Transfer>>& work) {
    such::engine::Stm stm;
    std::deque<such::scenes::Account> acc;
    such::engine::RealRuntime rt(such::engine::RealOptions{false, 0});
    rt.add(stm);
    for (int i = 0; i < accounts; ++i) rt.add(acc.emplace_back("a" + std::to_string(i), kOpening));
    for (int t = 0; t < threads; ++t) {
        const auto& w = work[static_cast<std::size_t>(t)];
        rt.spawn("T" + std::to_string(t), 0, [&stm, &acc, &w](such::engine::Ctx& c) { return mover(c, stm, acc, w); });
    }
    rt.run();
    if (!rt.error().empty()) std::fprintf(stderr, "stm run failed: %s\n", rt.error().c_str());
    long total = 0;
    for (const auto& a : acc) total += a.value();
    const auto st = stm.stats();
    return {rt.seconds(), total, st.attempts ? static_cast<double>(st.aborts_total()) / static_cast<double>(st.attempts) : 0.0};
}

// The peers: plain threads and std::mutex, what a C++ programmer writes by hand.
Result run_locks(bool global, int threads, int accounts, const std::vector<std::vector<Transfer>>& work) {
    std::vector<long> balance(static_cast<std::size_t>(accounts), kOpening);
    std::deque<std::mutex> locks(static_cast<std::size_t>(accounts));
    std::mutex bank;
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            while (!go.load()) std::this_thread::yield();
            for (const Transfer& x : work[static_cast<std::size_t>(t)]) {
                if (global) {
                    std::lock_guard lock(bank);
                    balance[x.from] -= x.amount;
                    balance[x.to] += x.amount;
                } else {
                    std::mutex& first = locks[std::min(x.from, x.to)];
                    std::mutex& second = locks[std::max(x.from, x.to)];
                    std::lock_guard a(first);
                    std::lock_guard b(second);
                    balance[x.from] -= x.amount;
                    balance[x.to] += x.amount;
                }
            }
        });
    }
    const auto start = Clock::now();
    go.store(true);
    for (auto& th : pool) th.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    long total = 0;
    for (long b : balance) total += b;
    return {seconds, total};
}

double per_second(std::int64_t n, double seconds) { return static_cast<double>(n) / seconds / 1e6; }

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t n = argc > 1 ? std::atoll(argv[1]) : 200000;
    if (n <= 0) {
        std::fprintf(stderr, "usage: bench_stm [transfers per thread > 0]\n");
        return 2;
    }
    std::printf("bank transfers, %lld per thread; millions of transfers per second (best of 3)\n", static_cast<long long>(n));
    std::printf("%-9s %-7s %10s %9s %12s %10s %11s %10s\n", "accounts", "threads", "stm", "aborts", "global lock", "ordered", "stm/global", "stm/order");
    for (int accounts : {1024, 4}) {
        for (int threads : {1, 2, 4}) {
            std::vector<std::vector<Transfer>> work;
            for (int t = 0; t < threads; ++t) work.push_back(plan(t, accounts, n));
            Result best[3] = {{1e9, 0}, {1e9, 0}, {1e9, 0}};
            for (int rep = 0; rep < 3; ++rep) {
                const Result r[3] = {run_stm(threads, accounts, work), run_locks(true, threads, accounts, work), run_locks(false, threads, accounts, work)};
                for (int v = 0; v < 3; ++v) {
                    if (r[v].total != kOpening * accounts) std::fprintf(stderr, "variant %d lost money: %ld\n", v, r[v].total);
                    if (r[v].seconds < best[v].seconds) best[v] = r[v];
                }
            }
            const std::int64_t all = n * threads;
            const double stm = per_second(all, best[0].seconds), g = per_second(all, best[1].seconds), o = per_second(all, best[2].seconds);
            std::printf("%-9d %-7d %10.2f %8.1f%% %12.2f %10.2f %10.2fx %9.2fx\n", accounts, threads, stm, 100 * best[0].abort_rate, g, o, stm / g, stm / o);
            const std::string key = "stm." + std::to_string(accounts) + "." + std::to_string(threads) + ".";
            such::bench::record(key + "stm", stm);
            such::bench::record(key + "aborts", 100 * best[0].abort_rate);
            such::bench::record(key + "global", g);
            such::bench::record(key + "ordered", o);
        }
    }
    return 0;
}
