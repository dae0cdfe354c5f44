// Scene "basics/parallelism": concurrency vs parallelism. The same tasks, each
// a row of work steps, on 1 core (they take turns: concurrency, time slicing)
// and on 2 to 4 cores (several advance in the same tick: parallelism). The
// timeline shows the difference; the finishing time shows the speed-up.
// Models table: the "concurrent / parallel" column.
#include "engine/atomic.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

class ParallelRun final : public Run {
public:
    ParallelRun(const Settings& settings, int tasks, int work)
        : Run(settings), done_("units done", 0), tasks_(tasks), work_(work), cores_(settings.cores) {
        rt().add(done_);
        listings_.push_back({"each task", {"repeat " + std::to_string(work) + " times:", "  do one unit of work",
                                           "  units_done += 1 (atomic)"}});
        for (int i = 0; i < tasks; ++i) {
            rt().spawn("W" + std::to_string(i + 1), 0, [this](Ctx& ctx) { return program(ctx); });
        }
    }

    Outcome scene_outcome() const override {
        const auto done = done_.value();
        const auto all = static_cast<std::int64_t>(tasks_) * work_;
        if (!over()) return {false, false, std::to_string(done) + " of " + std::to_string(all) + " units done"};
        if (is_real()) return {true, false, "all " + std::to_string(all) + " units done on real threads"};
        const auto ticks = sched().ticks() + 1;
        char speed[32];
        std::snprintf(speed, sizeof speed, "%.2f", static_cast<double>(2 * all) / static_cast<double>(ticks));
        return {true, false,
                std::to_string(tasks_) + " tasks finished in " + std::to_string(ticks) + " ticks on " +
                    std::to_string(cores_) + (cores_ == 1 ? " core (concurrency: taking turns)" : " cores (parallelism)") +
                    ", " + speed + " steps per tick"};
    }

private:
    Task program(Ctx& ctx) {
        for (int i = 0; i < work_; ++i) {
            co_await engine::ComputeStep(ctx.at(1).from(0), "works", i + 1);  // from the loop's test
            co_await done_.fetch_add(ctx.at(2), 1);
        }
    }

    engine::Atomic done_;
    int tasks_, work_, cores_;
};

}  // namespace

Scene basics_parallelism() {
    Scene s;
    s.id = "basics/parallelism";
    s.title = "Concurrency vs parallelism";
    s.section = "General concepts";
    s.row = {"(all models)", "processes and threads", "preemptive or cooperative", "-", "concurrent ⊇ parallel", "-"};
    s.slide =
        "Concurrency is dealing with many things at once; parallelism is doing many things at once. On one core "
        "the tasks take turns (time slicing): they are concurrent, never parallel. Give them more cores and "
        "several advance in the same tick. Every parallel program is concurrent; not every concurrent one is "
        "parallel.";
    s.notes =
        "It plays on 1 core: the tasks take turns. Press C for 2 cores, C again for 4: the swim lanes fill "
        "side by side and the run finishes sooner; the program did not change.";
    s.params = {
        {"tasks", "tasks", 2, 6, 4, "how many tasks", {}},
        {"work", "work", 2, 8, 4, "units of work per task", {}},
    };
    s.runs_on_real_threads = true;
    // Six tasks of eight units have too many schedules to finish: the claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = 2;
    s.claims = [](const Settings&) { return Claim{false, "every schedule does all the work"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<ParallelRun>(settings, settings.params.at("tasks"), settings.params.at("work"));
    };
    return s;
}

}  // namespace such::scenes
