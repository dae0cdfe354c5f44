// Scene "stm/contention": the cost side of optimism. Many tasks increment
// TVars in transactions; when they all hit one hot variable most attempts
// find it changed and roll back, and the abort rate climbs. Spread over more
// variables, the same work commits with few rollbacks.
// Models table row: threads & transactional memory.
#include <deque>

#include "engine/stm.hpp"
#include "scenes/models.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Co;
using engine::Ctx;
using engine::Task;
using engine::Tx;

std::int64_t per_task(int param, bool real) { return real ? std::int64_t{param} * 20000 : param; }

class ContentionRun final : public Run {
public:
    ContentionRun(const Settings& settings, int tasks, int each, int vars)
        : Run(settings), tasks_(tasks), each_(per_task(each, settings.runtime == RuntimeKind::Real)) {
        rt().add(stm_);
        for (int i = 0; i < vars; ++i) rt().add(hot_.emplace_back(vars == 1 ? "hot" : "v" + std::to_string(i), 0));
        listings_.push_back({"task i", {each_ == 1 ? std::string("atomically {") : "repeat " + std::to_string(each_) + " times: atomically {",
                                        vars == 1 ? "  n = read(hot)" : "  n = read(v[i mod " + std::to_string(vars) + "])",
                                        "  work on n, then write it back + 1", "}"}});
        for (int i = 0; i < tasks; ++i) rt().spawn("T" + std::to_string(i + 1), 0, [this, i](Ctx& ctx) { return program(ctx, i); });
    }

    long total() const {
        long sum = 0;
        for (const auto& v : hot_) sum += v.value();
        return sum;
    }

    std::string outcome_key() const override { return "total = " + std::to_string(total()); }

    Outcome scene_outcome() const override {
        const auto st = stm_.stats();
        const auto rate = st.attempts ? 100 * st.aborts_total() / st.attempts : 0;
        const std::string counts = counted(static_cast<long>(st.commits), "commit") + ", " + counted(static_cast<long>(st.aborts_total()), "rollback") + " (" +
                                   std::to_string(rate) + "% of " + std::to_string(st.attempts) + " attempts)";
        if (!over()) return {false, false, "running: " + counts};
        const long expected = static_cast<long>(each_) * tasks_;
        if (total() != expected) return {true, true, "total = " + std::to_string(total()) + " of " + std::to_string(expected) + ": lost updates"};
        return {true, false, "all " + std::to_string(expected) + " increments committed; " + counts};
    }

private:
    // A little work between the read and the write widens the conflict window.
    static Co<void> bump(Tx& tx, engine::TVar<long>& v, Ctx& ctx) {
        const long n = co_await tx.at(1).read(v);
        co_await engine::ComputeStep(ctx.at(2), "work on n", n);
        co_await tx.at(2).write(v, n + 1);
        tx.at(3);
    }
    Task program(Ctx& ctx, int i) {
        engine::TVar<long>& v = hot_[static_cast<std::size_t>(i) % hot_.size()];
        for (std::int64_t k = 0; k < each_; ++k) {
            co_await engine::atomically(ctx.at(0), stm_, [&v, &ctx](Tx& tx) { return bump(tx, v, ctx); });
        }
    }

    engine::Stm stm_;
    std::deque<engine::TVar<long>> hot_;
    int tasks_;
    std::int64_t each_;
};

}  // namespace

Scene stm_contention() {
    Scene s;
    s.id = "stm/contention";
    s.title = "Contention: when optimism costs";
    s.section = "Threads & transactional memory";
    s.row = models::kThreadsStm;
    s.slide =
        "Transactions bet that conflicts are rare. When every task updates the same hot variable, most attempts "
        "find it changed at commit and roll back: work done and thrown away. Spread the same updates over more "
        "variables and nearly every attempt commits first time.";
    s.notes =
        "One hot variable and 4 tasks: the rollbacks pile up. V spreads the tasks over 2, 3, then 4 "
        "variables: the rollbacks disappear.";
    s.params = {
        {"tasks", "tasks", 2, 6, 4, "how many tasks", {}},
        {"each", "increments each", 1, 4, 2, "transactions per task (x 20,000 on real threads)", {}},
        {"vars", "variables", 1, 4, 1, "how many variables the tasks spread over (1: one hot variable)", {}},
    };
    s.runs_on_real_threads = true;
    // Six tasks have too many schedules to finish even within two preemptions: the claim that nothing goes wrong is checked within 1 preemption.
    s.proof_bound = 1;
    s.claims = [](const Settings&) { return Claim{false, "every increment commits exactly once"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        const auto& p = settings.params;
        return std::make_unique<ContentionRun>(settings, p.at("tasks"), p.at("each"), p.at("vars"));
    };
    return s;
}

}  // namespace such::scenes
