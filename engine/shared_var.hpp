// A shared variable with no atomicity: reading and writing are separate steps,
// so `foo += 1` is read, compute, write, and another task can run in between.
// On real threads a read is a relaxed load and a write a relaxed store: the
// machine's plain load-add-store, so updates are really lost, with no
// undefined behaviour in our own program.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

class SharedVar : public Object {
public:
    SharedVar(std::string name, std::int64_t initial) : Object(std::move(name), ObjectKind::Variable), value_(initial) {}

    std::int64_t value() const { return value_.load(std::memory_order_relaxed); }
    Snapshot snapshot() const override { return {std::to_string(value()), kNone, {}, last_writer_}; }
    // Its value (the last writer is only shown).
    bool fingerprint(std::vector<std::int64_t>& out) const override {
        out.push_back(value());
        return true;
    }

    class ReadStep final : public Step {
    public:
        ReadStep(Ctx& ctx, SharedVar& var) : Step(ctx, var.id()), var_(var) {}
        StepResult run(Scheduler& sched) override {
            seen_ = var_.value();
            sched.emit(EventKind::Read, var_.id(), seen_);
            return StepResult::Done;
        }
        void run_real(RealRuntime& rt) override {
            seen_ = var_.value_.load(std::memory_order_relaxed);
            rt.record(ctx_->id(), EventKind::Read, var_.id(), seen_);
        }
        EventKind kind() const override { return EventKind::Read; }
        Access access() const override { return Access::Read; }
        std::int64_t await_resume() const { return seen_; }

    private:
        SharedVar& var_;
        std::int64_t seen_ = 0;
    };

    class WriteStep final : public Step {
    public:
        WriteStep(Ctx& ctx, SharedVar& var, std::int64_t value) : Step(ctx, var.id()), var_(var), value_(value) {}
        StepResult run(Scheduler& sched) override {
            var_.value_.store(value_, std::memory_order_relaxed);
            var_.last_writer_ = sched.current();
            sched.emit(EventKind::Write, var_.id(), value_);
            return StepResult::Done;
        }
        void run_real(RealRuntime& rt) override {
            var_.value_.store(value_, std::memory_order_relaxed);
            rt.record(ctx_->id(), EventKind::Write, var_.id(), value_);
        }
        EventKind kind() const override { return EventKind::Write; }
        void await_resume() const {}

    private:
        SharedVar& var_;
        std::int64_t value_;
    };

    ReadStep read(Ctx& ctx) { return ReadStep(ctx, *this); }
    WriteStep write(Ctx& ctx, std::int64_t value) { return WriteStep(ctx, *this, value); }

private:
    alignas(kCacheLine) std::atomic<std::int64_t> value_;  // its own line: threads contend for it, not for the name
    TaskId last_writer_ = kNone;
};

}  // namespace such::engine
