// The "use the best tool" slide: one scene in every choice of a parameter
// (the same counter as threads, a mutex, STM, a channel, an actor, an event
// loop), stepping together on the simulator, while a worker thread measures
// each on real threads and runs the explorer over a small instance of each.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "scenes/scene.hpp"

namespace such::ui {

class CompareSlide {
public:
    // threads: false in the single-threaded web build, where nothing runs on
    // real threads and the explorer runs here, before the slide shows.
    CompareSlide(const scenes::Scene& scene, const scenes::Settings& settings, const std::string& param, bool threads);
    ~CompareSlide();  // stops the worker at its next check and joins it
    CompareSlide(const CompareSlide&) = delete;
    CompareSlide& operator=(const CompareSlide&) = delete;

    // Every run one step (those not over); false when all were over.
    bool step();
    // Back one step by re-execution; false at step 0.
    bool back();
    void to_end();
    void restart() { rebuild(0); }
    bool over() const;
    std::uint64_t steps() const { return step_; }

    struct Row {
        std::string label;
        scenes::Run* run;       // the simulator run, stepping live
        std::string real;       // "12.3 ms on real threads: count = 400,000 of 400,000"
        std::string explored;   // "every schedule (36): never loses an update"
        bool real_bad = false, explored_bad = false;
        bool real_ran = false;  // false: `real` says why nothing ran
    };
    std::vector<Row> rows() const;
    bool measuring() const { return !done_; }
    // Starts the measurements' thread once workers are ready; once per frame.
    void poll();

private:
    void rebuild(std::uint64_t steps);
    void measure_real();  // on the worker thread
    void explore_each();

    const scenes::Scene& scene_;
    scenes::Settings settings_;
    int workers_ = -1;  // as asked, before resolving: each model's real run resolves its own (Scene::real_workers_by)
    std::string param_;
    std::vector<std::string> labels_;
    std::vector<std::unique_ptr<scenes::Run>> runs_;
    std::uint64_t step_ = 0;
    mutable std::mutex mu_;
    std::vector<Row> measured_;  // real and explored, under mu_
    std::atomic<bool> stop_{false}, done_{false};
    std::thread worker_;
    bool waiting_ = false;  // threads wanted, no worker ready yet
};

}  // namespace such::ui
