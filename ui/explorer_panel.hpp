// The explorer panel: start/cancel, bounds, progress, the outcome histogram
// and the findings. The search runs on a worker thread where there are
// threads, and a few milliseconds per frame where there are none.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/explorer.hpp"
#include "scenes/scene.hpp"
#include "ui/theme.hpp"

namespace such::ui {

class ExplorerPanel {
public:
    ~ExplorerPanel();
    void set_threads_available(bool available) { threads_ = available; }

    bool start(const scenes::Scene& scene, const scenes::Settings& settings);
    void cancel();
    void reset();
    // Advances a sliced search; call once per frame.
    void tick();
    bool running() const { return running_.load(); }
    bool started() const { return explorer_ != nullptr; }
    // Draws the panel; returns the finding the user clicked (to replay), or null.
    const engine::Finding* draw(const Fonts& fonts);
    // A copy of the latest result (safe while the worker runs).
    engine::ExploreResult snapshot() const;

    int bound = -1;       // preemption bound, -1 = none
    int reduction = 2;    // ExploreOptions::Reduction: none, sleep sets, DPOR
    int max_executions = 2000000;
    int time_limit_s = 60;
    int max_depth = 5000;  // steps per run before a "livelock?" finding

private:
    void publish();
    void stop_worker();

    bool threads_ = true;
    std::unique_ptr<engine::Explorer> explorer_;
    std::thread worker_;
    std::atomic<bool> running_{false};
    mutable std::mutex mutex_;
    engine::ExploreResult shown_;
    mutable engine::ExploreResult cached_;
    scenes::Claim claim_;
    double started_at_ = 0.0;
    engine::Finding clicked_;
};

}  // namespace such::ui
