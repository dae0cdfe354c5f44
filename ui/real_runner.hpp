// The open scene on real threads: a run on std::thread beside the simulator,
// its summary, and this scene's runs so far to compare. The UI thread never
// waits for it; App starts a run and polls it once a frame.
#pragma once
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "scenes/scene.hpp"

namespace such::ui {

class RealRunner {
public:
    RealRunner() = default;
    ~RealRunner();  // joins every thread it started
    RealRunner(const RealRunner&) = delete;
    RealRunner& operator=(const RealRunner&) = delete;

    // Runs the scene on real threads with these settings; false and why when
    // it cannot (no threads, a run already going, settings that would hang).
    bool start(const scenes::Scene& scene, const scenes::Settings& settings, std::string& error);
    // Why these settings cannot run on real threads here ("" when they can):
    // the page's build, or the scene's own refusal (processes in a browser).
    std::string refusal(const scenes::Scene& scene, const scenes::Settings& settings) const;
    // Once a frame: starts a waiting run's thread and takes a finished run's result.
    void poll();
    // Sets the run in flight aside (see retire) and forgets its summary;
    // keep_results: the same scene again, so its earlier runs stay listed.
    void reset(bool keep_results);
    // Leaving a scene while its run is still going must not block the UI.
    void retire();
    bool busy() const;
    // A result to show, or a run going: the panel goes first in the objects pane.
    bool has_runs() const { return !results_.empty() || thread_.joinable(); }
    const std::string& summary() const { return summary_; }

    // The single-threaded web build has no threads for the real runtime.
    void set_threads_available(bool available) { threads_available_ = available; }
    bool threads_available() const { return threads_available_; }
    // Most native threads a run may start (0: no limit): the browser's worker pool.
    void set_thread_limit(int limit) { thread_limit_ = limit; }

    // The panel: its button (true when pressed: the app runs the command
    // "real"; greyed out, saying why, when `refusal` is not empty), then the
    // summary and the results, newest first.
    static bool draw_button(const std::string& refusal);
    // `caption`: what the scene's real run is (Scene::real_caption), shown before one is made.
    void draw_results(const std::string& refusal, const std::string& caption) const;

private:
    // Joins the runs set aside that have finished; the run in flight stays.
    void reap();
    void launch();
    void finish();

    std::unique_ptr<scenes::Run> run_;
    std::thread thread_;
    bool waiting_ = false;  // a run built, its thread not yet started: workers were not ready
    struct Retired {
        std::unique_ptr<scenes::Run> run;
        std::thread thread;
    };
    std::vector<Retired> retired_;
    bool threads_available_ = true;
    int thread_limit_ = 0;
    std::string summary_;
    std::string label_;  // the parameters of the run in flight
    struct Result {
        std::string settings, outcome;
        double ms;
        bool bad;
    };
    std::vector<Result> results_;  // this scene's runs, newest last
};

}  // namespace such::ui
