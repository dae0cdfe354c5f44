// A condition variable used with a Mutex.
//
// Semantics on the simulator: wait(m) atomically releases m and sleeps; it
// returns only after a notify woke this task and it has taken m back (once m
// is free, like any other lock: Mutex). There are no spurious wake-ups, and a notify
// with nobody waiting is lost, as with real condition variables.
// On real threads it is a std::condition_variable_any on the mutex, which may
// wake spuriously: programs must re-check their condition in a loop, which is
// the right way to write them on both runtimes.
#pragma once
#include <condition_variable>
#include <string>
#include <vector>

#include "engine/mutex.hpp"

namespace such::engine {

class CondVar final : public Object {
public:
    explicit CondVar(std::string name) : Object(std::move(name), ObjectKind::CondVar) {}

    Snapshot snapshot() const override;
    const std::vector<TaskId>& waiters() const { return waiters_; }

    class WaitStep final : public Step {
    public:
        // Its object: the mutex it gives back (and, Many, the condition
        // variable it joins); then, asleep, the condition variable; once
        // notified, the mutex it takes back.
        WaitStep(Ctx& ctx, CondVar& cv, Mutex& m) : Step(ctx, m.id()), cv_(cv), m_(m) {}
        StepResult run(Scheduler& sched) override;
        void run_real(RealRuntime& rt) override;
        // Waiting gives back the mutex as well. Once notified, what is left is
        // a lock on the mutex, taken when it is free (its guard).
        EventKind kind() const override { return phase_ == Phase::Start ? EventKind::CondWait : EventKind::LockAcquire; }
        Access access() const override { return phase_ == Phase::Start ? Access::Many : Access::Write; }
        bool can_begin() const override { return phase_ == Phase::Start || m_.owner() == kNone; }
        bool has_guard() const override { return phase_ != Phase::Start; }
        bool opens_guards() const override { return phase_ == Phase::Start; }
        void waits(Scheduler& sched) override { m_.wait(sched, relock_waited_, Note::Woken); }
        void woken() override { object_ = m_.id(); }
        void sleeps() { object_ = cv_.id(); }
        void await_resume() const {}

    private:
        enum class Phase { Start, Sleeping };
        CondVar& cv_;
        Mutex& m_;
        Phase phase_ = Phase::Start;
        bool relock_waited_ = false;
    };

    class NotifyStep final : public Step {
    public:
        NotifyStep(Ctx& ctx, CondVar& cv, bool all) : Step(ctx, cv.id()), cv_(cv), all_(all) {}
        StepResult run(Scheduler& sched) override;
        void run_real(RealRuntime& rt) override;
        EventKind kind() const override { return EventKind::CondNotify; }
        void await_resume() const {}

    private:
        CondVar& cv_;
        bool all_;
    };

    WaitStep wait(Ctx& ctx, Mutex& m) { return WaitStep(ctx, *this, m); }
    NotifyStep notify_one(Ctx& ctx) { return NotifyStep(ctx, *this, false); }
    NotifyStep notify_all(Ctx& ctx) { return NotifyStep(ctx, *this, true); }

private:
    std::vector<TaskId> waiters_;  // arrival order; nothing allocated until one waits (as Mutex)
    std::condition_variable_any real_;
};

}  // namespace such::engine
