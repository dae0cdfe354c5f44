// A mutex with an owner and a FIFO wait queue. Unlock hands the lock straight
// to the first waiter (no barging), so waiting is fair and visible.
#pragma once
#include <deque>
#include <string>

#include "engine/scheduler.hpp"

namespace such::engine {

class Mutex final : public Object {
public:
    explicit Mutex(std::string name) : Object(std::move(name), ObjectKind::Mutex) {}

    TaskId owner() const { return owner_; }
    const std::deque<TaskId>& queue() const { return queue_; }
    Snapshot snapshot() const override;

    class LockStep final : public Step {
    public:
        LockStep(Ctx& ctx, Mutex& m) : Step(ctx, m.id()), m_(m) {}
        StepResult run(Scheduler& sched) override;
        void await_resume() const {}

    private:
        Mutex& m_;
        bool queued_ = false;
    };

    class UnlockStep final : public Step {
    public:
        UnlockStep(Ctx& ctx, Mutex& m) : Step(ctx, m.id()), m_(m) {}
        StepResult run(Scheduler& sched) override;
        void await_resume() const {}

    private:
        Mutex& m_;
    };

    class TryLockStep final : public Step {
    public:
        TryLockStep(Ctx& ctx, Mutex& m) : Step(ctx, m.id()), m_(m) {}
        StepResult run(Scheduler& sched) override;
        bool await_resume() const { return got_; }

    private:
        Mutex& m_;
        bool got_ = false;
    };

    LockStep lock(Ctx& ctx) { return LockStep(ctx, *this); }
    UnlockStep unlock(Ctx& ctx) { return UnlockStep(ctx, *this); }
    TryLockStep try_lock(Ctx& ctx) { return TryLockStep(ctx, *this); }

private:
    TaskId owner_ = kNone;
    std::deque<TaskId> queue_;
};

}  // namespace such::engine
