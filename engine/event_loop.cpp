// The event loop's turn, its queues, its steps, and streams.
#include "engine/event_loop.hpp"

#include <algorithm>
#include <thread>
#include <utility>

namespace such::engine {

std::string_view to_string(LoopPhase phase) {
    switch (phase) {
    case LoopPhase::UpdateTime: return "update time";
    case LoopPhase::Timers: return "timers";
    case LoopPhase::Pending: return "pending";
    case LoopPhase::Idle: return "idle";
    case LoopPhase::Prepare: return "prepare";
    case LoopPhase::Poll: return "poll";
    case LoopPhase::Check: return "check";
    case LoopPhase::Close: return "close";
    }
    return "?";
}

// [SECTION] Streams

Snapshot Stream::snapshot() const {
    std::lock_guard lock(mu_);
    Snapshot s;
    s.value = std::to_string(chunks_.size()) + " chunk(s) waiting" + (closed_ ? ", closed" : "");
    return s;
}

std::size_t Stream::buffered() const {
    std::lock_guard lock(mu_);
    return chunks_.size();
}

bool Stream::closed() const {
    std::lock_guard lock(mu_);
    return closed_;
}

Stream::WriteStep Stream::write(Ctx& ctx, std::string data) { return WriteStep(ctx, *this, std::move(data), false); }
Stream::WriteStep Stream::close(Ctx& ctx) { return WriteStep(ctx, *this, {}, true); }

std::string Stream::read() {
    std::lock_guard lock(mu_);
    std::string got;
    if (recv_real(got)) return got;
    if (chunks_.empty()) return {};
    std::string out = std::move(chunks_.front());
    chunks_.pop_front();
    return out;
}

void Stream::reply(std::string data) {
    reply_real(data);
    std::lock_guard lock(mu_);
    echoed_.push_back(std::move(data));
}

Stream::ReadStep Stream::wait_read(Ctx& ctx) { return ReadStep(ctx, *this); }

StepResult Stream::ReadStep::run(Scheduler& sched) {
    std::unique_lock lock(s_.mu_);
    if (s_.chunks_.empty() && !s_.closed_) {
        s_.reader_ = sched.current();
        lock.unlock();
        sched.emit(kind(), object_, -1, {.note = Note::Recv});
        return StepResult::Blocked;
    }
    s_.reader_ = kNone;
    if (!s_.chunks_.empty()) {
        got_ = std::move(s_.chunks_.front());
        s_.chunks_.pop_front();
    }
    lock.unlock();
    sched.emit(kind(), object_, static_cast<std::int64_t>(got_.size()), {.note = got_.empty() ? Note::Eof : Note::Plain, .label = sched.label(got_)});
    return StepResult::Done;
}

void Stream::ReadStep::run_real(RealRuntime& rt) {
    if (!s_.recv_blocking(got_)) {  // in memory (no descriptors here)
        std::unique_lock lock(s_.mu_);
        s_.cv_.wait(lock, [&] { return !s_.chunks_.empty() || s_.closed_; });
        if (!s_.chunks_.empty()) {
            got_ = std::move(s_.chunks_.front());
            s_.chunks_.pop_front();
        }
    }
    rt.record(ctx_->id(), kind(), object_, static_cast<std::int64_t>(got_.size()));
}

void Stream::WriteStep::apply() {
    EventLoop* loop = nullptr;
    TaskId reader = kNone;
    {
        std::lock_guard lock(s_.mu_);
        if (close_) {
            s_.closed_ = true;
        } else {
            s_.chunks_.push_back(data_);
            ++s_.written_;
        }
        loop = s_.loop_;
        reader = std::exchange(s_.reader_, kNone);
    }
    s_.cv_.notify_all();
    if (loop) loop->woken();
    if (reader != kNone && sched_) sched_->wake(reader);
}

StepResult Stream::WriteStep::run(Scheduler& sched) {
    sched_ = &sched;
    apply();
    sched.emit(EventKind::StreamWrite, object_, static_cast<std::int64_t>(data_.size()),
               {.note = close_ ? Note::Closed : Note::Plain, .label = sched.label(data_)});
    return StepResult::Done;
}

void Stream::WriteStep::run_real(RealRuntime& rt) {
    if (!s_.send_real(data_, close_)) apply();
    rt.record(ctx_->id(), EventKind::StreamWrite, object_, static_cast<std::int64_t>(data_.size()));
}


// [SECTION] What callbacks do

std::uint64_t EventLoop::now() const {
    if (sched_) return sched_->clock();
    if (real_) return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_).count());
    return 0;
}

std::uint64_t EventLoop::set_timeout(std::string name, std::uint64_t ms, Callback fn) {
    std::lock_guard lock(mu_);
    const std::uint64_t id = ++ids_;
    // node: a delay under 1 ms is 1 ms. Due from the loop's cached time, as libuv's timers are.
    timers_.push_back({std::move(name), std::move(fn), now_ + std::max<std::uint64_t>(ms, 1), order_++, 0, id, take_place()});
    std::push_heap(timers_.begin(), timers_.end(), later);
    return id;
}

std::uint64_t EventLoop::set_interval(std::string name, std::uint64_t ms, Callback fn) {
    const std::uint64_t id = set_timeout(std::move(name), ms, std::move(fn));
    std::lock_guard lock(mu_);
    for (Job& j : timers_) {
        if (j.id == id) j.interval = std::max<std::uint64_t>(ms, 1);
    }
    return id;
}

void EventLoop::clear_timer(std::uint64_t id) {
    std::lock_guard lock(mu_);
    timers_.erase(std::remove_if(timers_.begin(), timers_.end(), [id](const Job& j) { return j.id == id; }), timers_.end());
    std::make_heap(timers_.begin(), timers_.end(), later);
}

template <class Queue>
void EventLoop::enqueue(Queue& q, std::string name, Callback fn) {
    std::lock_guard lock(mu_);
    q.push_back({std::move(name), std::move(fn), 0, order_++, 0, 0, take_place()});
}

void EventLoop::set_immediate(std::string name, Callback fn) { enqueue(immediates_, std::move(name), std::move(fn)); }

void EventLoop::next_tick(std::string name, Callback fn) { enqueue(ticks_, std::move(name), std::move(fn)); }

void EventLoop::queue_microtask(std::string name, Callback fn) { enqueue(micro_, std::move(name), std::move(fn)); }

void EventLoop::defer(std::string name, Callback fn) { enqueue(pending_, std::move(name), std::move(fn)); }

void EventLoop::on_close(std::string name, Callback fn) { enqueue(closing_, std::move(name), std::move(fn)); }

void EventLoop::on_prepare(std::string name, Callback fn) { enqueue(prepare_, std::move(name), std::move(fn)); }

void EventLoop::stop_prepare() {
    std::lock_guard lock(mu_);
    prepare_.clear();
}

void EventLoop::watch(Stream& s, std::string name, Callback on_readable) {
    std::lock_guard lock(mu_);
    {
        std::lock_guard sl(s.mu_);
        s.loop_ = this;
    }
    s.watch_slot_ = watches_.size();
    watches_.push_back({&s, std::move(name), std::move(on_readable), {}, true, take_place()});
    ++watching_;
    io_watch(s);
}

void EventLoop::read(Stream& s, std::string name, DataCallback on_data) {
    std::lock_guard lock(mu_);
    {
        std::lock_guard sl(s.mu_);
        s.loop_ = this;
    }
    s.watch_slot_ = watches_.size();
    watches_.push_back({&s, std::move(name), {}, std::move(on_data), true, take_place()});
    ++watching_;
    io_watch(s);
}

void EventLoop::unwatch(Stream& s) {
    std::lock_guard lock(mu_);
    stop_watching(s);
}

void EventLoop::stop_watching(Stream& s) {
    if (s.watch_slot_ >= watches_.size() || !watches_[s.watch_slot_].on) return;
    watches_[s.watch_slot_].on = false;
    s.watch_slot_ = ~std::size_t{0};
    --watching_;
    io_unwatch(s);
}

void EventLoop::keep_alive(int delta) {
    std::lock_guard lock(mu_);
    refs_ += delta;
}

void EventLoop::busy(std::uint64_t ms) {
    if (real_) {  // real threads: really compute that long, holding the loop
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (std::chrono::steady_clock::now() < until) {
        }
        return;
    }
    cost_ += ms;
}

void EventLoop::log(std::string line) {
    std::lock_guard lock(mu_);
    output_.push_back(std::move(line));
}

void EventLoop::woken() {
    Scheduler* sched = nullptr;
    bool polling = false;
    int wake_fd = -1;
    {
        std::lock_guard lock(mu_);
        wake_ = true;
        sched = sched_;
        polling = polling_;
        wake_fd = wakefd_;  // a worker may post before the loop's thread has opened it
    }
    if (sched) {
        if (polling) sched->wake(task_);
    } else if (!io_wake(wake_fd)) {
        cv_.notify_all();
    }
}

void EventLoop::queue_work(std::string name, std::uint64_t ms, Callback after) {
    Scheduler* sched = nullptr;
    std::vector<TaskId> idle;
    {
        std::lock_guard lock(mu_);
        work_.push_back({std::move(name), std::move(after), ms, order_++, 0, 0, take_place()});
        ++refs_;  // the loop lives until the work's callback has run
        sched = sched_;
        idle.swap(idle_workers_);
    }
    if (sched) {
        for (TaskId t : idle) sched->wake(t);
    } else {
        work_cv_.notify_one();
    }
}

// A worker of the pool: takes work, computes, posts the callback back; ends with the loop.
Co<void> EventLoop::work_pool(Ctx& ctx) {
    for (;;) {
        TakeStep take(ctx, *this);
        co_await take;
        if (!take.job()) co_return;
        Job job = std::move(*take.job());
        if (!ctx.real() && job.due > 0) {
            SleepStep work(ctx, job.due, "computes " + job.name + " off the loop");
            co_await work;
        }
        if (ctx.real()) {
            const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(job.due);
            while (std::chrono::steady_clock::now() < until) {
            }
        }
        Callback after = job.fn;
        Job back{job.name + " done", [after](EventLoop& l) {
                     if (after) after(l);
                     l.keep_alive(-1);
                 }, 0, 0, 0, 0, job.place};  // the loop runs `after` where its code stands
        // A named step: g++ 12 destroys some temporaries of a co_await expression twice.
        PostStep done(ctx, *this, std::move(back));
        co_await done;
    }
}

StepResult EventLoop::TakeStep::run(Scheduler& sched) {
    std::unique_lock lock(loop_.mu_);
    if (!loop_.work_.empty()) {
        got_ = std::move(loop_.work_.front());
        loop_.work_.pop_front();
        lock.unlock();
        sched.emit(kind(), object_, static_cast<std::int64_t>(got_->due), {.label = sched.label(got_->name)});
        return StepResult::Done;
    }
    if (loop_.finished_) {
        lock.unlock();
        sched.emit(kind(), object_, -1, {.note = Note::Ended});
        return StepResult::Done;
    }
    loop_.idle_workers_.push_back(sched.current());
    lock.unlock();
    sched.emit(kind(), object_, 0, {.note = Note::Idle});
    return StepResult::Blocked;
}

void EventLoop::TakeStep::run_real(RealRuntime& rt) {
    std::unique_lock lock(loop_.mu_);
    loop_.work_cv_.wait(lock, [&] { return !loop_.work_.empty() || loop_.finished_; });
    if (!loop_.work_.empty()) {
        got_ = std::move(loop_.work_.front());
        loop_.work_.pop_front();
    }
    lock.unlock();
    rt.record(ctx_->id(), kind(), object_, got_ ? static_cast<std::int64_t>(got_->due) : -1);
}

EventLoop::PostStep EventLoop::post(Ctx& ctx, std::string name, Callback fn) { return PostStep(ctx, *this, Job{std::move(name), std::move(fn), 0, 0, 0, 0, kNowhere}); }

void EventLoop::PostStep::apply() {
    {
        std::lock_guard lock(loop_.mu_);
        job_.order = loop_.order_++;
        loop_.posted_.push_back(job_);
    }
    loop_.woken();
}

StepResult EventLoop::PostStep::run(Scheduler& sched) {
    const int name = sched.label(job_.name);
    apply();
    sched.emit(EventKind::LoopPost, object_, 0, {.label = name});
    return StepResult::Done;
}

void EventLoop::PostStep::run_real(RealRuntime& rt) {
    apply();
    rt.record(ctx_->id(), EventKind::LoopPost, object_, 0);
}

// [SECTION] What the views read

Snapshot EventLoop::snapshot() const {
    std::lock_guard lock(mu_);
    Snapshot s;
    s.value = finished_ ? "finished" : std::string(to_string(phase_)) + " phase" + (current_.empty() ? "" : ", running " + current_);
    return s;
}

EventLoop::Stats EventLoop::stats() const {
    std::lock_guard lock(mu_);
    return stats_;
}

std::vector<EventLoop::Lateness> EventLoop::lateness() const {
    std::lock_guard lock(mu_);
    return late_;
}

std::vector<std::string> EventLoop::output() const {
    std::lock_guard lock(mu_);
    return output_;
}

std::vector<LoopPhase> EventLoop::phase_log() const {
    std::lock_guard lock(mu_);
    return phases_;
}

EventLoop::Queues EventLoop::queues() const {
    std::lock_guard lock(mu_);
    Queues q;
    q.timers = timers_;
    std::sort(q.timers.begin(), q.timers.end(), [](const Job& a, const Job& b) { return later(b, a); });
    const auto names = [](const auto& jobs) {
        std::vector<std::string> out;
        for (const Job& j : jobs) out.push_back(j.name);
        return out;
    };
    q.pending = names(pending_);
    q.immediates = names(immediates_);
    q.ticks = names(ticks_);
    q.microtasks = names(micro_);
    q.closing = names(closing_);
    q.posted = names(posted_);
    q.work = names(work_);
    q.prepare = names(prepare_);
    for (const Watch& w : watches_) {
        if (w.on) q.watching.push_back(w.name + (w.on_data ? " (proactor)" : " (reactor)"));
    }
    return q;
}

LoopPhase EventLoop::standing() const {
    if (sched_ && task_ != kNone && !finished_) {
        const TaskView t = sched_->task(task_);
        if (t.next == EventKind::LoopPhase && t.line >= 0 && t.line < kLoopPhases) return static_cast<LoopPhase>(t.line);
    }
    return phase_;
}

}  // namespace such::engine
