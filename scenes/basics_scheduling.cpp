// Scene "basics/scheduling": preemptive vs cooperative. A hog computes without
// ever yielding; two polite tasks yield after every unit of work. Under
// cooperative scheduling the hog keeps the core until it is done and the
// others starve; a preemptive scheduler takes the core away at any step.
// On real threads the three are green threads on one worker thread, as
// fibers on one thread are: each unit of work really takes 5 ms, and the
// outcome is when A and B first got the thread.
// Models table: the "scheduling" column (preemptive threads, cooperative fibers).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>

#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

// How far the hog's work has gone when each polite task first gets the core:
// what the outcome is made of. Each unit of the hog's work writes it, and each
// polite task's first unit reads it, and their steps say so, so the explorer
// orders them. (The outcome once read the scheduler's step counter, which no
// step declares: to the explorer every step commuted, and its search of every
// schedule ran two, both starved, while the slide's own run starved nobody.)
class Progress final : public engine::Object {
public:
    explicit Progress(int total) : Object("the hog's work", engine::ObjectKind::Variable), total_(total) {}
    engine::Snapshot snapshot() const override {
        engine::Snapshot snap;
        snap.value = std::to_string(units) + " of " + std::to_string(total_) + " done";
        return snap;
    }
    bool fingerprint(std::vector<std::int64_t>& out) const override {
        out.insert(out.end(), {units, seen[0], seen[1]});
        return true;
    }
    const char* described() const override { return "units of work the hog has done"; }

    std::int64_t units = 0;
    std::int64_t seen[2] = {-1, -1};  // the hog's units done when A and B first ran; -1: not yet

private:
    int total_;
};

class SchedulingRun final : public Run {
public:
    SchedulingRun(const Settings& settings, int hog_work, bool hog_yields)
        : Run(settings), hog_work_(hog_work), hog_yields_(hog_yields), progress_(hog_work) {
        rt().add(progress_);
        listings_.push_back({"hog", {"repeat " + std::to_string(hog_work) + " times:", hog_yields ? "  compute" : "  compute  // never yields"}});
        if (hog_yields) listings_.back().lines.push_back("  yield()");
        listings_.push_back({"polite task", {"repeat 3 times:", "  compute", "  yield()"}});
        rt().spawn("Hog", 0, [this](Ctx& ctx) { return hog(ctx); });
        rt().spawn("A", 1, [this](Ctx& ctx) { return polite(ctx, 0); });
        rt().spawn("B", 1, [this](Ctx& ctx) { return polite(ctx, 1); });
    }

    Outcome scene_outcome() const override {
        if (!over()) return {false, false, "running"};
        if (is_real()) {
            const double unit = std::chrono::duration<double, std::milli>(kUnit).count();
            const double wait = std::max(first_ms_[0].load(), first_ms_[1].load());
            const bool starved = wait > 2.5 * unit;
            char text[200];
            std::snprintf(text, sizeof text, "on one thread, A first ran after %.0f ms and B after %.0f ms (a unit of work is %.0f ms)%s",
                          first_ms_[0].load(), first_ms_[1].load(), unit, starved ? ": the hog held the thread" : ": nobody starved");
            return {true, starved, text};
        }
        return {true, starved(),
                "A first ran after " + std::to_string(progress_.seen[0]) + " and B after " + std::to_string(progress_.seen[1]) +
                    " of the hog's " + std::to_string(hog_work_) + " units" +
                    (starved() ? ": starved while the hog kept the core" : ": nobody starved")};
    }
    // The explorer's outcomes: starved or not, however far the hog had gone.
    std::string outcome_key() const override {
        if (is_real() || !over()) return outcome().headline;
        // Noun phrases: the explorer's line reads "21 end in starvation (...)".
        return starved() ? "starvation (a polite task first ran after all the hog's work)" : "no starvation (both polite tasks ran while the hog worked)";
    }

private:
    // A polite task first ran only after all of the hog's work.
    bool starved() const { return std::max(progress_.seen[0], progress_.seen[1]) >= hog_work_; }
    // Real threads: a unit of work that really takes its time (the step itself is instant).
    void work() {
        if (!is_real()) return;
        const auto until = std::chrono::steady_clock::now() + kUnit;
        while (std::chrono::steady_clock::now() < until) {
        }
    }
    // Milliseconds since the first task started (real threads).
    double since_start() {
        using namespace std::chrono;
        const auto now = duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
        long long zero = 0;
        start_ns_.compare_exchange_strong(zero, now);
        return static_cast<double>(now - start_ns_.load()) / 1e6;
    }

    Task hog(Ctx& ctx) {
        since_start();
        for (int i = 0; i < hog_work_; ++i) {
            co_await engine::ComputeStep(ctx.at(1).from(0), "computes", i + 1, progress_.id(), engine::Access::Write);  // from the loop's test
            if (!is_real()) progress_.units = i + 1;
            work();
            if (hog_yields_) co_await engine::YieldStep(ctx.at(2));
        }
    }
    Task polite(Ctx& ctx, int which) {
        for (int i = 0; i < 3; ++i) {
            // The first unit reads the hog's progress; the others touch nothing shared.
            co_await engine::ComputeStep(ctx.at(1).from(0), "computes", i + 1, i == 0 ? progress_.id() : engine::kNone, engine::Access::Read);
            if (i == 0 && !is_real()) progress_.seen[which] = progress_.units;
            if (i == 0 && is_real()) first_ms_[which] = since_start();
            work();
            co_await engine::YieldStep(ctx.at(2));
        }
    }

    int hog_work_;
    bool hog_yields_;
    Progress progress_;
    static constexpr auto kUnit = std::chrono::milliseconds(5);
    std::atomic<long long> start_ns_{0};
    std::atomic<double> first_ms_[2] = {0.0, 0.0};
};

}  // namespace

Scene basics_scheduling() {
    Scene s;
    s.id = "basics/scheduling";
    s.title = "Scheduling: preemptive vs cooperative";
    s.section = "General concepts";
    s.row = {"(all models)", "threads, fibers", "preemptive or cooperative", "-", "-", "OS threads; Ruby fibers"};
    s.slide =
        "Preemptive: the scheduler may take the processor away at any moment, without asking. Cooperative: a "
        "task runs until it gives the processor up (yield, block or finish). One task that never yields holds "
        "everyone else hostage under cooperative scheduling.";
    s.notes =
        "Press O for cooperative: the hog runs to the end, A and B starve. O again for preemptive: they take "
        "turns. Then O for cooperative once more and V so the hog yields: cooperative, and fair.";
    s.params = {
        {"hog", "hog work", 4, 16, 10, "units of work the hog does", {}},
        {"yields", "hog yields", 0, 1, 0, "the hog yields after each unit", {}},
    };
    s.runs_on_real_threads = true;
    s.real_workers = 1;  // green threads on one OS thread: fibers, cooperative for real
    s.claims = [](const Settings&) { return Claim{true, "a schedule that starves the polite tasks exists"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<SchedulingRun>(settings, settings.params.at("hog"),
                                               settings.params.at("yields") != 0);
    };
    return s;
}

}  // namespace such::scenes
