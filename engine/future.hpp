// Promises and futures, and dataflow variables. A promise is set once; get
// waits until it is; `then` continuations run after the value is set, in the
// order they were registered, once each (at once if it already is). A
// promise dropped unset is broken: every get on it panics. A dataflow
// variable is the same single-assignment cell, bound rather than set: binding
// it again to the same value is fine (unification), to another is an error.
// On real threads a cell is a std::mutex and a condition variable.
#pragma once
#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

class Promise : public Object {
public:
    enum class State { Pending, Fulfilled, Broken };
    explicit Promise(std::string name, bool dataflow = false) : Object(std::move(name), ObjectKind::Future), dataflow_(dataflow) {}

    State state() const { return state_; }
    std::int64_t value() const { return value_; }
    bool dataflow() const { return dataflow_; }
    std::size_t continuations() const { return thens_.size(); }
    const std::vector<TaskId>& waiting() const { return waiting_; }
    // Whether this task ever had to wait in get (the value was not there yet).
    bool waited(TaskId task) const { return std::find(waited_.begin(), waited_.end(), task) != waited_.end(); }
    Snapshot snapshot() const override;

    class SetStep;
    class GetStep;
    class ThenStep;
    class BreakStep;
    SetStep set(Ctx& ctx, std::int64_t value);    // bind, for a dataflow variable
    GetStep get(Ctx& ctx);                        // waits until set; panics if broken
    // When set: target.set(fn(value)); runs at once if already set.
    ThenStep then(Ctx& ctx, std::string label, std::function<std::int64_t(std::int64_t)> fn, Promise& target);
    BreakStep drop(Ctx& ctx);                     // the producer gives up without a value

private:
    struct Then {
        std::string label;
        std::function<std::int64_t(std::int64_t)> fn;
        Promise* target;
    };
    // Sets under the lock; returns the continuations to run (outside it) and an error, if any.
    std::string fulfil(std::int64_t value, std::vector<Then>& run_now);
    static std::string run_thens(std::vector<Then>& thens, std::int64_t value, Scheduler* sched);

    bool dataflow_;
    State state_ = State::Pending;
    std::int64_t value_ = 0;
    std::vector<TaskId> waiting_;
    std::vector<TaskId> waited_;
    std::vector<Then> thens_;
    std::mutex real_;
    std::condition_variable real_cv_;
};

class Promise::SetStep final : public Step {
public:
    SetStep(Ctx& ctx, Promise& p, std::int64_t value) : Step(ctx, p.id()), p_(p), value_(value) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::FutureSet; }
    // Its continuations run inside it and set their own targets: with any
    // registered, it touches more than its promise.
    Access access() const override { return p_.thens_.empty() ? Access::Write : Access::Many; }
    void await_resume();

private:
    Promise& p_;
    std::int64_t value_;
    std::string error_;
};

class Promise::GetStep final : public Step {
public:
    GetStep(Ctx& ctx, Promise& p) : Step(ctx, p.id()), p_(p) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::FutureGet; }
    std::int64_t await_resume();

private:
    Promise& p_;
    bool waited_ = false;
};

class Promise::ThenStep final : public Step {
public:
    ThenStep(Ctx& ctx, Promise& p, Then then) : Step(ctx, p.id()), p_(p), then_(std::move(then)) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::FutureThen; }
    // On a promise that has its value the continuation runs at once, here.
    Access access() const override { return p_.state_ == State::Fulfilled ? Access::Many : Access::Write; }
    void await_resume();

private:
    bool register_or_run(std::vector<Then>& run_now);
    Promise& p_;
    Then then_;
    std::string error_;
};

class Promise::BreakStep final : public Step {
public:
    BreakStep(Ctx& ctx, Promise& p) : Step(ctx, p.id()), p_(p) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::FutureSet; }
    void await_resume() const {}

private:
    Promise& p_;
};

}  // namespace such::engine
