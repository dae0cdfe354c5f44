// The open scene on real threads (see real_runner.hpp): starting a run once
// the workers it takes are ready, its result, and the panel that lists them.
#include "ui/real_runner.hpp"

#include <cstdio>
#include <utility>

#include "imgui.h"
#include "ui/view_parts.hpp"
#include "ui/workers.hpp"

namespace such::ui {

RealRunner::~RealRunner() {
    if (thread_.joinable()) thread_.join();
    for (auto& old : retired_) old.thread.join();
}

bool RealRunner::busy() const { return waiting_ || (thread_.joinable() && run_ && !run_->real().finished()); }

// The run and its thread are set aside and joined once they have finished.
void RealRunner::retire() {
    if (thread_.joinable()) retired_.push_back({std::move(run_), std::move(thread_)});
    run_.reset();
    waiting_ = false;  // a run whose thread had not started is dropped
    reap();
}

void RealRunner::reap() {
    for (auto it = retired_.begin(); it != retired_.end();) {
        if (it->run->real().finished()) {
            it->thread.join();
            it = retired_.erase(it);
        } else {
            ++it;
        }
    }
}

void RealRunner::reset(bool keep_results) {
    retire();
    summary_.clear();
    if (!keep_results) results_.clear();
}

std::string RealRunner::refusal(const scenes::Scene& scene, const scenes::Settings& settings) const {
    if (!threads_available_) {
        return "real threads need the threaded build, which this page's server does not allow: it must isolate the page (cross-origin isolation), as ./such web does";
    }
    scenes::Settings s = settings;
    s.runtime = scenes::RuntimeKind::Real;
    s.thread_limit = thread_limit_;
    return scenes::check_settings(scene, s);  // e.g. settings that would hang real threads
}

bool RealRunner::start(const scenes::Scene& scene, const scenes::Settings& settings, std::string& error) {
    if (std::string why = refusal(scene, settings); !why.empty()) {
        error = why;
        return false;
    }
    if (waiting_ || (thread_.joinable() && !run_->real().finished())) {
        error = "a real run is already going";
        return false;
    }
    if (thread_.joinable()) thread_.join();
    scenes::Settings s = settings;
    s.runtime = scenes::RuntimeKind::Real;
    s.thread_limit = thread_limit_;
    run_ = scene.build(s);
    label_.clear();
    for (const scenes::Param& p : scene.params) {
        const int v = scenes::param_value(scene, settings, p.id);
        label_ += (label_.empty() ? "" : ", ") + p.label + " " + (p.choices.empty() ? std::to_string(v) : p.choices[static_cast<std::size_t>(v)]);
    }
    summary_ = "running on real threads...";
    waiting_ = true;
    launch();
    return true;
}

// The UI thread never blocks on real threads: they run on a thread of their
// own, started once the workers a run takes are ready (workers.hpp).
void RealRunner::launch() {
    if (!waiting_) return;
    if (!workers_ready(kRealRunWorkers)) {
        summary_ = "running on real threads (starting Web Workers)...";
        return;
    }
    waiting_ = false;
    summary_ = "running on real threads...";
    scenes::Run* run = run_.get();
    thread_ = std::thread([run] { run->real().run(); });
}

void RealRunner::finish() {
    launch();
    if (!run_ || !thread_.joinable() || !run_->real().finished()) return;
    thread_.join();
    const auto& real = run_->real();
    char line[160];
    std::snprintf(line, sizeof line, "%.3f ms, %zu events recorded", real.seconds() * 1000.0, real.trace().size());
    const scenes::Outcome out = run_->outcome();
    summary_ = out.headline + "  (" + line + ")";
    if (!real.failure().empty()) summary_ = "error: " + real.failure();
    results_.push_back({label_, real.failure().empty() ? out.headline : summary_, real.seconds() * 1000.0, out.bad});
    if (results_.size() > 6) results_.erase(results_.begin());
}

void RealRunner::poll() {
    finish();
    reap();  // not retire(): the run in flight, if any, is this scene's own
}

bool RealRunner::draw_button(const std::string& refusal) {
    ImGui::BeginDisabled(!refusal.empty());
    const bool pressed = ImGui::Button("Run on real threads");
    ImGui::EndDisabled();
    tooltip(!refusal.empty() ? refusal.c_str()
                             : "The same program on std::thread with real locks and atomics: the operating system schedules, so runs differ and are not replayable.");
    return pressed;
}

void RealRunner::draw_results(const std::string& refusal, const std::string& caption) const {
    if (!threads_available_) {
        ImGui::TextDisabled("not in this page's single-threaded build");
    } else if (!refusal.empty() && results_.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("%s", refusal.c_str());
        ImGui::PopTextWrapPos();
    } else if (results_.empty() || summary_.starts_with("running")) {
        const char* what = caption.empty() ? "the same program on std::thread, real primitives" : caption.c_str();
        ImGui::PushTextWrapPos(0.0f);  // a phone's pane is narrower than a caption
        ImGui::TextDisabled("%s", summary_.empty() ? what : summary_.c_str());
        ImGui::PopTextWrapPos();
    }
    // Every real run of this scene so far, newest first, to compare protections.
    for (auto it = results_.rbegin(); it != results_.rend(); ++it) {
        ImGui::TextDisabled("%s  |  %.1f ms", it->settings.c_str(), it->ms);
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(it->bad ? palette().bad : palette().good));
        ImGui::TextWrapped("%s", it->outcome.c_str());
        ImGui::PopStyleColor();
    }
}

}  // namespace such::ui
