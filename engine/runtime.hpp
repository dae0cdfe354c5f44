// What scene programs are written against, on either runtime: tasks as C++20
// coroutines, steps (one per primitive operation), objects, and Ctx, the
// handle a task uses. Two runtimes implement it: the deterministic Scheduler
// (every step is a scheduling point) and RealRuntime (every task is a real
// std::thread and every step runs at once on real primitives).
//
// Index
//   [SECTION] Task      - the coroutine type
//   [SECTION] Objects   - what tasks share; views read their snapshots
//   [SECTION] Step      - one operation; a scheduling point on the simulator
//   [SECTION] Ctx       - a task's id, where it stands in the listings, its locals
//   [SECTION] Runtime   - what both runtimes share: objects, tasks, the trace
#pragma once
#include <cstddef>
#include <cstdint>
#include <new>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/block_pool.hpp"
#include "engine/coro.hpp"
#include "engine/trace.hpp"

namespace such::engine {

class Scheduler;
class RealRuntime;
class Runtime;
class Ctx;

// [SECTION] Task

// A misuse a program commits at run time (send on a closed channel, a
// promise set twice...), as Go's panic: the task that throws it dies with the
// message, the run goes on, and the scene reports it. Other exceptions are
// bugs in the engine or the scene, and stop the run.
struct Panic : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// The death another task asked for (an actor's exit(pid, reason)): the task
// dies of exactly that reason, which its monitors and links are told; no line
// of its own is added to it, as to a panic of its own code.
struct ExitSignal : Panic {
    using Panic::Panic;
};

// The return type of every task program. The runtime owns the frame.
class Task {
public:
    struct promise_type {
        coro::Escaped error;
        Task get_return_object() { return Task{coro::handle<promise_type>::from_promise(*this)}; }
        coro::suspend_always initial_suspend() noexcept { return {}; }
        coro::suspend_always final_suspend() noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() { error = std::current_exception(); }
        // Each frame on cache lines of its own (kCacheLine): tasks on real
        // threads write their frames at every step. The simulator makes
        // frames by the thousand (every run of the explorer's): recycled.
        static void* operator new(std::size_t size) { return detail::LinePool::take(size); }
        static void operator delete(void* frame, std::size_t size) { detail::LinePool::give(frame, size); }
    };
    using Handle = coro::handle<promise_type>;
    Task(Task&& other) noexcept : handle_(other.handle_) { other.handle_ = {}; }
    Task& operator=(Task&&) = delete;
    ~Task() {
        if (handle_) handle_.destroy();
    }
    Handle release() {
        auto h = handle_;
        handle_ = {};
        return h;
    }

private:
    explicit Task(Handle h) : handle_(h) {}
    Handle handle_;
};

// [SECTION] Objects

// Kernel: what the operating system keeps for a run on real threads (a child
// process, a pipe(2), a shared mapping: engine/os_process.hpp); views draw its snapshot.
enum class ObjectKind { Variable, Atomic, Mutex, Semaphore, CondVar, TVar, Clock, Channel, Future, Pipe, Memory, Mailbox, Fiber, Links, Stream, Loop, Kernel };

// What a view draws of an object, whatever its type.
struct Snapshot {
    std::string value;            // e.g. "1", "locked", "2 permits"
    TaskId holder = kNone;        // a lock's owner
    std::vector<TaskId> waiting;  // tasks queued on it, in order
    TaskId last_writer = kNone;
    std::int64_t version = -1;    // a TVar's version (the clock at its last commit)
};

class Object {
public:
    Object(std::string name, ObjectKind kind) : name_(std::move(name)), kind_(kind) {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;
    virtual ~Object() = default;
    const std::string& name() const { return name_; }
    // Names an object made before its name was known (a user program names
    // an object after the statement that made it, before any step uses it).
    void rename(std::string name) { name_ = std::move(name); }
    ObjectKind kind() const { return kind_; }
    // What the views say it is, for an object its kind alone does not
    // describe (a program's output is a Variable to the engine); null: the kind's words.
    virtual const char* described() const { return nullptr; }
    ObjectId id() const { return id_; }
    virtual Snapshot snapshot() const = 0;
    // Its state for the explorer's state cache (engine/state_search.hpp):
    // appends every value that decides what steps on it will do, and returns
    // true. An object that does not say keeps every search of its runs
    // stateless (the default).
    virtual bool fingerprint(std::vector<std::int64_t>& out) const {
        (void)out;
        return false;
    }

private:
    friend class Runtime;
    std::string name_;
    ObjectKind kind_;
    ObjectId id_ = kNone;
};

// [SECTION] Step

enum class StepResult { Done, Blocked };

// How a step touches shared state, known before it runs (the explorer's
// dependence relation): two steps commute unless they touch the same object
// and one of them writes, or one of them touches many objects at once.
enum class Access {
    Write,  // changes its object (or may: the safe default)
    Read,   // only looks at its object
    Many,   // touches more than its object (a condition wait, a retry, a select)
    Own,    // touches only its task's own record: a woken step collecting what
            // the step that woke it left there (a parked receive's value)
};

// One operation of a task. On the simulator it is a scheduling point: the task
// suspends, and run() performs it when the policy picks the task. On real
// threads await_ready() performs it at once with run_real(), so the coroutine
// never suspends and runs straight through on its own thread.
class Step {
public:
    Step(Ctx& ctx, ObjectId object) : ctx_(&ctx), object_(object) {}
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;
    virtual ~Step() = default;

    // Simulator: performs the operation. Blocked parks the task until a
    // primitive wakes it; run() is then called again on the same step.
    virtual StepResult run(Scheduler& sched) = 0;
    // Real threads: performs the operation for real (it may block the thread).
    virtual void run_real(RealRuntime& rt);
    // Green threads (RealRuntime with workers): true if the step may have to
    // wait. Such a step suspends its task, and a worker calls run_green: it
    // performs the operation if it can, or registers the task to be woken
    // (RealRuntime::wake) and returns Blocked; after the wake it is called
    // again. Once it has registered, another worker may run the task: touch
    // nothing of the step after that. Others run run_real inline.
    virtual bool waits_green() const { return false; }
    virtual StepResult run_green(RealRuntime& rt);
    // Green threads: performs the step at once if it need not wait (true),
    // so the task goes on without suspending; false: the task suspends and a
    // worker calls run_green (a step may keep a lock for it: the same worker
    // calls it next, before anything else). The default: a step that
    // waits_green() always suspends, any other runs run_real.
    virtual bool try_green(RealRuntime& rt);
    ObjectId object() const { return object_; }
    // The kind of operation, known before it runs (for views and the explorer).
    virtual EventKind kind() const = 0;
    virtual Access access() const { return Access::Write; }
    // Simulator: a guard. While it is false the step is not enabled: its task
    // waits on the step's object without taking a step, and becomes ready when
    // another step opens the guard (a lock on a held mutex waits until the
    // mutex is free). Waiting is then not a step that races the holder's, so
    // the explorer counts one schedule per order of acquisitions, as in the
    // literature's model of locks (Abdulla et al. 2014).
    virtual bool can_begin() const { return true; }
    // Simulator, for the explorer: whether this step may wait at a guard
    // (it overrides can_begin), and whether it may open guards of other
    // tasks' steps on its object (an unlock, a receive that frees a slot).
    // The explorer's race analysis tries, for a step that waited at its
    // guard, the order where it comes before the step that closed it.
    virtual bool has_guard() const { return false; }
    virtual bool opens_guards() const { return false; }
    // Simulator: called, with the waiting task as the current one, each time
    // the scheduler finds the guard closed; the step tells its first wait
    // (an event, a place in its object's queue for the views).
    virtual void waits(Scheduler&) {}
    // Simulator: the task, blocked in this step, was woken (Scheduler::wake).
    virtual void woken() {}
    // Simulator: a task blocked in this step waits for nothing that has to
    // happen (a fiber waiting to be resumed: a generator its caller no longer
    // needs). Once only such tasks are left the run is over, not deadlocked.
    virtual bool dormant() const { return false; }

    // Inline, so that a native thread's step is a direct call of its
    // run_real (the compiler sees the step's final type) with no test of
    // the runtime's mode beyond one flag of the task's own.
    inline bool await_ready();
    void await_suspend(coro::handle<>) noexcept;

protected:
    Ctx* ctx_;
    ObjectId object_;
};

// [SECTION] Ctx

// Where a step stands in the code listings (lines count from 0): on `line` of
// `listing`, running lines first..last -- its own line, and maybe the local
// code on the way to it (a loop's test) or the rest of a statement it ends (a
// select's cases, a block's closing line). Tests check every listed line is
// run by some step (tests/scenes/test_listings.cpp).
struct Place {
    int listing = 0;
    int line = 0;
    int first = 0;
    int last = 0;
};
// No place: a task's end taken as a step of its own, a loop callback with no
// code in the listings (the loop's task runs it on its phase's line).
inline constexpr Place kNowhere{kNone, kNone, kNone, kNone};

struct Local {
    std::string name;
    std::int64_t value;
};

class Ctx {
public:
    // `green`: real threads shared by workers (RealRuntime::green).
    Ctx(Runtime& rt, Scheduler* sched, RealRuntime* real, TaskId id, int listing = 0, bool green = false)
        : rt_(&rt), sched_(sched), real_(real), id_(id), home_(listing), at_once_(real && !green), place_{listing, 0, 0, 0} {}
    TaskId id() const { return id_; }
    Runtime& runtime() const { return *rt_; }
    Scheduler* sched() const { return sched_; }
    RealRuntime* real() const { return real_; }
    // A native thread of its own: every step runs at once, in await_ready.
    bool steps_at_once() const { return at_once_; }

    // Marks the line of the task's own listing the next step stands on. On
    // a native thread only the line is kept (an error names it): the rest of
    // a place is for the simulator's views, and writing it whole at every
    // step took a tenth of a locked increment there. The test is the one
    // Step::await_ready makes next, so the compiler makes it once.
    Ctx& at(int line) {
        if (at_once_) {
            place_.line = line;
        } else {
            place_ = {home_, line, line, line};
        }
        return *this;
    }
    // The next step also runs the lines from `first` down to its own (local
    // code on the way to it, such as its loop's test). Not on a native thread, as above.
    Ctx& from(int first) {
        if (!at_once_) place_.first = first < place_.first ? first : place_.first;
        return *this;
    }
    // The next step also runs the lines after its own, through `last` (the
    // rest of the statement it is: a select's cases, a transaction's end).
    Ctx& through(int last) {
        if (!at_once_) place_.last = last > place_.last ? last : place_.last;
        return *this;
    }
    // A place in any listing: the loop's task runs each callback's lines in
    // the program's listing, and its phases in its own.
    Ctx& at(const Place& place) {
        place_ = place;
        return *this;
    }
    int line() const { return place_.line; }
    const Place& place() const { return place_; }
    int listing() const { return home_; }  // its own listing

    // A task-local variable the views show (the talk's TMP). Ignored on real
    // threads, where nobody watches and it would only cost time.
    void set_local(std::string_view name, std::int64_t value) {
        if (!real_) show_local(name, value);
    }
    using Locals = std::vector<Local, detail::PoolAllocator<Local>>;
    const Locals& locals() const { return locals_; }

    // The task's own state, which the engine cannot see in its coroutine
    // frame: the values that, with its place and its pending step, decide the
    // rest of its run (a loop's counter, a value read and not yet written).
    // The explorer caches states (engine/state_search.hpp) only in runs whose
    // every task declares this before each step, so a task that does promises
    // that two moments with equal places and values have equal futures, and
    // its scene that its outcome depends on nothing else. Ignored on real threads.
    void set_state(std::initializer_list<std::int64_t> values) {
        if (real_) return;
        state_.assign(values.begin(), values.end());
        declares_state_ = true;
    }
    bool declares_state() const { return declares_state_; }
    const std::vector<std::int64_t>& state() const { return state_; }

private:
    // noexcept (it can only run out of memory): the threaded WebAssembly build
    // unwinds with emscripten's JavaScript exceptions, where a call that may
    // throw from a coroutine body is a trip through JavaScript (invoke_*); the
    // race scene's four calls a run cost that build some 5% of its step
    // (bench_scheduler_wasm, the threaded build, side by side with the build before).
    void show_local(std::string_view name, std::int64_t value) noexcept;

    Runtime* rt_;
    Scheduler* sched_;
    RealRuntime* real_;
    TaskId id_;
    int home_;
    bool at_once_;
    Place place_;
    Locals locals_;
    std::vector<std::int64_t> state_;
    bool declares_state_ = false;
};

bool Step::await_ready() {
    if (ctx_->steps_at_once()) {
        run_real(*ctx_->real());
        return true;
    }
    return ctx_->real() && try_green(*ctx_->real());
}

// A step on task-local state only (the "increment TMP" of foo += 1).
class ComputeStep final : public Step {
public:
    ComputeStep(Ctx& ctx, std::string_view what, std::int64_t result) : Step(ctx, kNone), what_(what), result_(result) {}
    // Work whose outcome the task records in an object (what the code after the await does, before the
    // task's next step, belongs to this step): the object and how, declared for the explorer.
    ComputeStep(Ctx& ctx, std::string_view what, std::int64_t result, ObjectId on, Access access)
        : Step(ctx, on), what_(what), result_(result), access_(access) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime&) override {}
    EventKind kind() const override { return EventKind::Compute; }
    Access access() const override { return access_; }
    std::int64_t await_resume() const { return result_; }

private:
    std::string_view what_;  // a literal, or a string that outlives the step
    std::int64_t result_;
    Access access_ = Access::Write;
};

// Waits until the clock has moved on by `ms`. With `computing`, the task is
// busy rather than asleep for that long (a pool worker's job): the same wait,
// told as work. (Name a step that carries a text: g++ 12 may destroy a
// co_await temporary twice, harmless only while its text is empty.)
class SleepStep final : public Step {
public:
    SleepStep(Ctx& ctx, std::uint64_t ms, std::string computing = {}) : Step(ctx, kNone), ms_(ms), computing_(std::move(computing)) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::Sleep; }
    void await_resume() const {}

private:
    std::uint64_t ms_;
    std::string computing_;
    bool started_ = false, done_ = false;
};

// Gives up the processor voluntarily (the cooperative switch point).
class YieldStep final : public Step {
public:
    explicit YieldStep(Ctx& ctx) : Step(ctx, kNone) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    // Green: goes to the back of the run queue, letting the worker run others.
    bool waits_green() const override { return true; }
    StepResult run_green(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::Yield; }
    void await_resume() const {}

private:
    bool requeued_ = false;
};

// [SECTION] Runtime

enum class TaskState { Ready, Blocked, Done };

class Runtime {
public:
    Runtime() = default;
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;
    virtual ~Runtime() = default;

    // Registers an object the scene owns; it must outlive the runtime.
    ObjectId add(Object& object);
    // Creates a task running `program` (which shows code listing `listing`).
    virtual TaskId spawn(std::string name, int listing, const std::function<Task(Ctx&)>& program) = 0;
    virtual bool is_real() const = 0;

    std::size_t object_count() const { return objects_.size(); }
    const Object& object(ObjectId id) const { return *objects_[static_cast<std::size_t>(id)]; }
    const Trace& trace() const { return trace_; }
    // Keep only the latest events (at least `events`; see Trace::keep_last).
    void keep_last_events(std::size_t events) { trace_.keep_last(events); }
    virtual const std::string& task_name(TaskId id) const = 0;
    virtual std::size_t task_count() const = 0;

protected:
    std::vector<Object*> objects_;
    Trace trace_;
};

}  // namespace such::engine
