// The comparison slide's runs and measurements (see compare_slide.hpp).
#include <algorithm>
#include <cstdio>

#include "engine/explorer.hpp"
#include "ui/compare_slide.hpp"
#include "ui/explorer_panel.hpp"
#include "ui/workers.hpp"

namespace such::ui {

CompareSlide::CompareSlide(const scenes::Scene& scene, const scenes::Settings& settings, const std::string& param, bool threads)
    : scene_(scene), settings_(scenes::resolved(scene, settings)), workers_(settings.workers), param_(param) {
    for (const scenes::Param& p : scene.params) {
        if (p.id == param) labels_ = p.choices;
    }
    measured_.resize(labels_.size());
    rebuild(0);
    if (threads) {
        waiting_ = true;
        poll();
        return;
    }
    for (Row& r : measured_) r.real = "not in this page's single-threaded build";
    explore_each();
    done_ = true;
}

// The measurements' thread, once the workers real runs take are ready (workers.hpp).
void CompareSlide::poll() {
    if (!waiting_ || !workers_ready(kRealRunWorkers)) return;
    waiting_ = false;
    worker_ = std::thread([this] {
        measure_real();
        explore_each();
        done_ = true;
    });
}

CompareSlide::~CompareSlide() {
    stop_ = true;
    if (worker_.joinable()) worker_.join();
}

void CompareSlide::rebuild(std::uint64_t steps) {
    runs_.clear();
    for (std::size_t i = 0; i < labels_.size(); ++i) {
        scenes::Settings s = settings_;
        s.params[param_] = static_cast<int>(i);
        runs_.push_back(scene_.build(s));
        for (std::uint64_t k = 0; k < steps && runs_.back()->sched().step(); ++k) {
        }
    }
    step_ = steps;
}

bool CompareSlide::step() {
    poll();
    bool any = false;
    for (auto& r : runs_) any = r->sched().step() || any;
    if (any) ++step_;
    return any;
}

bool CompareSlide::back() {
    if (step_ == 0) return false;
    rebuild(step_ - 1);
    return true;
}

void CompareSlide::to_end() {
    for (int k = 0; k < 100000 && step(); ++k) {
    }
}

bool CompareSlide::over() const {
    for (const auto& r : runs_) {
        if (!r->over()) return false;
    }
    return true;
}

std::vector<CompareSlide::Row> CompareSlide::rows() const {
    std::lock_guard lock(mu_);
    std::vector<Row> out = measured_;
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].label = labels_[i];
        out[i].run = runs_[i].get();
    }
    return out;
}

// Each model on real threads, at the scene's real size.
void CompareSlide::measure_real() {
    for (std::size_t i = 0; i < labels_.size() && !stop_; ++i) {
        scenes::Settings s = settings_;
        s.params[param_] = static_cast<int>(i);
        s.runtime = scenes::RuntimeKind::Real;
        s.workers = workers_;
        std::string real = "runs on the simulator only";
        bool bad = false;
        if (scene_.runs_on_real_threads && scenes::check_settings(scene_, s).empty()) {
            auto run = scene_.build(s);
            run->real().run();
            const scenes::Outcome o = run->outcome();
            char ms[48];
            std::snprintf(ms, sizeof ms, "%.0f ms, ", run->real().seconds() * 1000.0);
            real = ms + (run->real().failure().empty() ? o.headline : "error: " + run->real().failure());
            bad = o.bad || !run->real().failure().empty();
        }
        std::lock_guard lock(mu_);
        measured_[i].real = real;
        measured_[i].real_bad = bad;
        measured_[i].real_ran = real != "runs on the simulator only";
    }
}

// The explorer over every schedule of a small instance of each model (one
// increment per worker), a few seconds at most each.
void CompareSlide::explore_each() {
    for (std::size_t i = 0; i < labels_.size() && !stop_; ++i) {
        scenes::Settings s = settings_;
        s.params[param_] = static_cast<int>(i);
        s.params["m"] = 1;
        engine::ExploreOptions o;
        o.time_limit_s = 3.0;
        o.max_executions = 50000;
        o.progress = [this](std::uint64_t, std::size_t) { return !stop_.load(); };
        const engine::ExploreResult r = scenes::explore_scene(scene_, s, o);
        const bool bad = std::any_of(r.outcomes.begin(), r.outcomes.end(), [](const engine::Outcome& out) { return out.bad; });
        const std::string text = schedules_words(r);
        std::lock_guard lock(mu_);
        measured_[i].explored = text;
        measured_[i].explored_bad = bad;
    }
}

}  // namespace such::ui
