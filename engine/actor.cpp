// Mailbox steps on the simulator and on real threads.
#include "engine/actor.hpp"

#include <chrono>
#include <thread>

namespace such::engine {
namespace {
std::string describe(const Message& m) { return m.value ? m.tag + "(" + std::to_string(m.value) + ")" : m.tag; }
}  // namespace

Snapshot Mailbox::snapshot() const {
    Snapshot s;
    s.value = alive_ ? std::to_string(messages_.size()) + " in mailbox" : "dead";
    if (dropped_) s.value += ", " + std::to_string(dropped_) + " dropped";
    return s;
}

Mailbox::SendStep Mailbox::send(Ctx& ctx, std::string tag, std::int64_t value) {
    return SendStep(ctx, *this, Message{ctx.id(), std::move(tag), value});
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

void Mailbox::close_address() {
    std::lock_guard lock(real_);
    alive_ = false;
    dropped_ += messages_.size();
    messages_.clear();
}

void Mailbox::deliver(Scheduler& sched, Message m) {
    const std::string what = describe(m);
    const bool kept = append(std::move(m));
    if (kept && owner_ != kNone) sched.wake(owner_);
    sched.emit(EventKind::ActorExit, id(), 0, kept ? "the runtime delivers " + what + " to " + name() : what + " to dead " + name() + ": dropped");
}

StepResult Mailbox::SendStep::run(Scheduler& sched) {
    const std::string what = describe(m_);
    const bool kept = to_.append(m_);
    if (kept && to_.owner_ != kNone) sched.wake(to_.owner_);
    sched.emit(EventKind::ActorSend, object_, m_.value,
               kept ? "sends " + what + " to " + to_.name() : "sends " + what + " to " + to_.name() + ", which is dead: dropped");
    return StepResult::Done;
}

void Mailbox::SendStep::run_real(RealRuntime& rt) {
    {
        std::lock_guard lock(to_.real_);
        to_.append(m_);
    }
    to_.real_cv_.notify_all();
    rt.record(ctx_->id(), EventKind::ActorSend, object_, m_.value);
}

bool Mailbox::ReceiveStep::take() {
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
        const int at = box_.last_taken_;
        sched.emit(EventKind::ActorReceive, object_, got_->value,
                   "receives " + describe(*got_) + (at > 0 ? ", skipping " + std::to_string(at) + " that do not match" : ""));
        return StepResult::Done;
    }
    if (wait_->timed_out) {
        wait_->waiting = false;
        sched.emit(EventKind::ActorReceive, object_, -1, "receive times out: nothing matched");
        return StepResult::Done;
    }
    if (timeout_ > 0 && !timer_set_) {
        timer_set_ = true;
        const TaskId me = sched.current();
        std::shared_ptr<Wait> wait = wait_;
        sched.add_timer(sched.time() + timeout_, [wait, me](Scheduler& s) {
            if (!wait->waiting) return;  // a message came first
            wait->timed_out = true;
            s.wake(me);
        });
    }
    wait_->waiting = true;
    sched.emit(EventKind::ActorWait, object_, 0,
               skipped_before ? "nothing here matches (" + std::to_string(skipped_before) + " waiting): sleeps until a message arrives"
                              : "mailbox empty: sleeps until a message arrives");
    return StepResult::Blocked;
}

void Mailbox::ReceiveStep::run_real(RealRuntime& rt) {
    // A reply usually comes within microseconds: look a few times, yielding
    // the core, before sleeping on the condition variable (as channels do).
    for (int i = 0; i < 3; ++i) {
        {
            std::lock_guard lock(box_.real_);
            if (take()) {
                rt.record(ctx_->id(), EventKind::ActorReceive, object_, got_->value);
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
    rt.record(ctx_->id(), EventKind::ActorReceive, object_, got_->value);
}

}  // namespace such::engine
