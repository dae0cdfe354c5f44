// Atomic, semaphore and condition variable semantics on the simulator.
#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>

#include "tests/engine/sim.hpp"
#include "engine/atomic.hpp"
#include "engine/condvar.hpp"
#include "engine/semaphore.hpp"
#include "engine/shared_var.hpp"

using namespace such::engine;
using namespace such::tests;

namespace {
Task cas_once(Ctx& ctx, Atomic& a, std::int64_t expected, std::int64_t desired, SharedVar& seen) {
    const std::int64_t got = co_await a.compare_exchange(ctx, expected, desired);
    co_await seen.write(ctx, got);
}

// `most` is the test's own observer: the simulator runs one step at a time,
// so a plain variable outside the engine sees every change.
Task bounded_worker(Ctx& ctx, Semaphore& sem, Atomic& inside, std::int64_t& most) {
    co_await sem.acquire(ctx);
    const auto before = co_await inside.fetch_add(ctx, 1);
    most = std::max(most, before + 1);
    co_await YieldStep(ctx);
    co_await inside.fetch_add(ctx, -1);
    co_await sem.release(ctx);
}

// A one-slot mailbox guarded by a mutex and a condition variable.
struct Slot {
    Mutex m{"m"};
    CondVar changed{"changed"};
    SharedVar full{"full", 0};
    SharedVar item{"item", 0};
    SharedVar sum{"sum", 0};
};

Task producer(Ctx& ctx, Slot& s, int items) {
    for (int i = 1; i <= items; ++i) {
        co_await s.m.lock(ctx);
        while (true) {
            const auto full = co_await s.full.read(ctx);
            if (full == 0) break;
            co_await s.changed.wait(ctx, s.m);
        }
        co_await s.item.write(ctx, i);
        co_await s.full.write(ctx, 1);
        co_await s.changed.notify_all(ctx);
        co_await s.m.unlock(ctx);
    }
}

Task consumer(Ctx& ctx, Slot& s, int items) {
    for (int i = 0; i < items; ++i) {
        co_await s.m.lock(ctx);
        while (true) {
            const auto full = co_await s.full.read(ctx);
            if (full == 1) break;
            co_await s.changed.wait(ctx, s.m);
        }
        const auto v = co_await s.item.read(ctx);
        const auto total = co_await s.sum.read(ctx);
        co_await s.sum.write(ctx, total + v);
        co_await s.full.write(ctx, 0);
        co_await s.changed.notify_all(ctx);
        co_await s.m.unlock(ctx);
    }
}

Task wait_unlocked(Ctx& ctx, CondVar& cv, Mutex& m) { co_await cv.wait(ctx, m); }
Task notify_now(Ctx& ctx, CondVar& cv) { co_await cv.notify_one(ctx); }
Task lock_then_wait(Ctx& ctx, CondVar& cv, Mutex& m) {
    co_await m.lock(ctx);
    co_await cv.wait(ctx, m);
    co_await m.unlock(ctx);
}
}  // namespace

TEST_CASE("compare-and-swap swaps only when it sees the expected value") {
    Atomic a("a", 5);
    SharedVar seen_ok("ok", -1), seen_fail("fail", -1);
    Scheduler s(manual());
    s.add(a);
    s.add(seen_ok);
    s.add(seen_fail);
    s.spawn("wins", 0, [&](Ctx& c) { return cas_once(c, a, 5, 9, seen_ok); });
    s.spawn("loses", 0, [&](Ctx& c) { return cas_once(c, a, 5, 7, seen_fail); });
    s.step_task(0);
    s.step_task(1);
    CHECK(a.value() == 9);
    while (s.step_task(0) || s.step_task(1)) {
    }
    CHECK(seen_ok.value() == 5);    // saw what it expected: swapped
    CHECK(seen_fail.value() == 9);  // saw the winner's value: did not swap
}

TEST_CASE("a semaphore with two permits never lets three tasks in") {
    std::int64_t most_overall = 0;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        Semaphore sem("slots", 2);
        Atomic inside("inside", 0);
        std::int64_t most = 0;
        Scheduler s(seeded(seed));
        s.add(sem);
        s.add(inside);
        for (int i = 0; i < 4; ++i) s.spawn("T" + std::to_string(i), 0, [&](Ctx& c) { return bounded_worker(c, sem, inside, most); });
        s.run();
        REQUIRE(s.verdict() == Verdict::Finished);
        CHECK(most <= 2);
        most_overall = std::max(most_overall, most);
        CHECK(sem.permits() == 2);
    }
    CHECK(most_overall == 2);  // and two at once does happen
}

TEST_CASE("a condition variable loses no wake-up: every item is consumed, on every seed") {
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
        Slot slot;
        Scheduler s(seeded(seed));
        for (Object* o : std::initializer_list<Object*>{&slot.m, &slot.changed, &slot.full, &slot.item, &slot.sum}) s.add(*o);
        s.spawn("producer", 0, [&](Ctx& c) { return producer(c, slot, 4); });
        s.spawn("consumer", 0, [&](Ctx& c) { return consumer(c, slot, 4); });
        s.run();
        REQUIRE_MESSAGE(s.verdict() == Verdict::Finished, s.verdict_detail());
        CHECK(slot.sum.value() == 1 + 2 + 3 + 4);
    }
}

TEST_CASE("a notify with nobody waiting is lost, and the late waiter sleeps on") {
    Mutex m("m");
    CondVar cv("cv");
    Scheduler s(manual());
    s.add(m);
    s.add(cv);
    s.spawn("notifier", 0, [&](Ctx& c) { return notify_now(c, cv); });
    s.spawn("waiter", 0, [&](Ctx& c) { return lock_then_wait(c, cv, m); });
    s.step_task(0);  // notify: nobody is waiting
    const auto& events = s.trace().events();
    const auto notify = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.kind == EventKind::CondNotify; });
    REQUIRE(notify != events.end());
    CHECK(notify->value == 0);  // woke nobody
    CHECK(notify->args.note == Note::Plain);  // notify_one, not notify_all
    s.step_task(1);  // lock
    s.step_task(1);  // wait: releases m, sleeps
    CHECK(m.owner() == kNone);
    CHECK(cv.waiters() == std::vector<TaskId>{1});
    CHECK(s.verdict() == Verdict::Deadlock);
    // No cycle (the notifier is done): the waiter, task 1, waits on cv.
    const DeadlockWaits d = s.deadlock_waits();
    CHECK_FALSE(d.cycle);
    REQUIRE(d.waits.size() == 1);
    CHECK(d.waits[0].task == 1);
    CHECK(d.waits[0].object == cv.id());
}

TEST_CASE("waiting on a condition without holding its mutex is a bug the engine reports") {
    Mutex m("m");
    CondVar cv("cv");
    Scheduler s(manual());
    s.add(m);
    s.add(cv);
    s.spawn("careless", 0, [&](Ctx& c) { return wait_unlocked(c, cv, m); });
    CHECK_THROWS_WITH_AS(s.step_task(0), "careless waits on cv without holding m", std::logic_error);
}
