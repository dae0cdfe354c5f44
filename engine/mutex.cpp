// Mutex steps: acquire or queue, hand off on unlock, try without waiting.
#include "engine/mutex.hpp"

#include <stdexcept>

namespace such::engine {

Snapshot Mutex::snapshot() const {
    Snapshot s;
    s.value = owner_ == kNone ? "free" : "locked";
    s.holder = owner_;
    s.waiting.assign(queue_.begin(), queue_.end());
    return s;
}

StepResult Mutex::LockStep::run(Scheduler& sched) {
    const TaskId me = sched.current();
    if (queued_) {
        // Woken by a hand-off: unlock already made us the owner.
        sched.emit(EventKind::LockAcquire, m_.id(), 0, "gets " + m_.name() + " (handed over)");
        return StepResult::Done;
    }
    if (m_.owner_ == me) throw std::logic_error(sched.task_name(me) + " locks " + m_.name() + " twice");
    if (m_.owner_ == kNone) {
        m_.owner_ = me;
        sched.emit(EventKind::LockAcquire, m_.id(), 0, "locks " + m_.name());
        return StepResult::Done;
    }
    queued_ = true;
    m_.queue_.push_back(me);
    sched.emit(EventKind::LockWait, m_.id(), m_.owner_,
               "waits for " + m_.name() + " (held by " + sched.task_name(m_.owner_) + ")");
    return StepResult::Blocked;
}

StepResult Mutex::UnlockStep::run(Scheduler& sched) {
    const TaskId me = sched.current();
    if (m_.owner_ != me) throw std::logic_error(sched.task_name(me) + " unlocks " + m_.name() + " it does not own");
    if (m_.queue_.empty()) {
        m_.owner_ = kNone;
        sched.emit(EventKind::Unlock, m_.id(), kNone, "unlocks " + m_.name());
    } else {
        m_.owner_ = m_.queue_.front();
        m_.queue_.pop_front();
        sched.wake(m_.owner_);
        sched.emit(EventKind::Unlock, m_.id(), m_.owner_,
                   "unlocks " + m_.name() + ", hands it to " + sched.task_name(m_.owner_));
    }
    return StepResult::Done;
}

StepResult Mutex::TryLockStep::run(Scheduler& sched) {
    const TaskId me = sched.current();
    got_ = m_.owner_ == kNone;
    if (got_) m_.owner_ = me;
    sched.emit(EventKind::TryLock, m_.id(), got_ ? 1 : 0, got_ ? "try-locks " + m_.name() + ": got it"
                                                           : "try-locks " + m_.name() + ": busy, moves on");
    return StepResult::Done;
}

}  // namespace such::engine
