// Scene "stm/commit": the talk's transactional-memory slide. Tasks each run
// `atomically { n = read(counter); write(counter, n + 1) }`. Nobody waits on
// a lock: each buffers its write and checks at commit; the one that finds
// its read outdated rolls back and runs again. Nothing is ever lost.
// Models table row: threads & transactional memory (native threads,
// preemptive, shared memory).
#include "engine/stm.hpp"
#include "scenes/stm_accounts.hpp"
#include "scenes/models.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;
using engine::Tx;

std::int64_t transactions(int param, bool real) { return real ? std::int64_t{param} * 20000 : param; }

class CommitRun final : public Run {
public:
    CommitRun(const Settings& settings, int tasks, int each)
        : Run(settings), counter_("counter", 0), tasks_(tasks), each_(transactions(each, settings.runtime == RuntimeKind::Real)) {
        rt().add(stm_);
        rt().add(counter_);
        listings_.push_back({"each task", {each_ == 1 ? std::string("atomically {") : "repeat " + std::to_string(each_) + " times: atomically {", "  n = read(counter)",
                                           "  write(counter, n + 1)", "}  commit: lock, validate, publish"}});
        for (int i = 0; i < tasks; ++i) rt().spawn("T" + std::to_string(i + 1), 0, [this](Ctx& ctx) { return program(ctx); });
    }

    std::int64_t expected() const { return each_ * tasks_; }
    std::string outcome_key() const override { return "counter = " + std::to_string(counter_.value()); }

    Outcome scene_outcome() const override {
        const auto v = counter_.value();
        const auto st = stm_.stats();
        const std::string rollbacks = counted(static_cast<long>(st.aborts_total()), "rollback");
        if (!over()) return {false, false, "running: counter = " + std::to_string(v) + ", " + counted(static_cast<long>(st.commits), "commit") + ", " + rollbacks};
        if (v != expected()) return {true, true, "counter = " + std::to_string(v) + " of " + std::to_string(expected()) + ": updates lost"};
        return {true, false, "counter = " + std::to_string(v) + ": every transaction committed once; " + rollbacks + " re-ran"};
    }

private:
    Task program(Ctx& ctx) {
        for (std::int64_t i = 0; i < each_; ++i) {
            co_await engine::atomically(ctx.at(0), stm_, [this](Tx& tx) { return increment(tx, counter_); });
        }
    }

    engine::Stm stm_;
    engine::TVar<long> counter_;
    int tasks_;
    std::int64_t each_;
};

}  // namespace

Scene stm_commit() {
    Scene s;
    s.id = "stm/commit";
    s.title = "Transactions: commit or roll back";
    s.section = "Threads & transactional memory";
    s.row = models::kThreadsStm;
    s.slide =
        "Don't wait on a lock: just check when you are ready to commit. Each transaction reads, buffers its "
        "write, and at commit validates that what it read is still current. If another transaction committed "
        "first, it rolls back, drops its buffered write and runs again. No update is lost, and locks are held "
        "only for the instant of a commit.";
    s.notes =
        "Pause (P) once both tasks have buffered a write, then step with '.': one commits, the other's "
        "validation fails, its buffered value fades and it runs again. The every-schedule beat: every "
        "schedule ends at 2.";
    s.params = {
        {"tasks", "tasks", 2, 4, 2, "how many tasks increment the counter", {}},
        {"each", "transactions each", 1, 3, 1, "increments per task (x 20,000 on real threads)", {}},
    };
    s.runs_on_real_threads = true;
    // Four tasks, or three commits each, have too many schedules to finish: the claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = 2;
    s.claims = [](const Settings&) { return Claim{false, "no schedule loses an update"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<CommitRun>(settings, settings.params.at("tasks"), settings.params.at("each"));
    };
    return s;
}

}  // namespace such::scenes
