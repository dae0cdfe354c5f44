// Semaphore and condition variable steps, on the simulator and on real threads.
#include <algorithm>
#include <stdexcept>

#include "engine/condvar.hpp"
#include "engine/semaphore.hpp"

namespace such::engine {

// [SECTION] Semaphore

Snapshot Semaphore::snapshot() const {
    Snapshot s;
    s.value = std::to_string(count_) + (count_ == 1 ? " permit" : " permits");
    s.waiting.assign(queue_.begin(), queue_.end());
    return s;
}

void Semaphore::AcquireStep::waits(Scheduler& sched) {
    if (queued_) return;
    queued_ = true;
    s_.queue_.push_back(sched.current());
    sched.emit(EventKind::SemWait, s_.id(), 0);
}

StepResult Semaphore::AcquireStep::run(Scheduler& sched) {
    if (queued_) s_.queue_.erase(std::find(s_.queue_.begin(), s_.queue_.end(), sched.current()));
    queued_ = false;
    --s_.count_;
    sched.emit(EventKind::SemAcquire, s_.id(), s_.count_);
    return StepResult::Done;
}

void Semaphore::AcquireStep::run_real(RealRuntime& rt) {
    std::unique_lock lock(s_.real_mutex_);
    s_.real_cv_.wait(lock, [this] { return s_.count_ > 0; });
    --s_.count_;
    rt.record(ctx_->id(), EventKind::SemAcquire, s_.id(), s_.count_);
}

StepResult Semaphore::ReleaseStep::run(Scheduler& sched) {
    ++s_.count_;
    sched.emit(EventKind::SemRelease, s_.id(), kNone);
    return StepResult::Done;
}

void Semaphore::ReleaseStep::run_real(RealRuntime& rt) {
    {
        std::lock_guard lock(s_.real_mutex_);
        ++s_.count_;
    }
    s_.real_cv_.notify_one();
    rt.record(ctx_->id(), EventKind::SemRelease, s_.id(), kNone);
}

// [SECTION] Condition variable

Snapshot CondVar::snapshot() const {
    Snapshot s;
    s.value = std::to_string(waiters_.size()) + " waiting";
    s.waiting.assign(waiters_.begin(), waiters_.end());
    return s;
}

StepResult CondVar::WaitStep::run(Scheduler& sched) {
    const TaskId me = sched.current();
    switch (phase_) {
    case Phase::Start: {
        if (m_.owner() != me) throw std::logic_error(sched.task_name(me) + " waits on " + cv_.name() + " without holding " + m_.name());
        m_.owner_.store(kNone, std::memory_order_relaxed);
        cv_.waiters_.push_back(me);
        phase_ = Phase::Sleeping;
        sleeps();
        sched.emit(EventKind::CondWait, cv_.id(), 0, {.arg1 = m_.id()});
        return StepResult::Blocked;
    }
    case Phase::Sleeping:
        // Woken by a notify, and the mutex is free (the guard): take it back.
        m_.take(sched, relock_waited_, Note::Relocked);
        return StepResult::Done;
    }
    return StepResult::Done;
}

void CondVar::WaitStep::run_real(RealRuntime& rt) {
    rt.record(ctx_->id(), EventKind::CondWait, cv_.id(), 0);
    m_.owner_.store(kNone, std::memory_order_relaxed);
    cv_.real_.wait(m_.real_);
    m_.owner_.store(ctx_->id(), std::memory_order_relaxed);
    rt.record(ctx_->id(), EventKind::LockAcquire, m_.id(), 0);
}

StepResult CondVar::NotifyStep::run(Scheduler& sched) {
    std::int64_t woken = 0;
    TaskId first = kNone;
    while (!cv_.waiters_.empty() && (all_ || woken == 0)) {
        const TaskId t = cv_.waiters_.front();
        cv_.waiters_.erase(cv_.waiters_.begin());
        sched.wake(t);
        if (woken++ == 0) first = t;
    }
    sched.emit(EventKind::CondNotify, cv_.id(), woken, {.note = all_ ? Note::All : Note::Plain, .arg1 = first});
    return StepResult::Done;
}

void CondVar::NotifyStep::run_real(RealRuntime& rt) {
    if (all_) {
        cv_.real_.notify_all();
    } else {
        cv_.real_.notify_one();
    }
    rt.record(ctx_->id(), EventKind::CondNotify, cv_.id(), 0);
}

}  // namespace such::engine
