// Actors on the simulator: mailboxes, selective receive, timeouts, dead
// addresses, exit notices, and arrival orders under the explorer.
#include <doctest/doctest.h>

#include <memory>
#include <set>

#include "tests/engine/sim.hpp"
#include "engine/actor.hpp"
#include "engine/co.hpp"
#include "engine/explorer.hpp"
#include "engine/mutex.hpp"

using namespace such::engine;
using namespace such::tests;

namespace {
Task sender(Ctx& ctx, Mailbox& to, std::string tag, int from, int count) {
    for (int i = 0; i < count; ++i) co_await to.send(ctx, tag, from * 100 + i);
}
Task receiver(Ctx& ctx, Mailbox& box, Match match, int count, std::vector<std::int64_t>& got) {
    for (int i = 0; i < count; ++i) {
        const auto m = co_await box.receive(ctx, match);
        got.push_back(m ? m->value : -1);
    }
}
Task timed(Ctx& ctx, Mailbox& box, std::uint64_t ticks, bool& timed_out, std::uint64_t& at) {
    const auto m = co_await box.receive(ctx, {}, ticks);
    timed_out = !m.has_value();
    at = ctx.sched()->clock();
}
}  // namespace

TEST_CASE("send never blocks: a sender finishes with nobody receiving") {
    Mailbox box{"<0.1>"};
    Scheduler s(coop());
    s.add(box);
    s.spawn("sender", 0, [&](Ctx& c) { return sender(c, box, "hi", 1, 5); });
    s.run();
    CHECK(s.verdict() == Verdict::Finished);
    CHECK(box.messages().size() == 5);
}

TEST_CASE("selective receive takes the first match and leaves the others in order") {
    Mailbox box{"<0.1>"};
    Scheduler s(coop());
    s.add(box);
    std::vector<std::int64_t> orders, logs;
    s.spawn("a", 0, [&](Ctx& c) { return sender(c, box, "log", 1, 2); });
    s.spawn("b", 0, [&](Ctx& c) { return sender(c, box, "order", 2, 2); });
    const TaskId r = s.spawn("shop", 0, [&](Ctx& c) { return receiver(c, box, tagged("order"), 2, orders); });
    box.set_owner(r);
    s.run();
    CHECK(orders == std::vector<std::int64_t>{200, 201});
    REQUIRE(box.messages().size() == 2);
    CHECK(box.messages()[0].value == 100);  // the skipped log lines, still in order
    CHECK(box.messages()[1].value == 101);
}

TEST_CASE("a receive with a timeout gives up when the clock reaches it") {
    Mailbox box{"<0.1>"};
    Scheduler s(coop());
    s.add(box);
    bool timed_out = false;
    std::uint64_t at = 0;
    box.set_owner(s.spawn("waiter", 0, [&](Ctx& c) { return timed(c, box, 7, timed_out, at); }));
    s.run();
    CHECK(s.verdict() == Verdict::Finished);
    CHECK(timed_out);
    CHECK(at == 7);  // armed at clock 0 (nothing waited before), due 0 + 7: the clock jumps there
}

TEST_CASE("a message that arrives first cancels the timeout") {
    Mailbox box{"<0.1>"};
    Scheduler s(coop());
    s.add(box);
    bool timed_out = true;
    std::uint64_t at = 0;
    box.set_owner(s.spawn("waiter", 0, [&](Ctx& c) { return timed(c, box, 50, timed_out, at); }));
    s.spawn("sender", 0, [&](Ctx& c) { return sender(c, box, "hi", 1, 1); });
    s.run();
    CHECK_FALSE(timed_out);
    CHECK(at == 0);  // the message came while the clock stood at 0: no task waited for it to move
}

TEST_CASE("messages to a dead address are dropped and counted") {
    Mailbox box{"<0.1>"};
    Scheduler s(coop());
    s.add(box);
    box.close_address("normal");
    s.spawn("sender", 0, [&](Ctx& c) { return sender(c, box, "hi", 1, 3); });
    s.run();
    CHECK(box.messages().empty());
    CHECK(box.dropped() == 3);
    CHECK_FALSE(box.alive());
}

namespace {
Task crasher(Ctx& ctx, Mailbox& box) {
    co_await box.receive(ctx);
    throw Panic("bad input");
}
}  // namespace

TEST_CASE("the exit hook delivers a crash as a message, with the reason known to the runtime") {
    Mailbox worker{"<0.2>"}, sup{"<0.3>"};
    Scheduler s(coop());
    s.add(worker);
    s.add(sup);
    std::string reason;
    const TaskId w = s.spawn("worker", 0, [&](Ctx& c) { return crasher(c, worker); });
    worker.set_owner(w);
    s.on_exit([&](Scheduler& sc, TaskId t, const std::string& why) {
        if (t != w) return;
        reason = why;
        sup.deliver(sc, Message{t, "EXIT", 0, {}});
    });
    s.spawn("client", 0, [&](Ctx& c) { return sender(c, worker, "job", 1, 1); });
    s.run();
    CHECK(reason == "bad input");
    REQUIRE(sup.messages().size() == 1);
    CHECK(sup.messages()[0].tag == "EXIT");
}

namespace {
Task keeps(Ctx& ctx, Mailbox& me, std::vector<Message>& got) { got.push_back(*co_await me.receive(ctx)); }
Task ends(Ctx& ctx, Mailbox& me) { co_await me.receive(ctx); }
}  // namespace

TEST_CASE("links: a trapping actor gets EXIT(reason); an untrapped one dies of it; a monitor gets DOWN; a normal exit kills nobody") {
    for (const bool crash : {true, false}) {
        CAPTURE(crash);
        Mailbox dying{"<0.1> dying"}, trapper{"<0.2> trapper"}, watcher{"<0.3> watcher"}, linked{"<0.4> linked"};
        std::vector<Message> trapped, watched, linked_got;
        Scheduler s(coop());
        Links links(s);
        for (Mailbox* m : {&dying, &trapper, &watcher, &linked}) s.add(*m);
        const TaskId d = s.spawn("dying", 0, [&](Ctx& c) { return crash ? crasher(c, dying) : ends(c, dying); });
        const TaskId t = s.spawn("trapper", 0, [&](Ctx& c) { return keeps(c, trapper, trapped); });
        const TaskId w = s.spawn("watcher", 0, [&](Ctx& c) { return keeps(c, watcher, watched); });
        const TaskId l = s.spawn("linked", 0, [&](Ctx& c) { return keeps(c, linked, linked_got); });
        links.attach(d, dying);
        links.attach(t, trapper);
        links.attach(w, watcher);
        links.attach(l, linked);
        for (const auto& [task, box] : std::vector<std::pair<TaskId, Mailbox*>>{{d, &dying}, {t, &trapper}, {w, &watcher}, {l, &linked}}) box->set_owner(task);
        links.link(d, t);
        links.link(d, l);
        links.trap_exits(t);
        links.monitor(w, d);
        s.spawn("client", 0, [&](Ctx& c) { return sender(c, dying, "job", 1, 1); });
        s.run();
        REQUIRE(trapped.size() == 1);
        CHECK(trapped[0].tag == "EXIT");
        CHECK(trapped[0].from == d);
        CHECK(trapped[0].note == (crash ? "bad input" : "normal"));
        REQUIRE(watched.size() == 1);
        CHECK(watched[0].tag == "DOWN");
        CHECK_FALSE(dying.alive());
        CHECK(dying.exit_reason() == (crash ? "bad input" : "normal"));  // what the views draw: crashed, or ended
        if (crash) {
            REQUIRE(s.panics().size() == 2);
            CHECK(s.panics()[1].task == l);
            CHECK(s.panics()[1].message == "linked to dying, which died: bad input");
            CHECK(linked_got.empty());
            CHECK(links.killed() == 1);
        } else {
            CHECK(s.panics().empty());
            CHECK(s.verdict() == Verdict::Deadlock);  // "linked" still waits: a normal exit does not kill it
            CHECK(links.killed() == 0);
        }
    }
}

namespace {
struct Arrivals final : Explorable {
    Mailbox box{"<0.1>"};
    Scheduler s{Config{1, Policy::Manual, 1, 1, {}, {}}};
    std::vector<std::int64_t> got;
    explicit Arrivals(bool two_senders) {
        s.add(box);
        if (two_senders) {
            s.spawn("a", 0, [this](Ctx& c) { return sender(c, box, "m", 1, 1); });
            s.spawn("b", 0, [this](Ctx& c) { return sender(c, box, "m", 2, 1); });
        } else {
            s.spawn("a", 0, [this](Ctx& c) { return sender(c, box, "m", 1, 2); });
        }
        box.set_owner(s.spawn("r", 0, [this](Ctx& c) { return receiver(c, box, {}, 2, got); }));
    }
    Scheduler& sched() override { return s; }
    std::string outcome() override { return std::to_string(got[0]) + "," + std::to_string(got[1]); }
    bool bad() override { return false; }
};
std::set<std::string> orders(bool two) {
    std::set<std::string> out;
    for (const auto& o : explore([two] { return std::make_unique<Arrivals>(two); }, ExploreOptions{}).outcomes) out.insert(o.outcome);
    return out;
}
}  // namespace

TEST_CASE("the explorer shows both arrival orders for two senders, and only the sent order for one") {
    CHECK(orders(true) == std::set<std::string>{"100,200", "200,100"});
    CHECK(orders(false) == std::set<std::string>{"100,101"});
}

namespace {
// S traps exits and is linked to W; W computes once and ends; T sends
// "hello" to S; S receives twice. The EXIT notice (delivered as W ends) and
// T's hello can arrive in either order: W's two steps then T's send (EXIT
// first), or T's send first (hello first). Both orders, by hand.
struct ExitRace final : Explorable {
    Mailbox s_box{"S"}, w_box{"W"};
    Scheduler s{Config{1, Policy::Manual, 1, 1, {}, {}}};
    Links links{s};
    std::vector<std::string> got;
    static Task receive_two(Ctx& ctx, Mailbox& box, std::vector<std::string>& got) {
        for (int i = 0; i < 2; ++i) {
            const auto m = co_await box.receive(ctx);
            got.push_back(m ? m->tag : "timeout");
        }
    }
    static Task compute_once(Ctx& ctx) { co_await ComputeStep(ctx, "work", 1); }
    ExitRace() {
        s.add(s_box);
        s.add(w_box);
        s.add(links);
        const TaskId st = s.spawn("S", 0, [this](Ctx& c) { return receive_two(c, s_box, got); });
        const TaskId wt = s.spawn("W", 0, [](Ctx& c) { return compute_once(c); });
        s.spawn("T", 0, [this](Ctx& c) { return sender(c, s_box, "hello", 1, 1); });
        s_box.set_owner(st);
        w_box.set_owner(wt);
        links.attach(st, s_box);
        links.attach(wt, w_box);
        links.link(st, wt);
        links.trap_exits(st);
    }
    Scheduler& sched() override { return s; }
    std::string outcome() override {
        std::string out;
        for (const std::string& g : got) out += (out.empty() ? "" : ", ") + g;
        return out;
    }
    bool bad() override { return false; }
};

}  // namespace

TEST_CASE("an exit notice races the messages of other senders: every reduction finds both arrival orders") {
    const std::set<std::string> both{"EXIT, hello", "hello, EXIT"};  // worked out by hand above
    CHECK(outcome_set<ExitRace>(ExploreOptions::Reduction::None) == both);
    CHECK(outcome_set<ExitRace>(ExploreOptions::Reduction::SleepSets) == both);
    CHECK(outcome_set<ExitRace>(ExploreOptions::Reduction::Dpor) == both);
}

namespace {
// R receives with a timeout of 3 ms. T (with `disk`) locks a disk, sleeps
// 2 ms, unlocks and sends R a message; U locks the same disk and sleeps 2 ms;
// without `disk`, T computes twice and sends, U computes three times.
template <bool kDisk>
struct TimeoutRace final : Explorable {
    Mailbox r_box{"R"};
    Mutex disk{"disk"};
    Scheduler s{Config{1, Policy::Manual, 1, 1, {}, {}}};
    bool timed_out = false;
    std::uint64_t at = 0;
    // Holds the disk for 2 ms of the clock.
    static Co<void> read_disk(Ctx& ctx, Mutex& m) {
        co_await m.lock(ctx);
        SleepStep read(ctx, 2);  // named: g++ 12 may destroy a co_await temporary twice
        co_await read;
        co_await m.unlock(ctx);
    }
    static Task t_task(Ctx& ctx, Mutex& m, Mailbox& to) {
        if (kDisk) {
            co_await read_disk(ctx, m);
        } else {
            co_await ComputeStep(ctx, "work", 1);
            co_await ComputeStep(ctx, "work", 2);
        }
        co_await to.send(ctx, "message", 1);
    }
    static Task u_task(Ctx& ctx, Mutex& m) {
        if (kDisk) {
            co_await read_disk(ctx, m);
        } else {
            for (int i = 0; i < 3; ++i) co_await ComputeStep(ctx, "work", i);
        }
    }
    TimeoutRace() {
        s.add(r_box);
        s.add(disk);
        r_box.set_owner(s.spawn("R", 0, [this](Ctx& c) { return timed(c, r_box, 3, timed_out, at); }));
        s.spawn("T", 0, [this](Ctx& c) { return t_task(c, disk, r_box); });
        s.spawn("U", 0, [this](Ctx& c) { return u_task(c, disk); });
    }
    Scheduler& sched() override { return s; }
    std::string outcome() override { return timed_out ? "timeout" : "message"; }
    bool bad() override { return false; }
};
}  // namespace

TEST_CASE("a timeout races only what takes time on the clock, and every reduction sees the same race") {
    using R = ExploreOptions::Reduction;
    // Steps take no time: T's send always comes before the clock can move to
    // 3, in every order of T's and U's steps.
    for (R r : {R::None, R::SleepSets, R::Dpor}) CHECK(outcome_set<TimeoutRace<false>>(r) == std::set<std::string>{"message"});
    // Who gets the disk first decides it, by hand: T first sends at 2 < 3
    // (the message); U first holds it until 2, T until 4 > 3 (the timeout).
    for (R r : {R::None, R::SleepSets, R::Dpor}) CHECK(outcome_set<TimeoutRace<true>>(r) == std::set<std::string>{"message", "timeout"});
}
