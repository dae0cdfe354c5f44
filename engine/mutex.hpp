// A mutex with an owner and a FIFO wait queue. On the simulator unlock hands
// the lock straight to the first waiter (no barging), so waiting is fair and
// visible. On real threads it is a std::mutex (the OS decides who is next).
#pragma once
#include <atomic>
#include <deque>
#include <mutex>
#include <string>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

class CondVar;

class Mutex final : public Object {
public:
    explicit Mutex(std::string name) : Object(std::move(name), ObjectKind::Mutex) {}

    TaskId owner() const { return owner_.load(std::memory_order_relaxed); }
    const std::deque<TaskId>& queue() const { return queue_; }
    Snapshot snapshot() const override;

    class LockStep final : public Step {
    public:
        LockStep(Ctx& ctx, Mutex& m) : Step(ctx, m.id()), m_(m) {}
        StepResult run(Scheduler& sched) override;
        void run_real(RealRuntime& rt) override;
        EventKind kind() const override { return EventKind::LockAcquire; }
        void await_resume() const {}

    private:
        Mutex& m_;
        bool queued_ = false;
    };

    class UnlockStep final : public Step {
    public:
        UnlockStep(Ctx& ctx, Mutex& m) : Step(ctx, m.id()), m_(m) {}
        StepResult run(Scheduler& sched) override;
        void run_real(RealRuntime& rt) override;
        EventKind kind() const override { return EventKind::Unlock; }
        void await_resume() const {}

    private:
        Mutex& m_;
    };

    class TryLockStep final : public Step {
    public:
        TryLockStep(Ctx& ctx, Mutex& m) : Step(ctx, m.id()), m_(m) {}
        StepResult run(Scheduler& sched) override;
        void run_real(RealRuntime& rt) override;
        EventKind kind() const override { return EventKind::TryLock; }
        bool await_resume() const { return got_; }

    private:
        Mutex& m_;
        bool got_ = false;
    };

    LockStep lock(Ctx& ctx) { return LockStep(ctx, *this); }
    UnlockStep unlock(Ctx& ctx) { return UnlockStep(ctx, *this); }
    // Never waits: await gives true if the lock was free and is now ours.
    TryLockStep try_lock(Ctx& ctx) { return TryLockStep(ctx, *this); }

private:
    friend class CondVar;
    // Simulator: takes the lock if free, else queues `task`; true if taken.
    bool acquire_or_queue(TaskId task);
    // Simulator: frees the lock or hands it to the first waiter; returns the new owner.
    TaskId release(Scheduler& sched);

    std::atomic<TaskId> owner_{kNone};
    std::deque<TaskId> queue_;
    std::mutex real_;
};

}  // namespace such::engine
