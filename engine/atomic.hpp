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
    class OpStep final : public Step {
    public:
        OpStep(Ctx& ctx, Atomic& a, Op op, std::int64_t arg, std::int64_t expected = 0)
            : Step(ctx, a.id()), a_(a), op_(op), arg_(arg), expected_(expected) {}
        StepResult run(Scheduler& sched) override {
            apply();
            if (op_ != Op::Load) a_.last_writer_ = sched.current();
            // fetch_add: arg1 = the delta; CAS: arg1 = expected, arg2 = desired
            // (it succeeded exactly when the value seen equals arg1).
            sched.emit(kind(), a_.id(), result_, {.arg1 = op_ == Op::CompareExchange ? expected_ : arg_, .arg2 = arg_});
            return StepResult::Done;
        }
        void run_real(RealRuntime& rt) override {
            apply();
            rt.record(ctx_->id(), kind(), a_.id(), result_);
        }
        EventKind kind() const override {
            switch (op_) {
            case Op::Load: return EventKind::Read;
            case Op::Store: return EventKind::Write;
            case Op::FetchAdd: return EventKind::FetchAdd;
            case Op::CompareExchange: return EventKind::Cas;
            }
            return EventKind::Read;
        }
        std::int64_t await_resume() const { return result_; }
        bool succeeded() const { return ok_; }

    private:
        void apply() {
            switch (op_) {
            case Op::Load: result_ = a_.value_.load(); break;
            case Op::Store: a_.value_.store(arg_); result_ = arg_; break;
            case Op::FetchAdd: result_ = a_.value_.fetch_add(arg_); break;
            case Op::CompareExchange: {
                std::int64_t seen = expected_;
                ok_ = a_.value_.compare_exchange_strong(seen, arg_);
                result_ = seen;
                break;
            }
            }
        }
        Atomic& a_;
        Op op_;
        std::int64_t arg_, expected_;
        std::int64_t result_ = 0;
        bool ok_ = false;
    };

    OpStep load(Ctx& ctx) { return OpStep(ctx, *this, Op::Load, 0); }
    OpStep store(Ctx& ctx, std::int64_t v) { return OpStep(ctx, *this, Op::Store, v); }
    OpStep fetch_add(Ctx& ctx, std::int64_t delta) { return OpStep(ctx, *this, Op::FetchAdd, delta); }
    // Returns the value seen; it equals `expected` exactly when the swap happened.
    OpStep compare_exchange(Ctx& ctx, std::int64_t expected, std::int64_t desired) {
        return OpStep(ctx, *this, Op::CompareExchange, desired, expected);
    }

private:
    alignas(kCacheLine) std::atomic<std::int64_t> value_;  // its own line: threads contend for it, not for the name
    TaskId last_writer_ = kNone;
};

}  // namespace such::engine
