// The STM on real threads: transfers between accounts from 4 threads keep
// the total, run after run; read-only transactions see a consistent snapshot
// while others commit, and an attempt dropped at a doomed read leaves nothing
// behind; retry really sleeps until a commit. The same for transactions
// whose body is a plain function (atomically_direct), which also reads its
// own writes and refuses to run on the simulator.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <thread>
#include <vector>

#include "engine/rng.hpp"
#include "engine/stm.hpp"
#include "scenes/scene.hpp"

using namespace such::engine;

namespace {
constexpr int kAccounts = 4;
constexpr int kStart = 1000;

Co<void> transfer(Tx& tx, TVar<long>& from, TVar<long>& to, long amount) {
    const long a = co_await tx.read(from);
    const long b = co_await tx.read(to);
    co_await tx.write(from, a - amount);
    co_await tx.write(to, b + amount);
}

Task mover(Ctx& ctx, Stm& stm, std::array<TVar<long>, kAccounts>& acc, std::uint64_t seed, int moves) {
    Rng rng(seed);
    for (int i = 0; i < moves; ++i) {
        const auto from = rng.below(kAccounts);
        const auto to = (from + 1 + rng.below(kAccounts - 1)) % kAccounts;
        const auto amount = static_cast<long>(rng.below(50));
        co_await atomically(ctx, stm, [&](Tx& tx) { return transfer(tx, acc[from], acc[to], amount); });
    }
}
}  // namespace

TEST_CASE("on real threads transfers between accounts conserve the total, run after run") {
    for (int run = 0; run < 20; ++run) {
        Stm stm;
        std::array<TVar<long>, kAccounts> acc{TVar<long>{"a0", kStart}, TVar<long>{"a1", kStart}, TVar<long>{"a2", kStart},
                                              TVar<long>{"a3", kStart}};
        RealRuntime rt(RealOptions{false, 0});
        rt.add(stm);
        for (auto& a : acc) rt.add(a);
        for (int t = 0; t < 4; ++t) {
            rt.spawn("T" + std::to_string(t + 1), 0, [&, t](Ctx& c) { return mover(c, stm, acc, 97 * static_cast<std::uint64_t>(run) + static_cast<std::uint64_t>(t), 2000); });
        }
        rt.run();
        REQUIRE(rt.error().empty());
        long total = 0;
        for (auto& a : acc) total += a.value();
        CHECK(total == kAccounts * kStart);
        const StmStats st = stm.stats();
        CHECK(st.commits == 4 * 2000);
        CHECK(st.attempts == st.commits + st.aborts_total());
    }
}

namespace {
constexpr int kSnapshotAccounts = 8;
using Bank = std::array<TVar<long>, kSnapshotAccounts>;

// Counts the frames of attempts alive: each body holds one while it runs.
struct Alive {
    std::atomic<int>& n;
    explicit Alive(std::atomic<int>& count) : n(count) { n.fetch_add(1); }
    ~Alive() { n.fetch_sub(1); }
};

Co<long> balance_of(Tx& tx, TVar<long>& account, std::atomic<int>& alive) {
    const Alive here(alive);
    co_return co_await tx.read(account);
}

// Sums every account in one read-only transaction, a nested Co per read.
Co<long> sum_all(Tx& tx, Bank& acc, std::atomic<int>& alive) {
    const Alive here(alive);
    long sum = 0;
    for (auto& a : acc) sum += co_await balance_of(tx, a, alive);
    co_return sum;
}

void transfer_now(Tx& tx, TVar<long>& from, TVar<long>& to, long amount) {
    const long a = tx.read_now(from);
    const long b = tx.read_now(to);
    tx.write_now(from, a - amount);
    tx.write_now(to, b + amount);
}

// `direct`: the bodies are plain functions (atomically_direct), else coroutines (atomically).
Task auditor(Ctx& ctx, Stm& stm, Bank& acc, int audits, std::atomic<int>& alive, std::vector<long>& seen, bool direct) {
    for (int i = 0; i < audits; ++i) {
        if (!direct) {
            seen.push_back(co_await atomically(ctx, stm, [&](Tx& tx) { return sum_all(tx, acc, alive); }));
            continue;
        }
        seen.push_back(atomically_direct(ctx, stm, [&](Tx& tx) {
            long sum = 0;
            for (auto& a : acc) sum += tx.read_now(a);
            return sum;
        }));
    }
}

Task shuffler(Ctx& ctx, Stm& stm, Bank& acc, std::uint64_t seed, int moves, bool direct) {
    Rng rng(seed);
    for (int i = 0; i < moves; ++i) {
        const auto from = rng.below(kSnapshotAccounts);
        const auto to = (from + 1 + rng.below(kSnapshotAccounts - 1)) % kSnapshotAccounts;
        const auto amount = static_cast<long>(rng.below(50));
        if (direct) {
            atomically_direct(ctx, stm, [&](Tx& tx) { transfer_now(tx, acc[from], acc[to], amount); });
        } else {
            co_await atomically(ctx, stm, [&](Tx& tx) { return transfer(tx, acc[from], acc[to], amount); });
        }
    }
}
}  // namespace

TEST_CASE("on real threads a read-only transaction sees a consistent snapshot while others commit, and a doomed attempt's frames are destroyed") {
    // Both ways of writing a body: a coroutine (atomically: a doomed read
    // drops its frames) and a plain function (atomically_direct: it throws).
    for (const bool direct : {false, true}) {
        CAPTURE(direct);
        for (int run = 0; run < 5; ++run) {
            Stm stm;
            Bank acc{TVar<long>{"a0", kStart}, TVar<long>{"a1", kStart}, TVar<long>{"a2", kStart}, TVar<long>{"a3", kStart},
                     TVar<long>{"a4", kStart}, TVar<long>{"a5", kStart}, TVar<long>{"a6", kStart}, TVar<long>{"a7", kStart}};
            RealRuntime rt(RealOptions{false, 0});
            rt.add(stm);
            for (auto& a : acc) rt.add(a);
            std::atomic<int> alive{0};
            std::vector<long> seen[2];
            const int kAudits = 20000, kMoves = 20000;
            for (int t = 0; t < 2; ++t) {
                const std::uint64_t seed = 31 * static_cast<std::uint64_t>(run) + static_cast<std::uint64_t>(t);
                rt.spawn("mover" + std::to_string(t), 0, [&, seed](Ctx& c) { return shuffler(c, stm, acc, seed, kMoves, direct); });
                rt.spawn("auditor" + std::to_string(t), 0, [&, t](Ctx& c) { return auditor(c, stm, acc, kAudits, alive, seen[t], direct); });
            }
            rt.run();
            REQUIRE(rt.error().empty());
            long total = 0;
            for (auto& a : acc) total += a.value();
            CHECK(total == kSnapshotAccounts * kStart);  // eight accounts opened with 1,000 each
            for (const auto& sums : seen) {
                REQUIRE(sums.size() == static_cast<std::size_t>(kAudits));
                const auto torn = std::count_if(sums.begin(), sums.end(), [](long s) { return s != kSnapshotAccounts * kStart; });
                CHECK(torn == 0);
            }
            CHECK(alive.load() == 0);  // every attempt's frames, doomed or committed, were destroyed
            const StmStats st = stm.stats();
            CHECK(st.commits == 2 * (kAudits + kMoves));
            CHECK(st.attempts == st.commits + st.aborts_total());
            MESSAGE((direct ? "plain bodies" : "coroutine bodies") << ", run " << run << ": " << st.aborts_total() << " attempts of " << st.attempts << " rolled back");
        }
    }
}

namespace {
// Reads x, then (on its first attempt only) lets the writer commit y before
// it reads y: that read, in a Co the body awaits, finds y newer than the
// attempt's start and dooms it.
Co<long> read_both(Tx& tx, TVar<long>& x, TVar<long>& y, std::atomic<int>& stage, std::atomic<int>& alive, int& attempts) {
    const Alive here(alive);
    ++attempts;
    const long a = co_await tx.read(x);
    if (attempts == 1) {
        stage.store(1);
        while (stage.load() != 2) std::this_thread::yield();
    }
    const long b = co_await balance_of(tx, y, alive);  // dooms the attempt inside a nested Co
    co_return a + b;
}
// The same as a plain function: the doomed read throws.
long read_both_now(Tx& tx, TVar<long>& x, TVar<long>& y, std::atomic<int>& stage, int& attempts) {
    ++attempts;
    const long a = tx.read_now(x);
    if (attempts == 1) {
        stage.store(1);
        while (stage.load() != 2) std::this_thread::yield();
    }
    return a + tx.read_now(y);
}
Task reader(Ctx& ctx, Stm& stm, TVar<long>& x, TVar<long>& y, std::atomic<int>& stage, std::atomic<int>& alive, int& attempts, long& seen, bool direct) {
    if (direct) {
        seen = atomically_direct(ctx, stm, [&](Tx& tx) { return read_both_now(tx, x, y, stage, attempts); });
    } else {
        seen = co_await atomically(ctx, stm, [&](Tx& tx) { return read_both(tx, x, y, stage, alive, attempts); });
    }
}
Co<void> put(Tx& tx, TVar<long>& v, long value) { co_await tx.write(v, value); }
Task writer(Ctx& ctx, Stm& stm, TVar<long>& y, std::atomic<int>& stage, bool direct) {
    while (stage.load() != 1) std::this_thread::yield();
    if (direct) {
        atomically_direct(ctx, stm, [&](Tx& tx) { tx.write_now(y, 10L); });
    } else {
        co_await atomically(ctx, stm, [&](Tx& tx) { return put(tx, y, 10); });
    }
    stage.store(2);
}
}  // namespace

TEST_CASE("on a native thread a read that finds its variable changed drops the attempt, destroying its frames, and runs it again") {
    // A coroutine body drops its frames; a plain-function body (atomically_direct) throws.
    for (const bool direct : {false, true}) {
        CAPTURE(direct);
        Stm stm;
        TVar<long> x{"x", 1};
        TVar<long> y{"y", 2};
        RealRuntime rt(RealOptions{false, 0});
        rt.add(stm);
        rt.add(x);
        rt.add(y);
        std::atomic<int> stage{0}, alive{0};
        int attempts = 0;
        long seen = 0;
        rt.spawn("reader", 0, [&](Ctx& c) { return reader(c, stm, x, y, stage, alive, attempts, seen, direct); });
        rt.spawn("writer", 0, [&](Ctx& c) { return writer(c, stm, y, stage, direct); });
        rt.run();
        REQUIRE(rt.error().empty());
        CHECK(attempts == 2);
        CHECK(seen == 11);  // x = 1 and the writer's y = 10, seen by the second attempt
        CHECK(alive.load() == 0);
        const StmStats st = stm.stats();
        CHECK(st.commits == 2);
        CHECK(st.aborts[static_cast<int>(AbortCause::ReadChanged)] == 1);
        CHECK(st.aborts_total() == 1);
    }
}

namespace {
Co<int> take_positive(Tx& tx, TVar<int>& v) {
    const int n = co_await tx.read(v);
    if (n <= 0) tx.retry();
    co_await tx.write(v, n - 1);
    co_return n;
}
Co<void> add(Tx& tx, TVar<int>& v) { co_await tx.write(v, co_await tx.read(v) + 1); }
Task consumer(Ctx& ctx, Stm& stm, TVar<int>& items, TVar<int>& taken, int n) {
    for (int i = 0; i < n; ++i) {
        co_await atomically(ctx, stm, [&](Tx& tx) { return take_positive(tx, items); });
        co_await atomically(ctx, stm, [&](Tx& tx) { return add(tx, taken); });
    }
}
Task producer(Ctx& ctx, Stm& stm, TVar<int>& items, int n) {
    for (int i = 0; i < n; ++i) co_await atomically(ctx, stm, [&](Tx& tx) { return add(tx, items); });
}
}  // namespace

TEST_CASE("on real threads a retrying consumer sleeps until a producer commits, and gets every item") {
    Stm stm;
    TVar<int> items{"items", 0};
    TVar<int> taken{"taken", 0};
    RealRuntime rt;
    rt.add(stm);
    rt.add(items);
    rt.add(taken);
    const int kItems = 500;
    rt.spawn("consumer", 0, [&](Ctx& c) { return consumer(c, stm, items, taken, kItems); });
    rt.spawn("producer", 0, [&](Ctx& c) { return producer(c, stm, items, kItems); });
    rt.run();
    REQUIRE(rt.error().empty());
    CHECK(taken.value() == kItems);
    CHECK(items.value() == 0);
}

TEST_CASE("the STM scenes run on real threads: the bank conserves its total and contention counts every increment") {
    for (const char* id : {"stm/bank", "stm/contention", "stm/commit"}) {
        CAPTURE(id);
        such::scenes::Settings s;
        s.runtime = such::scenes::RuntimeKind::Real;
        s.record = false;
        auto run = such::scenes::find_scene(id)->build(s);
        run->real().run();
        REQUIRE(run->real().error().empty());
        const auto outcome = run->outcome();
        CHECK(outcome.over);
        CHECK_FALSE(outcome.bad);
        MESSAGE(outcome.headline);
    }
}

// atomically_direct: a body that is a plain function, on native threads.
namespace {
// Free functions, not lambdas: a task's coroutine outlives the function object spawn was given.
Task direct_own_writes(Ctx& ctx, Stm& stm, TVar<int>& v, int& read_back) {
    read_back = atomically_direct(ctx, stm, [&](Tx& tx) {
        tx.write_now(v, tx.read_now(v) * 2);
        tx.write_now(v, tx.read_now(v) + 1);  // the second read sees the first write
        return tx.read_now(v);
    });
    co_return;
}
Task direct_consumer(Ctx& ctx, Stm& stm, TVar<int>& items, int n, int& taken) {
    for (int i = 0; i < n; ++i) {
        atomically_direct(ctx, stm, [&](Tx& tx) {
            const int left = tx.read_now(items);
            if (left <= 0) tx.retry();
            tx.write_now(items, left - 1);
        });
        ++taken;
    }
    co_return;
}
Task direct_producer(Ctx& ctx, Stm& stm, TVar<int>& items, int n) {
    for (int i = 0; i < n; ++i) atomically_direct(ctx, stm, [&](Tx& tx) { tx.write_now(items, tx.read_now(items) + 1); });
    co_return;
}
}  // namespace

TEST_CASE("a plain-function transaction reads its own writes, retries until a producer commits, and refuses the simulator") {
    SUBCASE("its own writes") {
        Stm stm;
        TVar<int> v{"v", 3};
        RealRuntime rt(RealOptions{false, 0});
        rt.add(stm);
        rt.add(v);
        int read_back = 0;
        rt.spawn("T", 0, [&](Ctx& c) { return direct_own_writes(c, stm, v, read_back); });
        rt.run();
        REQUIRE(rt.error().empty());
        CHECK(read_back == 7);  // 3 * 2 + 1
        CHECK(v.value() == 7);
    }
    SUBCASE("retry") {
        Stm stm;
        TVar<int> items{"items", 0};
        RealRuntime rt;
        rt.add(stm);
        rt.add(items);
        const int kItems = 500;
        int taken = 0;
        rt.spawn("consumer", 0, [&](Ctx& c) { return direct_consumer(c, stm, items, kItems, taken); });
        rt.spawn("producer", 0, [&](Ctx& c) { return direct_producer(c, stm, items, kItems); });
        rt.run();
        REQUIRE(rt.error().empty());
        CHECK(taken == kItems);
        CHECK(items.value() == 0);
    }
    SUBCASE("the simulator") {
        Stm stm;
        TVar<int> v{"v", 0};
        Scheduler s(Config{1, Policy::Cooperative, 1, 1, {}, {}});
        s.add(stm);
        s.add(v);
        int unused = 0;
        // The task runs to its first step as it is spawned: that is where the call comes.
        const auto spawn_and_run = [&] {
            s.spawn("T", 0, [&](Ctx& c) { return direct_own_writes(c, stm, v, unused); });
            s.run();
        };
        CHECK_THROWS_WITH(spawn_and_run(), doctest::Contains("native thread only"));
        CHECK(v.value() == 0);
    }
}
