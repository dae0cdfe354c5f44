// The deterministic scheduler: picking, stepping, waking, verdicts.
#include "engine/scheduler.hpp"

#include <algorithm>
#include <stdexcept>

namespace such::engine {

struct Scheduler::TaskSlot {
    std::string name;
    int listing = 0;
    std::unique_ptr<Ctx> ctx;
    coro::handle<Task::promise_type> handle;
    Step* pending = nullptr;
    TaskState state = TaskState::Ready;
};

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

void Step::await_suspend(coro::handle<>) noexcept {
    Scheduler& s = ctx_->sched();
    s.tasks_[static_cast<std::size_t>(ctx_->id())]->pending = this;
}

void Ctx::set_local(std::string_view name, std::int64_t value) {
    for (Local& l : locals_) {
        if (l.name == name) {
            l.value = value;
            return;
        }
    }
    locals_.push_back({std::string(name), value});
}

StepResult ComputeStep::run(Scheduler& sched) {
    sched.emit(EventKind::Compute, kNone, result_, what_);
    return StepResult::Done;
}

StepResult YieldStep::run(Scheduler& sched) {
    sched.emit(EventKind::Yield, kNone, 0, "yields the processor");
    sched.yielded_ = true;
    return StepResult::Done;
}

Scheduler::Scheduler(Config config) : config_(std::move(config)), rng_(config_.seed) {
    config_.quantum = std::max(1, config_.quantum);
}

Scheduler::~Scheduler() {
    for (auto& t : tasks_) {
        if (t->handle) t->handle.destroy();
    }
}

ObjectId Scheduler::add(Object& object) {
    object.id_ = static_cast<ObjectId>(objects_.size());
    objects_.push_back(&object);
    return object.id_;
}

TaskId Scheduler::spawn(std::string name, int listing, const std::function<Task(Ctx&)>& program) {
    const auto id = static_cast<TaskId>(tasks_.size());
    auto slot = std::make_unique<TaskSlot>();
    slot->name = std::move(name);
    slot->listing = listing;
    slot->ctx = std::make_unique<Ctx>(*this, id);
    TaskSlot& t = *slot;
    tasks_.push_back(std::move(slot));
    t.handle = program(*t.ctx).release();
    const TaskId saved = current_;
    current_ = id;
    emit(EventKind::Spawn, kNone, 0, "starts");
    resume(id);
    current_ = saved;
    return id;
}

const std::string& Scheduler::task_name(TaskId id) const {
    return tasks_[static_cast<std::size_t>(id)]->name;
}

TaskView Scheduler::task(TaskId id) const {
    const TaskSlot& t = *tasks_[static_cast<std::size_t>(id)];
    return {t.name, t.state, t.listing, t.ctx->line(),
            t.state == TaskState::Blocked && t.pending ? t.pending->object() : kNone, &t.ctx->locals()};
}

std::vector<TaskId> Scheduler::runnable() const {
    std::vector<TaskId> out;
    if (verdict_ != Verdict::Running) return out;
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
        if (tasks_[i]->state == TaskState::Ready) out.push_back(static_cast<TaskId>(i));
    }
    return out;
}

void Scheduler::emit(EventKind kind, ObjectId object, std::int64_t value, std::string detail) {
    trace_.add({step_, step_, 0, current_, object, kind, value, std::move(detail)});
}

void Scheduler::wake(TaskId task) {
    TaskSlot& t = *tasks_[static_cast<std::size_t>(task)];
    if (t.state == TaskState::Blocked) t.state = TaskState::Ready;
}

// Runs the coroutine from its last step to its next one (or to its end).
void Scheduler::resume(TaskId id) {
    TaskSlot& t = *tasks_[static_cast<std::size_t>(id)];
    t.pending = nullptr;
    t.handle.resume();
    if (t.handle.promise().error) std::rethrow_exception(t.handle.promise().error);
    if (t.handle.done()) {
        t.state = TaskState::Done;
        emit(EventKind::Finish, kNone, 0, "finishes");
        t.handle.destroy();
        t.handle = {};
    } else if (!t.pending) {
        throw std::logic_error("task " + t.name + " awaited something that is not a scheduler step");
    }
}

TaskId Scheduler::choose() {
    const std::vector<TaskId> ready = runnable();
    if (ready.empty()) return kNone;
    const bool last_ready = std::find(ready.begin(), ready.end(), last_) != ready.end();
    switch (config_.policy) {
    case Policy::Manual:
        return kNone;
    case Policy::Replay: {
        if (choices_.size() >= config_.replay.size()) return kNone;
        return config_.replay[choices_.size()];
    }
    case Policy::Cooperative: {
        if (last_ready && !yielded_) return last_;
        // Round robin: the next ready task after the last one.
        for (TaskId id : ready) {
            if (id > last_) return id;
        }
        return ready.front();
    }
    case Policy::Preemptive: {
        if (last_ready && run_length_ < config_.quantum && run_length_ > 0) return last_;
        return ready[rng_.below(ready.size())];
    }
    }
    return kNone;
}

bool Scheduler::step() {
    if (verdict_ != Verdict::Running) return false;
    const TaskId id = choose();
    if (id == kNone) {
        if (config_.policy == Policy::Replay && !runnable().empty() && choices_.size() < config_.replay.size()) {
            verdict_ = Verdict::ReplayDiverged;
        }
        return false;
    }
    return step_task(id);
}

bool Scheduler::step_task(TaskId id) {
    if (verdict_ != Verdict::Running || id < 0 || static_cast<std::size_t>(id) >= tasks_.size()) return false;
    TaskSlot& t = *tasks_[static_cast<std::size_t>(id)];
    if (t.state != TaskState::Ready) {
        if (config_.policy == Policy::Replay) {
            verdict_ = Verdict::ReplayDiverged;
            verdict_detail_ = "the recorded choice " + t.name + " cannot step at step " + std::to_string(step_);
        }
        return false;
    }
    run_length_ = (id == last_) ? run_length_ + 1 : 1;
    last_ = id;
    yielded_ = false;
    current_ = id;
    choices_.push_back(id);
    if (t.pending->run(*this) == StepResult::Blocked) {
        t.state = TaskState::Blocked;
    } else {
        resume(id);
    }
    current_ = kNone;
    ++step_;
    finish_check();
    return true;
}

void Scheduler::finish_check() {
    bool any_live = false;
    bool any_ready = false;
    for (const auto& t : tasks_) {
        any_live |= t->state != TaskState::Done;
        any_ready |= t->state == TaskState::Ready;
    }
    if (!any_live) {
        verdict_ = Verdict::Finished;
        return;
    }
    if (any_ready) return;
    verdict_ = Verdict::Deadlock;
    std::string detail = "every live task is blocked:";
    for (const auto& t : tasks_) {
        if (t->state != TaskState::Blocked) continue;
        const Object& o = object(t->pending->object());
        detail += " " + t->name + " waits for " + o.name();
        const TaskId holder = o.snapshot().holder;
        if (holder != kNone) detail += " (held by " + task_name(holder) + ")";
        detail += ";";
    }
    detail.pop_back();
    verdict_detail_ = detail;
    emit(EventKind::Deadlock, kNone, 0, detail);
}

void Scheduler::run(std::uint64_t max_steps) {
    for (std::uint64_t i = 0; i < max_steps && step(); ++i) {
    }
}

}  // namespace such::engine
