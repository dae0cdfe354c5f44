// Mutex steps: acquire or queue, hand off on unlock, try without waiting.
#include "engine/mutex.hpp"

#include <stdexcept>

namespace such::engine {

Snapshot Mutex::snapshot() const {
    Snapshot s;
    s.holder = owner();
    s.value = s.holder == kNone ? "free" : "locked";
    s.waiting.assign(queue_.begin(), queue_.end());
    return s;
}

bool Mutex::acquire_or_queue(TaskId task) {
    if (owner() == kNone) {
        owner_.store(task, std::memory_order_relaxed);
        return true;
    }
    queue_.push_back(task);
    return false;
}

TaskId Mutex::release(Scheduler& sched) {
    if (queue_.empty()) {
        owner_.store(kNone, std::memory_order_relaxed);
        return kNone;
    }
    const TaskId next = queue_.front();
    queue_.pop_front();
    owner_.store(next, std::memory_order_relaxed);
    sched.wake(next);
    return next;
}

StepResult Mutex::LockStep::run(Scheduler& sched) {
    const TaskId me = sched.current();
    if (queued_) {
        // Woken by a hand-off: unlock already made us the owner.
        sched.emit(EventKind::LockAcquire, m_.id(), 0, {.note = Note::HandedOver});
        return StepResult::Done;
    }
    if (m_.owner() == me) throw std::logic_error(sched.task_name(me) + " locks " + m_.name() + " twice");
    const TaskId holder = m_.owner();
    if (m_.acquire_or_queue(me)) {
        sched.emit(EventKind::LockAcquire, m_.id(), 0);
        return StepResult::Done;
    }
    queued_ = true;
    sched.emit(EventKind::LockWait, m_.id(), holder);
    return StepResult::Blocked;
}

void Mutex::LockStep::run_real(RealRuntime& rt) {
    m_.real_.lock();
    m_.owner_.store(ctx_->id(), std::memory_order_relaxed);
    rt.record(ctx_->id(), EventKind::LockAcquire, m_.id(), 0);
}

StepResult Mutex::UnlockStep::run(Scheduler& sched) {
    const TaskId me = sched.current();
    if (m_.owner() != me) throw std::logic_error(sched.task_name(me) + " unlocks " + m_.name() + " it does not own");
    const TaskId next = m_.release(sched);
    sched.emit(EventKind::Unlock, m_.id(), next);
    return StepResult::Done;
}

void Mutex::UnlockStep::run_real(RealRuntime& rt) {
    rt.record(ctx_->id(), EventKind::Unlock, m_.id(), kNone);
    m_.owner_.store(kNone, std::memory_order_relaxed);
    m_.real_.unlock();
}

StepResult Mutex::TryLockStep::run(Scheduler& sched) {
    const TaskId me = sched.current();
    got_ = m_.owner() == kNone;
    if (got_) m_.owner_.store(me, std::memory_order_relaxed);
    sched.emit(EventKind::TryLock, m_.id(), got_ ? 1 : 0);
    return StepResult::Done;
}

void Mutex::TryLockStep::run_real(RealRuntime& rt) {
    got_ = m_.real_.try_lock();
    if (got_) m_.owner_.store(ctx_->id(), std::memory_order_relaxed);
    rt.record(ctx_->id(), EventKind::TryLock, m_.id(), got_ ? 1 : 0);
}

}  // namespace such::engine
