// The deterministic scheduler: ticks and cores, policies, stepping, waking,
// verdicts, and the story of a deadlock.
//
// Index
//   [SECTION] Names
//   [SECTION] Steps and Ctx on the simulator
//   [SECTION] Tasks
//   [SECTION] Choosing
//   [SECTION] Stepping
//   [SECTION] Fingerprints
//   [SECTION] Verdicts
#include "engine/scheduler.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>

#include "engine/real_runtime.hpp"

namespace such::engine {

// A task's end as a step of its own, for tasks whose end others hear of
// (actors with links and monitors: see end_is_step): ending delivers notices
// and kills to other tasks' mailboxes, so the explorer must see it as
// touching many objects, ordered against the messages and steps it races.
// Other tasks end inside their last step.
class EndStep final : public Step {
public:
    explicit EndStep(Ctx& ctx) : Step(ctx, kNone) {}
    StepResult run(Scheduler&) override { return StepResult::Done; }
    EventKind kind() const override { return EventKind::Finish; }
    Access access() const override { return Access::Many; }
};

struct Scheduler::TaskSlot {
    std::string name;
    std::optional<Ctx> ctx;    // in the slot: one allocation less per task
    Task::Handle handle;
    Step* pending = nullptr;
    coro::handle<> inner;      // the coroutine that took the pending step (a Co inside the task, or the task)
    TaskState state = TaskState::Ready;
    int core = 0;              // the core it last ran on (sticky)
    std::uint64_t last_tick = ~0ull;
    int streak = 0;            // consecutive ticks it has run
    bool yielded = false;
    bool guarded = false;      // Ready, but its pending step's guard is closed: it waits (Step::can_begin)
    bool end_is_step = false;      // see Scheduler::end_is_step
    std::unique_ptr<EndStep> end;  // set once its program has returned and its end is still to be stepped
    std::string end_reason;        // "" or the panic it died of

    bool can_step() const { return state == TaskState::Ready && !guarded; }
    // Recycled: the explorer builds a run, and its slots, for every execution.
    static void* operator new(std::size_t size) { return detail::FramePool::take(size); }
    static void operator delete(void* slot, std::size_t size) { detail::FramePool::give(slot, size); }
};

// [SECTION] Names

std::string_view to_string(Policy policy) {
    switch (policy) {
    case Policy::Cooperative: return "cooperative";
    case Policy::Preemptive: return "preemptive";
    case Policy::Manual: return "manual";
    case Policy::Replay: return "replay";
    }
    return "unknown";
}

bool parse_policy(std::string_view text, Policy& out) {
    for (Policy p : {Policy::Cooperative, Policy::Preemptive, Policy::Manual, Policy::Replay}) {
        if (text == to_string(p)) {
            out = p;
            return true;
        }
    }
    return false;
}

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
    case Verdict::Running: return "running";
    case Verdict::Finished: return "finished";
    case Verdict::Deadlock: return "deadlock";
    case Verdict::ReplayDiverged: return "replay diverged";
    }
    return "unknown";
}

// [SECTION] Steps and Ctx on the simulator

bool Step::try_green(RealRuntime& rt) {
    if (waits_green()) return false;  // a worker runs it (run_green)
    run_real(rt);
    return true;
}

void Step::await_suspend(coro::handle<> awaiting) noexcept {
    if (RealRuntime* rt = ctx_->real()) {
        rt->parked(ctx_->id(), this, awaiting);
        return;
    }
    Scheduler& s = *ctx_->sched();
    auto& slot = *s.tasks_[static_cast<std::size_t>(ctx_->id())];
    slot.pending = this;
    slot.inner = awaiting;
}

void Step::run_real(RealRuntime&) {
    throw std::logic_error(std::string("a '") + std::string(to_string(kind())) + "' step cannot run on real threads");
}

StepResult Step::run_green(RealRuntime& rt) {
    run_real(rt);
    return StepResult::Done;
}

void Ctx::show_local(std::string_view name, std::int64_t value) noexcept {
    for (Local& l : locals_) {
        if (l.name == name) {
            l.value = value;
            return;
        }
    }
    locals_.push_back({std::string(name), value});
}

StepResult SleepStep::run(Scheduler& sched) {
    const int label = computing_.empty() ? kNone : sched.label(computing_);
    if (done_) {
        sched.emit(EventKind::Sleep, kNone, 0, {.note = Note::Woken, .label = label});
        return StepResult::Done;
    }
    if (!started_) {
        started_ = true;
        sched.wake_after(ms_, &done_);
        sched.emit(EventKind::Sleep, kNone, static_cast<std::int64_t>(ms_), {.note = label == kNone ? Note::Plain : Note::Computing, .label = label});
    }
    return StepResult::Blocked;
}

StepResult ComputeStep::run(Scheduler& sched) {
    sched.emit(EventKind::Compute, object_, result_, {.label = sched.label(what_)});
    return StepResult::Done;
}

StepResult YieldStep::run(Scheduler& sched) {
    sched.emit(EventKind::Yield, kNone, 0);
    sched.request_switch();
    return StepResult::Done;
}

ObjectId Runtime::add(Object& object) {
    object.id_ = static_cast<ObjectId>(objects_.size());
    objects_.push_back(&object);
    return object.id_;
}

// [SECTION] Tasks

namespace {
// Room made at the start for this many steps' choices: a short run (a race
// scene's, each of the explorer's) never grows its list, which by doubling
// from one would take four allocations to reach its first dozen steps.
constexpr std::size_t kFirstSteps = 64;
// And for this many tasks: most scenes have a few, made one by one.
constexpr std::size_t kFirstTasks = 4;
}  // namespace

Scheduler::Scheduler(Config config) : config_(std::move(config)), rng_(config_.seed), choice_rng_(config_.seed ^ 0x5e1ec7ull) {
    config_.quantum = std::max(1, config_.quantum);
    config_.cores = std::clamp(config_.cores, 1, 64);
    in_tick_.assign(static_cast<std::size_t>(config_.cores), kNone);
    prev_tick_ = in_tick_;  // the same size from the start (next_tick_lists swaps them)
    choices_.reserve(kFirstSteps);
    tasks_.reserve(kFirstTasks);
}

Scheduler::~Scheduler() {
    for (auto& t : tasks_) {
        if (t->handle) t->handle.destroy();
    }
}

TaskId Scheduler::spawn(std::string name, int listing, const std::function<Task(Ctx&)>& program) {
    const auto id = static_cast<TaskId>(tasks_.size());
    auto slot = std::make_unique<TaskSlot>();
    slot->name = std::move(name);
    slot->ctx.emplace(*this, this, nullptr, id, listing);
    slot->core = id % config_.cores;
    TaskSlot& t = *slot;
    tasks_.push_back(std::move(slot));
    if (const auto it = std::find(ends_to_step_.begin(), ends_to_step_.end(), id); it != ends_to_step_.end()) {
        t.end_is_step = true;
        ends_to_step_.erase(it);
    }
    t.handle = program(*t.ctx).release();
    const TaskId saved = current_;
    current_ = id;
    emit(EventKind::Spawn, kNone, 0);
    resume(id);
    current_ = saved;
    if (current_ == kNone) refresh_guards();  // inside a step, the step does it
    return id;
}

const std::string& Scheduler::task_name(TaskId id) const { return tasks_[static_cast<std::size_t>(id)]->name; }

TaskView Scheduler::task(TaskId id) const {
    const TaskSlot& t = *tasks_[static_cast<std::size_t>(id)];
    const bool has_step = t.state != TaskState::Done && t.pending;
    const bool waits = t.state == TaskState::Blocked || t.guarded;
    const Place& at = t.ctx->place();
    return {t.name,
            waits ? TaskState::Blocked : t.state,
            at.listing,
            at.line,
            at.first,
            at.last,
            waits && t.pending ? t.pending->object() : kNone,
            has_step ? t.pending->kind() : EventKind::Finish,
            has_step ? t.pending->object() : kNone,
            has_step ? t.pending->access() : Access::Write,
            has_step && t.pending->has_guard(),
            has_step && t.pending->opens_guards(),
            &t.ctx->locals()};
}

std::vector<TaskId> Scheduler::runnable() const {
    std::vector<TaskId> out;
    if (verdict_ != Verdict::Running) return out;
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
        if (tasks_[i]->can_step()) out.push_back(static_cast<TaskId>(i));
    }
    return out;
}

bool Scheduler::can_step(TaskId task) const {
    return verdict_ == Verdict::Running && task >= 0 && static_cast<std::size_t>(task) < tasks_.size() &&
           tasks_[static_cast<std::size_t>(task)]->can_step();
}

bool Scheduler::yielded(TaskId task) const {
    return task >= 0 && static_cast<std::size_t>(task) < tasks_.size() && tasks_[static_cast<std::size_t>(task)]->yielded;
}

bool Scheduler::at_guard(TaskId task) const {
    return task >= 0 && static_cast<std::size_t>(task) < tasks_.size() && tasks_[static_cast<std::size_t>(task)]->guarded;
}

// After anything that may open or close a guard (any step, a timer): which
// ready tasks wait at their pending step's guard.
void Scheduler::refresh_guards() {
    const TaskId saved = current_;
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
        TaskSlot& t = *tasks_[i];
        t.guarded = t.state == TaskState::Ready && t.pending && !t.pending->can_begin();
        if (!t.guarded) continue;
        current_ = static_cast<TaskId>(i);
        t.pending->waits(*this);
    }
    current_ = saved;
}

void Scheduler::wake(TaskId task) {
    TaskSlot& t = *tasks_[static_cast<std::size_t>(task)];
    if (t.state != TaskState::Blocked) return;
    t.state = TaskState::Ready;
    woken_.push_back(task);
    if (t.pending) t.pending->woken();
}

// Runs the coroutine from its last step to its next one (or to its end).
void Scheduler::resume(TaskId id) {
    TaskSlot& t = *tasks_[static_cast<std::size_t>(id)];
    t.pending = nullptr;
    coro::handle<> next = t.inner ? t.inner : coro::handle<>(t.handle);  // not const: libc++ 14 resume() is non-const
    t.inner = {};
    next.resume();
    std::string panic;
    if (auto error = std::exchange(t.handle.promise().error, std::nullopt)) {
        try {
            std::rethrow_exception(*error);
        } catch (const Panic& p) {
            panic = p.what();
        }
    }
    if (t.handle.done()) {
        if (t.end_is_step) {
            t.end = std::make_unique<EndStep>(*t.ctx);
            t.end_reason = std::move(panic);
            t.pending = t.end.get();
            return;
        }
        finish(id, panic);
    } else if (!t.pending) {
        throw std::logic_error("task " + t.name + " awaited something that is not a step");
    }
}

void Scheduler::end_is_step(TaskId task) {
    if (task < 0) return;
    if (static_cast<std::size_t>(task) < tasks_.size()) {
        tasks_[static_cast<std::size_t>(task)]->end_is_step = true;
    } else {
        ends_to_step_.push_back(task);  // a task about to be spawned (linked before it runs)
    }
}

// The task is over: its events, and what its end triggers (exit hooks).
void Scheduler::finish(TaskId id, const std::string& panic) {
    TaskSlot& t = *tasks_[static_cast<std::size_t>(id)];
    t.state = TaskState::Done;
    t.pending = nullptr;
    if (!panic.empty()) {
        panics_.push_back({id, panic});
        emit(EventKind::Panic, kNone, 0, {.label = label(panic)});
    }
    emit(EventKind::Finish, kNone, 0, {.note = panic.empty() ? Note::Plain : Note::Died});
    t.handle.destroy();
    t.handle = {};
    const std::string reason = panic.empty() ? "normal" : panic;
    for (std::size_t i = 0; i < exit_hooks_.size(); ++i) exit_hooks_[i](*this, id, reason);  // a hook may add hooks
}

// [SECTION] Choosing

// Walks the tasks in id order rather than listing the ready ones: a step is
// too short to pay for a list's allocation.
TaskId Scheduler::choose() {
    if (verdict_ != Verdict::Running) return kNone;
    std::size_t n_ready = 0, n_fresh = 0;
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
        if (!tasks_[i]->can_step()) continue;
        ++n_ready;
        n_fresh += has_task(in_tick_, static_cast<TaskId>(i)) ? 0 : 1;
    }
    if (n_ready == 0) return kNone;
    if (config_.policy == Policy::Manual) return kNone;
    if (config_.policy == Policy::Replay) {
        return choices_.size() < config_.replay.size() ? config_.replay[choices_.size()] : kNone;
    }
    // Fill the free cores of this tick first (the fresh tasks, which have
    // not stepped in it); when none is free, a new tick begins.
    const bool tick_full = !has_task(in_tick_, kNone);
    const bool new_tick = n_fresh == 0 || tick_full;
    const auto& running = new_tick ? in_tick_ : prev_tick_;
    const auto candidate = [&](std::size_t i) { return tasks_[i]->can_step() && (new_tick || !has_task(in_tick_, static_cast<TaskId>(i))); };
    const auto nth_candidate = [&](std::size_t n) {
        for (std::size_t i = 0;; ++i) {
            if (candidate(i) && n-- == 0) return static_cast<TaskId>(i);
        }
    };

    if (config_.policy == Policy::Cooperative) {
        // A task that had a core keeps it until it yields, blocks or ends.
        for (std::size_t i = 0; i < tasks_.size(); ++i) {
            if (candidate(i) && has_task(running, static_cast<TaskId>(i)) && !tasks_[i]->yielded) return static_cast<TaskId>(i);
        }
        for (std::size_t i = 0; i < tasks_.size(); ++i) {
            if (candidate(i) && static_cast<TaskId>(i) > last_) return static_cast<TaskId>(i);  // round robin for the rest
        }
        return nth_candidate(0);
    }
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
        const TaskSlot& t = *tasks_[i];
        if (candidate(i) && has_task(running, static_cast<TaskId>(i)) && t.streak < config_.quantum && !t.yielded) return static_cast<TaskId>(i);
    }
    return nth_candidate(rng_.below(new_tick ? n_ready : n_fresh));
}

// [SECTION] Stepping

void Scheduler::start() {
    if (started_) return;
    started_ = true;
    if (verdict_ == Verdict::Running && step_ == 0 && !tasks_.empty()) finish_check();
}

bool Scheduler::step() {
    start();
    if (verdict_ != Verdict::Running) return false;
    const TaskId id = choose();
    if (id == kNone) {
        if (config_.policy == Policy::Replay && !runnable().empty()) {
            verdict_ = Verdict::ReplayDiverged;
            verdict_detail_ = "the recorded schedule ended at step " + std::to_string(step_) + " before the run did";
        }
        return false;
    }
    return step_task(id);
}

// A new tick: this tick's list becomes the previous one and every core is
// free. The two lists have the same size from the start: a swap, no copy.
void Scheduler::next_tick_lists() {
    prev_tick_.swap(in_tick_);
    std::fill(in_tick_.begin(), in_tick_.end(), kNone);
}

// Places the task on a core of the current tick, or opens a new tick.
void Scheduler::begin_step(TaskId id) {
    TaskSlot& t = *tasks_[static_cast<std::size_t>(id)];
    if (step_ > 0 && (has_task(in_tick_, id) || !has_task(in_tick_, kNone))) {
        next_tick_lists();
        ++tick_;
    }
    auto core = static_cast<std::size_t>(t.core);
    if (in_tick_[core] != kNone) core = static_cast<std::size_t>(std::find(in_tick_.begin(), in_tick_.end(), kNone) - in_tick_.begin());
    in_tick_[core] = id;
    t.core = static_cast<int>(core);
    t.streak = (t.last_tick + 1 == tick_) ? t.streak + 1 : 1;
    t.last_tick = tick_;
    t.yielded = false;
    current_core_ = t.core;
}

bool Scheduler::step_task(TaskId id) {
    if (verdict_ != Verdict::Running || id < 0 || static_cast<std::size_t>(id) >= tasks_.size()) return false;
    TaskSlot& t = *tasks_[static_cast<std::size_t>(id)];
    if (t.state != TaskState::Ready || t.guarded) {
        if (config_.policy == Policy::Replay) {
            verdict_ = Verdict::ReplayDiverged;
            verdict_detail_ = "the recorded choice " + t.name + " cannot step at step " + std::to_string(step_);
        }
        return false;
    }
    woken_.clear();
    begin_step(id);
    last_ = id;
    yielded_ = false;
    current_ = id;
    choices_.push_back(id);
    if (record_places_) step_places_.push_back(t.end ? kNowhere : t.ctx->place());
    if (t.pending->run(*this) == StepResult::Blocked) {
        t.state = TaskState::Blocked;
    } else if (t.end) {
        finish(id, t.end_reason);
    } else {
        resume(id);
    }
    t.yielded = yielded_;
    refresh_guards();
    current_ = kNone;
    ++step_;
    finish_check();
    return true;
}

void Scheduler::run(std::uint64_t max_steps) {
    for (std::uint64_t i = 0; i < max_steps && step(); ++i) {
    }
}

// [SECTION] Fingerprints

bool Scheduler::fingerprint(std::vector<std::int64_t>& out) const {
    out.clear();
    if (!timers_.empty() || !exit_hooks_.empty() || !panics_.empty() || !pick_counts_.empty()) return false;
    out.push_back(static_cast<std::int64_t>(verdict_));
    out.push_back(static_cast<std::int64_t>(clock_));
    for (const Object* o : objects_) {
        if (!o->fingerprint(out)) return false;
    }
    for (const auto& slot : tasks_) {
        const TaskSlot& t = *slot;
        out.push_back(static_cast<std::int64_t>(t.state));
        if (t.state == TaskState::Done) continue;
        if (!t.ctx->declares_state() || !t.pending) return false;
        const Place& at = t.ctx->place();
        const std::vector<std::int64_t>& mine = t.ctx->state();
        out.insert(out.end(), {std::int64_t{t.guarded}, std::int64_t{t.end != nullptr}, static_cast<std::int64_t>(t.pending->kind()),
                               t.pending->object(), static_cast<std::int64_t>(t.pending->access()), at.listing, at.line, at.first,
                               at.last, static_cast<std::int64_t>(mine.size())});
        out.insert(out.end(), mine.begin(), mine.end());
    }
    return true;
}

// [SECTION] Verdicts

void Scheduler::finish_check() {
    bool any_live = false;
    bool any_ready = false;
    for (const auto& t : tasks_) {
        any_live |= t->state != TaskState::Done && !(t->state == TaskState::Blocked && t->pending && t->pending->dormant());
        any_ready |= t->state == TaskState::Ready && !t->guarded;
    }
    if (!any_live) {
        verdict_ = Verdict::Finished;
        return;
    }
    if (any_ready) return;
    if (fire_timers()) {
        refresh_guards();
        finish_check();
        return;
    }
    verdict_ = Verdict::Deadlock;
    emit(EventKind::Deadlock, kNone, 0);
}

void Scheduler::wake_after(std::uint64_t ms, bool* done) {
    const TaskId me = current_;
    add_timer(clock_ + ms, [me, done](Scheduler& s) {
        *done = true;
        s.wake(me);
    });
}

void Scheduler::add_timer(std::uint64_t due, std::function<void(Scheduler&)> fire) {
    Timer t{due, timer_order_++, std::move(fire)};
    const auto at = std::upper_bound(timers_.begin(), timers_.end(), t, [](const Timer& a, const Timer& b) {
        return a.due != b.due ? a.due < b.due : a.order < b.order;
    });
    timers_.insert(at, std::move(t));
}

// No task can step: the clock moves to the earliest timer and every timer
// due then fires. The timeline shows the wait: the ticks move as far as the
// clock. Their events belong to no task.
bool Scheduler::fire_timers() {
    if (timers_.empty()) return false;
    const std::uint64_t due = std::max(clock_, timers_.front().due);
    if (step_ > 0) {
        next_tick_lists();
        tick_ += std::max<std::uint64_t>(1, due - clock_);
    }
    clock_ = due;
    ++clock_moves_;
    const TaskId saved = current_;
    current_ = kNone;
    while (!timers_.empty() && timers_.front().due <= clock_) {
        Timer t = std::move(timers_.front());
        timers_.erase(timers_.begin());
        t.fire(*this);
    }
    current_ = saved;
    return true;
}

// Follows the wait-for graph (task -> object it waits for -> task holding it)
// from each blocked task until the walk comes back to a task it has seen.
std::vector<std::pair<TaskId, ObjectId>> Scheduler::wait_cycle() const {
    const auto waits_for = [&](TaskId id) -> ObjectId {
        const TaskSlot& t = *tasks_[static_cast<std::size_t>(id)];
        return (t.state == TaskState::Blocked || t.guarded) && t.pending ? t.pending->object() : kNone;
    };
    for (std::size_t start = 0; start < tasks_.size(); ++start) {
        std::vector<std::pair<TaskId, ObjectId>> path;
        auto id = static_cast<TaskId>(start);
        const auto seen = [&](TaskId t) {
            return std::find_if(path.begin(), path.end(), [t](const auto& p) { return p.first == t; });
        };
        while (id != kNone && seen(id) == path.end()) {
            const ObjectId o = waits_for(id);
            if (o == kNone) break;
            path.emplace_back(id, o);
            const TaskId next = object(o).snapshot().holder;
            id = next == id ? kNone : next;  // a sender waiting on its own channel: the holder names no one else
        }
        if (id == kNone || seen(id) == path.end()) continue;
        return {seen(id), path.end()};
    }
    return {};
}

// A cycle is given as one; otherwise each blocked task's wait is listed.
DeadlockWaits Scheduler::deadlock_waits() const {
    DeadlockWaits out;
    const auto cycle = wait_cycle();
    if (!cycle.empty()) {
        out.cycle = true;
        for (const auto& [task, obj] : cycle) {
            const TaskSlot& t = *tasks_[static_cast<std::size_t>(task)];
            out.waits.push_back({task, obj, t.pending ? t.pending->kind() : EventKind{}, object(obj).snapshot().holder});
        }
        return out;
    }
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
        const TaskSlot& t = *tasks_[i];
        if ((t.state != TaskState::Blocked && !t.guarded) || !t.pending || t.pending->dormant()) continue;
        const EventKind kind = t.pending->kind();
        // On no object only a select with no case and an await can wait for ever.
        if (t.pending->object() == kNone && kind != EventKind::ChanSelect && kind != EventKind::Read) continue;
        out.waits.push_back({static_cast<TaskId>(i), t.pending->object(), kind, kNone});
    }
    return out;
}

}  // namespace such::engine
