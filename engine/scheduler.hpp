// The deterministic scheduler: virtual cores and virtual time; a policy picks
// which ready task takes its next step. Same seed and policy, same trace, on
// every platform.
//
// Ticks and cores: with C cores, up to C different tasks step in one tick (one
// column of the timeline): parallelism. With 1 core every tick has one step
// and tasks only interleave: concurrency. The choice list (which task
// stepped, in order) determines the whole run, ticks and cores included, so a
// replay of the choices reproduces the trace exactly.
//
// The clock (virtual milliseconds, what sleeps, timeouts and timers wait for)
// is not the tick count: a step takes no time, and the clock moves only when
// no task can step and a timer is pending -- then it jumps to the earliest
// timer, which fires (as in a discrete-event simulation, or Go's synctest).
// So reordering steps that commute can never change which timer fires first,
// and the explorer may reorder them; a task that computes for a while says
// so by waiting for the clock (busy(ms), a pool job).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/choice_log.hpp"
#include "engine/rng.hpp"
#include "engine/runtime.hpp"

namespace such::engine {

enum class Policy {
    Cooperative,  // a task keeps its core until it yields, blocks or ends
    Preemptive,   // seeded random switch at any step, after a quantum
    Manual,       // the user picks every step (step_task)
    Replay,       // a recorded list of choices
};

std::string_view to_string(Policy policy);
bool parse_policy(std::string_view text, Policy& out);

struct Config {
    std::uint64_t seed = 1;
    Policy policy = Policy::Preemptive;
    int cores = 1;
    int quantum = 1;               // steps a task keeps its core before a random pick
    std::vector<TaskId> replay;    // used by Policy::Replay
    // A select's picks among ready cases, in order, in place of the seeded
    // random ones (the picks of an explored schedule); past the list, random.
    std::vector<std::uint64_t> picks;
};

enum class Verdict { Running, Finished, Deadlock, ReplayDiverged };

// Why a deadlocked run is stuck, as data (scenes::deadlock_story says it in words).
struct BlockedWait {
    TaskId task = kNone;
    ObjectId object = kNone;  // kNone: a wait on no object, which `kind` tells (a select with no case, an await)
    EventKind kind{};         // the event the task waits to perform
    TaskId holder = kNone;    // in a cycle: the task its object waits on (a lock's holder, a channel's partner)
    friend bool operator==(const BlockedWait&, const BlockedWait&) = default;
};
struct DeadlockWaits {
    bool cycle = false;               // the waits close a cycle: only the cycle's, in its order
    std::vector<BlockedWait> waits;   // else every blocked task's wait, in task order
    friend bool operator==(const DeadlockWaits&, const DeadlockWaits&) = default;
};
std::string_view to_string(Verdict verdict);

struct TaskView {
    std::string name;
    TaskState state;
    int listing;                   // the code listing its next step stands in (Ctx::place)
    int line;                      // the line it stands on there
    int first, last;               // the lines that step runs (line among them)
    ObjectId waiting_on;           // when blocked
    EventKind next;                // what its next step will do
    ObjectId next_object;          // and on which object (kNone: task-local)
    Access next_access;            // and how
    bool next_has_guard;           // it may wait at a guard (Step::has_guard)
    bool next_opens_guards;        // it may open others' guards (Step::opens_guards)
    const Ctx::Locals* locals;
};

class Scheduler final : public Runtime {
public:
    explicit Scheduler(Config config);
    ~Scheduler() override;
    // Recycled: the explorer builds a scheduler for every execution.
    static void* operator new(std::size_t size) { return detail::FramePool::take(size); }
    static void operator delete(void* p, std::size_t size) { detail::FramePool::give(p, size); }

    // Creates a task and runs its program up to its first step.
    TaskId spawn(std::string name, int listing, const std::function<Task(Ctx&)>& program) override;
    bool is_real() const override { return false; }

    // Tasks that can take a step now, in id order.
    std::vector<TaskId> runnable() const;
    // Whether this task can take a step now (one of runnable(), without the list).
    bool can_step(TaskId task) const;
    // Whether the task is ready but its next step waits at a guard (Step::can_begin).
    bool at_guard(TaskId task) const;
    // Whether the task's last step was a yield: it gave its core up.
    bool yielded(TaskId task) const;
    // The run is built: if none of its tasks can take a first step (main's
    // first step waits for good: a send no one receives), it ends now, a
    // deadlock, rather than looking like a run that has not begun. A verdict
    // is otherwise settled after each step, so the start is the one moment
    // that needs this. step() calls it, the explorer calls it on every run it
    // makes, and scenes::Scene::build on every simulated run; once is enough.
    void start();
    // Lets the policy choose and performs one step; false once the run is over.
    bool step();
    // Performs one step of the given task (manual policy, replay, explorer).
    // Returns false if the task cannot step now.
    bool step_task(TaskId task);
    // Runs until the run is over or max_steps have been taken.
    void run(std::uint64_t max_steps = 100000);

    Verdict verdict() const { return verdict_; }
    // A replay that diverged: where and why (a deadlock's reasons are deadlock_waits()).
    const std::string& verdict_detail() const { return verdict_detail_; }
    // When no task can step: who waits for what (the wait-for cycle when there is one).
    DeadlockWaits deadlock_waits() const;
    std::uint64_t steps() const { return step_; }
    std::uint64_t ticks() const { return tick_; }
    std::uint64_t clock() const { return clock_; }
    // How many times the clock has moved (each time: a point every task had
    // reached, before which all steps happen).
    std::uint64_t clock_moves() const { return clock_moves_; }
    const ChoiceLog& choices() const { return choices_; }
    // A run whose policy chooses from the seed (cooperative, preemptive) may
    // keep only its latest choices, as the trace its latest events: the same
    // settings run again choose the same (time travel, a trace file's export).
    // A manual or replayed run keeps every choice, since they are its input.
    void keep_last_choices(std::size_t choices) {
        if (config_.policy != Policy::Manual && config_.policy != Policy::Replay) choices_.keep_last(choices);
    }
    // The tasks the last step woke (Scheduler::wake): each one's next step
    // happens after it, even one that touches only its own record.
    const std::vector<TaskId>& woken() const { return woken_; }
    // Once asked for (before the first step), where each step stood in the
    // listings (Ctx::place when it was taken), by step as choices(): the
    // lines it ran. A task's end taken as a step of its own (end_is_step)
    // runs no line: kNowhere. The events a step emits for its task find it by
    // their Event::step. Off by default: the explorer's many short runs would
    // pay an allocation each.
    void record_places() { record_places_ = true; }
    const std::vector<Place>& step_places() const { return step_places_; }
    const Config& config() const { return config_; }
    // The wait-for cycle (each task and the object it waits for, whose holder
    // is the next task), empty when there is none.
    std::vector<std::pair<TaskId, ObjectId>> wait_cycle() const;

    struct PanicRecord {
        TaskId task;
        std::string message;
    };
    // Tasks that died of a Panic, in order.
    const std::vector<PanicRecord>& panics() const { return panics_; }
    // A timer on the clock: `fire` runs when the clock reaches `due`, which
    // happens once no task can step and it is the earliest timer.
    void add_timer(std::uint64_t due, std::function<void(Scheduler&)> fire);
    // For a step that waits `ms` on the clock: once it has moved on that far,
    // sets *done and wakes the running task (the step, which outlives its
    // timer since the task waits on it, then finishes).
    void wake_after(std::uint64_t ms, bool* done);
    std::size_t timers_pending() const { return timers_.size(); }
    // Called when any task ends: its id and "normal" or its panic message
    // (the runtime's side of links and monitors).
    void on_exit(std::function<void(Scheduler&, TaskId, const std::string&)> hook) { exit_hooks_.push_back(std::move(hook)); }
    // The task's end affects other tasks (its exit hooks deliver notices):
    // it becomes a step of its own that touches many objects, so the
    // explorer orders it against what it races (Links marks its actors). A
    // task about to be spawned (the next id) may be marked before it exists.
    void end_is_step(TaskId task);
    // A choice among n (select's pick among ready cases): the next of the
    // config's picks, else seeded random (the same seed gives the same
    // picks), or under the explorer the next of its script, else 0. Picks
    // among two or more are logged.
    std::uint64_t pick(std::uint64_t n) {
        const std::uint64_t random = choice_rng_.below(n);
        if (n < 2) return random;
        const std::vector<std::uint64_t>& script = explored_ ? script_ : config_.picks;
        const std::size_t i = picks_.size();
        const std::uint64_t v = i < script.size() ? script[i] % n : explored_ ? 0 : random;
        picks_.push_back(v);
        pick_counts_.push_back(n);
        return v;
    }
    // The explorer's picks: the script first, then 0 (the explorer branches on the others).
    void script_picks(std::vector<std::uint64_t> script) {
        explored_ = true;
        script_ = std::move(script);
    }
    // Every pick among two or more so far, and among how many each chose.
    const std::vector<std::uint64_t>& picks() const { return picks_; }
    const std::vector<std::uint64_t>& pick_counts() const { return pick_counts_; }

    // The run's state for the explorer's state cache (engine/state_search.hpp),
    // written to `out`: its verdict and clock, every object's fingerprint, and
    // every task's state, pending step, place and declared state
    // (Ctx::set_state). False when the run cannot say all that decides its
    // future: an object or a live task that declares nothing, a timer pending,
    // exit hooks, a panic, a select's pick (the cache then stays off).
    bool fingerprint(std::vector<std::int64_t>& out) const;

    std::size_t task_count() const override { return tasks_.size(); }
    const std::string& task_name(TaskId id) const override;
    TaskView task(TaskId id) const;

    // For primitives: the task being stepped, waking a parked task, events.
    TaskId current() const { return current_; }
    void wake(TaskId task);
    void emit(EventKind kind, ObjectId object, std::int64_t value, EventArgs args = {}) {
        trace_.add({step_, tick_, current_core_, current_, object, kind, value, args});
    }
    // A text an event refers to (a job's name, a message's tag): its label.
    int label(std::string_view text) { return trace_.intern(text); }
    void request_switch() { yielded_ = true; }

private:
    friend class Step;
    struct TaskSlot;
    TaskId choose();
    void resume(TaskId id);
    void finish_check();
    void refresh_guards();
    void finish(TaskId id, const std::string& panic);
    void begin_step(TaskId id);
    void next_tick_lists();

    Config config_;
    Rng rng_;
    Rng choice_rng_;
    struct Timer {
        std::uint64_t due;
        std::uint64_t order;
        std::function<void(Scheduler&)> fire;
    };
    std::vector<Timer> timers_;  // few: a sorted vector
    std::uint64_t timer_order_ = 0;
    bool fire_timers();
    std::vector<PanicRecord> panics_;
    std::vector<std::function<void(Scheduler&, TaskId, const std::string&)>> exit_hooks_;
    std::vector<std::unique_ptr<TaskSlot>, detail::PoolAllocator<std::unique_ptr<TaskSlot>>> tasks_;
    std::vector<TaskId> ends_to_step_;  // end_is_step for tasks not spawned yet
    ChoiceLog choices_;
    std::vector<TaskId> woken_;
    std::vector<Place> step_places_;
    bool record_places_ = false;
    std::uint64_t step_ = 0;
    std::uint64_t tick_ = 0;
    std::uint64_t clock_ = 0;
    std::uint64_t clock_moves_ = 0;
    std::vector<std::uint64_t> picks_, pick_counts_, script_;
    bool explored_ = false;
    std::vector<TaskId, detail::PoolAllocator<TaskId>> in_tick_;  // tasks that stepped in the current tick, by core
    std::vector<TaskId, detail::PoolAllocator<TaskId>> prev_tick_;
    TaskId current_ = kNone;
    int current_core_ = 0;
    TaskId last_ = kNone;
    bool yielded_ = false;
    Verdict verdict_ = Verdict::Running;
    bool started_ = false;
    std::string verdict_detail_;
};

}  // namespace such::engine
