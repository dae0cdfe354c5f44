// Channel and select steps on the simulator and on real threads.
//
// Index
//   [SECTION] Queues: claiming a parked partner exactly once
//   [SECTION] Send and receive
//   [SECTION] Close
//   [SECTION] Select
#include "engine/channel.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

namespace such::engine {

struct Sleeper {
    std::mutex m;
    std::condition_variable cv;
};

namespace {

Sleeper* my_sleeper() {
    thread_local Sleeper sleeper;
    return &sleeper;
}

// A partner usually arrives within microseconds: spin a little (yielding the
// core) before sleeping on the thread's condition variable, which costs a
// system call on each side. Either way we end holding the sleeper's lock
// once, so the partner has left release() before our step (and this Parked)
// can go away.
void wait_until_done(Parked& p) {
    for (int i = 0; i < 200 && !p.done.load(std::memory_order_acquire); ++i) std::this_thread::yield();
    Sleeper& s = *p.sleeper;
    std::unique_lock lock(s.m);
    s.cv.wait(lock, [&] { return p.done.load(std::memory_order_relaxed); });
}
}  // namespace

// [SECTION] Queues: claiming a parked partner exactly once

Parked* ChannelCell::claim(Ring<Waiter>& queue, Waiter& out) {
    while (!queue.empty()) {
        const Waiter w = queue.front();
        queue.pop_front();
        // A select waits at several channels, each completing it under its own
        // lock: one exchange decides. Anything else waits here only, under this lock.
        if (w.parked->many ? w.parked->claimed.exchange(true, std::memory_order_acq_rel) : w.parked->claimed.load(std::memory_order_relaxed)) {
            continue;  // a select completed by another channel
        }
        w.parked->claimed.store(true, std::memory_order_relaxed);
        out = w;
        return w.parked;
    }
    return nullptr;
}

bool ChannelCell::has_live(const Ring<Waiter>& queue) {
    for (std::size_t i = 0; i < queue.size(); ++i) {
        if (!queue[i].parked->claimed.load(std::memory_order_acquire)) return true;
    }
    return false;
}

// Fills nothing: the caller has set the outcome; this publishes it.
void ChannelCell::release(Parked* p, Scheduler* sched) {
    const TaskId task = p->task;
    if (RealRuntime* green = p->green) {
        green->wake(task);  // the task's worker may run it (and end p) at once: p is not touched again
        return;
    }
    if (sched) {
        p->done = true;
        sched->wake(task);
        return;
    }
    Sleeper& s = *p->sleeper;
    std::lock_guard lock(s.m);
    p->done.store(true, std::memory_order_release);
    s.cv.notify_one();  // under the lock: p may vanish once we let go
}

bool ChannelCell::can_send() { return closed_ || has_live(recvq_) || static_cast<int>(buffer_.size()) < capacity_; }
bool ChannelCell::can_recv() { return !buffer_.empty() || has_live(sendq_) || closed_; }

bool ChannelCell::hand_over(std::int64_t value, Scheduler* sched, TaskId& woke) {
    Waiter w{};
    Parked* r = claim(recvq_, w);
    if (!r) return false;
    woke = r->task;  // read before release: the record may vanish after it
    r->value = value;
    r->ok = true;
    r->fired = w.index;
    count(value);
    release(r, sched);
    return true;
}

TaskId ChannelCell::do_send(std::int64_t value, Scheduler* sched) {
    TaskId woke = kNone;
    if (hand_over(value, sched, woke)) return woke;
    buffer_.push_back(value);
    return kNone;
}

TaskId ChannelCell::do_recv(Received& out, Scheduler* sched) {
    Waiter w{};
    if (!buffer_.empty()) {
        out = {buffer_.front(), true};
        buffer_.pop_front();
        count(out.value);
        if (Parked* s = claim(sendq_, w)) {  // a waiting sender's value takes the freed slot
            const TaskId t = s->task;
            buffer_.push_back(w.value);
            s->fired = w.index;
            release(s, sched);
            return t;
        }
        return kNone;
    }
    if (Parked* s = claim(sendq_, w)) {
        const TaskId t = s->task;
        out = {w.value, true};
        count(out.value);
        s->fired = w.index;
        release(s, sched);
        return t;
    }
    out = {0, false};  // closed and drained
    return kNone;
}

bool ChannelCell::send_now(std::int64_t value, bool& panic) {
    if (closed_) {
        panic = true;
        return true;
    }
    TaskId woke = kNone;
    if (hand_over(value, nullptr, woke)) return true;
    if (static_cast<int>(buffer_.size()) < capacity_) {
        buffer_.push_back(value);
        return true;
    }
    return false;
}

bool ChannelCell::recv_now(Received& out) {
    if (!buffer_.empty()) {  // and a parked sender's value, if any, takes the freed slot
        do_recv(out, nullptr);
        return true;
    }
    Waiter w{};
    if (Parked* s = claim(sendq_, w)) {
        out = {w.value, true};
        count(out.value);
        s->fired = w.index;
        release(s, nullptr);
        return true;
    }
    if (closed_) {
        out = {0, false};
        return true;
    }
    return false;
}

void ChannelCell::forget(const Parked* p) {
    for (auto* q : {&sendq_, &recvq_}) q->erase_if([p](const Waiter& w) { return w.parked == p; });
}

// Told once (*told) each time the scheduler finds the step's guard closed.
void ChannelCell::guard_wait(Scheduler& sched, bool& told, bool send, std::int64_t value) {
    if (std::exchange(told, true)) return;
    at_guard_.push_back({sched.current(), send, value});
    sched.emit(EventKind::ChanWait, id(), value, send ? EventArgs{.note = Note::Send, .arg1 = capacity_} : EventArgs{.note = Note::Recv});
}

void ChannelCell::guard_done(TaskId task) {
    std::erase_if(at_guard_, [task](const GuardWaiter& g) { return g.task == task; });
}

std::vector<std::pair<TaskId, std::int64_t>> ChannelCell::senders() const {
    std::vector<std::pair<TaskId, std::int64_t>> out;
    for (const GuardWaiter& g : at_guard_) {
        if (g.send) out.emplace_back(g.task, g.value);
    }
    sendq_.each([&out](const Waiter& w) {
        if (!w.parked->claimed) out.emplace_back(w.parked->task, w.value);
    });
    return out;
}

std::vector<TaskId> ChannelCell::receivers() const {
    std::vector<TaskId> out;
    for (const GuardWaiter& g : at_guard_) {
        if (!g.send) out.push_back(g.task);
    }
    recvq_.each([&out](const Waiter& w) {
        if (!w.parked->claimed) out.push_back(w.parked->task);
    });
    return out;
}

Snapshot ChannelCell::snapshot() const {
    Snapshot s;
    s.value = capacity_ == 0 ? "unbuffered" : std::to_string(buffer_.size()) + " of " + std::to_string(capacity_);
    if (passed_) s.value += ", " + std::to_string(passed_) + " passed";
    if (closed_) s.value += ", closed";
    s.holder = sender_;
    for (const auto& [task, value] : senders()) s.waiting.push_back(task);
    for (TaskId t : receivers()) s.waiting.push_back(t);
    return s;
}

ChannelCell::SendStep ChannelCell::send_raw(Ctx& ctx, std::int64_t value) { return SendStep(ctx, *this, value); }
ChannelCell::RecvStep ChannelCell::recv_raw(Ctx& ctx) { return RecvStep(ctx, *this); }
ChannelCell::CloseStep ChannelCell::close(Ctx& ctx) { return CloseStep(ctx, *this); }

// [SECTION] Send and receive

// Simulator: runs only once its guard is open (can_send), so it never parks.
StepResult ChannelCell::SendStep::run(Scheduler& sched) {
    if (told_) ch_.guard_done(sched.current());
    if (ch_.closed_) {
        parked_.panic = true;
        sched.emit(EventKind::ChanSend, object_, value_, {.note = told_ ? Note::ClosedWhileWaiting : Note::Closed});
        return StepResult::Done;
    }
    if (ch_.can_send()) {
        const TaskId r = ch_.do_send(value_, &sched);
        if (r != kNone) {
            sched.emit(EventKind::ChanSend, object_, value_, {.arg1 = r});
        } else {
            sched.emit(EventKind::ChanSend, object_, value_,
                       {.note = Note::Buffered, .arg1 = static_cast<std::int64_t>(ch_.buffer_.size()), .arg2 = ch_.capacity_});
        }
        return StepResult::Done;
    }
    throw std::logic_error("a send ran at its closed guard on " + ch_.name());
}

void ChannelCell::SendStep::run_real(RealRuntime& rt) {
    {
        std::lock_guard lock(ch_.real_);
        if (!ch_.send_now(value_, parked_.panic)) {
            parked_.task = ctx_->id();
            parked_.sleeper = my_sleeper();
            ch_.enqueue(parked_, true, 0, value_);
            waiting_ = true;
        }
    }
    if (waiting_) {
        rt.record(ctx_->id(), EventKind::ChanWait, object_, value_);
        wait_until_done(parked_);
        rt.record(ctx_->id(), EventKind::ChanSend, object_, value_);
    } else if (!parked_.panic) {
        rt.record(ctx_->id(), EventKind::ChanSend, object_, value_);
    }
    await_resume();
}

// Green, first: a send that can complete now does, and the task goes on
// without suspending. One that must wait keeps the channel locked: its task
// suspends and the same worker, next, runs run_green, which parks it.
bool ChannelCell::SendStep::try_green(RealRuntime& rt) {
    ch_.real_.lock();
    if (!ch_.send_now(value_, parked_.panic)) {
        locked_ = true;
        return false;
    }
    ch_.real_.unlock();
    if (!parked_.panic) rt.record(ctx_->id(), EventKind::ChanSend, object_, value_);
    return true;  // await_resume panics on a closed channel
}

// Green, after try_green: parks the task; the receive (or close) that
// completes the send wakes it, and this runs again to end the step.
StepResult ChannelCell::SendStep::run_green(RealRuntime& rt) {
    const TaskId me = ctx_->id();
    if (!waiting_) {
        if (!std::exchange(locked_, false)) {
            ch_.real_.lock();
            if (ch_.send_now(value_, parked_.panic)) {
                ch_.real_.unlock();
                if (!parked_.panic) rt.record(me, EventKind::ChanSend, object_, value_);
                return StepResult::Done;
            }
        }
        parked_.task = me;
        parked_.green = &rt;
        waiting_ = true;
        rt.record(me, EventKind::ChanWait, object_, value_);  // before a partner can see it: once queued, it may run elsewhere
        ch_.enqueue(parked_, true, 0, value_);
        ch_.real_.unlock();
        return StepResult::Blocked;
    }
    if (!parked_.panic) rt.record(me, EventKind::ChanSend, object_, value_);
    return StepResult::Done;  // await_resume panics on a closed channel
}

void ChannelCell::SendStep::await_resume() {
    if (parked_.panic) throw Panic("send on closed channel " + ch_.name());
}

// A receive: arg1 = the sender whose value it took or let in (kNone: none),
// arg2 = the channel's capacity, arg3 = 1 when it had parked and collects
// what its waker left; Closed: the channel was closed and empty.
StepResult ChannelCell::RecvStep::run(Scheduler& sched) {
    if (told_) ch_.guard_done(sched.current());
    if (waiting_) {
        got_ = {parked_.value, parked_.ok};
        sched.emit(EventKind::ChanRecv, object_, got_.value,
                   {.note = got_.ok ? Note::Woken : Note::Closed, .arg1 = kNone, .arg2 = ch_.capacity_, .arg3 = 1});
        return StepResult::Done;
    }
    if (ch_.can_recv()) {
        const TaskId s = ch_.do_recv(got_, &sched);
        sched.emit(EventKind::ChanRecv, object_, got_.value, {.note = got_.ok ? Note::Plain : Note::Closed, .arg1 = s, .arg2 = ch_.capacity_});
        return StepResult::Done;
    }
    parked_.task = sched.current();
    ch_.recvq_.push_back({&parked_, 0, 0});
    waiting_ = true;
    sched.emit(EventKind::ChanWait, object_, 0, {.note = Note::Recv});
    return StepResult::Blocked;
}

void ChannelCell::RecvStep::run_real(RealRuntime& rt) {
    {
        std::lock_guard lock(ch_.real_);
        if (!ch_.recv_now(got_)) {
            parked_.task = ctx_->id();
            parked_.sleeper = my_sleeper();
            ch_.enqueue(parked_, false, 0, 0);
            waiting_ = true;
        }
    }
    if (waiting_) {
        rt.record(ctx_->id(), EventKind::ChanWait, object_, 0);
        wait_until_done(parked_);
        got_ = {parked_.value, parked_.ok};
    }
    rt.record(ctx_->id(), EventKind::ChanRecv, object_, got_.value);
}

// Green: as a send (try_green, then run_green to park).
bool ChannelCell::RecvStep::try_green(RealRuntime& rt) {
    ch_.real_.lock();
    if (!ch_.recv_now(got_)) {
        locked_ = true;
        return false;
    }
    ch_.real_.unlock();
    rt.record(ctx_->id(), EventKind::ChanRecv, object_, got_.value);
    return true;
}

// Parks the task; the send (or close) that completes the receive leaves the
// value in parked_ and wakes the task, and this runs again to end the step.
StepResult ChannelCell::RecvStep::run_green(RealRuntime& rt) {
    const TaskId me = ctx_->id();
    if (waiting_) {
        got_ = {parked_.value, parked_.ok};
        rt.record(me, EventKind::ChanRecv, object_, got_.value);
        return StepResult::Done;
    }
    if (!std::exchange(locked_, false)) {
        ch_.real_.lock();
        if (ch_.recv_now(got_)) {
            ch_.real_.unlock();
            rt.record(me, EventKind::ChanRecv, object_, got_.value);
            return StepResult::Done;
        }
    }
    parked_.task = me;
    parked_.green = &rt;
    waiting_ = true;
    rt.record(me, EventKind::ChanWait, object_, 0);  // before a partner can see it: once queued, it may run elsewhere
    ch_.enqueue(parked_, false, 0, 0);
    ch_.real_.unlock();
    return StepResult::Blocked;
}

// [SECTION] Close

// Receivers wake with "closed"; senders wake to panic. Returns how many woke.
std::int64_t ChannelCell::CloseStep::close_all(Scheduler* sched) {
    ch_.closed_ = true;
    std::int64_t woken = 0;
    Waiter w{};
    while (Parked* r = ch_.claim(ch_.recvq_, w)) {
        ++woken;
        r->value = 0;
        r->ok = false;
        r->fired = w.index;
        release(r, sched);
    }
    while (Parked* s = ch_.claim(ch_.sendq_, w)) {
        ++woken;
        s->panic = true;
        s->fired = w.index;
        release(s, sched);
    }
    return woken;
}

StepResult ChannelCell::CloseStep::run(Scheduler& sched) {
    if (ch_.closed_) {
        twice_ = true;
        sched.emit(EventKind::ChanClose, object_, 0, {.note = Note::AlreadyClosed});
        return StepResult::Done;
    }
    sched.emit(EventKind::ChanClose, object_, close_all(&sched));
    return StepResult::Done;
}

void ChannelCell::CloseStep::run_real(RealRuntime& rt) {
    {
        std::lock_guard lock(ch_.real_);
        if (ch_.closed_) {
            twice_ = true;
        } else {
            close_all(nullptr);
        }
    }
    rt.record(ctx_->id(), EventKind::ChanClose, object_, 0);
    await_resume();
}

void ChannelCell::CloseStep::await_resume() {
    if (twice_) throw Panic("close of closed channel " + ch_.name());
}

// [SECTION] Timer

Timer::~Timer() {
    if (real_thread_.joinable()) real_thread_.join();
}

Timer::StartStep Timer::start(Ctx& ctx, std::uint64_t ticks) { return StartStep(ctx, *this, ticks); }

// The clock's send: never waits (the buffer holds one ring; a second is dropped).
void Timer::ring(Scheduler* sched) {
    if (!sched) {  // real threads, under real_
        bool closed = false;
        send_now(1, closed);
        return;
    }
    if (closed_ || (static_cast<int>(buffer_.size()) >= capacity_ && !has_live(recvq_))) return;
    // A select waiting on it is woken to choose again, not completed here: a task the same moment woke may
    // make another of its cases ready before it steps (in Go the timer is a goroutine of its own, and a sender
    // waking at the same time may win). The ring waits in the buffer for it.
    // The first receiver still waiting, in order: a plain one takes the ring as any send's partner does.
    for (std::size_t i = 0; i < recvq_.size(); ++i) {
        Parked* p = recvq_[i].parked;
        if (p->claimed.load(std::memory_order_relaxed)) continue;
        if (!p->select) break;
        if (static_cast<int>(buffer_.size()) >= capacity_) return;  // a ring already waits for it: a second is dropped
        buffer_.push_back(1);
        sched->wake(p->task);
        sched->emit(EventKind::ChanSend, id(), 1, {.note = Note::Rings, .arg1 = p->task});
        return;
    }
    const TaskId woken = do_send(1, sched);
    if (sched) sched->emit(EventKind::ChanSend, id(), 1, {.note = Note::Rings, .arg1 = woken});
}

StepResult Timer::StartStep::run(Scheduler& sched) {
    const std::uint64_t due = sched.clock() + ticks_;
    Timer& timer = timer_;
    sched.add_timer(due, [&timer](Scheduler& s) { timer.ring(&s); });
    sched.emit(EventKind::ChanSend, object_, 0, {.note = Note::TimerSet, .arg1 = static_cast<std::int64_t>(due)});
    return StepResult::Done;
}

void Timer::StartStep::run_real(RealRuntime& rt) {
    Timer& timer = timer_;
    if (rt.green()) {  // the runtime's timer: a worker rings it, and while it is pending no wait is a deadlock
        rt.add_timer(std::chrono::milliseconds(ticks_), [&timer](RealRuntime&) {
            std::lock_guard lock(timer.real_);
            timer.ring(nullptr);
        });
        rt.record(ctx_->id(), EventKind::ChanSend, object_, 0);
        return;
    }
    if (timer.real_thread_.joinable()) timer.real_thread_.join();
    const auto ms = std::chrono::milliseconds(ticks_);
    timer.real_thread_ = std::thread([&timer, ms] {
        std::this_thread::sleep_for(ms);
        std::lock_guard lock(timer.real_);
        timer.ring(nullptr);
    });
    rt.record(ctx_->id(), EventKind::ChanSend, object_, 0);
}

// [SECTION] Select

namespace {
ObjectId first_channel(const std::vector<SelectCase>& cases) {
    for (const SelectCase& c : cases) {
        if (c.channel) return c.channel->id();
    }
    return kNone;
}
}  // namespace

SelectStep::SelectStep(Ctx& ctx, std::vector<SelectCase> cases, bool has_default)
    : Step(ctx, first_channel(cases)), cases_(std::move(cases)), has_default_(has_default) {}

std::vector<int> SelectStep::ready() const {
    std::vector<int> out;
    for (std::size_t i = 0; i < cases_.size(); ++i) {
        ChannelCell* c = cases_[i].channel;
        if (c && (cases_[i].send ? c->can_send() : c->can_recv())) out.push_back(static_cast<int>(i));
    }
    return out;
}

std::vector<ChannelCell*> SelectStep::channels() const {
    std::vector<ChannelCell*> out;
    for (const SelectCase& c : cases_) {
        if (c.channel && std::find(out.begin(), out.end(), c.channel) == out.end()) out.push_back(c.channel);
    }
    std::sort(out.begin(), out.end(), [](const ChannelCell* a, const ChannelCell* b) { return a->id() < b->id(); });
    return out;
}

TaskId SelectStep::perform(int index, Scheduler* sched) {
    const SelectCase& c = cases_[static_cast<std::size_t>(index)];
    result_.index = index;
    if (!c.send) {
        Received got;
        const TaskId t = c.channel->do_recv(got, sched);
        result_.value = got.value;
        result_.ok = got.ok;
        return t;
    }
    if (c.channel->closed_) {
        panic_ = true;
        return kNone;
    }
    result_.value = c.value;
    return c.channel->do_send(c.value, sched);
}

// The case taken: value = its index, arg1 = its channel, arg2 = the value
// sent or received, arg3 = how many cases were ready (0: the select woke).
EventArgs SelectStep::chosen(int ready) const {
    if (result_.index < 0) return {.note = Note::Default};
    const SelectCase& c = cases_[static_cast<std::size_t>(result_.index)];
    const Note note = c.send ? Note::SelectSend : result_.ok ? Note::SelectRecv : Note::SelectClosed;
    return {.note = note, .arg1 = c.channel->id(), .arg2 = c.send ? c.value : result_.value, .arg3 = ready};
}

StepResult SelectStep::run(Scheduler& sched) {
    if (waiting_ && parked_.fired < 0) {
        // Woken by a timer's ring and not completed since: leave every queue and choose again, among the
        // timer and whatever a task woken at the same moment has made ready meanwhile.
        for (ChannelCell* c : channels()) c->forget(&parked_);
        waiting_ = rechoose_ = false;
        parked_.claimed.store(false, std::memory_order_relaxed);
    }
    if (waiting_) {
        result_ = {parked_.fired, parked_.value, parked_.ok};
        panic_ = parked_.panic;
        if (cases_[static_cast<std::size_t>(result_.index)].send) result_.value = cases_[static_cast<std::size_t>(result_.index)].value;
        for (ChannelCell* c : channels()) c->forget(&parked_);
        sched.emit(EventKind::ChanSelect, object_, result_.index, chosen(0));
        return StepResult::Done;
    }
    const std::vector<int> ready_now = ready();
    if (!ready_now.empty()) {
        const int pick = ready_now[static_cast<std::size_t>(sched.pick(ready_now.size()))];
        perform(pick, &sched);
        sched.emit(EventKind::ChanSelect, object_, pick, chosen(static_cast<int>(ready_now.size())));
        return StepResult::Done;
    }
    if (has_default_) {
        result_.index = -1;
        sched.emit(EventKind::ChanSelect, object_, -1, chosen(0));
        return StepResult::Done;
    }
    parked_.task = sched.current();
    parked_.select = true;
    for (std::size_t i = 0; i < cases_.size(); ++i) {
        const SelectCase& c = cases_[i];
        if (!c.channel) continue;
        (c.send ? c.channel->sendq_ : c.channel->recvq_).push_back({&parked_, static_cast<int>(i), c.value});
    }
    waiting_ = true;
    sched.emit(EventKind::ChanWait, object_, 0, {.note = Note::Select, .arg1 = static_cast<std::int64_t>(channels().size())});
    return StepResult::Blocked;
}

bool SelectStep::now(const std::vector<ChannelCell*>& chans) {
    std::vector<int> order;
    order.reserve(cases_.size());
    for (std::size_t i = 0; i < cases_.size(); ++i) {
        if (cases_[i].channel) order.push_back(static_cast<int>(i));
    }
    thread_local Rng rng(0x5e1ec7ull + static_cast<std::uint64_t>(ctx_->id()));
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<std::size_t>(rng.below(i))]);
    for (int i : order) {
        const SelectCase& c = cases_[static_cast<std::size_t>(i)];
        bool done = false;
        if (c.send) {
            done = c.channel->send_now(c.value, panic_);
            result_.value = c.value;
        } else {
            Received got;
            done = c.channel->recv_now(got);
            result_.value = got.value;
            result_.ok = got.ok;
        }
        if (done) {
            result_.index = i;
            return true;
        }
    }
    if (!has_default_ && !chans.empty()) return false;
    result_ = {};
    if (!has_default_) throw Panic("select with no cases blocks forever");
    return true;
}

void SelectStep::collect() {
    result_ = {parked_.fired, parked_.value, parked_.ok};
    panic_ = parked_.panic;
    if (cases_[static_cast<std::size_t>(result_.index)].send) result_.value = cases_[static_cast<std::size_t>(result_.index)].value;
}

void SelectStep::lock_all(const std::vector<ChannelCell*>& chans) {
    for (ChannelCell* c : chans) c->real_.lock();
}

void SelectStep::unlock_all(const std::vector<ChannelCell*>& chans) {
    for (auto it = chans.rbegin(); it != chans.rend(); ++it) (*it)->real_.unlock();
}

bool SelectStep::now_or_unlock(const std::vector<ChannelCell*>& chans) {
    try {
        return now(chans);
    } catch (...) {
        unlock_all(chans);
        throw;
    }
}

void SelectStep::run_real(RealRuntime& rt) {
    const std::vector<ChannelCell*> chans = channels();
    lock_all(chans);
    const bool done = now_or_unlock(chans);
    if (done) {
        unlock_all(chans);
        rt.record(ctx_->id(), EventKind::ChanSelect, object_, result_.index);
        return;
    }
    parked_.task = ctx_->id();
    parked_.sleeper = my_sleeper();
    parked_.many = true;
    for (std::size_t i = 0; i < cases_.size(); ++i) {
        const SelectCase& c = cases_[i];
        if (c.channel) c.channel->enqueue(parked_, c.send, static_cast<int>(i), c.value);
    }
    unlock_all(chans);
    rt.record(ctx_->id(), EventKind::ChanWait, object_, 0);
    wait_until_done(parked_);
    lock_all(chans);
    for (ChannelCell* c : chans) c->forget(&parked_);
    unlock_all(chans);
    collect();
    rt.record(ctx_->id(), EventKind::ChanSelect, object_, result_.index);
}

bool SelectStep::try_green(RealRuntime& rt) {
    const std::vector<ChannelCell*> chans = channels();
    lock_all(chans);
    const bool done = now_or_unlock(chans);
    if (!done) {
        locked_ = true;  // kept for run_green, which this worker runs next
        return false;
    }
    unlock_all(chans);
    rt.record(ctx_->id(), EventKind::ChanSelect, object_, result_.index);
    return true;
}

// Green: a select with no case ready and no default parks its task, queued
// at each of its channels; the first partner to claim it wakes the task,
// which takes itself off the other channels' queues and ends the step.
StepResult SelectStep::run_green(RealRuntime& rt) {
    const TaskId me = ctx_->id();
    const std::vector<ChannelCell*> chans = channels();
    const bool locked = std::exchange(locked_, false);
    if (!locked) lock_all(chans);
    if (waiting_) {
        for (ChannelCell* c : chans) c->forget(&parked_);
        unlock_all(chans);
        collect();
        rt.record(me, EventKind::ChanSelect, object_, result_.index);
        return StepResult::Done;
    }
    const bool done = !locked && now_or_unlock(chans);
    if (done) {
        unlock_all(chans);
        rt.record(me, EventKind::ChanSelect, object_, result_.index);
        return StepResult::Done;
    }
    parked_.task = me;
    parked_.green = &rt;
    parked_.many = true;
    waiting_ = true;
    rt.record(me, EventKind::ChanWait, object_, 0);  // before a partner can see it: once queued, it may run elsewhere
    for (std::size_t i = 0; i < cases_.size(); ++i) {
        const SelectCase& c = cases_[i];
        if (c.channel) c.channel->enqueue(parked_, c.send, static_cast<int>(i), c.value);
    }
    unlock_all(chans);  // `chans` is this frame's own, not the step's
    return StepResult::Blocked;
}

Selected SelectStep::await_resume() {
    if (panic_) throw Panic("select sent on closed channel " + cases_[static_cast<std::size_t>(result_.index)].channel->name());
    return result_;
}

}  // namespace such::engine
