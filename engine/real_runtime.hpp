// The second runtime: every task is a real std::thread and every step runs at
// once on a real primitive (std::atomic, std::mutex...). Each thread records
// its events into its own buffer (no locks, no strings); they are merged into
// the trace, ordered by time, after the run.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/runtime.hpp"

namespace such::engine {

struct RealOptions {
    bool record = true;                     // off: measure the primitives alone
    std::size_t max_events_per_task = 100000;
};

class RealRuntime final : public Runtime {
public:
    explicit RealRuntime(RealOptions options = {});
    ~RealRuntime() override;

    // Creates the task's coroutine; nothing runs until run().
    TaskId spawn(std::string name, int listing, const std::function<Task(Ctx&)>& program) override;
    bool is_real() const override { return true; }
    std::size_t task_count() const override { return tasks_.size(); }
    const std::string& task_name(TaskId id) const override;

    // Starts every task on its own thread at the same moment and waits for all
    // of them. Blocking: call it from a worker thread, never from the UI thread.
    void run();
    bool finished() const { return finished_.load(std::memory_order_acquire); }
    double seconds() const { return seconds_; }
    std::uint64_t events_dropped() const { return dropped_; }
    // What a task threw, if any ("" when all ended normally).
    const std::string& error() const { return error_; }

    // Called by steps on the task's own thread.
    void record(TaskId task, EventKind kind, ObjectId object, std::int64_t value) {
        if (!options_.record) return;
        auto& buffer = buffers_[static_cast<std::size_t>(task)];
        if (buffer.events.size() == options_.max_events_per_task) {
            ++buffer.dropped;
            return;
        }
        const auto now = std::chrono::steady_clock::now() - start_;
        buffer.events.push_back({static_cast<std::uint64_t>(now.count()), object, kind, value});
    }

private:
    struct Recorded {
        std::uint64_t ns;
        ObjectId object;
        EventKind kind;
        std::int64_t value;
    };
    struct Buffer {
        std::vector<Recorded> events;
        std::uint64_t dropped = 0;
    };
    struct TaskSlot;
    void merge();

    RealOptions options_;
    std::vector<std::unique_ptr<TaskSlot>> tasks_;
    std::vector<Buffer> buffers_;
    std::chrono::steady_clock::time_point start_;
    std::atomic<bool> finished_{false};
    double seconds_ = 0.0;
    std::uint64_t dropped_ = 0;
    std::string error_;
};

}  // namespace such::engine
