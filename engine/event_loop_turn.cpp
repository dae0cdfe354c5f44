// The event loop's turn: its phases, each callback, the microtask drain, a
// busy callback holding the loop, and the poll that waits for I/O or the
// nearest timer. Each is one step of the loop's task.
#include <algorithm>
#include <utility>

#include "engine/event_loop.hpp"

namespace such::engine {

class EventLoop::LoopStep final : public Step {
public:
    enum class Mode { Enter, Run, Busy, Poll };
    LoopStep(Ctx& ctx, EventLoop& loop, Mode mode, LoopPhase phase) : Step(ctx, loop.id()), loop_(loop), mode_(mode), phase_(phase) {}
    LoopStep& with_job(const char* what, Job job, std::int64_t late) {
        what_ = what;
        job_ = std::move(job);
        late_ = late;
        return *this;
    }
    LoopStep& with_label(std::string label, std::uint64_t ms = 0) {
        label_ = std::move(label);
        ms_ = ms;
        return *this;
    }
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override {
        switch (mode_) {
        case Mode::Enter: return EventKind::LoopPhase;
        case Mode::Run: return EventKind::LoopCallback;
        case Mode::Busy: return EventKind::LoopBusy;
        case Mode::Poll: return EventKind::LoopPoll;
        }
        return EventKind::LoopPhase;
    }
    // A callback and the poll may touch any stream (and whatever the program shares): many objects.
    Access access() const override { return mode_ == Mode::Run || mode_ == Mode::Poll ? Access::Many : Access::Write; }
    void await_resume() const {}
    const std::string& job_name() const { return job_.name; }

private:
    // Both fill the simulator's event; real threads skip that.
    EventArgs enter_phase(bool describe);
    EventArgs run_callback(Scheduler* sched);
    StepResult busy(Scheduler& sched);
    EventLoop& loop_;
    Mode mode_;
    LoopPhase phase_;
    const char* what_ = "";
    Job job_;
    std::int64_t late_ = -1;
    std::string label_;
    std::uint64_t ms_ = 0;
    bool waiting_ = false;
    bool done_ = false;
};

// A busy callback holds the loop while the clock moves on by its ms: the
// loop's task waits for the clock, and nothing else of the loop runs.
StepResult EventLoop::LoopStep::busy(Scheduler& sched) {
    if (done_) {
        sched.emit(kind(), object_, 0, {.note = Note::Woken, .label = sched.label(label_)});
        return StepResult::Done;
    }
    if (!waiting_) {
        waiting_ = true;
        sched.wake_after(ms_, &done_);
        sched.emit(kind(), object_, static_cast<std::int64_t>(ms_), {.note = Note::Computing, .label = sched.label(label_)});
    }
    return StepResult::Blocked;
}

// [SECTION] Phases and callbacks

// The event says how much the phase has to do: arg1 = its callbacks or
// handles (timers: those due, arg2 = all timers; update time: the new time).
EventArgs EventLoop::LoopStep::enter_phase(bool describe) {
    std::lock_guard lock(loop_.mu_);
    loop_.phase_ = phase_;
    if (loop_.phases_.size() < 100000) loop_.phases_.push_back(phase_);
    if (phase_ == LoopPhase::UpdateTime) {
        loop_.now_ = loop_.now();
        ++loop_.stats_.iterations;
    }
    if (!describe) return {};
    const auto n = [](std::size_t count) { return static_cast<std::int64_t>(count); };
    switch (phase_) {
    case LoopPhase::UpdateTime: return {.arg1 = static_cast<std::int64_t>(loop_.now_)};
    case LoopPhase::Timers: {
        std::size_t due = 0;
        for (const Job& j : loop_.timers_) due += j.due <= loop_.now_;
        return {.arg1 = n(due), .arg2 = n(loop_.timers_.size())};
    }
    case LoopPhase::Pending: return {.arg1 = n(loop_.pending_.size())};
    case LoopPhase::Idle: return {};
    case LoopPhase::Prepare: return {.arg1 = n(loop_.prepare_.size())};
    case LoopPhase::Poll: return {.arg1 = n(loop_.watching_)};
    case LoopPhase::Check: return {.arg1 = n(loop_.immediates_.size())};
    case LoopPhase::Close: return {.arg1 = n(loop_.closing_.size())};
    }
    return {};
}

// The label is the job's name; arg1 = the label of what it is (a timer, an
// immediate...), arg2 = when it was due, arg3 = the ms it computed for.
EventArgs EventLoop::LoopStep::run_callback(Scheduler* sched) {
    {
        std::lock_guard lock(loop_.mu_);
        if (sched) loop_.current_ = std::string(what_) + " " + job_.name;  // for the views, which watch the simulator
        loop_.cost_ = 0;
        if (late_ >= 0) loop_.late_.push_back({job_.name, job_.due, loop_.now_});
    }
    if (job_.fn) job_.fn(loop_);
    if (!sched) return {};
    return {.arg1 = sched->label(what_),
            .arg2 = static_cast<std::int64_t>(job_.due),
            .arg3 = static_cast<std::int64_t>(loop_.cost_),
            .label = sched->label(job_.name)};
}

StepResult EventLoop::LoopStep::run(Scheduler& sched) {
    switch (mode_) {
    case Mode::Enter: sched.emit(kind(), object_, static_cast<std::int64_t>(phase_), enter_phase(true)); return StepResult::Done;
    case Mode::Run: {
        const EventArgs args = run_callback(&sched);
        sched.emit(kind(), object_, late_, args);
        return StepResult::Done;
    }
    case Mode::Busy: return busy(sched);
    case Mode::Poll: break;
    }
    // Poll: wait until a watched stream is ready, something is posted, or the nearest timer is due.
    std::unique_lock lock(loop_.mu_);
    if (!waiting_) {
        const std::int64_t timeout = loop_.poll_timeout();
        loop_.stats_.last_poll_timeout = timeout;
        loop_.poll_began_ = sched.clock();
        loop_.wake_ = false;
        if (timeout == 0 || loop_.ready_io()) {
            // NoWait: arg1 says why (0 work is queued, 1 a timer is due, 2 nothing is left).
            const EventArgs args = loop_.ready_io() ? EventArgs{.note = Note::Ready}
                                                    : EventArgs{.note = Note::NoWait, .arg1 = loop_.work_queued() ? 0 : !loop_.timers_.empty() ? 1 : 2};
            lock.unlock();
            sched.emit(kind(), object_, timeout, args);
            return StepResult::Done;
        }
        waiting_ = true;
        loop_.polling_ = true;
        const std::uint64_t token = ++loop_.poll_token_;
        loop_.poll_deadline_ = timeout > 0 ? sched.clock() + static_cast<std::uint64_t>(timeout) : ~std::uint64_t{0};
        if (timeout > 0) {
            EventLoop* loop = &loop_;
            sched.add_timer(loop_.poll_deadline_, [loop, token](Scheduler& s) {
                if (loop->polling_ && loop->poll_token_ == token) s.wake(loop->task_);
            });
        }
        lock.unlock();
        sched.emit(kind(), object_, timeout);
        return StepResult::Blocked;
    }
    if (!loop_.wake_ && !loop_.ready_io() && sched.clock() < loop_.poll_deadline_) return StepResult::Blocked;
    waiting_ = false;
    loop_.polling_ = false;
    loop_.wake_ = false;
    const std::uint64_t waited = sched.clock() - loop_.poll_began_;
    loop_.stats_.blocked_ms += waited;
    loop_.now_ = sched.clock();
    const bool io = loop_.ready_io() || !loop_.posted_.empty();
    lock.unlock();
    sched.emit(kind(), object_, -1, {.note = Note::Woken, .arg1 = static_cast<std::int64_t>(waited), .arg2 = io ? 1 : 0});
    return StepResult::Done;
}

void EventLoop::LoopStep::run_real(RealRuntime& rt) {
    switch (mode_) {
    case Mode::Enter: enter_phase(false); break;
    case Mode::Run: run_callback(nullptr); break;
    case Mode::Busy: break;
    case Mode::Poll: {
        std::unique_lock lock(loop_.mu_);
        const std::int64_t timeout = loop_.poll_timeout();
        loop_.stats_.last_poll_timeout = timeout;
        const std::uint64_t began = loop_.now();
        const auto ready = [&] { return loop_.wake_ || loop_.ready_io(); };
        if (loop_.epfd_ >= 0) {
            lock.unlock();
            loop_.io_poll(timeout);  // epoll_wait: a stream readable, a post, or the nearest timer
            lock.lock();
        } else if (timeout < 0) {
            loop_.cv_.wait(lock, ready);
        } else if (timeout > 0) {
            loop_.cv_.wait_for(lock, std::chrono::milliseconds(timeout), ready);
        }
        loop_.wake_ = false;
        loop_.now_ = loop_.now();
        loop_.stats_.blocked_ms += loop_.now_ - began;
        break;
    }
    }
    rt.record(ctx_->id(), kind(), object_, mode_ == Mode::Run ? late_ : static_cast<std::int64_t>(phase_));
}

// [SECTION] Queues

bool EventLoop::alive() const {
    std::lock_guard lock(mu_);
    return !timers_.empty() || !pending_.empty() || !immediates_.empty() || !closing_.empty() || !posted_.empty() || !prepare_.empty() ||
           watching_ > 0 || refs_ > 0;
}

bool EventLoop::work_queued() const { return !pending_.empty() || !immediates_.empty() || !closing_.empty() || !posted_.empty() || !io_held_.empty(); }

// libuv's rule: don't wait if there is work queued; else until the nearest
// timer; with no timer, until I/O (or a post) arrives.
std::int64_t EventLoop::poll_timeout() const {
    if (work_queued()) return 0;
    if (!timers_.empty()) return timers_.front().due > now_ ? static_cast<std::int64_t>(timers_.front().due - now_) : 0;
    return watching_ == 0 && refs_ == 0 ? 0 : -1;
}

bool EventLoop::ready_io() const {
    for (const Watch& w : watches_) {
        if (!w.on) continue;
        std::lock_guard lock(w.stream->mu_);
        if (!w.stream->chunks_.empty() || w.stream->closed_) return true;
    }
    return false;
}

// [SECTION] The turn

// Where the loop's task stands to run a callback: on its code (EventLoop::at),
// or else on the phase's line of its own listing.
void EventLoop::stand(Ctx& ctx, const Job& job, LoopPhase p) {
    const int line = static_cast<int>(p);
    ctx.at(job.place.listing != kNone ? job.place : Place{ctx.listing(), line, line, line});
}

// One macrotask: the callback, the time it computes, then the microtask drain.
Co<void> EventLoop::run_job(Ctx& ctx, LoopPhase p, const char* what, Job job, std::int64_t late) {
    stand(ctx, job, p);
    LoopStep step(ctx, *this, LoopStep::Mode::Run, p);
    step.with_job(what, std::move(job), late);
    co_await step;
    {
        std::lock_guard lock(mu_);
        ++stats_.callbacks[static_cast<std::size_t>(p)];
    }
    // Most callbacks neither compute nor queue microtasks: no coroutine for them.
    if (cost_ > 0) co_await burn(ctx, what, step.job_name());
    if (microtasks_queued()) co_await drain(ctx);
    std::lock_guard lock(mu_);
    current_.clear();
}

// The callback's busy(ms): one step that holds the loop while the clock
// moves on by that much.
Co<void> EventLoop::burn(Ctx& ctx, const char* what, const std::string& name) {
    const std::uint64_t cost = cost_;
    cost_ = 0;
    LoopStep step(ctx, *this, LoopStep::Mode::Busy, phase_);
    step.with_label(std::string(what) + " " + name, cost);
    co_await step;
}

bool EventLoop::microtasks_queued() const {
    std::lock_guard lock(mu_);
    return !ticks_.empty() || !micro_.empty();
}

// node's order: every next tick (those they queue too), then every promise
// job (those they queue too), and again while either queue has more.
Co<void> EventLoop::drain(Ctx& ctx) {
    bool ticks_turn = true;
    for (;;) {
        Job job;
        const char* what = nullptr;
        {
            std::lock_guard lock(mu_);
            if (ticks_.empty() && micro_.empty()) break;
            if (ticks_turn && ticks_.empty()) ticks_turn = false;
            if (!ticks_turn && micro_.empty()) ticks_turn = true;
            std::deque<Job>& q = ticks_turn ? ticks_ : micro_;
            job = std::move(q.front());
            q.pop_front();
            what = ticks_turn ? "next tick" : "promise job";
            ++(ticks_turn ? stats_.ticks : stats_.microtasks);
        }
        stand(ctx, job, phase_);
        LoopStep step(ctx, *this, LoopStep::Mode::Run, phase_);
        step.with_job(what, std::move(job), -1);
        co_await step;
        if (cost_ > 0) co_await burn(ctx, what, step.job_name());
    }
}

Co<void> EventLoop::run(Ctx& ctx, std::string main_name, Callback main) {
    {
        std::lock_guard lock(mu_);  // the network and workers read these from their threads
        sched_ = ctx.sched();
        real_ = ctx.real();
        task_ = ctx.id();
        start_ = std::chrono::steady_clock::now();
        now_ = now();
        if (real_) io_open();  // natively: epoll over real socket pairs
    }
    Job script;
    script.name = std::move(main_name);
    script.fn = std::move(main);
    script.place = take_place();
    co_await run_job(ctx, LoopPhase::UpdateTime, "the main script", std::move(script), -1);
    bool undecided = false;
    {
        std::lock_guard lock(mu_);
        stats_.callbacks[static_cast<std::size_t>(LoopPhase::UpdateTime)] = 0;  // main is not a phase's callback
        // A timer the script set for 1 ms (node's least: setTimeout(f, 0) too) is due at the loop's first
        // look or not, by whether the script took a millisecond: on the simulator, a choice the explorer
        // branches on (node promises no order between such a timer and an immediate); natively, the clock's.
        const std::uint64_t at = now();
        for (const Job& j : timers_) undecided = undecided || (j.due > at && j.due <= at + 1);
    }
    if (undecided && !real_ && sched_->pick(2) == 1) {
        cost_ = 1;
        co_await burn(ctx, "the main script", "(it took 1 ms)");
    }
    while (alive()) {
        for (int p = 0; p < kLoopPhases; ++p) {
            const auto phase = static_cast<LoopPhase>(p);
            LoopStep enter(ctx.at(p), *this, LoopStep::Mode::Enter, phase);
            co_await enter;
            if (phase == LoopPhase::Poll) {
                LoopStep poll(ctx, *this, LoopStep::Mode::Poll, phase);
                co_await poll;
            }
            // The callbacks this phase runs; those queued while it runs wait for the next turn
            // (timers: those due by the loop's time; I/O: each ready stream once).
            std::vector<Job> jobs;
            std::vector<const char*> whats;
            std::vector<std::int64_t> lates;
            std::vector<Stream*> polled;  // epoll: the streams this poll phase ran callbacks for
            {
                std::lock_guard lock(mu_);
                switch (phase) {
                case LoopPhase::Timers:
                    while (!timers_.empty() && timers_.front().due <= now_) {
                        std::pop_heap(timers_.begin(), timers_.end(), later);
                        Job j = std::move(timers_.back());
                        timers_.pop_back();
                        if (j.interval > 0) {
                            Job again = j;
                            again.due = now_ + j.interval;
                            again.order = order_++;
                            timers_.push_back(std::move(again));
                            std::push_heap(timers_.begin(), timers_.end(), later);
                        }
                        lates.push_back(static_cast<std::int64_t>(now_ - j.due));
                        whats.push_back(j.interval ? "interval" : "timeout");
                        jobs.push_back(std::move(j));
                    }
                    break;
                case LoopPhase::Pending:
                    jobs.assign(std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
                    pending_.clear();
                    whats.assign(jobs.size(), "deferred callback");
                    break;
                case LoopPhase::Prepare:
                    jobs = prepare_;
                    whats.assign(jobs.size(), "prepare handle");
                    break;
                case LoopPhase::Poll: {
                    // epoll: only the streams it reported, and those holding lines already
                    // taken off TCP; in memory: every watched one, in order.
                    std::vector<Stream*> candidates;
                    if (epfd_ >= 0) {
                        candidates.swap(io_ready_);
                        candidates.insert(candidates.end(), io_held_.begin(), io_held_.end());
                        io_held_.clear();
                    } else {
                        for (const Watch& w : watches_) {
                            if (w.on) candidates.push_back(w.stream);
                        }
                    }
                    for (Stream* st : candidates) {
                        if (st->watch_slot_ >= watches_.size() || !watches_[st->watch_slot_].on) continue;
                        const Watch& w = watches_[st->watch_slot_];
                        std::string chunk;
                        bool ready = false;
                        {
                            std::lock_guard sl(st->mu_);
                            if (st->io_turn_ == stats_.iterations) continue;  // reported and held: once a turn
                            st->io_turn_ = stats_.iterations;
                            ready = st->poll_ready();
                        }
                        if (!ready) continue;
                        if (epfd_ >= 0) polled.push_back(st);
                        if (w.on_data) {  // proactor: the loop reads, the callback gets the data
                            chunk = st->read();
                            if (chunk.empty() && !st->closed()) continue;  // nothing after all
                            DataCallback fn = w.on_data;
                            jobs.push_back({w.name, [fn, chunk](EventLoop& l) { fn(l, chunk); }, 0, order_++, 0, 0, w.place});
                            whats.push_back(chunk.empty() ? "end of data for" : "read done for");
                            if (chunk.empty()) stop_watching(*st);  // a proactor read that reached the end is over
                        } else {  // reactor: the loop says "readable", the callback reads
                            jobs.push_back({w.name, w.on_readable, 0, order_++, 0, 0, w.place});
                            whats.push_back("readable");
                        }
                    }
                    for (Job& j : posted_) {
                        jobs.push_back(std::move(j));
                        whats.push_back("posted");
                    }
                    posted_.clear();
                    break;
                }
                case LoopPhase::Check:
                    jobs.assign(std::make_move_iterator(immediates_.begin()), std::make_move_iterator(immediates_.end()));
                    immediates_.clear();
                    whats.assign(jobs.size(), "immediate");
                    break;
                case LoopPhase::Close:
                    jobs.assign(std::make_move_iterator(closing_.begin()), std::make_move_iterator(closing_.end()));
                    closing_.clear();
                    whats.assign(jobs.size(), "close callback");
                    break;
                case LoopPhase::UpdateTime:
                case LoopPhase::Idle: break;
                }
            }
            lates.resize(jobs.size(), -1);
            for (std::size_t i = 0; i < jobs.size(); ++i) co_await run_job(ctx, phase, whats[i], std::move(jobs[i]), lates[i]);
            if (!polled.empty()) hold_unread(polled);
        }
    }
    std::vector<TaskId> idle;
    {
        std::lock_guard lock(mu_);
        finished_ = true;
        current_.clear();
        idle.swap(idle_workers_);
    }
    // The pool's workers end with the loop.
    if (sched_) {
        for (TaskId t : idle) sched_->wake(t);
    } else {
        work_cv_.notify_all();
    }
}

}  // namespace such::engine
