// Mailbox steps on the simulator and on real threads.
#include "engine/actor.hpp"

#include <chrono>
#include <thread>
#include <utility>

namespace such::engine {
namespace {
// A message in an event: label = its tag, arg1 = its note's label (kNone: none).
EventArgs message_args(Scheduler& sched, const Message& m, Note note) {
    return {.note = note, .arg1 = m.note.empty() ? kNone : sched.label(m.note), .label = sched.label(m.tag)};
}
}  // namespace

Snapshot Mailbox::snapshot() const {
    Snapshot s;
    s.value = alive_ ? std::to_string(messages_.size()) + " in mailbox" : "dead";
    if (dropped_) s.value += ", " + std::to_string(dropped_) + " dropped";
    return s;
}

Mailbox::SendStep Mailbox::send(Ctx& ctx, std::string tag, std::int64_t value) {
    return SendStep(ctx, *this, Message{ctx.id(), std::move(tag), value, {}});
}

Mailbox::ReceiveStep Mailbox::receive(Ctx& ctx, Match match, std::uint64_t timeout) { return ReceiveStep(ctx, *this, std::move(match), timeout); }

bool Mailbox::append(Message m) {
    if (!alive_) {
        ++dropped_;
        return false;
    }
    messages_.push_back(std::move(m));
    return true;
}

void Mailbox::close_address(std::string reason) {
    std::lock_guard lock(real_);
    alive_ = false;
    exit_reason_ = std::move(reason);
    dropped_ += messages_.size();
    messages_.clear();
}

void Mailbox::notify(RealRuntime& rt) {
    const TaskId parked = std::exchange(green_waiter_, kNone);
    if (parked != kNone) {
        rt.wake(parked);
    } else if (!rt.green()) {
        real_cv_.notify_all();
    }
}

void Mailbox::deliver(Scheduler& sched, Message m) {
    const std::int64_t value = m.value;
    EventArgs args = message_args(sched, m, Note::Delivered);
    const bool kept = append(std::move(m));
    if (kept && owner_ != kNone) sched.wake(owner_);
    if (!kept) args.note = Note::Dropped;
    sched.emit(EventKind::ActorExit, id(), value, args);
}

void Mailbox::deliver(RealRuntime& rt, Message m) {
    std::unique_lock lock(real_);
    if (append(std::move(m))) notify(rt);
}

void Mailbox::kill(Scheduler& sched, std::string reason) {
    if (!alive_ || !exit_signal_.empty()) return;
    exit_signal_ = reason;
    if (owner_ != kNone) sched.wake(owner_);
    sched.emit(EventKind::ActorExit, id(), 0, {.note = Note::Killed, .label = sched.label(reason)});
}

void Mailbox::kill(RealRuntime& rt, std::string reason) {
    std::unique_lock lock(real_);
    if (!alive_ || !exit_signal_.empty()) return;
    exit_signal_ = std::move(reason);
    notify(rt);
}

StepResult Mailbox::SendStep::run(Scheduler& sched) {
    const bool kept = to_.append(m_);
    if (kept && to_.owner_ != kNone) sched.wake(to_.owner_);
    sched.emit(EventKind::ActorSend, object_, m_.value, message_args(sched, m_, kept ? Note::Plain : Note::Dropped));
    return StepResult::Done;
}

void Mailbox::SendStep::run_real(RealRuntime& rt) {
    {
        std::lock_guard lock(to_.real_);
        if (to_.append(m_)) to_.notify(rt);
    }
    rt.record(ctx_->id(), EventKind::ActorSend, object_, m_.value);
}

bool Mailbox::ReceiveStep::take() {
    if (!box_.exit_signal_.empty()) {
        killed_ = box_.exit_signal_;
        return true;
    }
    auto& q = box_.messages_;
    for (std::size_t i = 0; i < q.size(); ++i) {
        if (match_ && !match_(q[i])) continue;
        got_ = std::move(q[i]);
        q.erase(q.begin() + static_cast<std::ptrdiff_t>(i));
        box_.last_taken_ = static_cast<int>(i);
        return true;
    }
    return false;
}

StepResult Mailbox::ReceiveStep::run(Scheduler& sched) {
    const std::size_t skipped_before = box_.messages_.size();
    if (take()) {
        wait_->waiting = false;
        if (!killed_.empty()) {
            sched.emit(EventKind::ActorExit, object_, 0, {.note = Note::Died, .label = sched.label(killed_)});
            return StepResult::Done;
        }
        EventArgs args = message_args(sched, *got_, Note::Plain);
        args.arg2 = box_.last_taken_;  // messages skipped over: they did not match
        sched.emit(EventKind::ActorReceive, object_, got_->value, args);
        return StepResult::Done;
    }
    if (wait_->timed_out) {
        wait_->waiting = false;
        sched.emit(EventKind::ActorReceive, object_, -1, {.note = Note::TimedOut});
        return StepResult::Done;
    }
    if (timeout_ > 0 && !timer_set_) {
        timer_set_ = true;
        const TaskId me = sched.current();
        std::shared_ptr<Wait> wait = wait_;
        sched.add_timer(sched.clock() + timeout_, [wait, me](Scheduler& s) {
            if (!wait->waiting) return;  // a message came first
            wait->timed_out = true;
            s.wake(me);
        });
    }
    wait_->waiting = true;
    sched.emit(EventKind::ActorWait, object_, 0, {.arg1 = static_cast<std::int64_t>(skipped_before)});
    return StepResult::Blocked;
}

void Mailbox::ReceiveStep::run_real(RealRuntime& rt) {
    // A reply usually comes within microseconds: look a few times, yielding
    // the core, before sleeping on the condition variable (as channels do).
    for (int i = 0; i < 3; ++i) {
        {
            std::lock_guard lock(box_.real_);
            if (take()) {
                rt.record(ctx_->id(), EventKind::ActorReceive, object_, got_ ? got_->value : -1);
                return;
            }
        }
        std::this_thread::yield();
    }
    std::unique_lock lock(box_.real_);
    const auto ready = [&] { return take(); };
    if (timeout_ > 0) {
        if (!box_.real_cv_.wait_for(lock, std::chrono::milliseconds(timeout_), ready)) {
            rt.record(ctx_->id(), EventKind::ActorReceive, object_, -1);
            return;
        }
    } else {
        box_.real_cv_.wait(lock, ready);
    }
    rt.record(ctx_->id(), EventKind::ActorReceive, object_, got_ ? got_->value : -1);
}

// Green: a receive with nothing to take parks the task as the mailbox's
// waiter; a send, an exit signal or the timeout's timer wakes it.
StepResult Mailbox::ReceiveStep::run_green(RealRuntime& rt) {
    std::shared_ptr<Wait> wait = wait_;
    const TaskId me = ctx_->id();
    Mailbox* box = &box_;
    const std::uint64_t timeout = timeout_;
    bool set_timer = false;
    {
        std::lock_guard lock(box_.real_);
        if (take() || wait->timed_out) {
            wait->waiting = false;
            rt.record(me, EventKind::ActorReceive, object_, got_ ? got_->value : -1);
            return StepResult::Done;
        }
        wait->waiting = true;
        box_.green_waiter_ = me;
        set_timer = timeout_ > 0 && !timer_set_;
        timer_set_ = true;
    }
    // Parked: from here on the task may run elsewhere; use locals only.
    if (set_timer) {
        rt.add_timer(std::chrono::milliseconds(timeout), [box, wait, me](RealRuntime& r) {
            {
                std::lock_guard lock(box->real_);
                if (!wait->waiting || box->green_waiter_ != me) return;  // a message came first
                wait->timed_out = true;
                box->green_waiter_ = kNone;
            }
            r.wake(me);
        });
    }
    return StepResult::Blocked;
}

// [SECTION] Links and monitors

Links::Links(Runtime& rt) : Object("links", ObjectKind::Links), rt_(&rt) {
    // One hook for either runtime: the notices are the same, only the delivery differs.
    const auto on_exit = [this](auto& runtime, TaskId task, const std::string& reason) {
        for (Notice& n : exited(task, reason)) {
            if (n.kill) {
                n.to->kill(runtime, n.m.note);
            } else {
                n.to->deliver(runtime, std::move(n.m));
            }
        }
    };
    if (rt.is_real()) {
        static_cast<RealRuntime&>(rt).on_exit(on_exit);
    } else {
        static_cast<Scheduler&>(rt).on_exit(on_exit);
    }
}

// A task in the graph has an end that others hear of: on the simulator that
// end is a step of its own (Scheduler::end_is_step).
void Links::watch(TaskId task) {
    if (!rt_->is_real()) static_cast<Scheduler*>(rt_)->end_is_step(task);
}

void Links::attach(TaskId task, Mailbox& box) {
    watch(task);
    std::lock_guard lock(mu_);
    boxes_[task] = &box;
}

void Links::link(TaskId a, TaskId b) {
    watch(a);
    watch(b);
    std::lock_guard lock(mu_);
    links_.emplace(a, b);
    links_.emplace(b, a);
}

void Links::monitor(TaskId watcher, TaskId watched) {
    watch(watched);
    std::lock_guard lock(mu_);
    monitors_.emplace(watched, watcher);
}

void Links::trap_exits(TaskId task) {
    std::lock_guard lock(mu_);
    trapping_.insert(task);
}

Links::Graph Links::graph() const {
    std::lock_guard lock(mu_);
    Graph g;
    for (const auto& [a, b] : links_) {
        if (a < b) g.links.emplace_back(a, b);
    }
    for (const auto& [watched, watcher] : monitors_) g.monitors.emplace_back(watcher, watched);
    g.trapping = trapping_;
    return g;
}

Snapshot Links::snapshot() const {
    const Graph g = graph();
    Snapshot s;
    s.value = std::to_string(g.links.size()) + " links, " + std::to_string(g.monitors.size()) + " monitors";
    return s;
}

std::uint64_t Links::killed() const {
    std::lock_guard lock(mu_);
    return killed_;
}

// What the end of `task` sends, worked out under the lock and delivered after it.
std::vector<Links::Notice> Links::exited(TaskId task, const std::string& reason) {
    std::vector<Notice> out;
    std::lock_guard lock(mu_);
    const auto own = boxes_.find(task);
    if (own == boxes_.end()) return out;
    own->second->close_address(reason);
    const auto box_of = [&](TaskId t) -> Mailbox* {
        const auto it = boxes_.find(t);
        return it == boxes_.end() ? nullptr : it->second;
    };
    const auto [mb, me] = monitors_.equal_range(task);
    for (auto it = mb; it != me; ++it) {
        if (Mailbox* to = box_of(it->second)) out.push_back({to, Message{task, "DOWN", 0, reason}, false});
    }
    monitors_.erase(task);
    std::vector<TaskId> linked;
    const auto [lb, le] = links_.equal_range(task);
    for (auto it = lb; it != le; ++it) linked.push_back(it->second);
    links_.erase(task);
    for (const TaskId other : linked) {
        for (auto back = links_.lower_bound(other); back != links_.end() && back->first == other; ++back) {
            if (back->second == task) {
                links_.erase(back);
                break;
            }
        }
        Mailbox* to = box_of(other);
        if (!to) continue;
        if (trapping_.count(other)) {
            out.push_back({to, Message{task, "EXIT", 0, reason}, false});
        } else if (reason != "normal") {
            ++killed_;
            out.push_back({to, Message{task, "EXIT", 0, "linked to " + rt_->task_name(task) + ", which died: " + reason}, true});
        }
    }
    return out;
}

}  // namespace such::engine
