// The second runtime: tasks run for real, on the machine's cores, and every
// step runs at once on a real primitive (std::atomic, std::mutex...). Two
// ways to give tasks to OS threads:
//   native (1:1, workers = 0): every task is its own std::thread; a step that
//     must wait blocks its thread;
//   green (M:N, workers = K): K worker threads share all tasks, each worker
//     with its own run queue, an idle worker stealing half of a busy one's
//     queue. A step that must wait (a receive on an empty mailbox, a channel
//     send, receive or select with no partner, a fiber hand-off, a yield)
//     parks its task and frees the worker; the step that ends the wait puts
//     the task back on a run queue. A step without a green form (a mutex)
//     blocks the whole worker, as a blocking system call blocks a
//     green-thread runtime's worker. A task that never waits holds its
//     worker for good: green threads are cooperative.
// Each task records its events into its own buffer (no locks, no strings);
// they are merged into the trace, ordered by time, after the run.
#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/runtime.hpp"

namespace such::engine {

// This process's resident memory in bytes (0 where the system does not say).
std::size_t resident_bytes();
// Bytes the C++ heap has handed out and not taken back (0 where unknown).
// Unlike resident memory it drops when memory is freed, so a second
// measurement in the same process is as good as the first.
std::size_t heap_bytes();
// How much memory a program holds now that it did not at the mark: resident
// memory (it sees thread stacks) or heap (it sees memory a previous run freed
// and this one reused), whichever grew more.
struct MemoryMark {
    std::size_t resident = resident_bytes(), heap = heap_bytes();
    std::size_t grown() const;
};

struct RealOptions {
    bool record = true;                     // off: measure the primitives alone
    std::size_t max_events_per_task = 100000;
    int workers = 0;                        // 0: a native thread per task; K: green threads on K workers
};

class RealRuntime final : public Runtime {
public:
    explicit RealRuntime(RealOptions options = {});
    ~RealRuntime() override;

    // Creates the task's coroutine. Before run() nothing runs; during the run
    // (a task spawning another) it starts at once. Thread-safe.
    TaskId spawn(std::string name, int listing, const std::function<Task(Ctx&)>& program) override;
    bool is_real() const override { return true; }
    std::size_t task_count() const override { return count_.load(std::memory_order_acquire); }
    const std::string& task_name(TaskId id) const override;
    bool green() const { return options_.workers > 0; }
    int workers() const { return options_.workers; }

    // Starts every task at the same moment and waits until all have ended (or,
    // green, until every one left waits for something no one can do: a
    // deadlock, reported as the error). Blocking: call it from a worker
    // thread, never from the UI thread.
    void run();
    bool finished() const { return finished_.load(std::memory_order_acquire); }
    double seconds() const { return seconds_; }
    std::uint64_t events_dropped() const { return dropped_; }
    // What the first failing task threw, if any ("" when all ended normally).
    const std::string& error() const { return error_; }
    // The same, leaving out panics (a program's own misuse, which a scene may
    // show on purpose, as a crash for a supervisor): a bug or a deadlock.
    const std::string& failure() const { return failure_; }
    bool deadlocked() const { return deadlocked_; }

    struct PanicRecord {
        TaskId task;
        std::string message;
    };
    // Tasks that died of a Panic, in the order they died.
    std::vector<PanicRecord> panics() const;
    // Called on the ending task's thread when any task ends: its id and
    // "normal" or its panic message. Add hooks before run().
    void on_exit(std::function<void(RealRuntime&, TaskId, const std::string&)> hook) { exit_hooks_.push_back(std::move(hook)); }

    // Green only, for steps: puts a parked task back on a run queue (the
    // current worker's), and runs `fire` on a worker once `after` has passed.
    // A task woken by a worker's task runs next on that worker, as soon as
    // the waker parks (Go's runnext: a reply runs while the request is still
    // in the cache, with no queue in between); `next` false puts it at the
    // back of the queue instead (a yield).
    void wake(TaskId task, bool next = true);
    void add_timer(std::chrono::nanoseconds after, std::function<void(RealRuntime&)> fire);

    struct GreenStats {
        std::uint64_t switches = 0;  // a worker resuming a task
        std::uint64_t parks = 0;     // a task giving its worker up to wait
        std::uint64_t steals = 0;    // tasks taken from another worker's queue
        std::uint64_t peak_live = 0; // most tasks alive at once
    };
    GreenStats green_stats() const;

    // Called by steps on the task's own thread. With recording off, only the
    // test is inline: a step pays no call for it.
    void record(TaskId task, EventKind kind, ObjectId object, std::int64_t value) {
        if (options_.record) append(task, kind, object, value);
    }

private:
    friend class Step;
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
    // On cache lines of its own (kCacheLine): its task writes its Ctx's
    // place at every step, and the slots of tasks on other threads are next to it.
    struct alignas(kCacheLine) TaskSlot {
        TaskId id = kNone;
        std::string name;
        std::optional<Ctx> ctx;
        Task::Handle handle;
        coro::handle<> inner;   // green: the coroutine that took the pending step
        Step* pending = nullptr;
        Buffer buffer;
        std::string error;
        bool panicked = false;
    };
    // Slots live in fixed chunks, so a task spawned during the run never moves another.
    static constexpr std::size_t kChunk = 4096, kMaxChunks = 1024;
    TaskSlot& slot(TaskId id) const { return chunks_[static_cast<std::size_t>(id) / kChunk][static_cast<std::size_t>(id) % kChunk]; }

    void append(TaskId task, EventKind kind, ObjectId object, std::int64_t value);
    void start_native(TaskSlot& t);
    void run_native();
    void finish(TaskSlot& t);
    void merge();

    // Green (engine/green.cpp).
    // On cache lines of its own: each worker writes its own at every switch.
    struct alignas(kCacheLine) Worker {
        // The task to run once the current one parks (wake's "next"). Only its
        // worker puts a task there; a thief takes it only after sleeping.
        std::atomic<TaskSlot*> next{nullptr};
        int streak = 0;  // tasks run from `next` in a row: the queue gets its turn after kNextStreak
        std::mutex mu;
        std::deque<TaskSlot*> queue;
        std::uint64_t switches = 0, parks = 0, steals = 0;
    };
    struct Timer {
        std::chrono::steady_clock::time_point due;
        std::uint64_t order;
        std::function<void(RealRuntime&)> fire;
    };
    void run_green();
    void work(int me);
    void run_task(TaskSlot& t, Worker& w);
    void push(TaskSlot& t, int worker, bool next = false);
    TaskSlot* pop(int me);
    // Half of another worker's queue; if every queue is empty and this
    // worker has `slept` (been idle a while), another's `next` task: never
    // at once, or two workers would keep taking a reply from each other.
    TaskSlot* steal(int me, bool slept);
    bool sleep(int me);  // false: the run is over
    bool fire_timers();
    void parked(TaskId task, Step* step, coro::handle<> inner) {
        TaskSlot& t = slot(task);
        t.pending = step;
        t.inner = inner;
    }
    std::string deadlock_story() const;

    RealOptions options_;
    mutable std::mutex spawn_mu_;
    std::array<std::unique_ptr<TaskSlot[]>, kMaxChunks> chunks_;
    std::atomic<std::size_t> count_{0};
    std::vector<std::function<void(RealRuntime&, TaskId, const std::string&)>> exit_hooks_;
    std::chrono::steady_clock::time_point start_;
    std::atomic<bool> running_{false};
    std::atomic<bool> finished_{false};
    double seconds_ = 0.0;
    std::uint64_t dropped_ = 0;
    std::string error_, failure_;
    bool deadlocked_ = false;
    mutable std::mutex end_mu_;  // errors and panics
    std::vector<PanicRecord> panics_;

    // Native: threads started during the run join at its end.
    std::mutex threads_mu_;
    std::vector<std::thread> threads_;

    // Green.
    std::vector<std::unique_ptr<Worker>> workers_;
    std::atomic<long> live_{0};
    std::atomic<std::uint64_t> peak_live_{0};
    std::mutex idle_mu_;
    std::condition_variable idle_cv_;
    int sleeping_ = 0;                 // guarded by idle_mu_
    std::atomic<int> sleepers_{0};     // its copy for pushers
    std::atomic<bool> waking_{false};  // a sleeper has been woken and is not yet looking: don't wake another
    bool over_ = false;                // guarded by idle_mu_
    mutable std::mutex timer_mu_;
    std::vector<Timer> timers_;        // a heap on (due, order)
    std::uint64_t timer_order_ = 0;
    std::atomic<std::size_t> timer_count_{0};
};

}  // namespace such::engine
