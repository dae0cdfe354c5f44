// Transactional memory: commits and rollbacks, isolation under every
// schedule, retry, or_else, deferred effects, and the real-thread STM.
#include <doctest/doctest.h>

#include <set>

#include "tests/engine/sim.hpp"
#include "tests/engine/trace_oracle.hpp"
#include "engine/explorer.hpp"
#include "engine/stm.hpp"

using namespace such::engine;
using namespace such::tests;

namespace {
Co<void> add_one(Tx& tx, TVar<int>& v) {
    const int seen = co_await tx.read(v);
    co_await tx.write(v, seen + 1);
}

Task increment(Ctx& ctx, Stm& stm, TVar<int>& v) {
    co_await atomically(ctx, stm, [&v](Tx& tx) { return add_one(tx, v); });
}

// Runs one task's steps until `kind` has been taken (or the task ends).
void step_until(Scheduler& s, TaskId t, EventKind kind) {
    while (s.step_task(t)) {
        if (s.trace().events().back().kind == kind && s.trace().events().back().task == t) return;
    }
}

// Two transactions moving one unit between x and y in opposite directions;
// each attempt checks the invariant x + y == 0 on what it read.
struct Transfers final : Explorable {
    Stm stm;
    TVar<int> x{"x", 0}, y{"y", 0};
    Scheduler s{manual()};
    int broken = 0;
    static Co<void> move(Tx& tx, TVar<int>& from, TVar<int>& to, int& broken) {
        const int a = co_await tx.read(from);
        const int b = co_await tx.read(to);
        if (a + b != 0) ++broken;
        co_await tx.write(from, a - 1);
        co_await tx.write(to, b + 1);
    }
    static Task run(Ctx& ctx, Stm& stm, TVar<int>& from, TVar<int>& to, int& broken) {
        co_await atomically(ctx, stm, [&](Tx& tx) { return move(tx, from, to, broken); });
    }
    Transfers() {
        s.add(stm);
        s.add(x);
        s.add(y);
        s.spawn("T1", 0, [this](Ctx& c) { return run(c, stm, x, y, broken); });
        s.spawn("T2", 0, [this](Ctx& c) { return run(c, stm, y, x, broken); });
    }
    Scheduler& sched() override { return s; }
    std::string outcome() override { return "x = " + std::to_string(x.value()) + ", y = " + std::to_string(y.value()); }
    bool bad() override { return broken > 0 || x.value() + y.value() != 0; }
};
}  // namespace

TEST_CASE("two increments in transactions: the later committer validates, rolls back, runs again, and the total is 2") {
    Stm stm;
    TVar<int> v{"v", 0};
    Scheduler s(manual());
    s.add(stm);
    s.add(v);
    const TaskId a = s.spawn("A", 0, [&](Ctx& c) { return increment(c, stm, v); });
    const TaskId b = s.spawn("B", 0, [&](Ctx& c) { return increment(c, stm, v); });
    step_until(s, a, EventKind::TxWrite);  // A read 0 and buffered 1
    step_until(s, b, EventKind::TxWrite);  // B read 0 and buffered 1
    step_until(s, a, EventKind::TxCommit);
    CHECK(v.value() == 1);
    step_until(s, b, EventKind::TxAbort);
    CHECK(stm.tx_of(b)->last_abort() == AbortCause::ValidationFailed);
    CHECK(v.value() == 1);  // B's buffered write never landed
    while (s.step_task(b)) {
    }
    CHECK(s.verdict() == Verdict::Finished);
    CHECK(v.value() == 2);
    CHECK(stm.tx_of(b)->attempt() == 2);
    const StmStats st = stm.stats();
    CHECK(st.commits == 2);
    CHECK(st.aborts_total() == 1);
    CHECK(st.attempts == 3);
}

TEST_CASE("without a conflict nothing aborts: one after the other, each commits at its first attempt") {
    Stm stm;
    TVar<int> v{"v", 0};
    Scheduler s(Config{1, Policy::Cooperative, 1, 1, {}, {}});
    s.add(stm);
    s.add(v);
    s.spawn("A", 0, [&](Ctx& c) { return increment(c, stm, v); });
    s.spawn("B", 0, [&](Ctx& c) { return increment(c, stm, v); });
    s.run();
    CHECK(v.value() == 2);
    CHECK(stm.stats().aborts_total() == 0);
    CHECK(s.trace().count(EventKind::TxValidate) == 0);  // each saw version n and took n+1: nothing to validate
}

TEST_CASE("a read of a variable committed after the transaction began aborts at once") {
    Stm stm;
    TVar<int> v{"v", 0};
    Scheduler s(manual());
    s.add(stm);
    s.add(v);
    const TaskId a = s.spawn("A", 0, [&](Ctx& c) { return increment(c, stm, v); });
    const TaskId b = s.spawn("B", 0, [&](Ctx& c) { return increment(c, stm, v); });
    step_until(s, b, EventKind::TxBegin);
    step_until(s, a, EventKind::TxCommit);
    step_until(s, b, EventKind::TxAbort);
    CHECK(stm.tx_of(b)->last_abort() == AbortCause::ReadChanged);
}

TEST_CASE("every schedule of two opposite transfers is serialisable and no attempt sees x + y != 0") {
    ExploreOptions o;
    const ExploreResult r = explore([] { return std::make_unique<Transfers>(); }, o);
    REQUIRE(r.complete);
    CHECK(r.findings.empty());
    REQUIRE(r.outcomes.size() == 1);
    CHECK(r.outcomes[0].outcome == "x = 0, y = 0");
    MESSAGE("opposite transfers: " << r.executions << " executions with DPOR");
}

namespace {
// Two single increments of one TVar: small enough for the unreduced search.
struct TwoIncrements final : Explorable {
    Stm stm;
    TVar<int> v{"v", 0};
    Scheduler s{manual()};
    TwoIncrements() {
        s.add(stm);
        s.add(v);
        s.spawn("A", 0, [this](Ctx& c) { return increment(c, stm, v); });
        s.spawn("B", 0, [this](Ctx& c) { return increment(c, stm, v); });
    }
    Scheduler& sched() override { return s; }
    std::string outcome() override { return "v = " + std::to_string(v.value()) + (stm.stats().aborts_total() ? ", with a rollback" : ""); }
    bool bad() override { return v.value() != 2; }
};
}  // namespace

TEST_CASE("reduced and unreduced searches of two transactional increments agree: always 2, with or without a rollback") {
    ExploreOptions o;
    o.reduction = ExploreOptions::Reduction::None;
    const ExploreResult full = explore([] { return std::make_unique<TwoIncrements>(); }, o);
    o.reduction = ExploreOptions::Reduction::Dpor;
    const ExploreResult reduced = explore([] { return std::make_unique<TwoIncrements>(); }, o);
    REQUIRE(full.complete);
    REQUIRE(reduced.complete);
    const auto keys = [](const ExploreResult& r) {
        std::set<std::string> out;
        for (const auto& x : r.outcomes) out.insert(x.outcome);
        return out;
    };
    CHECK(keys(full) == std::set<std::string>{"v = 2", "v = 2, with a rollback"});
    CHECK(keys(reduced) == keys(full));
    CHECK(full.findings.empty());
    // Both counted by brute force of its own (tests/engine/trace_oracle.hpp):
    // every schedule, and the distinct orders of conflicting steps.
    const auto make = [] { return std::make_unique<TwoIncrements>(); };
    CHECK(full.executions == such::testing::count_schedules(make));
    CHECK(reduced.executions == such::testing::count_traces(make));
    MESSAGE("two transactional increments: " << full.executions << " schedules, " << reduced.executions << " with DPOR");
}

namespace {
Co<int> take_when_positive(Tx& tx, TVar<int>& v) {
    const int n = co_await tx.read(v);
    if (n <= 0) tx.retry();
    co_await tx.write(v, n - 1);
    co_return n;
}
Task taker(Ctx& ctx, Stm& stm, TVar<int>& v, int& got) {
    got = co_await atomically(ctx, stm, [&v](Tx& tx) { return take_when_positive(tx, v); });
}
Task setter(Ctx& ctx, Stm& stm, TVar<int>& v, int value) {
    co_await atomically(ctx, stm, [&v, value](Tx& tx) -> Co<void> { co_await tx.write(v, value); });
}
}  // namespace

TEST_CASE("retry sleeps without spinning and wakes when a variable it read is committed, not another") {
    Stm stm;
    TVar<int> v{"v", 0}, other{"other", 0};
    Scheduler s(manual());
    s.add(stm);
    s.add(v);
    s.add(other);
    int got = -1;
    const TaskId t = s.spawn("taker", 0, [&](Ctx& c) { return taker(c, stm, v, got); });
    const TaskId w1 = s.spawn("other-writer", 0, [&](Ctx& c) { return setter(c, stm, other, 5); });
    const TaskId w2 = s.spawn("v-writer", 0, [&](Ctx& c) { return setter(c, stm, v, 3); });
    step_until(s, t, EventKind::TxRetry);
    CHECK(s.task(t).state == TaskState::Blocked);
    CHECK(stm.tx_of(t)->status() == TxStatus::Waiting);
    while (s.step_task(w1)) {
    }
    CHECK(s.task(t).state == TaskState::Blocked);  // a write it never read does not wake it
    while (s.step_task(w2)) {
    }
    CHECK(s.task(t).state == TaskState::Ready);
    while (s.step_task(t)) {
    }
    CHECK(got == 3);
    CHECK(v.value() == 2);
    CHECK(stm.stats().retries == 1);
}

TEST_CASE("a retry that nothing can wake is reported as every task blocked") {
    Stm stm;
    TVar<int> v{"v", 0};
    Scheduler s(Config{1, Policy::Cooperative, 1, 1, {}, {}});
    s.add(stm);
    s.add(v);
    int got = -1;
    s.spawn("taker", 0, [&](Ctx& c) { return taker(c, stm, v, got); });
    s.run();
    CHECK(s.verdict() == Verdict::Deadlock);
    // No cycle: the taker, alone, waits for v to change.
    const DeadlockWaits d = s.deadlock_waits();
    CHECK_FALSE(d.cycle);
    REQUIRE(d.waits.size() == 1);
    CHECK(d.waits[0].task == 0);
    CHECK(d.waits[0].object == v.id());
}

namespace {
Co<int> from_a_or_b(Tx& tx, TVar<int>& a, TVar<int>& b, TVar<int>& marker) {
    co_return co_await tx.or_else(
        [&](Tx& t) -> Co<int> {
            co_await t.write(marker, 99);  // dropped when this branch retries
            co_return co_await take_when_positive(t, a);
        },
        [&](Tx& t) -> Co<int> { co_return co_await take_when_positive(t, b); });
}
// Tasks are free functions: a coroutine lambda with captures would outlive its lambda.
Task chooser(Ctx& ctx, Stm& stm, TVar<int>& a, TVar<int>& b, TVar<int>& marker, int& got) {
    got = co_await atomically(ctx, stm, [&](Tx& tx) { return from_a_or_b(tx, a, b, marker); });
}
}  // namespace

TEST_CASE("or_else drops the first branch's writes when it retries and runs the second") {
    Stm stm;
    TVar<int> a{"a", 0}, b{"b", 4}, marker{"marker", 0};
    Scheduler s(Config{1, Policy::Cooperative, 1, 1, {}, {}});
    s.add(stm);
    s.add(a);
    s.add(b);
    s.add(marker);
    int got = -1;
    s.spawn("T", 0, [&](Ctx& c) { return chooser(c, stm, a, b, marker, got); });
    s.run();
    CHECK(s.verdict() == Verdict::Finished);
    CHECK(got == 4);
    CHECK(b.value() == 3);
    CHECK(a.value() == 0);
    CHECK(marker.value() == 0);
}

TEST_CASE("when both branches of or_else retry the whole transaction sleeps until either changes") {
    Stm stm;
    TVar<int> a{"a", 0}, b{"b", 0}, marker{"marker", 0};
    Scheduler s(manual());
    s.add(stm);
    s.add(a);
    s.add(b);
    s.add(marker);
    int got = -1;
    const TaskId t = s.spawn("T", 0, [&](Ctx& c) { return chooser(c, stm, a, b, marker, got); });
    const TaskId w = s.spawn("W", 0, [&](Ctx& c) { return setter(c, stm, b, 7); });
    step_until(s, t, EventKind::TxRetry);
    CHECK(s.task(t).state == TaskState::Blocked);
    while (s.step_task(w)) {
    }
    while (s.step_task(t)) {
    }
    CHECK(got == 7);
    CHECK(marker.value() == 0);
}

namespace {
Co<void> add_and_log(Tx& tx, TVar<int>& v, int& effects) {
    const int seen = co_await tx.read(v);
    co_await tx.write(v, seen + 1);
    tx.defer("log the new value", [&effects] { ++effects; });
}
Task logger(Ctx& ctx, Stm& stm, TVar<int>& v, int& effects) {
    co_await atomically(ctx, stm, [&](Tx& tx) { return add_and_log(tx, v, effects); });
}
}  // namespace

TEST_CASE("a deferred effect runs once per commit and never for an attempt that rolled back") {
    Stm stm;
    TVar<int> v{"v", 0};
    Scheduler s(manual());
    s.add(stm);
    s.add(v);
    int effects = 0;
    const auto body = [&](Ctx& c) { return logger(c, stm, v, effects); };
    const TaskId a = s.spawn("A", 0, body);
    const TaskId b = s.spawn("B", 0, body);
    step_until(s, a, EventKind::TxWrite);
    step_until(s, b, EventKind::TxWrite);
    step_until(s, a, EventKind::TxEffect);
    CHECK(effects == 1);
    step_until(s, b, EventKind::TxAbort);
    CHECK(effects == 1);  // B's first attempt queued the effect too, and dropped it
    while (s.step_task(b)) {
    }
    CHECK(effects == 2);
    CHECK(stm.stats().effects == 2);
    CHECK(stm.stats().aborts_total() == 1);
}

TEST_CASE("the same seed gives the same transactional trace") {
    const auto trace_hash = [](std::uint64_t seed) {
        Stm stm;
        TVar<int> v{"v", 0};
        Scheduler s(Config{seed, Policy::Preemptive, 2, 1, {}, {}});
        s.add(stm);
        s.add(v);
        for (int i = 0; i < 3; ++i) s.spawn("T" + std::to_string(i + 1), 0, [&](Ctx& c) { return increment(c, stm, v); });
        s.run();
        CHECK(v.value() == 3);
        return s.trace().hash();
    };
    CHECK(trace_hash(7) == trace_hash(7));
    std::set<std::uint64_t> hashes;
    for (std::uint64_t seed = 1; seed <= 8; ++seed) hashes.insert(trace_hash(seed));
    CHECK(hashes.size() > 1);
}

namespace {
Task nested(Ctx& ctx, Stm& stm, TVar<int>& v) {
    co_await atomically(ctx, stm, [&](Tx&) -> Co<void> { co_await atomically(ctx, stm, [&](Tx& tx) { return add_one(tx, v); }); });
}
}  // namespace

TEST_CASE("a transaction inside a transaction is refused with a reason") {
    Stm stm;
    TVar<int> v{"v", 0};
    Scheduler s(Config{1, Policy::Cooperative, 1, 1, {}, {}});
    s.add(stm);
    s.add(v);
    s.spawn("T", 0, [&](Ctx& c) { return nested(c, stm, v); });
    CHECK_THROWS_WITH(s.run(), doctest::Contains("inside a transaction"));
}
