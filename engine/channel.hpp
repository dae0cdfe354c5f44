// CSP channels with Go's semantics. Unbuffered: a send completes only when a
// receiver takes the value, and both go on together (a rendezvous).
// Buffered: FIFO, senders wait while it is full and receivers while it is
// empty (backpressure). close: buffered values still drain, then every
// receive gets "closed"; sending on or closing a closed channel panics.
// select: among the ready cases one is picked at random (seeded), else the
// default, else the task waits on all of them.
//
// A blocked send, receive or select is a Parked record queued at each channel
// it waits on; whoever completes it claims it once, so a select waiting on
// three channels is completed by exactly one of them. On real threads each
// channel has a std::mutex. A native thread that must wait sleeps on its
// record's condition; a green thread parks its task (the worker goes on with
// another) and the partner that completes it puts it back on a run queue
// (RealRuntime::wake), as a mailbox's receive does.
//
// On the simulator a send waits at a guard (Step::can_begin) until it can
// complete: a receiver is parked, there is room, or the channel is closed. So
// does a receive on a buffered channel (until a value or the close is there).
// Waiting at a guard is not a step: like a lock on a held mutex, it does not
// race the steps that open the guard, and the explorer runs one schedule per
// order of the operations that complete (Abdulla et al. 2014's model of
// locks). A receive on an unbuffered channel with no sender parks (a step:
// that is what lets a sender in), and the step that wakes it collects the
// value from its own record (Access::Own).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

struct Received {
    std::int64_t value = 0;
    bool ok = true;  // false: the channel is closed and drained
};

// A channel's lock on real threads. It is held for a few dozen instructions
// (a value handed over, a waiter queued), so a thread that finds it taken
// spins a little, then yields its core, rather than sleeping; and letting go
// is a plain store. A std::mutex costs an atomic exchange and a library call
// each way: half of a buffered channel operation's time on green threads.
class SpinLock {
public:
    void lock() {
        while (held_.exchange(true, std::memory_order_acquire)) {
            for (int i = 0; held_.load(std::memory_order_relaxed); ++i) {
                if (i < 64) {
                    relax();
                } else {
                    std::this_thread::yield();  // the holder may have lost its core
                }
            }
        }
    }
    bool try_lock() { return !held_.load(std::memory_order_relaxed) && !held_.exchange(true, std::memory_order_acquire); }
    void unlock() { held_.store(false, std::memory_order_release); }

private:
    static void relax() {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#elif defined(__aarch64__)
        asm volatile("yield");
#endif
    }
    std::atomic<bool> held_{false};
};

// Where a native thread sleeps while it waits (engine/channel.cpp): one per
// thread, not one per step, since a thread waits for one thing at a time and
// a step that never waits should not build and tear down a condition.
struct Sleeper;

struct Parked {
    TaskId task = kNone;
    std::atomic<bool> claimed{false};  // a partner has taken it on (once: whoever exchanges it first)
    std::atomic<bool> done{false};  // ...and filled in the outcome (native threads spin on it briefly)
    RealRuntime* green = nullptr;   // a green thread's: its partner wakes the task on this runtime
    Sleeper* sleeper = nullptr;     // a native thread's: its partner wakes it there
    int fired = -1;          // the select case that completed it
    std::int64_t value = 0;  // what a receive got
    bool ok = true;
    bool panic = false;      // a send whose channel was closed while it waited
    bool many = false;       // queued at several channels (a select on real threads): claimed by an atomic exchange
    bool select = false;     // a select's, on the simulator: a timer's ring wakes it to choose again (Timer::ring)
};

// A FIFO that keeps its room (a ring of a power-of-two size): a channel
// queues and takes a waiter at every rendezvous, where a std::deque would
// allocate and free a block every few of them.
template <class T>
class Ring {
public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    const T& operator[](std::size_t i) const { return items_[(head_ + i) & (items_.size() - 1)]; }
    const T& front() const { return (*this)[0]; }
    void push_back(const T& item) {
        if (size_ == items_.size()) grow();
        items_[(head_ + size_) & (items_.size() - 1)] = item;
        ++size_;
    }
    void pop_front() {
        head_ = (head_ + 1) & (items_.size() - 1);
        --size_;
    }
    // Removes the items `gone` says, keeping the others in order.
    template <class Gone>
    void erase_if(Gone gone) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < size_; ++i) {
            const T item = (*this)[i];
            if (!gone(item)) items_[(head_ + kept++) & (items_.size() - 1)] = item;
        }
        size_ = kept;
    }
    template <class Visit>
    void each(Visit visit) const {
        for (std::size_t i = 0; i < size_; ++i) visit((*this)[i]);
    }

private:
    void grow() {
        std::vector<T> bigger(items_.empty() ? 4 : items_.size() * 2);
        for (std::size_t i = 0; i < size_; ++i) bigger[i] = (*this)[i];
        items_.swap(bigger);
        head_ = 0;
    }
    std::vector<T> items_;
    std::size_t head_ = 0, size_ = 0;
};

class ChannelCell : public Object {
public:
    ChannelCell(std::string name, int capacity) : Object(std::move(name), ObjectKind::Channel), capacity_(capacity) {}

    int capacity() const { return capacity_; }
    bool closed() const { return closed_; }
    const std::deque<std::int64_t>& buffer() const { return buffer_; }
    // Values that have gone from a sender to a receiver, and the latest one.
    std::uint64_t passed() const { return passed_; }
    std::int64_t last_passed() const { return last_passed_; }
    // Tasks waiting to send (with the value each offers) and to receive.
    std::vector<std::pair<TaskId, std::int64_t>> senders() const;
    std::vector<TaskId> receivers() const;
    // Simulator: a task whose send (with its value) or receive waits at the
    // guard, in the order they came (for the views; nobody is promised to be
    // next); removed when its step runs.
    void guard_wait(Scheduler& sched, bool& told, bool send, std::int64_t value);
    void guard_done(TaskId task);
    // The task expected to send on it, so a deadlock on it draws as a cycle.
    void set_sender(TaskId task) { sender_ = task; }
    Snapshot snapshot() const override;

    class SendStep;
    class RecvStep;
    class CloseStep;
    SendStep send_raw(Ctx& ctx, std::int64_t value);
    RecvStep recv_raw(Ctx& ctx);
    CloseStep close(Ctx& ctx);

protected:
    friend class SelectStep;
    struct Waiter {
        Parked* parked;
        int index;            // its case in a select (0 for a plain send or receive)
        std::int64_t value;   // what a sender offers
    };
    // The first waiter not yet completed by someone else, claimed; or null.
    Parked* claim(Ring<Waiter>& queue, Waiter& out);
    bool can_send();
    bool can_recv();
    static bool has_live(const Ring<Waiter>& queue);
    static void release(Parked* p, Scheduler* sched);
    // Gives `value` to a parked receiver it can claim, releasing it (its task
    // in `woke`); false if none: one claim, so a select won meanwhile on
    // another channel is never counted as a partner.
    bool hand_over(std::int64_t value, Scheduler* sched, TaskId& woke);
    // Performs a ready send / receive; returns who was released (kNone if nobody).
    TaskId do_send(std::int64_t value, Scheduler* sched);
    TaskId do_recv(Received& out, Scheduler* sched);
    // Real threads, under real_: a send or receive that can complete now does
    // (true; a send on a closed channel sets `panic`), else nothing changes.
    // One test of each queue: a select parked here may be claimed by another
    // of its channels at any moment, so "is a partner there" and "take it"
    // are one claim.
    bool send_now(std::int64_t value, bool& panic);
    bool recv_now(Received& out);
    // Real threads, under real_: queues `p` (a task about to wait) for a partner.
    void enqueue(Parked& p, bool send, int index, std::int64_t value) { (send ? sendq_ : recvq_).push_back({&p, index, value}); }
    void forget(const Parked* p);

    void count(std::int64_t value) {
        ++passed_;
        last_passed_ = value;
    }
    int capacity_;
    bool closed_ = false;
    std::uint64_t passed_ = 0;
    std::int64_t last_passed_ = 0;
    TaskId sender_ = kNone;
    std::deque<std::int64_t> buffer_;
    Ring<Waiter> sendq_, recvq_;
    struct GuardWaiter {
        TaskId task;
        bool send;
        std::int64_t value;
    };
    std::vector<GuardWaiter> at_guard_;
    SpinLock real_;
};

// Steps: a send takes one step, once its guard lets it complete. A receive
// on a buffered channel too; on an unbuffered one it completes in one step
// if a sender is parked (a select), else it parks (one step) and collects
// the value when a sender has woken it (a second step, on its own record).
class ChannelCell::SendStep final : public Step {
public:
    SendStep(Ctx& ctx, ChannelCell& ch, std::int64_t value) : Step(ctx, ch.id()), ch_(ch), value_(value) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::ChanSend; }
    bool can_begin() const override { return ch_.can_send(); }
    bool has_guard() const override { return true; }
    bool opens_guards() const override { return true; }  // a receiver's, on a buffered channel
    void waits(Scheduler& sched) override { ch_.guard_wait(sched, told_, true, value_); }
    bool waits_green() const override { return true; }
    bool try_green(RealRuntime& rt) override;
    StepResult run_green(RealRuntime& rt) override;
    void await_resume();

private:
    ChannelCell& ch_;
    std::int64_t value_;
    Parked parked_;  // real threads; and, on both, the panic of a send on a closed channel
    bool waiting_ = false;
    bool told_ = false;  // simulator: its wait at the guard was told
    bool locked_ = false;  // green: try_green left the channel locked for run_green
};

class ChannelCell::RecvStep final : public Step {
public:
    RecvStep(Ctx& ctx, ChannelCell& ch) : Step(ctx, ch.id()), ch_(ch) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::ChanRecv; }
    Access access() const override { return waiting_ ? Access::Own : Access::Write; }
    bool can_begin() const override { return waiting_ || ch_.capacity_ == 0 || ch_.can_recv(); }
    bool has_guard() const override { return !waiting_ && ch_.capacity_ > 0; }
    bool opens_guards() const override { return !waiting_; }  // a sender's: room, or a parked receiver
    void waits(Scheduler& sched) override { ch_.guard_wait(sched, told_, false, 0); }
    bool waits_green() const override { return true; }
    bool try_green(RealRuntime& rt) override;
    StepResult run_green(RealRuntime& rt) override;
    Received await_resume() const { return got_; }

private:
    ChannelCell& ch_;
    Received got_;
    Parked parked_;
    bool waiting_ = false;
    bool told_ = false;
    bool locked_ = false;  // green: try_green left the channel locked for run_green
};

class ChannelCell::CloseStep final : public Step {
public:
    CloseStep(Ctx& ctx, ChannelCell& ch) : Step(ctx, ch.id()), ch_(ch) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::ChanClose; }
    bool opens_guards() const override { return true; }
    void await_resume();

private:
    std::int64_t close_all(Scheduler* sched);
    ChannelCell& ch_;
    bool twice_ = false;
};

// A typed channel: values of an integral or enum type travel as 64-bit words.
template <class T>
class Channel final : public ChannelCell {
    static_assert(std::is_integral_v<T> || std::is_enum_v<T>, "a Channel carries an integral or enum value");

public:
    Channel(std::string name, int capacity = 0) : ChannelCell(std::move(name), capacity) {}
    SendStep send(Ctx& ctx, T value) { return send_raw(ctx, static_cast<std::int64_t>(value)); }
    RecvStep recv(Ctx& ctx) { return recv_raw(ctx); }
};

// A channel the clock sends one value (1) on, some time after start: Go's
// time.After, for a select's timeout case. Ticks of virtual time on the
// simulator; milliseconds on real threads.
class Timer final : public ChannelCell {
public:
    explicit Timer(std::string name) : ChannelCell(std::move(name), 1) {}
    ~Timer() override;
    class StartStep;
    StartStep start(Ctx& ctx, std::uint64_t ticks);

private:
    void ring(Scheduler* sched);
    std::thread real_thread_;
};

class Timer::StartStep final : public Step {
public:
    StartStep(Ctx& ctx, Timer& timer, std::uint64_t ticks) : Step(ctx, timer.id()), timer_(timer), ticks_(ticks) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::ChanSend; }
    void await_resume() const {}

private:
    Timer& timer_;
    std::uint64_t ticks_;
};

// select over send and receive cases, with an optional default.
struct SelectCase {
    ChannelCell* channel;  // null: a nil channel, never ready
    bool send;
    std::int64_t value = 0;
};

struct Selected {
    int index = -1;          // the case that ran; -1: the default
    std::int64_t value = 0;  // for a receive case
    bool ok = true;
};

class SelectStep final : public Step {
public:
    SelectStep(Ctx& ctx, std::vector<SelectCase> cases, bool has_default);
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::ChanSelect; }
    // All its channels; once completed by a partner, only what its waker left in its record.
    Access access() const override { return waiting_ && !rechoose_ ? Access::Own : Access::Many; }
    bool opens_guards() const override { return !waiting_ || rechoose_; }
    // A timer it waits on rang: it chooses again among its cases, when it next steps.
    void woken() override { rechoose_ = waiting_ && parked_.fired < 0; }
    bool waits_green() const override { return true; }
    bool try_green(RealRuntime& rt) override;
    StepResult run_green(RealRuntime& rt) override;
    Selected await_resume();

private:
    std::vector<int> ready() const;
    // Real threads, with every channel locked: completes a case that can
    // complete now (tried in a random order, as Go does), or the default.
    bool now(const std::vector<ChannelCell*>& chans);
    // Real threads: locks (in id order) and unlocks every channel of the select.
    static void lock_all(const std::vector<ChannelCell*>& chans);
    static void unlock_all(const std::vector<ChannelCell*>& chans);
    // now(), with every channel locked; if it throws (a send on a closed
    // channel), unlocks them all first.
    bool now_or_unlock(const std::vector<ChannelCell*>& chans);
    void collect();  // what the case that completed it left in parked_
    TaskId perform(int index, Scheduler* sched);
    std::vector<ChannelCell*> channels() const;  // distinct, in id order (the real lock order)
    EventArgs chosen(int ready) const;

    std::vector<SelectCase> cases_;
    bool has_default_;
    Selected result_;
    Parked parked_;
    bool waiting_ = false;
    bool rechoose_ = false;  // woken by a timer's ring, not completed (Timer::ring)
    bool panic_ = false;
    bool locked_ = false;  // green: try_green left its channels locked for run_green
};

inline SelectStep select(Ctx& ctx, std::vector<SelectCase> cases, bool has_default = false) {
    return SelectStep(ctx, std::move(cases), has_default);
}
template <class T>
SelectCase send_case(Channel<T>& ch, T value) { return {&ch, true, static_cast<std::int64_t>(value)}; }
inline SelectCase recv_case(ChannelCell& ch) { return {&ch, false, 0}; }

}  // namespace such::engine
