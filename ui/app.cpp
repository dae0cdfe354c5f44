// The app frame: menu of scenes, the scene page (slide text, tasks, objects,
// trace), transport controls, keyboard, commands, and the JSON state.
//
// Index
//   [SECTION] Running a scene: build, step, step back
//   [SECTION] Commands and keys
//   [SECTION] Drawing
//   [SECTION] State for tests
#include "ui/app.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <utility>

#include "engine/trace.hpp"
#include "imgui.h"
#include "ui/deep_link.hpp"
#include "ui/views.hpp"

namespace such::ui {
namespace {
const char* verdict_name(engine::Verdict v) {
    switch (v) {
    case engine::Verdict::Running: return "running";
    case engine::Verdict::Finished: return "finished";
    case engine::Verdict::Deadlock: return "deadlock";
    case engine::Verdict::ReplayDiverged: return "replay diverged";
    }
    return "unknown";
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;
        out += c;
    }
    return out + "\"";
}
}  // namespace

App::App() = default;
App::~App() = default;

// [SECTION] Running a scene

void App::open_scene(const scenes::Scene& scene, const scenes::Settings& settings) {
    scene_ = &scene;
    settings_ = settings;
    note_.clear();
    playing_ = false;
    rebuild(0);
}

void App::show_menu(std::string note) {
    scene_ = nullptr;
    run_.reset();
    playing_ = false;
    note_ = std::move(note);
    link_.clear();
}

bool App::open_link(std::string_view hash) {
    Link link;
    std::string error;
    if (!parse_link(hash, link, error)) {
        show_menu("Could not open link \"" + std::string(hash) + "\": " + error);
        return false;
    }
    open_scene(*link.scene, link.settings);
    return true;
}

// Time travel by re-execution: build the scene afresh and take `steps` steps.
// The policy's random choices come from the seed, so this reproduces the run.
void App::rebuild(std::uint64_t steps) {
    const std::vector<engine::TaskId> manual_choices = run_ ? run_->sched().choices() : std::vector<engine::TaskId>{};
    run_ = scene_->build(settings_);
    link_ = make_link(*scene_, settings_);
    for (std::uint64_t i = 0; i < steps; ++i) {
        const bool ok = settings_.policy == engine::Policy::Manual ? run_->sched().step_task(manual_choices[i])
                                                                   : run_->sched().step();
        if (!ok) break;
    }
    since_step_ = 10.0f;
}

void App::step_forward() {
    if (!run_) return;
    if (run_->sched().step()) since_step_ = 0.0f;
    if (run_->sched().verdict() != engine::Verdict::Running) playing_ = false;
}

void App::step_back() {
    if (!run_ || run_->sched().steps() == 0) return;
    rebuild(run_->sched().steps() - 1);
}

bool App::take_fonts_dirty() { return std::exchange(fonts_dirty_, false); }
bool App::take_fullscreen_request() { return std::exchange(fullscreen_request_, false); }

// [SECTION] Commands and keys

bool App::command(std::string_view text) {
    last_error_.clear();
    const auto space = text.find(' ');
    const std::string_view verb = text.substr(0, space);
    const std::string_view arg = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
    const bool needs_scene = verb == "play" || verb == "pause" || verb == "toggle" || verb == "step" ||
                             verb == "back" || verb == "restart" || verb == "seed";
    if (needs_scene && !run_) {
        last_error_ = "no scene is open";
        return false;
    }
    if (verb == "play") {
        playing_ = true;
    } else if (verb == "pause") {
        playing_ = false;
    } else if (verb == "toggle") {
        playing_ = !playing_;
    } else if (verb == "step") {
        step_forward();
    } else if (verb == "back") {
        step_back();
    } else if (verb == "restart") {
        playing_ = false;
        rebuild(0);
    } else if (verb == "menu") {
        show_menu();
    } else if (verb == "theme") {
        theme_ = theme_ == Theme::Dark ? Theme::Light : Theme::Dark;
        fonts_dirty_ = true;
    } else if (verb == "zoom+" || verb == "zoom-") {
        zoom_ = std::clamp(zoom_ * (verb == "zoom+" ? 1.15f : 1.0f / 1.15f), 0.5f, 3.0f);
        fonts_dirty_ = true;
    } else if (verb == "fullscreen") {
        fullscreen_request_ = true;
    } else if (verb == "seed") {
        std::uint64_t seed = 0;
        if (!parse_u64(arg, seed)) {
            last_error_ = "seed must be a non-negative whole number";
            return false;
        }
        settings_.seed = seed;
        rebuild(0);
    } else if (verb == "open") {
        return open_link(arg);
    } else {
        last_error_ = "unknown command '" + std::string(verb) + "'";
        return false;
    }
    return true;
}

void App::handle_keys() {
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;
    const auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); };
    if (io.KeyCtrl && (ImGui::IsKeyPressed('=') || ImGui::IsKeyPressed('+'))) command("zoom+");
    if (io.KeyCtrl && ImGui::IsKeyPressed('-')) command("zoom-");
    if (ImGui::IsKeyPressed('F') && !io.KeyCtrl) command("fullscreen");
    if (run_) {
        if (pressed(ImGuiKey_Space)) command("toggle");
        if (pressed(ImGuiKey_RightArrow)) command("step");
        if (pressed(ImGuiKey_LeftArrow)) command("back");
        if (ImGui::IsKeyPressed('R') && !io.KeyCtrl) command("restart");
        if (pressed(ImGuiKey_Escape)) command("menu");
    }
    if (ImGui::IsKeyPressed('T') && !io.KeyCtrl) command("theme");
}

// [SECTION] Drawing

void App::frame(float dt) {
    since_step_ += dt;
    if (playing_ && run_) {
        accumulator_ += dt * speed_;
        while (accumulator_ >= 1.0f && playing_) {
            accumulator_ -= 1.0f;
            step_forward();
        }
    } else {
        accumulator_ = 0.0f;
    }
    handle_keys();

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("Such Concurrency", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_MenuBar | ImGuiWindowFlags_NoBringToFrontOnFocus);
    draw_menu_bar();
    if (run_) {
        draw_scene_page();
    } else {
        draw_menu_page();
    }
    ImGui::End();
}

void App::draw_menu_bar() {
    if (!ImGui::BeginMenuBar()) return;
    if (ImGui::BeginMenu("Scenes")) {
        for (const scenes::Scene& s : scenes::catalogue()) {
            if (ImGui::MenuItem(s.title.c_str(), s.id.c_str())) open_scene(s, {});
        }
        ImGui::Separator();
        if (ImGui::MenuItem("All scenes", "Esc")) show_menu();
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem(theme_ == Theme::Dark ? "Light theme (projector)" : "Dark theme", "T")) command("theme");
        if (ImGui::MenuItem("Zoom in", "Ctrl +")) command("zoom+");
        if (ImGui::MenuItem("Zoom out", "Ctrl -")) command("zoom-");
        if (ImGui::MenuItem("Fullscreen", "F")) command("fullscreen");
        ImGui::EndMenu();
    }
    if (scene_) {
        ImGui::TextDisabled("|  %s", link_.c_str());
    }
    ImGui::EndMenuBar();
}

void App::draw_menu_page() {
    ImGui::PushFont(fonts_.title);
    ImGui::TextUnformatted("Such Concurrency");
    ImGui::PopFont();
    ImGui::TextWrapped("A playground for concurrency models. Every scene is a real program running on a "
                       "deterministic scheduler: pause it, step it, step back, change the seed.");
    if (!note_.empty()) {
        ImGui::Spacing();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette().bad));
        ImGui::TextWrapped("%s", note_.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::Spacing();
    std::string section;
    for (const scenes::Scene& s : scenes::catalogue()) {
        if (s.section != section) {
            section = s.section;
            ImGui::Spacing();
            ImGui::TextDisabled("%s", section.c_str());
        }
        if (ImGui::Button(s.title.c_str())) open_scene(s, {});
        ImGui::SameLine();
        ImGui::TextDisabled("#%s", s.id.c_str());
    }
}

void App::draw_transport() {
    const auto& sched = run_->sched();
    if (ImGui::Button(playing_ ? "Pause" : "Play")) command("toggle");
    ImGui::SameLine();
    if (ImGui::Button("< Back")) command("back");
    ImGui::SameLine();
    if (ImGui::Button("Step >")) command("step");
    ImGui::SameLine();
    if (ImGui::Button("Restart")) command("restart");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    ImGui::SliderFloat("speed", &speed_, 0.5f, 20.0f, "%.1f steps/s");
    ImGui::SameLine();
    int seed = static_cast<int>(settings_.seed % 1000000);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    if (ImGui::InputInt("seed", &seed, 1, 10) && seed >= 0) {
        settings_.seed = static_cast<std::uint64_t>(seed);
        rebuild(0);
    }
    for (const scenes::Param& p : scene_->params) {
        ImGui::SameLine();
        int v = scenes::param_value(*scene_, settings_, p.id);
        bool changed = false;
        if (p.min == 0 && p.max == 1) {
            bool on = v != 0;
            changed = ImGui::Checkbox(p.label.c_str(), &on);
            v = on ? 1 : 0;
        } else {
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
            changed = ImGui::SliderInt(p.label.c_str(), &v, p.min, p.max);
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.help.c_str());
        if (changed) {
            settings_.params[p.id] = std::clamp(v, p.min, p.max);
            rebuild(0);
        }
    }
    ImGui::Text("step %llu  |  %s scheduling, seed %llu  |  space play/pause, right step, left back, R restart",
                static_cast<unsigned long long>(sched.steps()), std::string(engine::to_string(settings_.policy)).c_str(),
                static_cast<unsigned long long>(settings_.seed));
}

void App::draw_scene_page() {
    const scenes::Outcome out = run_->outcome();
    const auto& sched = run_->sched();
    const ViewContext vc{fonts_, since_step_};

    ImGui::PushFont(fonts_.title);
    ImGui::TextUnformatted(scene_->title.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    std::string headline = out.headline;
    if (sched.verdict() == engine::Verdict::Deadlock || sched.verdict() == engine::Verdict::ReplayDiverged) {
        headline = std::string(verdict_name(sched.verdict())) + ": " + sched.verdict_detail();
    }
    const unsigned colour = out.bad || sched.verdict() == engine::Verdict::Deadlock ? palette().bad
                            : out.over                                             ? palette().good
                                                                                   : palette().muted;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colour));
    ImGui::TextUnformatted(headline.c_str());
    ImGui::PopStyleColor();

    const float transport_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeightWithSpacing() +
                              ImGui::GetStyle().WindowPadding.y * 2;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float left_w = avail.x * 0.58f;
    const float body_h = avail.y - transport_h;

    ImGui::BeginChild("left", ImVec2(left_w, body_h), true);
    ImGui::TextWrapped("%s", scene_->slide.c_str());
    ImGui::Separator();
    draw_tasks(*run_, vc);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::BeginChild("objects", ImVec2(0, body_h * 0.42f), true);
    draw_objects(*run_, vc);
    ImGui::EndChild();
    ImGui::BeginChild("trace", ImVec2(0, body_h - body_h * 0.42f - ImGui::GetStyle().ItemSpacing.y), true);
    draw_trace(*run_, vc);
    ImGui::EndChild();
    ImGui::EndGroup();

    ImGui::BeginChild("transport", ImVec2(0, 0), true);
    draw_transport();
    ImGui::EndChild();
}

// [SECTION] State for tests

std::string App::state_json() const {
    std::string out = "{";
    out += "\"view\":" + json_string(run_ ? "scene" : "menu");
    out += ",\"note\":" + json_string(note_);
    out += ",\"theme\":" + json_string(theme_ == Theme::Dark ? "dark" : "light");
    out += ",\"zoom\":" + std::to_string(zoom_);
    if (run_) {
        const auto& sched = run_->sched();
        const scenes::Outcome o = run_->outcome();
        out += ",\"scene\":" + json_string(scene_->id);
        out += ",\"link\":" + json_string(link_);
        out += ",\"seed\":" + std::to_string(settings_.seed);
        out += ",\"policy\":" + json_string(engine::to_string(settings_.policy));
        out += ",\"step\":" + std::to_string(sched.steps());
        out += ",\"playing\":" + std::string(playing_ ? "true" : "false");
        out += ",\"verdict\":" + json_string(verdict_name(sched.verdict()));
        out += ",\"outcome\":" + json_string(o.headline);
        out += ",\"bad\":" + std::string(o.bad ? "true" : "false");
        out += ",\"trace_hash\":" + json_string(std::to_string(sched.trace().hash()));
        out += ",\"objects\":{";
        for (std::size_t i = 0; i < sched.object_count(); ++i) {
            const auto& obj = sched.object(static_cast<engine::ObjectId>(i));
            out += (i ? "," : "") + json_string(obj.name()) + ":" + json_string(obj.snapshot().value);
        }
        out += "},\"tasks\":[";
        for (std::size_t i = 0; i < sched.task_count(); ++i) {
            const auto t = sched.task(static_cast<engine::TaskId>(i));
            out += (i ? ",{" : "{") + std::string("\"name\":") + json_string(t.name) +
                   ",\"line\":" + std::to_string(t.line) + ",\"state\":" +
                   json_string(t.state == engine::TaskState::Done      ? "done"
                               : t.state == engine::TaskState::Blocked ? "blocked"
                                                                       : "ready") +
                   "}";
        }
        out += "]";
    }
    return out + "}";
}

}  // namespace such::ui
