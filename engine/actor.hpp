// Actors: an address with a FIFO mailbox. send never blocks the sender;
// receive takes the first message that matches (the others stay, in order,
// for a later receive), sleeping until one arrives, with an optional timeout
// (ticks of virtual time; milliseconds on real threads). Messages from one
// sender arrive in the order sent; across senders nothing is promised. When
// an actor dies its address is dead: messages sent there are dropped and
// counted. Exit notices for links and monitors are delivered by the runtime
// (deliver), not sent by a task: see Links below.
// On green threads a receive with nothing to take parks its task and frees
// the worker; the send that brings a message puts it back on a run queue.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

struct Message {
    TaskId from = kNone;
    std::string tag;
    std::int64_t value = 0;
    std::string note;  // an exit notice's reason
};

using Match = std::function<bool(const Message&)>;
inline Match tagged(std::string tag) {
    return [tag = std::move(tag)](const Message& m) { return m.tag == tag; };
}

class Mailbox final : public Object {
public:
    explicit Mailbox(std::string address) : Object(std::move(address), ObjectKind::Mailbox) {}

    TaskId owner() const { return owner_; }
    void set_owner(TaskId task) { owner_ = task; }
    bool alive() const { return alive_; }
    // Why its owner ended, once the address is dead: "normal", or the panic's message.
    const std::string& exit_reason() const { return exit_reason_; }
    const std::deque<Message>& messages() const { return messages_; }
    std::uint64_t dropped() const { return dropped_; }
    // The message the owner's last receive took (its position when taken), for the view.
    int last_taken() const { return last_taken_; }
    Snapshot snapshot() const override;

    class SendStep;
    class ReceiveStep;
    // Sends to this mailbox; the sender is ctx's task.
    SendStep send(Ctx& ctx, std::string tag, std::int64_t value = 0);
    // The owner takes its first message that matches (any, without a matcher).
    ReceiveStep receive(Ctx& ctx, Match match = {}, std::uint64_t timeout = 0);

    // The runtime's own delivery (exit and down notices); wakes the owner.
    void deliver(Scheduler& sched, Message m);
    void deliver(RealRuntime& rt, Message m);
    // An exit signal the owner does not trap: its next receive ends it with a
    // Panic carrying `reason` (the actor dies of its link).
    void kill(Scheduler& sched, std::string reason);
    void kill(RealRuntime& rt, std::string reason);
    // The owner ended (`reason`: "normal" or its panic's): from now on messages to this address are dropped.
    void close_address(std::string reason);

private:
    bool append(Message m);  // false: dropped (dead address)
    void notify(RealRuntime& rt);  // after a change under real_: wakes the owner's receive

    TaskId owner_ = kNone;
    bool alive_ = true;
    std::string exit_reason_;
    std::deque<Message> messages_;
    std::uint64_t dropped_ = 0;
    int last_taken_ = -1;
    std::string exit_signal_;
    std::mutex real_;
    std::condition_variable real_cv_;
    TaskId green_waiter_ = kNone;  // green: the owner, parked in a receive
};

class Mailbox::SendStep final : public Step {
public:
    SendStep(Ctx& ctx, Mailbox& to, Message m) : Step(ctx, to.id()), to_(to), m_(std::move(m)) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::ActorSend; }
    void await_resume() const {}

private:
    Mailbox& to_;
    Message m_;
};

class Mailbox::ReceiveStep final : public Step {
public:
    ReceiveStep(Ctx& ctx, Mailbox& box, Match match, std::uint64_t timeout)
        : Step(ctx, box.id()), box_(box), match_(std::move(match)), timeout_(timeout) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    bool waits_green() const override { return true; }
    StepResult run_green(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::ActorReceive; }
    // The message, or nothing when the timeout passed first.
    std::optional<Message> await_resume() {
        if (!killed_.empty()) throw ExitSignal(killed_);
        return std::move(got_);
    }

private:
    bool take();  // under real_ on real threads: an exit signal, or the first match, removed; false if neither
    std::string killed_;
    Mailbox& box_;
    Match match_;
    std::uint64_t timeout_;
    std::optional<Message> got_;
    // Shared with the timeout's timer, which may fire after this step is gone.
    struct Wait {
        bool waiting = false;
        bool timed_out = false;
    };
    std::shared_ptr<Wait> wait_ = std::make_shared<Wait>();
    bool timer_set_ = false;
};

// Links and monitors between actors (each a task with its mailbox), on either
// runtime, as Erlang has them. When an actor ends:
//   - its address dies (messages to it are dropped and counted);
//   - every monitor of it gets DOWN(reason) from it;
//   - every actor linked to it that traps exits gets EXIT(reason) from it;
//     one that does not trap dies too (at its next receive), unless the
//     reason is "normal".
// Reasons are "normal" or the panic's message. Thread-safe.
// Register it (Runtime::add) for the views to draw the links.
class Links final : public Object {
public:
    // Hooks into the runtime's task exits; make it before the run starts.
    explicit Links(Runtime& rt);
    void attach(TaskId task, Mailbox& box);
    void link(TaskId a, TaskId b);          // both ways
    void monitor(TaskId watcher, TaskId watched);
    void trap_exits(TaskId task);
    std::uint64_t killed() const;           // actors that died of a link

    // What the views draw: each link once (a < b), each monitor, who traps exits.
    struct Graph {
        std::vector<std::pair<TaskId, TaskId>> links;
        std::vector<std::pair<TaskId, TaskId>> monitors;  // watcher, watched
        std::set<TaskId> trapping;
    };
    Graph graph() const;
    Snapshot snapshot() const override;

private:
    struct Notice {
        Mailbox* to;
        Message m;
        bool kill;
    };
    std::vector<Notice> exited(TaskId task, const std::string& reason);
    void watch(TaskId task);

    Runtime* rt_;
    mutable std::mutex mu_;
    std::map<TaskId, Mailbox*> boxes_;
    std::multimap<TaskId, TaskId> links_, monitors_;  // monitors_: watched -> watcher
    std::set<TaskId> trapping_;
    std::uint64_t killed_ = 0;
};

}  // namespace such::engine
