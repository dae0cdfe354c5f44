// Scene "actors/supervisor": let it crash. A supervisor starts three workers
// and is linked to them: when one dies the runtime delivers an exit notice to
// the supervisor, which restarts it (one-for-one) or stops and restarts all
// three (one-for-all) — each restart a new actor with a new address and an
// empty mailbox. Past its restart intensity the supervisor gives up. Jobs sent
// to a dead address are dropped and counted.
// Models table row: actors.
#include <deque>
#include <map>

#include "engine/actor.hpp"
#include "engine/co.hpp"
#include "scenes/models.hpp"
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
        : Run(settings), sup_box_("<0.10> supervisor"), strategy_(strategy), crashes_(crashes), intensity_(intensity) {
        rt().add(sup_box_);
        listings_.push_back({"supervisor", {"start worker 0, 1, 2 (linked)", "loop: receive",
                                            strategy == kOneForOne ? "  EXIT(w, crashed) -> restart w" : "  EXIT(w, crashed) -> stop the others, restart all",
                                            "  (more than " + std::to_string(intensity) + " restarts: give up, stop all)",
                                            "  shutdown -> stop all; done"}});
        listings_.push_back({"worker", {"loop: receive", "  job(n) -> do it", "  crash -> die (bad input)", "  stop -> done"}});
        listings_.push_back({"client", {"for job in 1.." + std::to_string(kJobs) + ": send(worker[job mod 3], job)",
                                        "  (every third job, while crashes are left: send crash)", "send(supervisor, shutdown)"}});
        sup_box_.set_owner(rt().spawn("supervisor", 0, [this](Ctx& ctx) { return supervise(ctx); }));
        rt().spawn("client", 2, [this](Ctx& ctx) { return client(ctx); });
        if (!rt().is_real()) {
            sched().on_exit([this](engine::Scheduler& s, engine::TaskId task, const std::string& reason) { on_exit(s, task, reason); });
        }
    }

    std::string outcome_key() const override {
        return std::to_string(done_) + " jobs done, " + std::to_string(restarts_) + " restarts" + (gave_up_ ? ", supervisor gave up" : "");
    }

    Outcome outcome() const override {
        std::uint64_t dropped = 0;
        for (const auto& b : boxes_) dropped += b.dropped();
        const std::string counts = std::to_string(done_) + " of " + std::to_string(kJobs - crashes_sent_) + " jobs done, " + std::to_string(restarts_) +
                                   " restart(s), " + std::to_string(dropped) + " message(s) to dead addresses dropped";
        if (!over()) return {false, false, counts};
        if (sched().verdict() == engine::Verdict::Deadlock) return {true, true, sched().verdict_detail()};
        if (gave_up_) return {true, true, "the supervisor gave up after " + std::to_string(restarts_) + " restarts (intensity " + std::to_string(intensity_) + "); " + counts};
        return {true, false, "the system survived: " + counts};
    }

private:
    // The runtime's side of the links: a dead worker's address closes and its
    // supervisor gets EXIT (a crash) or DONE (a normal stop).
    void on_exit(engine::Scheduler& s, engine::TaskId task, const std::string& reason) {
        const auto it = slot_of_.find(task);
        if (it == slot_of_.end()) return;
        engine::Mailbox& box = *current_[static_cast<std::size_t>(it->second)];
        box.close_address();
        if (sup_box_.alive()) sup_box_.deliver(s, engine::Message{task, reason == "normal" ? "DONE" : "EXIT", it->second});
    }

    void start(int slot) {
        const std::size_t n = boxes_.size();
        engine::Mailbox& box = boxes_.emplace_back("<0." + std::to_string(20 + n) + "> worker" + std::to_string(slot));
        rt().add(box);
        current_[static_cast<std::size_t>(slot)] = &box;
        const engine::TaskId t = rt().spawn("worker" + std::to_string(slot) + (n >= kWorkers ? "'" : ""), 1,
                                            [this, &box, slot](Ctx& ctx) { return work(ctx, box, slot); });
        box.set_owner(t);
        slot_of_[t] = slot;
    }

    // Stops every live worker but `except` and waits for each one's exit notice.
    engine::Co<void> stop_all(Ctx& ctx, int except) {
        int waiting = 0;
        for (int w = 0; w < kWorkers; ++w) {
            engine::Mailbox* box = current_[static_cast<std::size_t>(w)];
            if (w == except || !box->alive()) continue;
            co_await box->send(ctx.at(2), "stop");
            ++waiting;
        }
        // Each stopped worker's exit notice: DONE, or EXIT if a crash reached it before the stop
        // (waiting for DONE alone deadlocked; the explorer found it).
        const auto exit_notice = [](const engine::Message& x) { return x.tag == "DONE" || x.tag == "EXIT"; };
        for (; waiting > 0; --waiting) co_await sup_box_.receive(ctx.at(2), exit_notice);
    }

    Task supervise(Ctx& ctx) {
        for (int w = 0; w < kWorkers; ++w) start(w);
        ctx.at(1);
        for (;;) {
            const auto m = co_await sup_box_.receive(ctx.at(1), [](const engine::Message& x) { return x.tag != "DONE"; });
            if (m->tag == "shutdown") {
                co_await stop_all(ctx, -1);
                co_return;
            }
            // EXIT from a crashed worker.
            if (restarts_ == intensity_) {
                gave_up_ = true;
                co_await stop_all(ctx.at(3), static_cast<int>(m->value));
                sup_box_.close_address();
                co_return;
            }
            ++restarts_;
            if (strategy_ == kOneForAll) {
                co_await stop_all(ctx, static_cast<int>(m->value));
                for (int w = 0; w < kWorkers; ++w) start(w);
            } else {
                start(static_cast<int>(m->value));
            }
        }
    }

    Task work(Ctx& ctx, engine::Mailbox& box, int slot) {
        for (;;) {
            const auto m = co_await box.receive(ctx.at(0));
            if (m->tag == "stop") break;
            if (m->tag == "crash") throw engine::Panic("worker" + std::to_string(slot) + " crashed on bad input");
            co_await engine::ComputeStep(ctx.at(1), "does job", m->value);
            ++done_;
        }
        ctx.at(3);
    }

    Task client(Ctx& ctx) {
        for (int job = 1; job <= kJobs; ++job) {
            engine::Mailbox& to = *current_[static_cast<std::size_t>(job % kWorkers)];
            if (job % 3 == 0 && crashes_sent_ < crashes_) {
                ++crashes_sent_;
                co_await to.send(ctx.at(1), "crash");
            } else {
                co_await to.send(ctx.at(0), "job", job);
            }
        }
        co_await sup_box_.send(ctx.at(2), "shutdown");
    }

    engine::Mailbox sup_box_;
    std::deque<engine::Mailbox> boxes_;
    engine::Mailbox* current_[kWorkers] = {};
    std::map<engine::TaskId, int> slot_of_;
    int strategy_;
    int crashes_;
    int intensity_;
    int crashes_sent_ = 0;
    int restarts_ = 0;
    int done_ = 0;
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
        "One crash, one-for-one: worker1 dies, EXIT lands in the supervisor's mailbox, a new worker1' starts. "
        "One-for-all: the other two are stopped and all three restart. Three crashes with intensity 2: the "
        "supervisor gives up.";
    s.params = {
        {"strategy", "strategy", 0, 1, 0, "what a crash restarts", {"one-for-one", "one-for-all"}},
        {"crashes", "crashes", 0, 3, 1, "bad inputs the client sends", {}},
        {"intensity", "intensity", 0, 3, 2, "restarts the supervisor allows before it gives up", {}},
    };
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
