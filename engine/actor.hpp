// Actors: an address with a FIFO mailbox. send never blocks the sender;
// receive takes the first message that matches (the others stay, in order,
// for a later receive), sleeping until one arrives, with an optional timeout
// (ticks of virtual time; milliseconds on real threads). Messages from one
// sender arrive in the order sent; across senders nothing is promised. When
// an actor dies its address is dead: messages sent there are dropped and
// counted. Exit notices for links and monitors are delivered by the runtime
// (deliver), not sent by a task.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

struct Message {
    TaskId from = kNone;
    std::string tag;
    std::int64_t value = 0;
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
    // The owner died: from now on messages to this address are dropped.
    void close_address();

private:
    bool append(Message m);  // false: dropped (dead address)

    TaskId owner_ = kNone;
    bool alive_ = true;
    std::deque<Message> messages_;
    std::uint64_t dropped_ = 0;
    int last_taken_ = -1;
    std::mutex real_;
    std::condition_variable real_cv_;
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
    EventKind kind() const override { return EventKind::ActorReceive; }
    // The message, or nothing when the timeout passed first.
    std::optional<Message> await_resume() { return std::move(got_); }

private:
    bool take();  // the first match, removed; false if none
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

}  // namespace such::engine
