// Promise steps on the simulator and on real threads.
#include "engine/future.hpp"

#include <algorithm>

namespace such::engine {
namespace {
std::string str(std::int64_t v) { return std::to_string(v); }
}  // namespace

Snapshot Promise::snapshot() const {
    Snapshot s;
    switch (state_) {
    case State::Pending: s.value = dataflow_ ? "unbound" : "pending"; break;
    case State::Fulfilled: s.value = str(value_); break;
    case State::Broken: s.value = "broken"; break;
    }
    s.waiting = waiting_;
    return s;
}

Promise::SetStep Promise::set(Ctx& ctx, std::int64_t value) { return SetStep(ctx, *this, value); }
Promise::GetStep Promise::get(Ctx& ctx) { return GetStep(ctx, *this); }
Promise::ThenStep Promise::then(Ctx& ctx, std::string label, std::function<std::int64_t(std::int64_t)> fn, Promise& target) {
    return ThenStep(ctx, *this, Then{std::move(label), std::move(fn), &target});
}
Promise::BreakStep Promise::drop(Ctx& ctx) { return BreakStep(ctx, *this); }

// The caller holds the lock on real threads. Hands back the continuations to run.
std::string Promise::fulfil(std::int64_t value, std::vector<Then>& run_now) {
    if (state_ == State::Fulfilled) {
        if (dataflow_ && value == value_) return {};  // binding to the same value unifies
        return dataflow_ ? "dataflow variable " + name() + " is bound to " + str(value_) + ", cannot bind it to " + str(value)
                         : "promise " + name() + " set twice";
    }
    if (state_ == State::Broken) return "promise " + name() + " was already dropped";
    state_ = State::Fulfilled;
    value_ = value;
    run_now.swap(thens_);
    return {};
}

// Runs continuations in registration order; each fulfils its own target, whose
// continuations run in turn. Returns the first error.
std::string Promise::run_thens(std::vector<Then>& thens, std::int64_t value, Scheduler* sched) {
    std::string error;
    for (Then& t : thens) {
        const std::int64_t next = t.fn(value);
        std::vector<Then> more;
        std::string e;
        {
            std::unique_lock lock(t.target->real_, std::defer_lock);
            if (!sched) lock.lock();
            e = t.target->fulfil(next, more);
            if (!sched && e.empty()) t.target->real_cv_.notify_all();
        }
        if (sched && e.empty()) {
            for (TaskId w : t.target->waiting_) sched->wake(w);
            sched->emit(EventKind::FutureSet, t.target->id(), next, {.note = Note::Then, .label = sched->label(t.label)});
        }
        if (error.empty()) error = e;
        const std::string deeper = run_thens(more, next, sched);
        if (error.empty()) error = deeper;
    }
    return error;
}

StepResult Promise::SetStep::run(Scheduler& sched) {
    std::vector<Then> run_now;
    error_ = p_.fulfil(value_, run_now);
    if (!error_.empty()) {
        sched.emit(EventKind::FutureSet, object_, value_, {.note = p_.dataflow_ ? Note::RefusedBind : Note::Refused});
        return StepResult::Done;
    }
    for (TaskId w : p_.waiting_) sched.wake(w);
    // arg1 = how many waiting tasks it wakes, arg2 = the first of them.
    sched.emit(EventKind::FutureSet, object_, value_,
               {.note = p_.dataflow_ ? Note::Bound : Note::Plain,
                .arg1 = static_cast<std::int64_t>(p_.waiting_.size()),
                .arg2 = p_.waiting_.empty() ? kNone : p_.waiting_.front()});
    const std::string e = run_thens(run_now, value_, &sched);
    if (error_.empty()) error_ = e;
    return StepResult::Done;
}

void Promise::SetStep::run_real(RealRuntime& rt) {
    std::vector<Then> run_now;
    {
        std::lock_guard lock(p_.real_);
        error_ = p_.fulfil(value_, run_now);
    }
    p_.real_cv_.notify_all();
    rt.record(ctx_->id(), EventKind::FutureSet, object_, value_);
    const std::string e = run_thens(run_now, value_, nullptr);
    if (error_.empty()) error_ = e;
    await_resume();
}

void Promise::SetStep::await_resume() {
    if (!error_.empty()) throw Panic(error_);
}

StepResult Promise::GetStep::run(Scheduler& sched) {
    if (p_.state_ == State::Pending) {
        waited_ = true;
        p_.waiting_.push_back(sched.current());
        p_.waited_.push_back(sched.current());
        sched.emit(EventKind::FutureWait, object_, 0);
        return StepResult::Blocked;
    }
    auto& w = p_.waiting_;
    w.erase(std::remove(w.begin(), w.end(), sched.current()), w.end());
    sched.emit(EventKind::FutureGet, object_, p_.value_, {.note = p_.state_ == State::Broken ? Note::Broken : waited_ ? Note::Woken : Note::Plain});
    return StepResult::Done;
}

void Promise::GetStep::run_real(RealRuntime& rt) {
    std::unique_lock lock(p_.real_);
    if (p_.state_ == State::Pending) p_.waited_.push_back(ctx_->id());
    p_.real_cv_.wait(lock, [&] { return p_.state_ != State::Pending; });
    rt.record(ctx_->id(), EventKind::FutureGet, object_, p_.value_);
}

std::int64_t Promise::GetStep::await_resume() {
    if (p_.state_ == State::Broken) throw Panic("broken promise: " + p_.name() + " was dropped without a value");
    return p_.value_;
}

bool Promise::ThenStep::register_or_run(std::vector<Then>& run_now) {
    if (p_.state_ == State::Fulfilled) {
        run_now.push_back(then_);
        return true;
    }
    p_.thens_.push_back(then_);
    return false;
}

StepResult Promise::ThenStep::run(Scheduler& sched) {
    std::vector<Then> run_now;
    const bool now = register_or_run(run_now);
    // arg1 = the continuation's place in the promise's list.
    sched.emit(EventKind::FutureThen, object_, 0,
               {.note = now ? Note::Now : Note::Plain, .arg1 = static_cast<std::int64_t>(p_.thens_.size()), .label = sched.label(then_.label)});
    error_ = run_thens(run_now, p_.value_, &sched);
    return StepResult::Done;
}

void Promise::ThenStep::run_real(RealRuntime& rt) {
    std::vector<Then> run_now;
    std::int64_t value = 0;
    {
        std::lock_guard lock(p_.real_);
        register_or_run(run_now);
        value = p_.value_;
    }
    rt.record(ctx_->id(), EventKind::FutureThen, object_, 0);
    error_ = run_thens(run_now, value, nullptr);
    await_resume();
}

void Promise::ThenStep::await_resume() {
    if (!error_.empty()) throw Panic(error_);
}

StepResult Promise::BreakStep::run(Scheduler& sched) {
    if (p_.state_ != State::Pending) {
        sched.emit(EventKind::FutureSet, object_, -1, {.note = Note::Kept});
        return StepResult::Done;
    }
    p_.state_ = State::Broken;
    for (TaskId w : p_.waiting_) sched.wake(w);
    sched.emit(EventKind::FutureSet, object_, -1, {.note = Note::Dropped});
    return StepResult::Done;
}

void Promise::BreakStep::run_real(RealRuntime& rt) {
    {
        std::lock_guard lock(p_.real_);
        if (p_.state_ == State::Pending) p_.state_ = State::Broken;
    }
    p_.real_cv_.notify_all();
    rt.record(ctx_->id(), EventKind::FutureSet, object_, -1);
}

}  // namespace such::engine
