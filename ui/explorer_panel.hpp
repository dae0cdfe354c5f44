// The explorer panel: start/cancel, bounds, progress, the outcome histogram
// and the findings. The search runs on a worker thread where there are
// threads, and a few milliseconds per frame where there are none.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/explorer.hpp"
#include "scenes/claim.hpp"
#include "scenes/scene.hpp"
#include "ui/theme.hpp"

namespace such::ui {

// The explorer's result in words taken from its outcomes, such as "4
// schedules: 2 end in count = 2, 2 in count = 1 (wrong)"; each outcome with
// its count is kept on one line.
// `this_run`: the outcome of the run on screen, for "every one ends as this run did".
std::string schedules_words(const engine::ExploreResult& r, std::string_view this_run = {});

class ExplorerPanel {
public:
    ~ExplorerPanel();
    void set_threads_available(bool available) { threads_ = available; }

    // The search the panel's settings ask for.
    void start(const scenes::Scene& scene, const scenes::Settings& settings);
    // The talk's: no hunt (it counts schedules), every schedule within kStageSeconds. Where the scene
    // declares a preemption bound for its claim that nothing goes wrong: up to kStageExecutions of them,
    // and if that is too few to finish, then every schedule within the bound (running() until it ends).
    void start_on_stage(const scenes::Scene& scene, const scenes::Settings& settings);
    static constexpr std::uint64_t kStageExecutions = 50000;  // stm/bank's whole search is 47,884
    static constexpr int kStageSeconds = 10;
    void cancel();
    void reset();
    // Advances a sliced search, or starts the search's thread once a worker
    // is ready (workers.hpp); call once per frame.
    void tick();
    bool running() const { return running_.load(); }
    bool started() const { return current_ != nullptr; }
    // Draws the panel; returns the finding the user clicked (to replay), or null.
    // scroll_results: the outcomes and findings scroll in the room left (a pane of fixed height); else
    // they follow on (a phone's stacked pane, as tall as its content).
    const engine::Finding* draw(const Fonts& fonts, bool scroll_results);
    // A copy of the latest result (safe while the worker runs).
    engine::ExploreResult snapshot() const;
    // What the scene claims about its schedules.
    const scenes::Claim& claim() const { return claim_; }
    // The preemption bound of the search last started (-1: none).
    int search_bound() const { return search_bound_; }
    // On stage, a search within a bound after one of every schedule that did not finish: how many
    // schedules that one ran (0: none before this search).
    std::uint64_t whole_tried() const { return whole_tried_; }
    // The scene's claim and what the search says of it, as one line: true,
    // false (a bug found refutes "nothing goes wrong" even before the search
    // is complete), or not settled within the limits.
    struct ClaimLine {
        std::string text;           // the claim in quotes, then the verdict's words
        scenes::ClaimVerdict verdict;
    };
    ClaimLine claim_line(const engine::ExploreResult& r) const;

    int bound = -1;       // preemption bound, -1 = none
    bool hunt = true;     // hunt for a bug first (engine::kHuntBudget executions); never in the talk's counts
    int reduction = 2;    // ExploreOptions::Reduction: none, sleep sets, DPOR
    int max_executions = 2000000;
    int time_limit_s = 60;
    int max_depth = 5000;  // steps per run before a "livelock?" finding

private:
    void publish();
    engine::Explorer* within_next(engine::Explorer* ended);
    void launch(const scenes::Scene& scene, const scenes::Settings& settings, const engine::ExploreOptions& options,
                const engine::ExploreOptions* within = nullptr);
    void stop_worker();
    void launch_worker();

    bool threads_ = true;
    bool waiting_for_worker_ = false;  // started, its thread not yet: no worker was ready
    std::unique_ptr<engine::Explorer> explorer_;
    std::unique_ptr<engine::Explorer> within_;     // start_on_stage's search within a bound, if it comes to it
    std::atomic<engine::Explorer*> current_{nullptr};  // the one running or last run
    std::thread worker_;
    std::atomic<bool> running_{false};
    mutable std::mutex mutex_;
    engine::ExploreResult shown_;
    std::string strategy_;  // what the search is doing (under mutex_, like shown_)
    mutable engine::ExploreResult cached_;
    mutable std::string strategy_cached_;
    scenes::Claim claim_;
    std::atomic<int> search_bound_{-1};
    std::atomic<std::uint64_t> whole_tried_{0};
    int proof_bound_ = -1;  // the scene's bound for proving its claim where every schedule is too many
    double started_at_ = 0.0;
    engine::Finding clicked_;
};

}  // namespace such::ui
