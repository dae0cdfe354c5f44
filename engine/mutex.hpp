// A mutex with an owner and the tasks waiting for it. On the simulator a lock
// waits while the mutex is held (its guard, Step::can_begin); unlock frees
// it, and whichever waiter the scheduler picks next takes it -- as with a
// std::mutex, nobody is promised to be next. The queue shows the waiters in
// the order they came. On real threads it is a std::mutex.
#pragma once
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

class CondVar;

class Mutex final : public Object {
public:
    explicit Mutex(std::string name) : Object(std::move(name), ObjectKind::Mutex) {}

    TaskId owner() const { return owner_.load(std::memory_order_relaxed); }
    const std::vector<TaskId>& queue() const { return queue_; }
    Snapshot snapshot() const override;
    // Its owner and its queue (the queue only orders the views' waiters; kept
    // all the same, which can only cost the cache states, never an outcome).
    bool fingerprint(std::vector<std::int64_t>& out) const override;

    class LockStep final : public Step {
    public:
        LockStep(Ctx& ctx, Mutex& m) : Step(ctx, m.id()), m_(m) {}
        StepResult run(Scheduler& sched) override;
        void run_real(RealRuntime& rt) override {
            m_.real_.lock();
            m_.owner_.store(ctx_->id(), std::memory_order_relaxed);
            rt.record(ctx_->id(), EventKind::LockAcquire, m_.id(), 0);
        }
        EventKind kind() const override { return EventKind::LockAcquire; }
        // Free, or ours (then run() reports the double lock).
        bool can_begin() const override { return m_.owner() == kNone || m_.owner() == ctx_->id(); }
        bool has_guard() const override { return true; }
        void waits(Scheduler& sched) override { m_.wait(sched, queued_, Note::Plain); }
        void await_resume() const {}

    private:
        Mutex& m_;
        bool queued_ = false;
    };

    class UnlockStep final : public Step {
    public:
        UnlockStep(Ctx& ctx, Mutex& m) : Step(ctx, m.id()), m_(m) {}
        StepResult run(Scheduler& sched) override;
        void run_real(RealRuntime& rt) override {
            rt.record(ctx_->id(), EventKind::Unlock, m_.id(), kNone);
            m_.owner_.store(kNone, std::memory_order_relaxed);
            m_.real_.unlock();
        }
        EventKind kind() const override { return EventKind::Unlock; }
        bool opens_guards() const override { return true; }
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
    // Simulator: the running task waits for the lock (told once: *told).
    void wait(Scheduler& sched, bool& told, Note note);
    // Simulator: the running task takes the free lock (leaving the queue if it waited).
    void take(Scheduler& sched, bool& waited, Note note);

    // A few tasks at most, in arrival order: a vector allocates nothing until
    // one waits (a std::deque allocates two blocks as it is made).
    std::vector<TaskId> queue_;
    // What a real thread writes to lock and unlock, on a line of its own.
    alignas(kCacheLine) std::mutex real_;
    std::atomic<TaskId> owner_{kNone};
};

}  // namespace such::engine
