// The deterministic scheduler: tasks are C++20 coroutines, every primitive
// operation is one awaitable step, and a policy picks which task steps next.
//
// Index
//   [SECTION] Tasks and steps   - Task (the coroutine type), Step (one scheduling point)
//   [SECTION] Objects            - what a task can touch; views read their snapshots
//   [SECTION] Ctx                - the handle a program uses: its id, its line, its locals
//   [SECTION] Scheduler          - policies, stepping, verdicts, the trace
#pragma once
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/coro.hpp"
#include "engine/rng.hpp"
#include "engine/trace.hpp"

namespace such::engine {

class Scheduler;
class Ctx;

// [SECTION] Tasks and steps

// The return type of every task program. The scheduler owns the frame.
class Task {
public:
    struct promise_type {
        std::exception_ptr error;
        Task get_return_object() { return Task{coro::handle<promise_type>::from_promise(*this)}; }
        coro::suspend_always initial_suspend() noexcept { return {}; }
        coro::suspend_always final_suspend() noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() { error = std::current_exception(); }
    };
    Task(Task&& other) noexcept : handle_(other.handle_) { other.handle_ = {}; }
    Task& operator=(Task&&) = delete;
    ~Task() {
        if (handle_) handle_.destroy();
    }
    coro::handle<promise_type> release() {
        auto h = handle_;
        handle_ = {};
        return h;
    }

private:
    explicit Task(coro::handle<promise_type> h) : handle_(h) {}
    coro::handle<promise_type> handle_;
};

enum class StepResult { Done, Blocked };

// One scheduling point: the operation a task will perform when it is next
// picked. It lives in the task's coroutine frame while the task waits.
class Step {
public:
    Step(Ctx& ctx, ObjectId object) : ctx_(&ctx), object_(object) {}
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;
    virtual ~Step() = default;

    // Performs the operation. Blocked parks the task until a primitive wakes
    // it; run() is then called again on the same step.
    virtual StepResult run(Scheduler& sched) = 0;
    ObjectId object() const { return object_; }

    bool await_ready() const noexcept { return false; }
    void await_suspend(coro::handle<>) noexcept;

protected:
    Ctx* ctx_;
    ObjectId object_;
};

// [SECTION] Objects

enum class ObjectKind { Variable, Mutex };

// What a view draws of an object, independent of its type.
struct Snapshot {
    std::string value;               // e.g. "1"
    TaskId holder = kNone;           // a lock's owner
    std::vector<TaskId> waiting;     // a lock's FIFO queue
};

class Object {
public:
    Object(std::string name, ObjectKind kind) : name_(std::move(name)), kind_(kind) {}
    virtual ~Object() = default;
    const std::string& name() const { return name_; }
    ObjectKind kind() const { return kind_; }
    ObjectId id() const { return id_; }
    virtual Snapshot snapshot() const = 0;

private:
    friend class Scheduler;
    std::string name_;
    ObjectKind kind_;
    ObjectId id_ = kNone;
};

// [SECTION] Ctx

struct Local {
    std::string name;
    std::int64_t value;
};

class Ctx {
public:
    Ctx(Scheduler& sched, TaskId id) : sched_(&sched), id_(id) {}
    TaskId id() const { return id_; }
    Scheduler& sched() const { return *sched_; }

    // Marks the listing line the next step belongs to (0-based).
    Ctx& at(int line) {
        line_ = line;
        return *this;
    }
    int line() const { return line_; }

    // A task-local variable the views show (the talk's TMP).
    void set_local(std::string_view name, std::int64_t value);
    const std::vector<Local>& locals() const { return locals_; }

private:
    friend class Step;
    Scheduler* sched_;
    TaskId id_;
    int line_ = 0;
    std::vector<Local> locals_;
};

// A step on task-local state only (the "increment TMP" of foo += 1).
class ComputeStep final : public Step {
public:
    ComputeStep(Ctx& ctx, std::string what, std::int64_t result)
        : Step(ctx, kNone), what_(std::move(what)), result_(result) {}
    StepResult run(Scheduler& sched) override;
    std::int64_t await_resume() const { return result_; }

private:
    std::string what_;
    std::int64_t result_;
};

// Gives up the processor voluntarily (the cooperative switch point).
class YieldStep final : public Step {
public:
    explicit YieldStep(Ctx& ctx) : Step(ctx, kNone) {}
    StepResult run(Scheduler& sched) override;
    void await_resume() const {}
};

// [SECTION] Scheduler

enum class Policy {
    Cooperative,  // a task runs until it yields, blocks or ends
    Preemptive,   // seeded random switch at any step, after a quantum
    Manual,       // the user picks every step (step_task)
    Replay,       // a recorded list of choices
};

std::string_view to_string(Policy policy);
bool parse_policy(std::string_view text, Policy& out);

enum class TaskState { Ready, Blocked, Done };

struct Config {
    std::uint64_t seed = 1;
    Policy policy = Policy::Preemptive;
    int quantum = 1;                  // steps a task keeps the core before a random pick
    std::vector<TaskId> replay;       // used by Policy::Replay
};

enum class Verdict { Running, Finished, Deadlock, ReplayDiverged };

struct TaskView {
    std::string name;
    TaskState state;
    int listing;      // which code listing this task runs
    int line;         // current line in it
    ObjectId waiting_on;
    const std::vector<Local>* locals;
};

class Scheduler {
public:
    explicit Scheduler(Config config);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Registers an object the scene owns; it must outlive the scheduler's run.
    ObjectId add(Object& object);
    // Creates a task and runs its program up to its first step.
    TaskId spawn(std::string name, int listing, const std::function<Task(Ctx&)>& program);

    // Tasks that can take a step now, in id order.
    std::vector<TaskId> runnable() const;
    // Lets the policy choose and performs one step; false once the run is over.
    bool step();
    // Performs one step of the given task (manual policy, replay, explorer).
    // Returns false if the task cannot step now.
    bool step_task(TaskId task);
    // Runs until the run is over or max_steps have been taken.
    void run(std::uint64_t max_steps = 100000);

    Verdict verdict() const { return verdict_; }
    const std::string& verdict_detail() const { return verdict_detail_; }
    std::uint64_t steps() const { return step_; }
    const Trace& trace() const { return trace_; }
    const std::vector<TaskId>& choices() const { return choices_; }
    const Config& config() const { return config_; }

    std::size_t task_count() const { return tasks_.size(); }
    TaskView task(TaskId id) const;
    std::size_t object_count() const { return objects_.size(); }
    const Object& object(ObjectId id) const { return *objects_[static_cast<std::size_t>(id)]; }

    // For primitives: the task being stepped, waking a parked task, events.
    TaskId current() const { return current_; }
    void wake(TaskId task);
    void emit(EventKind kind, ObjectId object, std::int64_t value, std::string detail);
    const std::string& task_name(TaskId id) const;

private:
    friend class Step;
    friend class YieldStep;
    struct TaskSlot;
    TaskId choose();
    void resume(TaskId id);
    void finish_check();

    Config config_;
    Rng rng_;
    std::vector<std::unique_ptr<TaskSlot>> tasks_;
    std::vector<Object*> objects_;
    Trace trace_;
    std::vector<TaskId> choices_;
    std::uint64_t step_ = 0;
    TaskId current_ = kNone;
    TaskId last_ = kNone;
    int run_length_ = 0;
    bool yielded_ = false;
    Verdict verdict_ = Verdict::Running;
    std::string verdict_detail_;
};

}  // namespace such::engine
