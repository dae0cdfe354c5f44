// Fiber hand-offs on the simulator and on real threads.
#include "engine/fiber.hpp"

#include <utility>

namespace such::engine {

Snapshot Fiber::snapshot() const {
    Snapshot s;
    s.value = finished_ ? "finished" : control_ == Side::Caller ? "caller has control" : "fiber has control";
    s.value += ", last value " + std::to_string(value_);
    s.holder = control_ == Side::Caller ? caller_ : fiber_;
    return s;
}

Fiber::SwitchStep Fiber::resume(Ctx& caller, std::int64_t value) { return SwitchStep(caller, *this, Op::Resume, value); }
Fiber::SwitchStep Fiber::start(Ctx& fiber) { return SwitchStep(fiber, *this, Op::Start, 0); }
Fiber::SwitchStep Fiber::yield(Ctx& fiber, std::int64_t value) { return SwitchStep(fiber, *this, Op::Yield, value); }
Fiber::SwitchStep Fiber::finish(Ctx& fiber) { return SwitchStep(fiber, *this, Op::Finish, 0); }

void Fiber::hand_to(Side side, std::int64_t value) {
    control_ = side;
    value_ = value;
    ++switches_;
}

// A side that hands control over waits until it comes back (or, for the
// caller, until the fiber finishes).
StepResult Fiber::SwitchStep::run(Scheduler& sched) {
    if (waiting_) {
        const bool back = op_ == Op::Resume ? f_.control_ == Side::Caller : f_.control_ == Side::Fiber;
        if (!back) return StepResult::Blocked;  // woken early: keep waiting
        if (op_ == Op::Resume) f_.resumer_ = kNone;
        sched.emit(kind(), object_, f_.value_, {.note = op_ != Op::Resume ? Note::Resumed : f_.finished_ ? Note::BackFinished : Note::Back});
        return StepResult::Done;
    }
    switch (op_) {
    case Op::Resume:
        if (f_.finished_ || f_.resumer_ != kNone) {
            // Finished, or running for another task's resume that has not come
            // back to it yet: a fiber runs for one caller at a time (Lua:
            // "cannot resume non-suspended coroutine"). Taking it over would
            // hand the other caller's value to this one, or lose its resume.
            refused_ = true;
            busy_ = !f_.finished_;
            sched.emit(kind(), object_, value_, {.note = Note::Refused, .arg1 = busy_ ? 1 : 0});
            return StepResult::Done;
        }
        f_.caller_ = f_.resumer_ = sched.current();
        f_.hand_to(Side::Fiber, value_);
        if (f_.fiber_ != kNone) sched.wake(f_.fiber_);
        sched.emit(kind(), object_, value_);
        break;
    case Op::Start:
        f_.fiber_ = sched.current();
        if (f_.control_ == Side::Fiber) {  // resumed before it got here
            sched.emit(kind(), object_, f_.value_, {.note = Note::Started});
            return StepResult::Done;
        }
        sched.emit(kind(), object_, 0, {.note = Note::WaitFirst});
        break;
    case Op::Yield:
        f_.hand_to(Side::Caller, value_);
        if (f_.caller_ != kNone) sched.wake(f_.caller_);
        sched.emit(kind(), object_, value_, {.note = Note::Yielded});
        break;
    case Op::Finish:
        f_.finished_ = true;
        f_.hand_to(Side::Caller, f_.value_);
        if (f_.caller_ != kNone) sched.wake(f_.caller_);
        sched.emit(kind(), object_, 0, {.note = Note::Finished});
        return StepResult::Done;
    }
    waiting_ = true;
    return StepResult::Blocked;
}

// Real threads (under real_): what the operation changes, and whether control
// is back on this side (or there is nothing to wait for).
void Fiber::SwitchStep::hand_over() {
    switch (op_) {
    case Op::Resume:
        if (f_.finished_ || f_.resumer_ != kNone) {
            refused_ = true;
            busy_ = !f_.finished_;
        } else {
            f_.resumer_ = ctx_->id();
            f_.hand_to(Side::Fiber, value_);
        }
        break;
    case Op::Start: break;
    case Op::Yield: f_.hand_to(Side::Caller, value_); break;
    case Op::Finish:
        f_.finished_ = true;
        f_.hand_to(Side::Caller, f_.value_);
        break;
    }
}

bool Fiber::SwitchStep::back() const { return refused_ || op_ == Op::Finish || f_.control_ == (op_ == Op::Resume ? Side::Caller : Side::Fiber); }

void Fiber::SwitchStep::run_real(RealRuntime& rt) {
    std::unique_lock lock(f_.real_);
    hand_over();
    if (op_ != Op::Start && !refused_) f_.real_cv_.notify_all();
    f_.real_cv_.wait(lock, [&] { return back(); });
    if (op_ == Op::Resume && !refused_) f_.resumer_ = kNone;
    lock.unlock();
    rt.record(ctx_->id(), kind(), object_, f_.value_);
    if (refused_) throw Panic(refusal());
}

// Green: the same hand-offs, but a side waiting for control parks its task
// (parked_) and the side handing control over wakes it.
StepResult Fiber::SwitchStep::run_green(RealRuntime& rt) {
    const TaskId me = ctx_->id();
    const Side mine = op_ == Op::Resume ? Side::Caller : Side::Fiber;
    const Side other = mine == Side::Caller ? Side::Fiber : Side::Caller;
    TaskId wake = kNone;
    {
        std::lock_guard lock(f_.real_);
        if (!waiting_) {
            waiting_ = true;
            hand_over();
            if (op_ != Op::Start) wake = std::exchange(f_.parked_[static_cast<int>(other)], kNone);
        }
        if (back()) {
            if (op_ == Op::Resume && !refused_) f_.resumer_ = kNone;
            const std::int64_t v = f_.value_;
            if (wake != kNone) rt.wake(wake);
            rt.record(me, kind(), object_, v);
            return StepResult::Done;
        }
        f_.parked_[static_cast<int>(mine)] = me;
    }
    // Parked: from here on the task may run elsewhere; use locals only.
    if (wake != kNone) rt.wake(wake);
    return StepResult::Blocked;
}

std::string Fiber::SwitchStep::refusal() const {
    return busy_ ? "resume of " + f_.name() + ", which another task has resumed and not yet got back: a fiber runs for one caller at a time"
                 : "resume of " + f_.name() + ", which has finished";
}

std::optional<std::int64_t> Fiber::SwitchStep::await_resume() {
    if (refused_) throw Panic(refusal());
    if (op_ == Op::Resume && f_.finished_) return std::nullopt;
    return f_.value_;
}

}  // namespace such::engine
