// An atomic integer: load, store, fetch-add and compare-and-swap are each one
// indivisible step. On real threads they are std::atomic operations.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

class Atomic final : public Object {
public:
    Atomic(std::string name, std::int64_t initial) : Object(std::move(name), ObjectKind::Atomic), value_(initial) {}

    std::int64_t value() const { return value_.load(); }
    Snapshot snapshot() const override { return {std::to_string(value()), kNone, {}, last_writer_}; }
    // Its value (the last writer is only shown).
    bool fingerprint(std::vector<std::int64_t>& out) const override {
        out.push_back(value());
        return true;
    }

    enum class Op { Load, Store, FetchAdd, CompareExchange };

    // One atomic operation; await_resume gives the value seen before it
    // (for compare-exchange, test succeeded() or compare with `expected`).
    // The operation is the step's type, not a field: a native thread's
    // increment is then the fetch-add and nothing to decide around it.
    template <Op kOp>
    class OpStep final : public Step {
    public:
        static constexpr EventKind kKind = kOp == Op::Load    ? EventKind::Read
                                           : kOp == Op::Store ? EventKind::Write
                                           : kOp == Op::FetchAdd ? EventKind::FetchAdd
                                                                 : EventKind::Cas;
        OpStep(Ctx& ctx, Atomic& a, std::int64_t arg, std::int64_t expected = 0)
            : Step(ctx, a.id()), a_(a), arg_(arg), expected_(expected) {}
        StepResult run(Scheduler& sched) override {
            apply();
            if constexpr (kOp != Op::Load) a_.last_writer_ = sched.current();
            // fetch_add: arg1 = the delta; CAS: arg1 = expected, arg2 = desired
            // (it succeeded exactly when the value seen equals arg1).
            sched.emit(kKind, a_.id(), result_, {.arg1 = kOp == Op::CompareExchange ? expected_ : arg_, .arg2 = arg_});
            return StepResult::Done;
        }
        void run_real(RealRuntime& rt) override {
            apply();
            rt.record(ctx_->id(), kKind, object_, result_);
        }
        EventKind kind() const override { return kKind; }
        std::int64_t await_resume() const { return result_; }
        bool succeeded() const { return ok_; }

    private:
        void apply() {
            if constexpr (kOp == Op::Load) {
                result_ = a_.value_.load();
            } else if constexpr (kOp == Op::Store) {
                a_.value_.store(arg_);
                result_ = arg_;
            } else if constexpr (kOp == Op::FetchAdd) {
                result_ = a_.value_.fetch_add(arg_);
            } else {
                std::int64_t seen = expected_;
                ok_ = a_.value_.compare_exchange_strong(seen, arg_);
                result_ = seen;
            }
        }
        Atomic& a_;
        std::int64_t arg_, expected_;
        std::int64_t result_ = 0;
        bool ok_ = false;
    };

    OpStep<Op::Load> load(Ctx& ctx) { return {ctx, *this, 0}; }
    OpStep<Op::Store> store(Ctx& ctx, std::int64_t v) { return {ctx, *this, v}; }
    OpStep<Op::FetchAdd> fetch_add(Ctx& ctx, std::int64_t delta) { return {ctx, *this, delta}; }
    // Returns the value seen; it equals `expected` exactly when the swap happened.
    OpStep<Op::CompareExchange> compare_exchange(Ctx& ctx, std::int64_t expected, std::int64_t desired) {
        return {ctx, *this, desired, expected};
    }

private:
    alignas(kCacheLine) std::atomic<std::int64_t> value_;  // its own line: threads contend for it, not for the name
    TaskId last_writer_ = kNone;
};

}  // namespace such::engine
