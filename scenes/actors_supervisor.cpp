// Scene "actors/supervisor": let it crash. A supervisor traps exits and starts
// three workers linked to it: when one dies the runtime delivers EXIT(reason)
// to the supervisor (engine::Links), which restarts it (one-for-one) or stops and restarts all
// three (one-for-all) — each restart a new actor with a new address and an
// empty mailbox. Past its restart intensity the supervisor gives up. Jobs sent
// to a dead address are dropped and counted.
// Models table row: actors.
#include <atomic>
#include <deque>
#include <map>

#include "engine/actor.hpp"
#include "engine/co.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Strategy { kOneForOne = 0, kOneForAll = 1 };
constexpr int kWorkers = 3;
constexpr int kJobs = 9;

class SupervisorRun final : public Run {
public:
    SupervisorRun(const Settings& settings, int strategy, int crashes, int intensity)
        : Run(settings), links_(rt()), sup_box_("<0.10> supervisor"), strategy_(strategy), crashes_(crashes), intensity_(intensity) {
        rt().add(links_);
        rt().add(sup_box_);
        listings_.push_back({"supervisor", {"start worker 0, 1, 2 (linked)", "loop: receive",
                                            strategy == kOneForOne ? "  EXIT(w, crashed) -> restart w" : "  EXIT(w, crashed) -> stop the others, restart all",
                                            "  (more than " + std::to_string(intensity) + " restarts: give up, stop all)",
                                            "  shutdown -> stop all; done"}});
        listings_.push_back({"worker", {"loop: receive", "  job(n) -> do it", "  crash -> die (bad input)", "  stop -> done"}});
        listings_.push_back({"client", {"for job in 1.." + std::to_string(kJobs) + ": send(worker[job mod 3], job)"}});
        if (crashes > 0) listings_.back().lines.push_back("  (every third job, while crashes are left: send crash)");
        shutdown_line_ = static_cast<int>(listings_.back().lines.size());
        listings_.back().lines.push_back("send(supervisor, shutdown)");
        sup_ = rt().spawn("supervisor", 0, [this](Ctx& ctx) { return supervise(ctx); });
        sup_box_.set_owner(sup_);
        links_.attach(sup_, sup_box_);
        links_.trap_exits(sup_);
        // The supervisor's first line, done as it is born: on real threads the
        // client may run before the supervisor does, and must find the workers.
        for (int w = 0; w < kWorkers; ++w) start(w);
        rt().spawn("client", 2, [this](Ctx& ctx) { return client(ctx); });
    }

    std::string outcome_key() const override { return counts() + (gave_up_ ? ", supervisor gave up" : ""); }

    Outcome scene_outcome() const override {
        std::uint64_t dropped = 0;
        for (const auto& b : boxes_) dropped += b.dropped();
        const std::string counted_all = counts() + "; " + counted(static_cast<long>(dropped), "message") + " to dead addresses dropped";
        if (!over()) return {false, false, "running: " + counted_all};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        if (is_real() && real().deadlocked()) return {true, true, real().error()};
        if (gave_up_) return {true, true, "the supervisor gave up after " + counted(restarts_, "restart") + " (intensity " + std::to_string(intensity_) + "): " + counted_all};
        return {true, false, "the system survived: " + counted_all};
    }

private:
    // Jobs done of those sent (every crash the client is asked for is sent: jobs 3, 6 and 9 may carry
    // one each), the ones lost with a worker that died before doing them (they were in its mailbox, or
    // were sent to its address after), and the restarts; a crash the supervisor did not restart for came
    // after the shutdown (it stops its workers then, and restarts none).
    std::string counts() const {
        const int sent = kJobs - crashes_, lost = sent - done_.load();
        std::string key = std::to_string(done_.load()) + " of " + std::to_string(sent) + " jobs done";
        if (lost > 0 && over()) key += ", " + std::to_string(lost) + " lost with a dead worker";
        if (!gave_up_ && crashed_ > restarts_ && over()) return key + ", shut down before " + (restarts_ == 0 ? "any restart" : "restart " + std::to_string(restarts_ + 1));
        key += ", " + counted(restarts_, "restart");
        return key;
    }

    static bool normal_exit(const engine::Message& m) { return m.tag == "EXIT" && m.note == "normal"; }

    void start(int slot) {
        const std::size_t n = boxes_.size();
        engine::Mailbox& box = boxes_.emplace_back("<0." + std::to_string(20 + n) + "> worker" + std::to_string(slot));
        rt().add(box);
        const engine::TaskId t = rt().spawn("worker" + std::to_string(slot) + (n >= kWorkers ? "'" : ""), 1,
                                            [this, &box, slot](Ctx& ctx) { return work(ctx, box, slot); });
        box.set_owner(t);
        slot_of_[t] = slot;
        links_.attach(t, box);
        links_.link(sup_, t);
        current_[static_cast<std::size_t>(slot)].store(&box);
    }

    // Stops every live worker but `except` and waits for each one's exit
    // notice, on the supervisor's listing line `line`.
    engine::Co<void> stop_all(Ctx& ctx, int except, int line) {
        int waiting = 0;
        for (int w = 0; w < kWorkers; ++w) {
            engine::Mailbox* box = current_[static_cast<std::size_t>(w)].load();
            if (w == except || !box->alive()) continue;
            co_await box->send(ctx.at(line), "stop");
            ++waiting;
        }
        // Each stopped worker's exit notice: EXIT(normal), or EXIT(crashed) if a crash reached it
        // before the stop (waiting for a normal exit alone deadlocked; the explorer found it).
        for (; waiting > 0; --waiting) co_await sup_box_.receive(ctx.at(line), engine::tagged("EXIT"));
    }

    Task supervise(Ctx& ctx) {
        for (bool first = true;; first = false) {
            // The receive runs its patterns' lines: the check of the restarts,
            // and a one-for-one restart (which takes no step of its own). The
            // first one follows the start of the workers, done as it was born.
            ctx.at(1).through(3);
            if (first) ctx.from(0);
            const auto m = co_await sup_box_.receive(ctx, [](const engine::Message& x) { return !normal_exit(x); });
            if (m->tag == "shutdown") {
                co_await stop_all(ctx, -1, 4);
                co_return;
            }
            // EXIT from a crashed worker.
            const int slot = slot_of_.at(m->from);
            if (restarts_ == intensity_) {
                gave_up_ = true;
                co_await stop_all(ctx, slot, 3);
                co_return;  // its address dies with it
            }
            ++restarts_;
            if (strategy_ == kOneForAll) {
                co_await stop_all(ctx, slot, 2);
                for (int w = 0; w < kWorkers; ++w) start(w);
            } else {
                start(slot);
            }
        }
    }

    Task work(Ctx& ctx, engine::Mailbox& box, int slot) {
        for (;;) {
            // The receive runs its patterns' lines: a crash or a stop ends the worker at once.
            const auto m = co_await box.receive(ctx.at(0).through(3));
            if (m->tag == "stop") break;
            if (m->tag == "crash") {
                ++crashed_;
                throw engine::Panic("worker" + std::to_string(slot) + " crashed on bad input");
            }
            co_await engine::ComputeStep(ctx.at(1), "does job", m->value);
            ++done_;
        }
    }

    Task client(Ctx& ctx) {
        for (int job = 1; job <= kJobs; ++job) {
            // A green thread runs until it waits, and sending never waits: on
            // real threads the client yields after each job, so the workers and
            // the supervisor run in between (as Erlang's preemption would have it).
            if (is_real() && job > 1) co_await engine::YieldStep(ctx);
            engine::Mailbox& to = *current_[static_cast<std::size_t>(job % kWorkers)].load();
            if (job % 3 == 0 && crashes_sent_ < crashes_) {
                ++crashes_sent_;
                co_await to.send(ctx.at(1), "crash");
            } else {
                co_await to.send(ctx.at(0), "job", job);
            }
        }
        // Real threads: a crash takes the worker a while (the first C++ throw of
        // a process alone takes ~100 us); let the supervisor see it before shutdown.
        if (is_real()) co_await client_box_.receive(ctx.at(shutdown_line_), {}, 20);
        co_await sup_box_.send(ctx.at(shutdown_line_), "shutdown");
    }

    engine::Links links_;
    engine::Mailbox sup_box_;
    engine::Mailbox client_box_{"<0.11> client"};  // nobody writes to it: a 20 ms timeout is the client's sleep
    engine::TaskId sup_ = engine::kNone;
    std::deque<engine::Mailbox> boxes_;                  // every worker's mailbox, the dead ones too
    std::atomic<engine::Mailbox*> current_[kWorkers] = {};  // the client reads them while the supervisor restarts
    std::map<engine::TaskId, int> slot_of_;
    int strategy_;
    int crashes_;
    int intensity_;
    int crashes_sent_ = 0;
    int shutdown_line_ = 1;  // the client's last line
    int restarts_ = 0;
    std::atomic<int> crashed_{0};  // workers that crashed (on real threads, counted by theirs)
    std::atomic<int> done_{0};
    bool gave_up_ = false;
};

}  // namespace

Scene actors_supervisor() {
    Scene s;
    s.id = "actors/supervisor";
    s.title = "Let it crash: a supervisor";
    s.section = "Actors";
    s.row = models::kActors;
    s.slide =
        "Don't code defensively: let a worker crash, and let its supervisor restart it. The supervisor is linked "
        "to its workers, so a death arrives as a message. One-for-one restarts the one that died; one-for-all "
        "restarts them all. A restart is a new actor with a new address: messages sent to the old one are lost. "
        "Too many restarts and the supervisor itself gives up.";
    s.notes =
        "One crash, one-for-one: job 3 carries the crash to worker0, EXIT lands in the supervisor's mailbox, a new "
        "worker0' starts. The jobs queued behind the crash die with worker0: the outcome counts them. In most schedules "
        "the client's shutdown reaches the supervisor before the crash's EXIT, and nothing is restarted. "
        "V switches to one-for-all: the other two are stopped and all three restart.";
    s.params = {
        {"strategy", "strategy", 0, 1, 0, "what a crash restarts", {"one-for-one", "one-for-all"}},
        {"crashes", "crashes", 0, 3, 1, "bad inputs the client sends", {}},
        {"intensity", "intensity", 0, 3, 2, "restarts the supervisor allows before it gives up", {}},
    };
    s.runs_on_real_threads = true;
    s.real_workers = 2;
    // Too many schedules to finish, even within two preemptions for one-for-all: the claim that nothing goes wrong is checked within 1 preemption.
    s.proof_bound = 1;
    s.claims = [](const Settings& st) {
        if (st.params.at("crashes") > st.params.at("intensity")) return Claim{true, "the supervisor gives up"};
        return Claim{false, "the system survives every crash"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        const auto& p = settings.params;
        return std::make_unique<SupervisorRun>(settings, p.at("strategy"), p.at("crashes"), p.at("intensity"));
    };
    return s;
}

}  // namespace such::scenes
