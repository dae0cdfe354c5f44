// Benchmark: the bank workload on real threads. Each thread makes N transfers
// between random accounts (seeded, the same sequence for every variant):
//   stm          our TL2 STM, through the engine's real-thread runtime
//   tl2 hand     TL2 written by hand for the transfer alone, no engine (a peer:
//                what the algorithm costs; stm/hand is our share of the gap)
//   global lock  one std::mutex around every transfer (the peer)
//   ordered      a std::mutex per account, both taken in account order (the peer)
// at 1, 2 and 4 threads, with 1024 accounts (low contention) and 4 (high).
// Reports transfers per second, the STM's abort rate, and STM / peer ratios.
// Each figure is the median of five runs, the variants taking turns. Not the
// best: a peer's 200,000 locked transfers a thread take some 25 ms, and in a
// run where the machine held one of the two threads off its core for a while
// they hardly overlap (44 M/s against 14 in the runs around it, where two
// threads really contend); the best of three kept such a run.
//
// Then a read-mostly workload, where TL2's invisible reads should pay: 1024
// accounts, each thread making N operations (seeded, the same for both
// variants), each with probability 9/10 a balance check -- it reads four
// random accounts' balances and adds them up, a read-only transaction -- and
// otherwise a transfer as above. The STM runs the check as a transaction
// that only reads (no lock, no clock increment, nothing written: TL2 checks
// each read against its start version); the peer does exactly the same work
// under one global std::mutex. Reports operations per second, the ratio,
// and the STM's abort rate, at 1, 2 and 4 threads.
// Run: build/native/bench_stm [operations per thread, default 200000]
#include <algorithm>
#include <atomic>
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

// The read-mostly workload's operations: a check reads accounts a, b, c, d;
// a transfer moves `amount` from a to b.
struct Op {
    std::uint32_t a, b, c, d;
    long amount;
    bool check;
};

std::vector<Op> plan_reads(int thread, int accounts, std::int64_t n) {
    Rng rng(0x7ead + static_cast<std::uint64_t>(thread));
    std::vector<Op> out;
    out.reserve(static_cast<std::size_t>(n));
    const auto k = static_cast<std::uint64_t>(accounts);
    for (std::int64_t i = 0; i < n; ++i) {
        Op op{};
        op.check = rng.below(10) != 0;
        op.a = static_cast<std::uint32_t>(rng.below(k));
        if (op.check) {
            op.b = static_cast<std::uint32_t>(rng.below(k));
            op.c = static_cast<std::uint32_t>(rng.below(k));
            op.d = static_cast<std::uint32_t>(rng.below(k));
        } else {
            op.b = static_cast<std::uint32_t>((op.a + 1 + rng.below(k - 1)) % k);
            op.amount = static_cast<long>(rng.below(20));
        }
        out.push_back(op);
    }
    return out;
}

struct Result {
    double seconds;
    long total;
    double abort_rate = 0;  // rolled-back attempts per attempt
    long seen = 0;          // the read-mostly workload: the checks' sums, added up
};

// A transfer and a check as the engine runs them: `direct`, a plain-function
// body (atomically_direct: each read a call); otherwise a coroutine body
// (atomically: each read a step object awaited, as the scenes write theirs).
void transfer_direct(such::engine::Ctx& ctx, such::engine::Stm& stm, such::scenes::Account& a, such::scenes::Account& b, long amount) {
    such::engine::atomically_direct(ctx, stm, [&a, &b, amount](such::engine::Tx& tx) {
        const long x = tx.read_now(a);
        const long y = tx.read_now(b);
        tx.write_now(a, x - amount);
        tx.write_now(b, y + amount);
    });
}

such::engine::Co<void> transfer_steps(such::engine::Ctx& ctx, such::engine::Stm& stm, such::scenes::Account& a, such::scenes::Account& b, long amount) {
    co_await such::engine::atomically(ctx, stm, [&a, &b, amount](such::engine::Tx& tx) -> such::engine::Co<void> {
        const long x = co_await tx.read(a);
        const long y = co_await tx.read(b);
        co_await tx.write(a, x - amount);
        co_await tx.write(b, y + amount);
    });
}

such::engine::Task mover(such::engine::Ctx& ctx, such::engine::Stm& stm, const std::vector<such::scenes::Account*>& acc, const std::vector<Transfer>& work, bool direct) {
    for (const Transfer& t : work) {
        if (direct) {
            transfer_direct(ctx, stm, *acc[t.from], *acc[t.to], t.amount);
        } else {
            co_await transfer_steps(ctx, stm, *acc[t.from], *acc[t.to], t.amount);
        }
    }
}

such::engine::Task checker(such::engine::Ctx& ctx, such::engine::Stm& stm, const std::vector<such::scenes::Account*>& acc, const std::vector<Op>& work, long& seen, bool direct) {
    long sum = 0;
    for (const Op& op : work) {
        such::scenes::Account& a = *acc[op.a];
        such::scenes::Account& b = *acc[op.b];
        if (!op.check) {
            if (direct) {
                transfer_direct(ctx, stm, a, b, op.amount);
            } else {
                co_await transfer_steps(ctx, stm, a, b, op.amount);
            }
            continue;
        }
        such::scenes::Account& c = *acc[op.c];
        such::scenes::Account& d = *acc[op.d];
        if (direct) {
            sum += such::engine::atomically_direct(ctx, stm, [&a, &b, &c, &d](such::engine::Tx& tx) {
                return tx.read_now(a) + tx.read_now(b) + tx.read_now(c) + tx.read_now(d);
            });
        } else {
            sum += co_await such::engine::atomically(ctx, stm, [&a, &b, &c, &d](such::engine::Tx& tx) -> such::engine::Co<long> {
                const long w = co_await tx.read(a);
                const long x = co_await tx.read(b);
                const long y = co_await tx.read(c);
                const long z = co_await tx.read(d);
                co_return w + x + y + z;
            });
        }
    }
    seen = sum;
}

Result run_stm_reads(int threads, int accounts, const std::vector<std::vector<Op>>& work, bool direct) {
    such::engine::Stm stm;
    std::deque<such::scenes::Account> acc;
    such::engine::RealRuntime rt(such::engine::RealOptions{false, 0});
    rt.add(stm);
    std::vector<such::scenes::Account*> index;  // the accounts live in a deque (a TVar cannot move); reach them as the peers do theirs
    for (int i = 0; i < accounts; ++i) index.push_back(&acc.emplace_back("a" + std::to_string(i), kOpening));
    for (auto* a : index) rt.add(*a);
    std::vector<long> seen(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) {
        const auto& w = work[static_cast<std::size_t>(t)];
        long& s = seen[static_cast<std::size_t>(t)];
        rt.spawn("T" + std::to_string(t), 0, [&stm, &index, &w, &s, direct](such::engine::Ctx& c) { return checker(c, stm, index, w, s, direct); });
    }
    rt.run();
    if (!rt.error().empty()) std::fprintf(stderr, "stm run failed: %s\n", rt.error().c_str());
    long total = 0;
    for (const auto& a : acc) total += a.value();
    const auto st = stm.stats();
    Result r{rt.seconds(), total, st.attempts ? static_cast<double>(st.aborts_total()) / static_cast<double>(st.attempts) : 0.0};
    for (long s : seen) r.seen += s;
    return r;
}

// The peer of the read-mostly workload: the same operations under one std::mutex.
Result run_global_reads(int threads, int accounts, const std::vector<std::vector<Op>>& work) {
    std::vector<long> balance(static_cast<std::size_t>(accounts), kOpening);
    std::vector<long> seen(static_cast<std::size_t>(threads));
    std::mutex bank;
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            while (!go.load()) std::this_thread::yield();
            long sum = 0;
            for (const Op& op : work[static_cast<std::size_t>(t)]) {
                std::lock_guard lock(bank);
                if (op.check) {
                    sum += balance[op.a] + balance[op.b] + balance[op.c] + balance[op.d];
                } else {
                    balance[op.a] -= op.amount;
                    balance[op.b] += op.amount;
                }
            }
            seen[static_cast<std::size_t>(t)] = sum;
        });
    }
    const auto start = Clock::now();
    go.store(true);
    for (auto& th : pool) th.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    Result r{seconds, 0};
    for (long b : balance) r.total += b;
    for (long s : seen) r.seen += s;
    return r;
}

Result run_stm(int threads, int accounts, const std::vector<std::vector<Transfer>>& work, bool direct) {
    such::engine::Stm stm;
    std::deque<such::scenes::Account> acc;
    such::engine::RealRuntime rt(such::engine::RealOptions{false, 0});
    rt.add(stm);
    std::vector<such::scenes::Account*> index;  // the accounts live in a deque (a TVar cannot move); reach them as the peers do theirs
    for (int i = 0; i < accounts; ++i) index.push_back(&acc.emplace_back("a" + std::to_string(i), kOpening));
    for (auto* a : index) rt.add(*a);
    for (int t = 0; t < threads; ++t) {
        const auto& w = work[static_cast<std::size_t>(t)];
        rt.spawn("T" + std::to_string(t), 0, [&stm, &index, &w, direct](such::engine::Ctx& c) { return mover(c, stm, index, w, direct); });
    }
    rt.run();
    if (!rt.error().empty()) std::fprintf(stderr, "stm run failed: %s\n", rt.error().c_str());
    long total = 0;
    for (const auto& a : acc) total += a.value();
    const auto st = stm.stats();
    return {rt.seconds(), total, st.attempts ? static_cast<double>(st.aborts_total()) / static_cast<double>(st.attempts) : 0.0};
}

// The second peer: TL2 written by hand for this one transaction, with no
// engine around it -- what the algorithm itself costs on this machine, so
// that the gap between our STM and a lock splits into the model's share and
// ours. The same design as engine/stm.hpp: one global version clock on a
// cache line of its own; per account a lock word (the clock value of its
// last commit, shifted left, and a lock bit) and its balance, on a line of
// its own. A transfer reads the clock (its start version), reads both
// accounts (the lock word before and after the balance: unlocked, unchanged
// and no newer than the start version, or the attempt aborts), locks both in
// address order by a compare-and-swap that expects the word its read saw (so
// it fails, and the attempt aborts, if anyone committed to the account since:
// that is the read's validation), takes its commit version from the clock,
// stores both balances and unlocks each with the new version. After an abort
// it does what ours does: waits for a busy lock to be free, then spins a
// random while, under 128 pauses doubling per abort in a row up to 8192.
struct alignas(64) HandAccount {
    std::atomic<std::uint64_t> lock{0};
    std::atomic<long> balance{kOpening};
};
struct alignas(64) HandClock {
    std::atomic<std::uint64_t> now{0};
};

inline void pause_core() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

struct HandTl2 {
    HandClock clock;
    std::deque<HandAccount> accounts;  // a deque: the accounts do not move, each on its own line
    std::atomic<std::uint64_t> attempts{0}, aborts{0};

    // One attempt's read: false if the account is locked, changing or newer than rv.
    static bool read(const HandAccount& a, std::uint64_t rv, std::uint64_t& word, long& value) {
        word = a.lock.load(std::memory_order_acquire);
        value = a.balance.load(std::memory_order_acquire);
        return !(word & 1) && word == a.lock.load(std::memory_order_acquire) && (word >> 1) <= rv;
    }

    void transfer(std::size_t from, std::size_t to, long amount, std::uint64_t& seed, std::uint64_t& attempts_here, std::uint64_t& aborts_here) {
        HandAccount& a = accounts[from];
        HandAccount& b = accounts[to];
        for (int attempt = 1;; ++attempt) {
            ++attempts_here;
            const std::uint64_t rv = clock.now.load(std::memory_order_acquire);
            std::uint64_t wa = 0, wb = 0;
            long x = 0, y = 0;
            HandAccount* busy = nullptr;
            if (read(a, rv, wa, x) && read(b, rv, wb, y)) {
                HandAccount& first = from < to ? a : b;
                HandAccount& second = from < to ? b : a;
                std::uint64_t w1 = from < to ? wa : wb, w2 = from < to ? wb : wa;
                if (first.lock.compare_exchange_strong(w1, w1 | 1, std::memory_order_seq_cst, std::memory_order_relaxed)) {
                    if (second.lock.compare_exchange_strong(w2, w2 | 1, std::memory_order_seq_cst, std::memory_order_relaxed)) {
                        const std::uint64_t wv = clock.now.fetch_add(1, std::memory_order_acq_rel) + 1;
                        a.balance.store(x - amount, std::memory_order_release);
                        b.balance.store(y + amount, std::memory_order_release);
                        a.lock.store(wv << 1, std::memory_order_release);
                        b.lock.store(wv << 1, std::memory_order_release);
                        return;
                    }
                    first.lock.store(w1 & ~std::uint64_t{1}, std::memory_order_release);  // give the first back as it was
                    busy = (w2 & 1) ? &second : nullptr;
                } else {
                    busy = (w1 & 1) ? &first : nullptr;
                }
            } else {
                busy = (a.lock.load(std::memory_order_relaxed) & 1) ? &a : (b.lock.load(std::memory_order_relaxed) & 1) ? &b : nullptr;
            }
            ++aborts_here;
            if (busy) {
                for (int spins = 0; busy->lock.load(std::memory_order_relaxed) & 1; ++spins) {
                    if (spins < 1000) {
                        pause_core();
                    } else {
                        std::this_thread::yield();
                    }
                }
            }
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            const int doubling = attempt < 6 ? attempt : 6;
            const std::uint64_t spins = seed % (std::uint64_t{128} << doubling);
            for (std::uint64_t i = 0; i < spins; ++i) pause_core();
        }
    }
};

Result run_hand_tl2(int threads, int accounts, const std::vector<std::vector<Transfer>>& work) {
    HandTl2 bank;
    for (int i = 0; i < accounts; ++i) bank.accounts.emplace_back();
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            while (!go.load()) std::this_thread::yield();
            std::uint64_t seed = 0x9e3779b97f4a7c15ull + static_cast<std::uint64_t>(t), attempts = 0, aborts = 0;
            for (const Transfer& x : work[static_cast<std::size_t>(t)]) bank.transfer(x.from, x.to, x.amount, seed, attempts, aborts);
            bank.attempts += attempts;
            bank.aborts += aborts;
        });
    }
    const auto start = Clock::now();
    go.store(true);
    for (auto& th : pool) th.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    long total = 0;
    for (const HandAccount& a : bank.accounts) total += a.balance.load();
    return {seconds, total, bank.attempts ? static_cast<double>(bank.aborts) / static_cast<double>(bank.attempts) : 0.0};
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

constexpr int kRuns = 5;

// The run of median time.
Result median(std::vector<Result> runs) {
    std::sort(runs.begin(), runs.end(), [](const Result& a, const Result& b) { return a.seconds < b.seconds; });
    return runs[runs.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t n = argc > 1 ? std::atoll(argv[1]) : 200000;
    if (n <= 0) {
        std::fprintf(stderr, "usage: bench_stm [transfers per thread > 0]\n");
        return 2;
    }
    std::printf("bank transfers, %lld per thread; millions of transfers per second (median of %d)\n", static_cast<long long>(n), kRuns);
    std::printf("%-9s %-7s %10s %9s %8s %10s %9s %12s %10s %11s %10s %10s %12s\n", "accounts", "threads", "stm", "aborts", "steps", "tl2 hand", "aborts",
                "global lock", "ordered", "stm/global", "stm/order", "stm/hand", "hand/global");
    for (int accounts : {1024, 4}) {
        for (int threads : {1, 2, 4}) {
            std::vector<std::vector<Transfer>> work;
            for (int t = 0; t < threads; ++t) work.push_back(plan(t, accounts, n));
            constexpr int kVariants = 5;
            std::vector<Result> runs[kVariants];
            for (int rep = 0; rep < kRuns; ++rep) {
                const Result r[kVariants] = {run_stm(threads, accounts, work, true), run_locks(true, threads, accounts, work),
                                             run_locks(false, threads, accounts, work), run_hand_tl2(threads, accounts, work),
                                             run_stm(threads, accounts, work, false)};
                for (int v = 0; v < kVariants; ++v) {
                    if (r[v].total != kOpening * accounts) std::fprintf(stderr, "variant %d lost money: %ld\n", v, r[v].total);
                    runs[v].push_back(r[v]);
                }
            }
            const Result med[kVariants] = {median(runs[0]), median(runs[1]), median(runs[2]), median(runs[3]), median(runs[4])};
            const std::int64_t all = n * threads;
            const double stm = per_second(all, med[0].seconds), g = per_second(all, med[1].seconds), o = per_second(all, med[2].seconds),
                         h = per_second(all, med[3].seconds), steps = per_second(all, med[4].seconds);
            std::printf("%-9d %-7d %10.2f %8.1f%% %8.2f %10.2f %8.1f%% %12.2f %10.2f %10.2fx %9.2fx %9.2fx %11.2fx\n", accounts, threads, stm,
                        100 * med[0].abort_rate, steps, h, 100 * med[3].abort_rate, g, o, stm / g, stm / o, stm / h, h / g);
            const std::string key = "stm." + std::to_string(accounts) + "." + std::to_string(threads) + ".";
            such::bench::record(key + "stm", stm);
            such::bench::record(key + "aborts", 100 * med[0].abort_rate);
            such::bench::record(key + "global", g);
            such::bench::record(key + "ordered", o);
            such::bench::record(key + "hand", h);
            such::bench::record(key + "hand_aborts", 100 * med[3].abort_rate);
            such::bench::record(key + "steps", steps);
        }
    }

    std::printf("\nread-mostly: 1024 accounts, %lld operations per thread, 9 in 10 a check of four balances (a read-only\n"
                "transaction), 1 in 10 a transfer; millions of operations per second (median of %d)\n",
                static_cast<long long>(n), kRuns);
    std::printf("%-9s %10s %9s %8s %12s %11s %12s\n", "threads", "stm", "aborts", "steps", "global lock", "stm/global", "steps/global");
    constexpr int kReadAccounts = 1024;
    for (int threads : {1, 2, 4}) {
        std::vector<std::vector<Op>> work;
        for (int t = 0; t < threads; ++t) work.push_back(plan_reads(t, kReadAccounts, n));
        std::vector<Result> runs[3];
        for (int rep = 0; rep < kRuns; ++rep) {
            const Result r[3] = {run_stm_reads(threads, kReadAccounts, work, true), run_global_reads(threads, kReadAccounts, work),
                                 run_stm_reads(threads, kReadAccounts, work, false)};
            for (int v = 0; v < 3; ++v) {
                if (r[v].total != kOpening * kReadAccounts) std::fprintf(stderr, "read-mostly variant %d lost money: %ld\n", v, r[v].total);
                runs[v].push_back(r[v]);
            }
        }
        const Result med[3] = {median(runs[0]), median(runs[1]), median(runs[2])};
        const std::int64_t all = n * threads;
        const double stm = per_second(all, med[0].seconds), g = per_second(all, med[1].seconds), steps = per_second(all, med[2].seconds);
        std::printf("%-9d %10.2f %8.1f%% %8.2f %12.2f %10.2fx %11.2fx\n", threads, stm, 100 * med[0].abort_rate, steps, g, stm / g, steps / g);
        const std::string key = "stm.read." + std::to_string(threads) + ".";
        such::bench::record(key + "stm", stm);
        such::bench::record(key + "aborts", 100 * med[0].abort_rate);
        such::bench::record(key + "global", g);
        such::bench::record(key + "steps", steps);
    }
    return 0;
}
