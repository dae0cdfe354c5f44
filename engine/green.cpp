// Green threads: K worker threads share all tasks (M:N). Each worker has its
// own run queue; it runs the task at its front until that task parks on a
// step (or ends), then the next. A worker with nothing to run steals half of
// another's queue, and sleeps when there is nothing anywhere. A task woken by
// a step runs next on the waking worker (its `next` slot, ahead of the
// queue, as Go's runnext): a reply is usually run by the worker that sent
// the request, at once, with no thread switch at all. So that two tasks
// waking each other cannot keep the queue waiting for ever, the queue's
// front runs after kNextStreak of them in a row.
// When every worker sleeps with no timer pending while tasks are alive, no
// one can ever wake them: that is a deadlock, and the run ends with it.
#include <algorithm>

#include "engine/real_runtime.hpp"

namespace such::engine {

namespace {
thread_local const RealRuntime* tl_runtime = nullptr;
thread_local int tl_worker = -1;
// A sleeping worker still looks for work this often: a task pushed behind a
// long-running one on a busy worker waits at most this long for a thief.
constexpr auto kIdleLook = std::chrono::milliseconds(1);
constexpr int kNextStreak = 64;

bool later(const std::chrono::steady_clock::time_point a_due, std::uint64_t a_order, const std::chrono::steady_clock::time_point b_due,
           std::uint64_t b_order) {
    return a_due != b_due ? a_due > b_due : a_order > b_order;
}
}  // namespace

void RealRuntime::run_green() {
    const int k = options_.workers;
    workers_.clear();
    for (int i = 0; i < k; ++i) workers_.push_back(std::make_unique<Worker>());
    const std::size_t n = task_count();
    for (std::size_t i = 0; i < n; ++i) workers_[i % static_cast<std::size_t>(k)]->queue.push_back(&slot(static_cast<TaskId>(i)));
    live_.store(static_cast<long>(n));
    peak_live_.store(n);
    over_ = n == 0;
    std::vector<std::thread> threads;
    start_ = std::chrono::steady_clock::now();
    running_.store(true, std::memory_order_release);
    for (int i = 0; i < k; ++i) threads.emplace_back([this, i] { work(i); });
    for (auto& th : threads) th.join();
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    running_.store(false);
}

void RealRuntime::work(int me) {
    tl_runtime = this;
    tl_worker = me;
    Worker& w = *workers_[static_cast<std::size_t>(me)];
    bool slept = false;
    for (;;) {
        if (timer_count_.load(std::memory_order_acquire) > 0) fire_timers();
        TaskSlot* t = pop(me);
        if (!t) t = steal(me, slept);
        if (t) {
            slept = false;
            run_task(*t, w);
        } else if (!sleep(me)) {
            break;
        } else {
            slept = true;
        }
    }
    tl_runtime = nullptr;
    tl_worker = -1;
}

// Runs one task until it parks or ends.
void RealRuntime::run_task(TaskSlot& t, Worker& w) {
    for (;;) {
        if (t.pending) {
            StepResult result;
            try {
                result = t.pending->run_green(*this);
            } catch (const std::exception& e) {
                t.error = e.what();
                result = StepResult::Done;
                t.pending = nullptr;
                break;
            }
            if (result == StepResult::Blocked) {
                ++w.parks;
                return;  // parked: another worker may be running it already
            }
            t.pending = nullptr;
        }
        coro::handle<> next = t.inner ? t.inner : coro::handle<>(t.handle);
        t.inner = {};
        ++w.switches;
        next.resume();
        if (t.handle.done()) break;
        if (!t.pending) {
            t.error = "the program awaited something that is not a step";
            break;
        }
    }
    if (t.handle.done()) finish(t);
    if (live_.fetch_sub(1) == 1) {
        std::lock_guard lock(idle_mu_);
        over_ = true;
        idle_cv_.notify_all();
    }
}

void RealRuntime::push(TaskSlot& t, int worker, bool next) {
    const bool mine = worker < 0 && tl_runtime == this && tl_worker >= 0;
    if (worker < 0) worker = mine ? tl_worker : 0;
    Worker& w = *workers_[static_cast<std::size_t>(worker)];
    TaskSlot* queued_task = &t;
    if (next && mine) {
        // The slot is this worker's own: no lock. Only this worker fills it, so
        // an empty slot stays empty until the store; a full one may be taken
        // by a thief meanwhile, hence the exchange. What was there goes to the queue.
        if (!w.next.load(std::memory_order_relaxed)) {
            w.next.store(&t, std::memory_order_release);
            return;  // the one thing to run next: nothing to share
        }
        queued_task = w.next.exchange(&t, std::memory_order_acq_rel);
        if (!queued_task) return;
    }
    std::size_t queued = 0;
    {
        std::lock_guard lock(w.mu);
        w.queue.push_back(queued_task);
        queued = w.queue.size();
    }
    // One task queued is the next thing this worker runs once its current
    // task parks (a reply, typically; the one in `next` is not counted: it
    // runs first): waking a sleeper for it would only bounce the task between
    // cores, and the sleeper still looks every kIdleLook. From two on, there
    // is work to share. (Counting `next` too, a 4-stage pipeline of
    // unbuffered channels on 2 workers ran at 0.93 M values/s of CPU time
    // instead of 2.25 M: its tasks kept crossing between cores.)
    // One wake at a time: a spawning loop must not pay a system call per task.
    if (queued >= 2 && sleepers_.load() > 0 && !waking_.exchange(true)) {
        std::lock_guard lock(idle_mu_);
        idle_cv_.notify_one();
    }
}

void RealRuntime::wake(TaskId task, bool next) { push(slot(task), -1, next); }

// The `next` slot first, unless it has had kNextStreak turns in a row and
// the queue has a task.
RealRuntime::TaskSlot* RealRuntime::pop(int me) {
    Worker& w = *workers_[static_cast<std::size_t>(me)];
    if (w.streak < kNextStreak && w.next.load(std::memory_order_relaxed)) {
        if (TaskSlot* t = w.next.exchange(nullptr, std::memory_order_acq_rel)) {
            ++w.streak;
            return t;
        }
    }
    w.streak = 0;
    {
        std::lock_guard lock(w.mu);
        if (!w.queue.empty()) {
            TaskSlot* t = w.queue.front();
            w.queue.pop_front();
            return t;
        }
    }
    return w.next.exchange(nullptr, std::memory_order_acq_rel);
}

// Takes half of the first non-empty queue after this worker's (never two locks at once).
RealRuntime::TaskSlot* RealRuntime::steal(int me, bool slept) {
    const int k = options_.workers;
    std::vector<TaskSlot*> taken;
    for (int i = 1; i < k && taken.empty(); ++i) {
        Worker& victim = *workers_[static_cast<std::size_t>((me + i) % k)];
        std::lock_guard lock(victim.mu);
        const std::size_t half = (victim.queue.size() + 1) / 2;
        for (std::size_t j = 0; j < half; ++j) {
            taken.push_back(victim.queue.back());
            victim.queue.pop_back();
        }
    }
    for (int i = 1; i < k && taken.empty() && slept; ++i) {  // every queue is empty: a task waiting to run next on a busy worker
        Worker& victim = *workers_[static_cast<std::size_t>((me + i) % k)];
        if (TaskSlot* t = victim.next.load(std::memory_order_relaxed) ? victim.next.exchange(nullptr, std::memory_order_acq_rel) : nullptr) taken.push_back(t);
    }
    if (taken.empty()) return nullptr;
    Worker& w = *workers_[static_cast<std::size_t>(me)];
    std::lock_guard lock(w.mu);
    w.steals += taken.size();
    for (std::size_t j = taken.size(); j-- > 1;) w.queue.push_back(taken[j]);
    return taken.front();
}

bool RealRuntime::sleep(int) {
    std::unique_lock lock(idle_mu_);
    if (over_) return false;
    sleepers_.store(++sleeping_);
    bool work = false;
    for (auto& w : workers_) {
        std::lock_guard q(w->mu);
        work = work || !w->queue.empty();  // not `next`: its worker is awake and runs it
    }
    if (!work) {
        std::chrono::steady_clock::time_point due = std::chrono::steady_clock::now() + kIdleLook;
        bool timers = false;
        {
            std::lock_guard t(timer_mu_);
            if (!timers_.empty()) {
                timers = true;
                due = std::min(due, timers_.front().due);
            }
        }
        if (!timers && sleeping_ == options_.workers) {
            deadlocked_ = live_.load() > 0;
            over_ = true;
            idle_cv_.notify_all();
        } else {
            idle_cv_.wait_until(lock, due);
        }
    }
    waking_.store(false);
    sleepers_.store(--sleeping_);
    return !over_;
}

bool RealRuntime::fire_timers() {
    std::vector<std::function<void(RealRuntime&)>> due;
    {
        std::lock_guard lock(timer_mu_);
        const auto now = std::chrono::steady_clock::now();
        const auto cmp = [](const Timer& a, const Timer& b) { return later(a.due, a.order, b.due, b.order); };
        while (!timers_.empty() && timers_.front().due <= now) {
            std::pop_heap(timers_.begin(), timers_.end(), cmp);
            due.push_back(std::move(timers_.back().fire));
            timers_.pop_back();
        }
        timer_count_.store(timers_.size(), std::memory_order_release);
    }
    for (auto& fire : due) fire(*this);
    return !due.empty();
}

void RealRuntime::add_timer(std::chrono::nanoseconds after, std::function<void(RealRuntime&)> fire) {
    {
        std::lock_guard lock(timer_mu_);
        timers_.push_back({std::chrono::steady_clock::now() + after, timer_order_++, std::move(fire)});
        std::push_heap(timers_.begin(), timers_.end(), [](const Timer& a, const Timer& b) { return later(a.due, a.order, b.due, b.order); });
        timer_count_.store(timers_.size(), std::memory_order_release);
    }
    if (sleepers_.load() > 0) {
        std::lock_guard lock(idle_mu_);
        idle_cv_.notify_all();  // a sleeper may have to wake sooner
    }
}

RealRuntime::GreenStats RealRuntime::green_stats() const {
    GreenStats s;
    for (const auto& w : workers_) {
        s.switches += w->switches;
        s.parks += w->parks;
        s.steals += w->steals;
    }
    s.peak_live = peak_live_.load();
    return s;
}

std::string RealRuntime::deadlock_story() const {
    std::string story;
    std::size_t stuck = 0;
    const std::size_t n = task_count();
    for (std::size_t i = 0; i < n; ++i) {
        const TaskSlot& t = slot(static_cast<TaskId>(i));
        if (!t.handle || t.handle.done() || !t.pending) continue;
        if (++stuck > 4) continue;
        const ObjectId on = t.pending->object();
        story += (stuck > 1 ? "; " : ": ") + t.name + " waits on " + (on == kNone ? std::string(to_string(t.pending->kind())) : object(on).name());
    }
    if (stuck > 4) story += "; and " + std::to_string(stuck - 4) + " more";
    return "deadlock: " + std::to_string(stuck) + " green thread" + (stuck == 1 ? "" : "s") + " wait forever" + story;
}

StepResult YieldStep::run_green(RealRuntime& rt) {
    if (requeued_) return StepResult::Done;
    requeued_ = true;
    rt.record(ctx_->id(), EventKind::Yield, kNone, 0);
    rt.wake(ctx_->id(), false);  // to the back of this worker's queue
    return StepResult::Blocked;
}

}  // namespace such::engine
