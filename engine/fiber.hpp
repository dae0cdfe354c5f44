// Fibers: coroutines that hand control back and forth explicitly. The caller
// resume()s the fiber with a value and waits; the fiber runs until it
// yield()s a value back (and waits to be resumed again) or finishes. Exactly
// one side holds control at any moment. Resuming a finished fiber is an
// error (a panic), and so is resuming one that is running for another
// task's resume (a fiber runs for one caller at a time). The fiber's body runs as its own task, which starts by
// waiting for the first resume (start), and ends with finish.
// On native threads the two sides hand control over with a mutex and a
// condition variable; on green threads the side that hands over parks and
// the other is put on a run queue: a switch without the kernel.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

class Fiber final : public Object {
public:
    explicit Fiber(std::string name) : Object(std::move(name), ObjectKind::Fiber) {}

    enum class Side { Caller, Fiber };
    bool finished() const { return finished_; }
    Side control() const { return control_; }
    std::int64_t last_value() const { return value_; }
    std::uint64_t switches() const { return switches_; }
    Snapshot snapshot() const override;

    class SwitchStep;
    // Caller: hands `value` in and waits; gives back what the fiber yields, or
    // nothing when it finishes instead.
    SwitchStep resume(Ctx& caller, std::int64_t value);
    // Fiber: the first thing its body does; waits for the first resume, gives its value.
    SwitchStep start(Ctx& fiber);
    // Fiber: hands `value` out and waits to be resumed; gives the next resume's value.
    SwitchStep yield(Ctx& fiber, std::int64_t value);
    // Fiber: the last thing its body does; control goes back to the caller for good.
    SwitchStep finish(Ctx& fiber);

private:
    enum class Op { Resume, Start, Yield, Finish };
    void hand_to(Side side, std::int64_t value);

    Side control_ = Side::Caller;
    bool finished_ = false;
    std::int64_t value_ = 0;
    std::uint64_t switches_ = 0;
    TaskId caller_ = kNone, fiber_ = kNone;
    TaskId resumer_ = kNone;  // the task whose resume has not come back to it yet: no other may resume
    std::mutex real_;
    std::condition_variable real_cv_;
    TaskId parked_[2] = {kNone, kNone};  // green: the side parked waiting for control, by Side
};

class Fiber::SwitchStep final : public Step {
public:
    SwitchStep(Ctx& ctx, Fiber& f, Op op, std::int64_t value) : Step(ctx, f.id()), f_(f), op_(op), value_(value) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    bool waits_green() const override { return true; }
    StepResult run_green(RealRuntime& rt) override;
    EventKind kind() const override { return op_ == Op::Resume ? EventKind::FiberResume : EventKind::FiberYield; }
    std::optional<std::int64_t> await_resume();
    // The fiber's side waiting to be resumed: a fiber its callers stopped
    // resuming is a generator no longer needed, not a task stuck for good.
    bool dormant() const override { return waiting_ && (op_ == Op::Start || op_ == Op::Yield); }

private:
    void hand_over();
    bool back() const;
    std::string refusal() const;
    Fiber& f_;
    Op op_;
    std::int64_t value_;
    bool waiting_ = false;
    bool refused_ = false;
    bool busy_ = false;  // refused because another task's resume holds the fiber, not because it finished
};

}  // namespace such::engine
