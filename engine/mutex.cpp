// Mutex steps: acquire or queue, hand off on unlock, try without waiting.
#include "engine/mutex.hpp"

#include <algorithm>
#include <stdexcept>

namespace such::engine {

Snapshot Mutex::snapshot() const {
    Snapshot s;
    s.holder = owner();
    s.value = s.holder == kNone ? "free" : "locked";
    s.waiting.assign(queue_.begin(), queue_.end());
    return s;
}

bool Mutex::fingerprint(std::vector<std::int64_t>& out) const {
    out.push_back(owner());
    out.push_back(static_cast<std::int64_t>(queue_.size()));
    out.insert(out.end(), queue_.begin(), queue_.end());
    return true;
}

void Mutex::wait(Scheduler& sched, bool& told, Note note) {
    if (told) return;
    told = true;
    queue_.push_back(sched.current());
    sched.emit(EventKind::LockWait, id(), owner(), {.note = note});
}

void Mutex::take(Scheduler& sched, bool& waited, Note note) {
    const TaskId me = sched.current();
    if (waited) queue_.erase(std::find(queue_.begin(), queue_.end(), me));
    waited = false;
    owner_.store(me, std::memory_order_relaxed);
    sched.emit(EventKind::LockAcquire, id(), 0, {.note = note});
}

StepResult Mutex::LockStep::run(Scheduler& sched) {
    const TaskId me = sched.current();
    if (m_.owner() == me) throw std::logic_error(sched.task_name(me) + " locks " + m_.name() + " twice");
    m_.take(sched, queued_, Note::Plain);
    return StepResult::Done;
}

StepResult Mutex::UnlockStep::run(Scheduler& sched) {
    const TaskId me = sched.current();
    if (m_.owner() != me) throw std::logic_error(sched.task_name(me) + " unlocks " + m_.name() + " it does not own");
    m_.owner_.store(kNone, std::memory_order_relaxed);
    sched.emit(EventKind::Unlock, m_.id(), kNone);
    return StepResult::Done;
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
