// Processes and IPC. A process's memory is private: only the tasks of the
// process that owns it can read or write it; any other task that tries
// panics ("processes share nothing"). They talk through pipes: byte streams
// with a capacity, where a write waits while the pipe is full, a read waits
// while it is empty, and once the writer closes its end, reads drain what is
// left and then get end-of-file. What crosses a pipe is copied: the reader
// gets its own bytes.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

// The private memory of one process: named integers and one text buffer.
class ProcessMemory final : public Object {
public:
    explicit ProcessMemory(std::string process) : Object(std::move(process), ObjectKind::Memory) {}
    // The tasks that belong to this process (set when it is spawned).
    void add_task(TaskId task) { tasks_.push_back(task); }
    const std::vector<TaskId>& tasks() const { return tasks_; }
    std::int64_t value(const std::string& name) const;
    const std::map<std::string, std::int64_t>& values() const { return values_; }
    const std::string& text() const { return text_; }
    Snapshot snapshot() const override;

    class AccessStep;
    AccessStep read(Ctx& ctx, std::string name);
    AccessStep write(Ctx& ctx, std::string name, std::int64_t value);
    // Appends bytes to the process's text buffer (what it will print).
    AccessStep append(Ctx& ctx, std::string bytes);

private:
    bool owns(TaskId task) const;
    std::vector<TaskId> tasks_;
    std::map<std::string, std::int64_t> values_;
    std::string text_;
    std::mutex real_;  // threads of one process share its memory
};

class ProcessMemory::AccessStep final : public Step {
public:
    enum class Op { Read, Write, Append };
    AccessStep(Ctx& ctx, ProcessMemory& m, Op op, std::string name, std::int64_t value, std::string bytes)
        : Step(ctx, m.id()), m_(m), op_(op), name_(std::move(name)), value_(value), bytes_(std::move(bytes)) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return op_ == Op::Read ? EventKind::Read : EventKind::Write; }
    std::int64_t await_resume();

private:
    bool perform(TaskId who, const std::string& who_name);
    ProcessMemory& m_;
    Op op_;
    std::string name_;
    std::int64_t value_;
    std::string bytes_;
    std::string error_;
};

class Pipe final : public Object {
public:
    Pipe(std::string name, std::size_t capacity) : Object(std::move(name), ObjectKind::Pipe), capacity_(capacity) {}
    std::size_t capacity() const { return capacity_; }
    const std::string& bytes() const { return bytes_; }
    bool closed() const { return closed_; }
    Snapshot snapshot() const override;

    class WriteStep;
    class ReadStep;
    class CloseStep;
    WriteStep write(Ctx& ctx, std::string bytes);  // all of them, waiting for room as needed
    ReadStep read(Ctx& ctx, std::size_t max);      // 1..max bytes; "" means end of file
    CloseStep close(Ctx& ctx);                     // the writing end

private:
    std::size_t capacity_;
    std::string bytes_;
    bool closed_ = false;
    std::vector<TaskId> readers_, writers_;  // simulator: who waits
    std::mutex real_;
    std::condition_variable real_cv_;
};

class Pipe::WriteStep final : public Step {
public:
    WriteStep(Ctx& ctx, Pipe& p, std::string bytes) : Step(ctx, p.id()), p_(p), left_(std::move(bytes)) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::PipeWrite; }
    void await_resume();

private:
    std::size_t put();  // as much as fits
    Pipe& p_;
    std::string left_;
    bool broken_ = false;
};

class Pipe::ReadStep final : public Step {
public:
    ReadStep(Ctx& ctx, Pipe& p, std::size_t max) : Step(ctx, p.id()), p_(p), max_(max) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::PipeRead; }
    std::string await_resume() { return std::move(got_); }

private:
    void take();
    Pipe& p_;
    std::size_t max_;
    std::string got_;
};

class Pipe::CloseStep final : public Step {
public:
    CloseStep(Ctx& ctx, Pipe& p) : Step(ctx, p.id()), p_(p) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::PipeClose; }
    void await_resume() const {}

private:
    Pipe& p_;
};

}  // namespace such::engine
