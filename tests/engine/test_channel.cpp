// Channels with Go's semantics on the simulator: rendezvous, FIFO and
// backpressure, close, select, panics, deadlock verdicts, and the explorer.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "tests/engine/sim.hpp"
#include "engine/channel.hpp"
#include "engine/explorer.hpp"

using namespace such::engine;
using namespace such::tests;

namespace {
Task sender(Ctx& ctx, Channel<int>& ch, std::vector<int> values, bool close_after) {
    for (int v : values) co_await ch.send(ctx, v);
    if (close_after) co_await ch.close(ctx);
}

Task receiver(Ctx& ctx, Channel<int>& ch, int count, std::vector<int>& got) {
    for (int i = 0; i < count; ++i) {
        const Received r = co_await ch.recv(ctx);
        got.push_back(r.ok ? static_cast<int>(r.value) : -1);
    }
}

}  // namespace

TEST_CASE("an unbuffered send waits until a receiver takes the value, and both go on together") {
    Channel<int> ch{"ch"};
    Scheduler s(manual());
    s.add(ch);
    std::vector<int> got;
    const TaskId a = s.spawn("sender", 0, [&](Ctx& c) { return sender(c, ch, {7}, false); });
    const TaskId b = s.spawn("receiver", 0, [&](Ctx& c) { return receiver(c, ch, 1, got); });
    CHECK_FALSE(s.step_task(a));                   // nobody to hand it to: it waits, and waiting is no step
    CHECK(s.task(a).state == TaskState::Blocked);
    CHECK(ch.senders() == std::vector<std::pair<TaskId, std::int64_t>>{{a, 7}});
    CHECK(s.step_task(b));                         // the receiver parks...
    CHECK(s.task(b).state == TaskState::Blocked);
    CHECK(ch.receivers() == std::vector<TaskId>{b});
    CHECK(s.task(a).state == TaskState::Ready);    // ...which lets the send in
    CHECK(s.step_task(a));
    CHECK(s.task(b).state == TaskState::Ready);    // released by the same step
    CHECK(ch.senders().empty());
    CHECK(ch.passed() == 1);
    drain(s);
    CHECK(got == std::vector<int>{7});
    CHECK(s.verdict() == Verdict::Finished);
}

TEST_CASE("a send never completes before its receive, in any schedule") {
    struct Program final : Explorable {
        Channel<int> ch{"ch"};
        Scheduler s{manual()};
        std::vector<int> got;
        Program() {
            s.add(ch);
            s.spawn("sender", 0, [this](Ctx& c) { return sender(c, ch, {1, 2}, false); });
            s.spawn("receiver", 0, [this](Ctx& c) { return receiver(c, ch, 2, got); });
        }
        Scheduler& sched() override { return s; }
        std::string outcome() override { return got == std::vector<int>{1, 2} ? "1 then 2" : "wrong"; }
        bool bad() override {
            // When the sender's n-th send completes, the receiver has taken the
            // n-th value: in its own receive, or handed over while it waited.
            int sends = 0, recvs = 0;
            bool receiver_waiting = false;
            for (const Event& e : s.trace().events()) {
                const bool by_receiver = e.task == 1;
                if (by_receiver && e.kind == EventKind::ChanWait) receiver_waiting = true;
                if (by_receiver && e.kind == EventKind::ChanRecv) {
                    receiver_waiting = false;
                    ++recvs;
                }
                if (!by_receiver && e.kind == EventKind::ChanSend && ++sends > recvs + (receiver_waiting ? 1 : 0)) return true;
            }
            return false;
        }
    };
    const ExploreResult r = explore([] { return std::make_unique<Program>(); }, ExploreOptions{});
    CHECK(r.complete);
    REQUIRE(r.outcomes.size() == 1);
    CHECK(r.outcomes[0].outcome == "1 then 2");
    CHECK(r.findings.empty());
}

TEST_CASE("a buffered channel keeps FIFO order, and a sender waits only when it is full") {
    Channel<int> ch{"shelf", 2};
    Scheduler s(manual());
    s.add(ch);
    std::vector<int> got;
    const TaskId a = s.spawn("maker", 0, [&](Ctx& c) { return sender(c, ch, {1, 2, 3}, false); });
    const TaskId b = s.spawn("packer", 0, [&](Ctx& c) { return receiver(c, ch, 3, got); });
    s.step_task(a);
    s.step_task(a);
    CHECK(ch.buffer().size() == 2);
    CHECK_FALSE(s.step_task(a));
    CHECK(s.task(a).state == TaskState::Blocked);  // backpressure
    s.step_task(b);                                // takes 1, which frees a slot
    CHECK(s.task(a).state == TaskState::Ready);
    CHECK(ch.buffer() == std::deque<std::int64_t>{2});
    s.step_task(a);
    CHECK(ch.buffer() == std::deque<std::int64_t>{2, 3});
    drain(s);
    CHECK(got == std::vector<int>{1, 2, 3});
}

TEST_CASE("close lets buffered values drain, then every receive says closed") {
    Channel<int> ch{"ch", 3};
    Scheduler s(Config{1, Policy::Cooperative, 1, 1, {}, {}});
    s.add(ch);
    std::vector<int> got;
    s.spawn("sender", 0, [&](Ctx& c) { return sender(c, ch, {4, 5}, true); });
    s.spawn("receiver", 0, [&](Ctx& c) { return receiver(c, ch, 4, got); });
    s.run();
    CHECK(s.verdict() == Verdict::Finished);
    CHECK(got == std::vector<int>{4, 5, -1, -1});
}

TEST_CASE("a receiver waiting on a channel that closes wakes with closed") {
    Channel<int> ch{"ch"};
    Scheduler s(manual());
    s.add(ch);
    std::vector<int> got;
    const TaskId r = s.spawn("receiver", 0, [&](Ctx& c) { return receiver(c, ch, 1, got); });
    const TaskId c = s.spawn("closer", 0, [&](Ctx& cx) { return sender(cx, ch, {}, true); });
    s.step_task(r);
    CHECK(s.task(r).state == TaskState::Blocked);
    s.step_task(c);
    drain(s);
    CHECK(got == std::vector<int>{-1});
}

namespace {
Task close_twice(Ctx& ctx, Channel<int>& ch) {
    co_await ch.close(ctx);
    co_await ch.close(ctx);
}
}  // namespace

TEST_CASE("sending on a closed channel and closing it twice panic the task, not the program") {
    Channel<int> a{"a"}, b{"b"};
    Scheduler s(Config{1, Policy::Cooperative, 1, 1, {}, {}});
    s.add(a);
    s.add(b);
    s.spawn("twice", 0, [&](Ctx& c) { return close_twice(c, a); });
    s.spawn("late", 0, [&](Ctx& c) { return sender(c, b, {1}, false); });
    s.spawn("closer", 0, [&](Ctx& c) { return sender(c, b, {}, true); });
    s.run();
    REQUIRE(s.panics().size() == 2);
    CHECK(s.panics()[0].message == "close of closed channel a");
    CHECK(s.panics()[1].message == "send on closed channel b");  // it was waiting when b closed
    CHECK(s.verdict() == Verdict::Finished);
}

namespace {
Task selector(Ctx& ctx, std::vector<SelectCase> cases, bool has_default, Selected& out) { out = co_await select(ctx, std::move(cases), has_default); }
}  // namespace

TEST_CASE("select runs a ready case, never the default when one is ready, and the default otherwise") {
    Channel<int> ready{"ready", 1}, empty{"empty", 1};
    Scheduler s(Config{3, Policy::Cooperative, 1, 1, {}, {}});
    s.add(ready);
    s.add(empty);
    std::vector<int> got;
    Selected first, second;
    s.spawn("fill", 0, [&](Ctx& c) { return sender(c, ready, {9}, false); });
    s.spawn("sel1", 0, [&](Ctx& c) { return selector(c, {recv_case(empty), recv_case(ready), {nullptr, false}}, true, first); });
    s.spawn("sel2", 0, [&](Ctx& c) { return selector(c, {recv_case(empty), {nullptr, true, 1}}, true, second); });
    s.run();
    CHECK(first.index == 1);
    CHECK(first.value == 9);
    CHECK(second.index == -1);  // nothing ready, and a nil channel never is
}

TEST_CASE("select picks uniformly among ready cases, by seed") {
    std::map<int, int> counts;
    for (std::uint64_t seed = 1; seed <= 600; ++seed) {
        Channel<int> a{"a", 1}, b{"b", 1}, c{"c", 1};
        Scheduler s(Config{seed, Policy::Cooperative, 1, 1, {}, {}});
        s.add(a);
        s.add(b);
        s.add(c);
        Selected out;
        s.spawn("fill a", 0, [&](Ctx& x) { return sender(x, a, {1}, false); });
        s.spawn("fill b", 0, [&](Ctx& x) { return sender(x, b, {2}, false); });
        s.spawn("fill c", 0, [&](Ctx& x) { return sender(x, c, {3}, false); });
        s.spawn("select", 0, [&](Ctx& x) { return selector(x, {recv_case(a), recv_case(b), recv_case(c)}, false, out); });
        s.run();
        ++counts[out.index];
    }
    for (int i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(counts[i] > 150);  // 200 expected; 150 is more than 4 standard deviations away
        CHECK(counts[i] < 250);
    }
}

TEST_CASE("a waiting select is completed by exactly one channel, and leaves no trace in the others") {
    Channel<int> a{"a"}, b{"b"};
    Scheduler s(manual());
    s.add(a);
    s.add(b);
    Selected out;
    const TaskId sel = s.spawn("select", 0, [&](Ctx& c) { return selector(c, {recv_case(a), recv_case(b)}, false, out); });
    const TaskId sb = s.spawn("send b", 0, [&](Ctx& c) { return sender(c, b, {5}, false); });
    const TaskId sa = s.spawn("send a", 0, [&](Ctx& c) { return sender(c, a, {6}, false); });
    s.step_task(sel);
    CHECK(a.receivers().size() == 1);
    s.step_task(sb);
    while (s.step_task(sel)) {
    }
    CHECK(out.index == 1);
    CHECK(out.value == 5);
    CHECK(a.receivers().empty());
    s.step_task(sa);
    CHECK(s.task(sa).state == TaskState::Blocked);  // nobody takes from a any more
}

namespace {
Task recv_then_send(Ctx& ctx, Channel<int>& in, Channel<int>& out) {
    co_await in.recv(ctx);
    co_await out.send(ctx, 1);
}
}  // namespace

TEST_CASE("two tasks each waiting to receive from the other deadlock, and the verdict says who waits on what") {
    Channel<int> a{"a"}, b{"b"};
    Scheduler s(seeded(1));
    s.add(a);
    s.add(b);
    const TaskId t1 = s.spawn("T1", 0, [&](Ctx& c) { return recv_then_send(c, a, b); });
    const TaskId t2 = s.spawn("T2", 0, [&](Ctx& c) { return recv_then_send(c, b, a); });
    a.set_sender(t2);
    b.set_sender(t1);
    s.run();
    CHECK(s.verdict() == Verdict::Deadlock);
    // A cycle: T1 waits for a, whose sender is T2, which waits for b, whose sender is T1.
    const DeadlockWaits d = s.deadlock_waits();
    CHECK(d.cycle);
    REQUIRE(d.waits.size() == 2);
    CHECK(d.waits[0].task == t1);
    CHECK(d.waits[0].object == a.id());
    CHECK(d.waits[0].holder == t2);
    CHECK(d.waits[1].task == t2);
    CHECK(d.waits[1].object == b.id());
    CHECK(d.waits[1].holder == t1);
}

TEST_CASE("an empty select waits forever: a deadlock once nothing else can run") {
    Scheduler s(seeded(1));
    Selected out;
    s.spawn("main", 0, [&](Ctx& c) { return selector(c, {}, false, out); });
    s.run();
    CHECK(s.verdict() == Verdict::Deadlock);
}

TEST_CASE("the same seed gives the same channel trace") {
    const auto hash = [](std::uint64_t seed) {
        Channel<int> ch{"ch", 1};
        Scheduler s(seeded(seed));
        s.add(ch);
        std::vector<int> got;
        s.spawn("p", 0, [&](Ctx& c) { return sender(c, ch, {1, 2, 3}, true); });
        s.spawn("q", 0, [&](Ctx& c) { return receiver(c, ch, 4, got); });
        s.run();
        CHECK(got == std::vector<int>{1, 2, 3, -1});
        return s.trace().hash();
    };
    CHECK(hash(5) == hash(5));
}

namespace {
Task wait_or_timeout(Ctx& ctx, Channel<int>& never, Timer& timeout, Selected& out, std::uint64_t& at) {
    co_await timeout.start(ctx, 5);
    std::vector<SelectCase> cases{recv_case(never), recv_case(timeout)};
    out = co_await select(ctx, std::move(cases));
    at = ctx.sched()->clock();
}
}  // namespace

TEST_CASE("a select with a timer case times out when the clock reaches the timer, even if everyone sleeps") {
    Channel<int> never{"never"};
    Timer timeout{"timeout"};
    Scheduler s(seeded(1));
    s.add(never);
    s.add(timeout);
    Selected out;
    std::uint64_t at = 0;
    s.spawn("main", 0, [&](Ctx& c) { return wait_or_timeout(c, never, timeout, out, at); });
    s.run();
    CHECK(s.verdict() == Verdict::Finished);
    CHECK(out.index == 1);
    CHECK(at == 5);  // the timer started at clock 0 for 5
    CHECK(s.timers_pending() == 0);
}

namespace {
// Senders with one value each and a receiver taking them all, on a channel of
// the given capacity; the outcome is the order the values arrived in.
struct Rendezvous final : Explorable {
    Channel<int> ch;
    Scheduler s{manual()};
    std::vector<int> got;
    Rendezvous(int capacity, const std::vector<std::vector<int>>& senders) : ch("ch", capacity) {
        s.add(ch);
        int total = 0;
        for (const std::vector<int>& values : senders) {
            s.spawn("sender", 0, [this, values](Ctx& c) { return sender(c, ch, values, false); });
            total += static_cast<int>(values.size());
        }
        s.spawn("receiver", 0, [this, total](Ctx& c) { return receiver(c, ch, total, got); });
    }
    Scheduler& sched() override { return s; }
    bool bad() override { return false; }
    std::string outcome() override {
        std::string out;
        for (int v : got) out += std::to_string(v);
        return out;
    }
};

std::uint64_t count(int capacity, const std::vector<std::vector<int>>& senders, ExploreOptions::Reduction r, std::set<std::string>* outcomes = nullptr) {
    ExploreOptions o;
    o.reduction = r;
    o.hunt = 0;
    const ExploreResult res = explore([&] { return std::make_unique<Rendezvous>(capacity, senders); }, o);
    CHECK(res.complete);
    CHECK(res.findings.empty());
    if (outcomes) {
        for (const Outcome& oc : res.outcomes) outcomes->insert(oc.outcome);
    }
    return res.executions;
}
}  // namespace

TEST_CASE("waiting for a partner is not a step: a rendezvous is one schedule, and the explorer counts one per order of arrivals") {
    using R = ExploreOptions::Reduction;
    // Counted by hand. One sender, one receiver: the sender waits (no step)
    // until the receiver parks, then hands the value over -- a single
    // interleaving, where a send that parked as a step of its own made two.
    CHECK(count(0, {{1}}, R::None) == 1);
    CHECK(count(0, {{1}}, R::Dpor) == 1);
    // Two senders, one receiver taking both: once the receiver parks either
    // sender may go first, and the other waits for the next park; 2 orders.
    std::set<std::string> orders;
    CHECK(count(0, {{1}, {2}}, R::None) == 2);
    CHECK(count(0, {{1}, {2}}, R::Dpor, &orders) == 2);
    CHECK(orders == std::set<std::string>{"12", "21"});  // by hand: each sender's value first, once each
    // A buffer of one between a producer of two values and a consumer: each
    // waits for the other at its guard (full, then empty), so one schedule.
    CHECK(count(1, {{1, 2}}, R::None) == 1);
    CHECK(count(1, {{1, 2}}, R::Dpor) == 1);
}
