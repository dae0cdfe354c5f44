// The STM on real threads: transfers between accounts from 4 threads keep
// the total, run after run, and retry really sleeps until a commit.
#include <doctest/doctest.h>

#include <array>

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
