// A counting semaphore: acquire waits while no permit is left (its guard,
// Step::can_begin), then takes one; release adds one back, and whichever
// waiter the scheduler picks next takes it. The queue shows the waiters in
// the order they came.
// On real threads: a count guarded by a std::mutex and a condition variable.
#pragma once
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

class Semaphore final : public Object {
public:
    Semaphore(std::string name, int permits) : Object(std::move(name), ObjectKind::Semaphore), count_(permits) {}

    int permits() const { return count_; }
    Snapshot snapshot() const override;

    class AcquireStep final : public Step {
    public:
        AcquireStep(Ctx& ctx, Semaphore& s) : Step(ctx, s.id()), s_(s) {}
        StepResult run(Scheduler& sched) override;
        void run_real(RealRuntime& rt) override;
        EventKind kind() const override { return EventKind::SemAcquire; }
        bool can_begin() const override { return s_.count_ > 0; }
        bool has_guard() const override { return true; }
        void waits(Scheduler& sched) override;
        void await_resume() const {}

    private:
        Semaphore& s_;
        bool queued_ = false;
    };

    class ReleaseStep final : public Step {
    public:
        ReleaseStep(Ctx& ctx, Semaphore& s) : Step(ctx, s.id()), s_(s) {}
        StepResult run(Scheduler& sched) override;
        void run_real(RealRuntime& rt) override;
        EventKind kind() const override { return EventKind::SemRelease; }
        bool opens_guards() const override { return true; }
        void await_resume() const {}

    private:
        Semaphore& s_;
    };

    AcquireStep acquire(Ctx& ctx) { return AcquireStep(ctx, *this); }
    ReleaseStep release(Ctx& ctx) { return ReleaseStep(ctx, *this); }

private:
    int count_;
    std::vector<TaskId> queue_;  // arrival order; nothing allocated until one waits (as Mutex)
    std::mutex real_mutex_;
    std::condition_variable real_cv_;
};

}  // namespace such::engine
