// An event loop: one task turns the loop and runs every callback, one at a
// time, in the phases libuv documents, in this order:
//   update time -> due timers -> pending callbacks -> idle -> prepare ->
//   poll for I/O (waiting at most until the nearest timer) -> check
//   (immediates) -> close callbacks -> and round again while anything is
//   left to do.
// After every callback, as node does, the next-tick queue is drained, then
// the microtask (promise job) queue, and again until both are empty.
// Timers fire in due order, ties in the order they were set; a timer of 0 ms
// waits 1 ms, as in node.
// I/O: a Stream is a simulated socket or pipe, written by another task (the
// network) at times the scene chooses. The loop watches it in one of two
// styles: reactor (the loop says "readable" and the callback reads) or
// proactor (the callback asked for a read; the loop does it and hands over
// the data). Another thread can post a callback to the loop (an async handle).
//
// Time is in milliseconds: ticks of virtual time on the simulator (every step
// takes one), the real clock on real threads. A callback that computes says
// so with busy(ms): the loop then spends that long in it (steps on the
// simulator, a busy wait on real threads), and nothing else runs meanwhile.
#pragma once
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/co.hpp"
#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

// How many descriptors this process may open, after raising its soft limit
// to the hard one; 0 where there are no descriptors (engine/loop_io.cpp).
std::size_t descriptor_limit();
// This process's context switches so far, voluntary and not; 0 where unknown.
std::uint64_t context_switches();

enum class LoopPhase { UpdateTime, Timers, Pending, Idle, Prepare, Poll, Check, Close };
inline constexpr int kLoopPhases = 8;
std::string_view to_string(LoopPhase phase);

class EventLoop;
using Callback = std::function<void(EventLoop&)>;
using DataCallback = std::function<void(EventLoop&, const std::string&)>;

// A callback waiting in one of the loop's queues (a chip in the view).
struct Job {
    std::string name;
    Callback fn;
    std::uint64_t due = 0;       // timers: loop time it may run at
    std::uint64_t order = 0;     // when it was queued (ties)
    std::uint64_t interval = 0;  // timers: repeats (setInterval); 0: once
    std::uint64_t id = 0;        // timers: for clear_timer
    Place place = kNowhere;      // its code in the listings (EventLoop::at), where the loop's task stands to run it
};

// What a stream is made of on real threads natively (engine/loop_io.cpp,
// engine/loop_tcp.cpp). The simulator and the browser keep every stream in memory.
enum class Transport {
    SocketPair,  // AF_UNIX, SOCK_SEQPACKET: every write arrives as one message
    Tcp,         // a TCP connection on 127.0.0.1 (TCP_NODELAY): a byte stream, framed into lines
};

// A socket or pipe the loop can watch. Another task writes to it (write, at
// the times it sleeps until); close is the end of the data.
// On real threads natively (Linux) a stream is a real connection: the network
// sends on one end and the loop watches the other with epoll. A socket pair
// keeps message boundaries; over TCP a message is a line (the stream adds and
// strips the '\n', so a message must not hold one), and reply() sends the
// line back to the network's end. Elsewhere (the browser) it stays in memory.
class Stream final : public Object {
public:
    explicit Stream(std::string name, Transport transport = Transport::SocketPair)
        : Object(std::move(name), ObjectKind::Stream), transport_(transport) {}
    ~Stream() override;
    Transport transport() const { return transport_; }
    // The network's end as a descriptor, for a client outside the engine (a
    // load generator); natively it opens the stream, elsewhere it is -1. The
    // stream owns it: the client ends its data with shutdown(SHUT_WR), never close.
    int peer_fd();
    Snapshot snapshot() const override;
    std::size_t buffered() const;  // chunks waiting to be read
    bool closed() const;
    std::uint64_t written() const { return written_; }
    const std::vector<std::string>& echoed() const { return echoed_; }

    class WriteStep;
    WriteStep write(Ctx& ctx, std::string data);  // by the network task
    WriteStep close(Ctx& ctx);
    // A thread that serves the stream itself (thread per connection): waits
    // for the next chunk ("" at the end), blocking its thread.
    class ReadStep;
    ReadStep wait_read(Ctx& ctx);
    // By the loop's callbacks: the next chunk ("" at the end), and writing a
    // reply back (over TCP it goes back on the connection, blocking the loop
    // while the network's side is full, as a blocking write would).
    std::string read();
    void reply(std::string data);

private:
    friend class EventLoop;
    mutable std::mutex mu_;
    std::deque<std::string> chunks_;
    bool closed_ = false;
    std::uint64_t written_ = 0;
    std::vector<std::string> echoed_;  // replies, in order
    EventLoop* loop_ = nullptr;        // the loop watching it
    TaskId reader_ = kNone;            // simulator: a task blocked in wait_read
    std::condition_variable cv_;       // real threads, in memory: the same
    // Real descriptors (engine/loop_io.cpp): -1 until the first real use.
    bool open_real();                  // under mu_; false where there are none
    bool send_real(const std::string& data, bool close);  // the network's end; false: in memory
    bool recv_real(std::string& out);  // the loop's end; false: in memory ("" and closed_ at the end)
    bool recv_blocking(std::string& out);  // a thread's blocking read of its end; false: in memory
    void reply_real(const std::string& data);  // TCP: the reply back on the connection
    void send_message(int fd, const std::string& data) const;  // whole: as it is on a socket pair, a line over TCP
    bool poll_ready();                 // under mu_: a message or the end is there (and forget epoll's word)
    int fd_loop_ = -1, fd_net_ = -1;
    bool io_ready_ = false;            // epoll said readable
    std::uint64_t io_turn_ = 0;        // the loop's last turn that looked at it: once per poll phase
    std::size_t watch_slot_ = ~std::size_t{0};  // its watch in the loop's list
    // TCP (engine/loop_tcp.cpp): chunks_ holds whole lines taken off the
    // connection, inbox_ the start of the next one.
    const Transport transport_;
    std::string inbox_;
    bool open_tcp();                   // connect to the loopback listener, accept: fd_net_ and fd_loop_
    void take_lines(const char* data, long n);  // under mu_: a recv's n bytes (0: the end; < 0: none) into chunks_ and inbox_
    bool fill();                       // under mu_: what the connection holds now, without blocking
};

class Stream::ReadStep final : public Step {
public:
    ReadStep(Ctx& ctx, Stream& s) : Step(ctx, s.id()), s_(s) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::StreamRead; }
    std::string await_resume() { return std::move(got_); }

private:
    Stream& s_;
    std::string got_;
};

class Stream::WriteStep final : public Step {
public:
    WriteStep(Ctx& ctx, Stream& s, std::string data, bool close) : Step(ctx, s.id()), s_(s), data_(std::move(data)), close_(close) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::StreamWrite; }
    Access access() const override { return Access::Many; }  // the stream, and the loop it wakes
    void await_resume() const {}

private:
    void apply();
    Stream& s_;
    std::string data_;
    bool close_;
    Scheduler* sched_ = nullptr;
};

// Sleeps `ms` (virtual ticks on the simulator, real milliseconds on real threads).
class EventLoop final : public Object {
public:
    explicit EventLoop(std::string name) : Object(std::move(name), ObjectKind::Loop) {}
    Snapshot snapshot() const override;

    // The loop's program: runs `main` (the script), then turns the loop until
    // nothing is left to do. Await it from the loop's task, whose own listing
    // has a line per phase, in order (its steps of phase p stand on line p).
    Co<void> run(Ctx& ctx, std::string main_name, Callback main);
    // Where the code of the next callback made (by run, a set_*, watch, read,
    // queue_work...) stands in the listings: the loop's task stands there
    // while it runs it. A callback made without one runs on its phase's line.
    EventLoop& at(const Place& place) {
        next_place_ = place;
        return *this;
    }

    // What callbacks (and main) can do.
    std::uint64_t set_timeout(std::string name, std::uint64_t ms, Callback fn);
    std::uint64_t set_interval(std::string name, std::uint64_t ms, Callback fn);
    void clear_timer(std::uint64_t id);
    void set_immediate(std::string name, Callback fn);
    void next_tick(std::string name, Callback fn);
    void queue_microtask(std::string name, Callback fn);  // a promise job
    void defer(std::string name, Callback fn);            // a pending callback: next iteration
    void on_close(std::string name, Callback fn);
    void on_prepare(std::string name, Callback fn);       // every iteration, before poll
    void watch(Stream& s, std::string name, Callback on_readable);       // reactor
    void read(Stream& s, std::string name, DataCallback on_data);        // proactor (keeps reading until the end)
    void unwatch(Stream& s);
    void stop_prepare();
    // Work outside the loop that will post back (a worker thread): keeps the
    // loop alive, as an active handle does, until released (-1).
    void keep_alive(int delta);
    void busy(std::uint64_t ms);  // the running callback computes this long
    void log(std::string line);   // what the program prints
    // libuv's thread pool: a worker (a task running work_pool) computes for
    // `ms` off the loop, then `after` runs on the loop. The loop lives until then.
    void queue_work(std::string name, std::uint64_t ms, Callback after);
    Co<void> work_pool(Ctx& ctx);
    // From another task or thread: runs `fn` on the loop (in its poll phase).
    class PostStep;
    PostStep post(Ctx& ctx, std::string name, Callback fn);
    std::uint64_t now() const;
    // The loop's cached time: taken once per turn (and after poll), as libuv does.
    std::uint64_t loop_time() const { return now_; }

    // What the views and tests read.
    struct Stats {
        std::uint64_t iterations = 0;
        std::array<std::uint64_t, kLoopPhases> callbacks{};  // per phase (main and microtasks not counted)
        std::uint64_t microtasks = 0, ticks = 0;
        std::uint64_t blocked_ms = 0;          // time spent waiting in poll
        std::int64_t last_poll_timeout = -2;   // ms; -1: no timer, wait for I/O; -2: not polled yet
    };
    struct Lateness {
        std::string name;
        std::uint64_t due, fired;
    };
    struct Queues {
        std::vector<Job> timers;  // by due
        std::vector<std::string> pending, immediates, ticks, microtasks, closing, posted, prepare;
        std::vector<std::string> watching;  // "socket: reactor"
        std::vector<std::string> work;      // handed to the pool, not yet taken
    };
    LoopPhase phase() const { return phase_; }
    // Where the loop stands, as its task's code marker does: on the simulator, between two phases, the
    // phase its next step enters (its task stands on that phase's line); else the phase it is in.
    LoopPhase standing() const;
    bool running_callback() const { return !current_.empty(); }
    const std::string& current() const { return current_; }
    Stats stats() const;
    std::vector<Lateness> lateness() const;
    std::vector<std::string> output() const;
    Queues queues() const;
    std::vector<LoopPhase> phase_log() const;  // every phase entered, in order
    bool finished() const { return finished_; }
    // "epoll" when real threads watch real descriptors, "memory" otherwise.
    std::string io_backend() const { return epfd_ >= 0 ? "epoll" : "memory"; }
    ~EventLoop() override;

private:
    friend class Stream;
    // The timer heap's order: the earlier due first, ties by when they were set.
    static bool later(const Job& a, const Job& b) { return a.due != b.due ? a.due > b.due : a.order > b.order; }
    struct Watch {
        Stream* stream;
        std::string name;
        Callback on_readable;  // reactor
        DataCallback on_data;  // proactor
        bool on = true;        // unwatched ones stay, switched off: a stream finds its watch by index
        Place place;           // its callback's code (at)
    };
    // The place at() gave for the callback being made, once.
    Place take_place() { return std::exchange(next_place_, kNowhere); }
    void stop_watching(Stream& s);  // under mu_
    template <class Queue>
    void enqueue(Queue& q, std::string name, Callback fn);  // a callback to one of the queues, in order
    class LoopStep;
    // The loop's own steps, each one a step of the loop task.
    static void stand(Ctx& ctx, const Job& job, LoopPhase p);
    Co<void> run_job(Ctx& ctx, LoopPhase p, const char* what, Job job, std::int64_t late);
    Co<void> drain(Ctx& ctx);
    Co<void> burn(Ctx& ctx, const char* what, const std::string& name);
    bool microtasks_queued() const;
    bool alive() const;
    // Real descriptors (engine/loop_io.cpp): epoll natively; in-memory streams and
    // a condition variable elsewhere.
    void io_open();
    void io_watch(Stream& s);
    void io_unwatch(Stream& s);
    // Wakes a loop waiting in io_poll through its eventfd `fd`, read under mu_
    // (io_open writes it there); false: no descriptor to wake.
    static bool io_wake(int fd);
    bool io_poll(std::int64_t timeout_ms);   // false: no epoll here (use the condition variable)
    void io_close();
    int epfd_ = -1, wakefd_ = -1;
    bool work_queued() const;           // under mu_: callbacks waiting, so poll must not wait
    std::int64_t poll_timeout() const;  // under mu_
    bool ready_io() const;              // under mu_
    void woken();                       // a write or a post arrived

    mutable std::mutex mu_;  // real threads: the network and workers reach in
    std::condition_variable cv_;
    bool wake_ = false;
    Scheduler* sched_ = nullptr;
    RealRuntime* real_ = nullptr;
    TaskId task_ = kNone;
    bool polling_ = false;
    std::chrono::steady_clock::time_point start_;
    std::uint64_t now_ = 0;        // loop time, updated once per iteration (and after poll), as libuv does
    std::uint64_t order_ = 0, ids_ = 0;
    std::vector<Job> timers_;      // a heap on (due, order)
    std::deque<Job> pending_, immediates_, ticks_, micro_, closing_, posted_;
    std::vector<Job> prepare_;
    std::deque<Job> work_;               // for the pool; due holds the work's ms
    std::vector<TaskId> idle_workers_;   // simulator: pool tasks waiting for work
    std::condition_variable work_cv_;    // real threads: the same
    class TakeStep;
    std::vector<Watch> watches_;       // in the order they were made
    std::size_t watching_ = 0;         // those still on
    std::vector<Stream*> io_ready_;    // epoll: the streams the last poll found readable
    std::vector<Stream*> io_held_;     // TCP: streams whose lines were read off the socket but not yet by the program
    void hold_unread(const std::vector<Stream*>& polled);  // after the poll phase's callbacks: fills io_held_
    Place next_place_ = kNowhere;  // at(): the next callback's code
    std::uint64_t cost_ = 0;       // busy(ms) of the running callback
    int refs_ = 0;                 // keep_alive
    LoopPhase phase_ = LoopPhase::UpdateTime;
    std::string current_;
    Stats stats_;
    std::vector<Lateness> late_;
    std::vector<std::string> output_;
    std::vector<LoopPhase> phases_;
    bool finished_ = false;
    std::uint64_t poll_began_ = 0, poll_deadline_ = 0;
    std::uint64_t poll_token_ = 0;
};

class EventLoop::TakeStep final : public Step {
public:
    TakeStep(Ctx& ctx, EventLoop& loop) : Step(ctx, loop.id()), loop_(loop) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::LoopWork; }
    void await_resume() const {}
    std::optional<Job>& job() { return got_; }

private:
    EventLoop& loop_;
    std::optional<Job> got_;
};

class EventLoop::PostStep final : public Step {
public:
    PostStep(Ctx& ctx, EventLoop& loop, Job job) : Step(ctx, loop.id()), loop_(loop), job_(std::move(job)) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::LoopPost; }
    void await_resume() const {}

private:
    void apply();
    EventLoop& loop_;
    Job job_;
};

}  // namespace such::engine
