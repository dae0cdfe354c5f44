// The mutex: mutual exclusion, waiting at a held lock, try-lock, deadlock verdict.
#include <doctest/doctest.h>

#include "engine/mutex.hpp"
#include "engine/shared_var.hpp"

using namespace such::engine;

namespace {
Task lock_twice_in_order(Ctx& ctx, Mutex& a, Mutex& b) {
    co_await a.lock(ctx);
    co_await b.lock(ctx);
    co_await b.unlock(ctx);
    co_await a.unlock(ctx);
}

Task hold_and_count(Ctx& ctx, Mutex& m, SharedVar& inside, SharedVar& max_inside) {
    co_await m.lock(ctx);
    const auto n = co_await inside.read(ctx);
    co_await inside.write(ctx, n + 1);
    const auto seen = co_await max_inside.read(ctx);
    if (n + 1 > seen) co_await max_inside.write(ctx, n + 1);
    const auto back = co_await inside.read(ctx);
    co_await inside.write(ctx, back - 1);
    co_await m.unlock(ctx);
}

Task try_once(Ctx& ctx, Mutex& m, SharedVar& got) {
    // (bound to a name first: g++ 12 miscompiles co_await inside an if condition)
    const bool got_it = co_await m.try_lock(ctx);
    if (got_it) {
        co_await got.write(ctx, 1);
        co_await m.unlock(ctx);
    }
}
}  // namespace

TEST_CASE("no two tasks are ever inside the critical section at once") {
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        Mutex m("m");
        SharedVar inside("inside", 0), max_inside("max", 0);
        Scheduler s(Config{seed, Policy::Preemptive, 1, 1, {}, {}});
        s.add(m);
        s.add(inside);
        s.add(max_inside);
        for (int i = 0; i < 3; ++i) {
            s.spawn("T" + std::to_string(i), 0, [&](Ctx& c) { return hold_and_count(c, m, inside, max_inside); });
        }
        s.run();
        REQUIRE(s.verdict() == Verdict::Finished);
        CHECK(max_inside.value() == 1);
    }
}

TEST_CASE("a task waits for a held lock without taking a step, and any waiter may take it once it is free") {
    Mutex m("m");
    SharedVar dummy("x", 0);
    Scheduler s(Config{1, Policy::Manual, 1, 1, {}, {}});
    s.add(m);
    s.add(dummy);
    for (int i = 0; i < 3; ++i) {
        s.spawn("T" + std::to_string(i), 0, [&](Ctx& c) { return hold_and_count(c, m, dummy, dummy); });
    }
    CHECK(s.runnable() == std::vector<TaskId>{0, 1, 2});
    s.step_task(0);  // T0 locks; T1 and T2, whose next step is the lock, now wait
    CHECK(m.owner() == 0);
    CHECK(s.runnable() == std::vector<TaskId>{0});
    CHECK(m.queue() == std::vector<TaskId>{1, 2});
    CHECK(s.task(1).state == TaskState::Blocked);
    CHECK(s.task(1).waiting_on == m.id());
    CHECK_FALSE(s.step_task(1));  // waiting is not a step
    CHECK(s.steps() == 1);
    while (m.owner() == 0) s.step_task(0);
    // Free (and T0 done): both waiters are ready, and the scheduler (here the user) picks.
    CHECK(m.owner() == kNone);
    CHECK(s.runnable() == std::vector<TaskId>{1, 2});
    CHECK(s.step_task(2));
    CHECK(m.owner() == 2);
    CHECK(m.queue() == std::vector<TaskId>{1});
    CHECK(s.task(1).state == TaskState::Blocked);
}

TEST_CASE("try_lock never waits: the loser moves on") {
    Mutex m("m");
    SharedVar got_a("a", 0), got_b("b", 0);
    Scheduler s(Config{1, Policy::Manual, 1, 1, {}, {}});
    s.add(m);
    s.add(got_a);
    s.add(got_b);
    s.spawn("A", 0, [&](Ctx& c) { return try_once(c, m, got_a); });
    s.spawn("B", 0, [&](Ctx& c) { return try_once(c, m, got_b); });
    s.step_task(0);
    s.step_task(1);
    CHECK(s.task(1).state == TaskState::Done);
    while (s.step_task(0)) {
    }
    CHECK(got_a.value() == 1);
    CHECK(got_b.value() == 0);
}

TEST_CASE("locks taken in opposite orders deadlock, and the verdict says who waits for what") {
    Mutex a("a"), b("b");
    Scheduler s(Config{1, Policy::Manual, 1, 1, {}, {}});
    s.add(a);
    s.add(b);
    s.spawn("T1", 0, [&](Ctx& c) { return lock_twice_in_order(c, a, b); });
    s.spawn("T2", 0, [&](Ctx& c) { return lock_twice_in_order(c, b, a); });
    s.step_task(0);
    s.step_task(1);
    s.step_task(0);
    s.step_task(1);
    CHECK(s.verdict() == Verdict::Deadlock);
    // T1 (task 0) holds a and waits for b; T2 holds b and waits for a (tests/scenes/test_narrate.cpp says it in words).
    const DeadlockWaits d = s.deadlock_waits();
    CHECK(d.cycle);
    REQUIRE(d.waits.size() == 2);
    CHECK(d.waits[0].task == 0);
    CHECK(d.waits[0].object == b.id());
    CHECK(d.waits[0].holder == 1);
    CHECK(d.waits[1].task == 1);
    CHECK(d.waits[1].object == a.id());
    CHECK(d.waits[1].holder == 0);
    CHECK(s.trace().events().back().kind == EventKind::Deadlock);
}
