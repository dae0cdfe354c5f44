// The app frame: menu of scenes, the scene page (slide text, tasks, objects,
// trace), transport controls, keyboard, commands, and the JSON state.
//
// Index
//   [SECTION] Running a scene: build, step, step back, replaying a finding
//   [SECTION] Real threads: a worker runs the scene; results are listed
//   [SECTION] Commands and keys
//   (drawing: ui/app_draw.cpp)
//   [SECTION] State for tests
#include "ui/app.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <utility>

#include "engine/trace.hpp"
#include "imgui.h"
#include "ui/compare_slide.hpp"
#include "ui/deep_link.hpp"
#include "ui/playground.hpp"
#include "ui/views.hpp"
#include "ui/workers.hpp"

namespace such::ui {
std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (static_cast<unsigned char>(c) < 0x20) continue;
        out += c;
    }
    return out + "\"";
}

App::App() : play_(std::make_unique<Playground>()) {}

bool App::busy() const {
    return explorer_.running() || real_waiting_ || (real_thread_.joinable() && real_run_ && !real_run_->real().finished()) ||
           (compare_ && compare_->measuring());
}
App::~App() {
    if (real_thread_.joinable()) real_thread_.join();
    for (auto& old : retired_) old.thread.join();
}

// Leaving a scene while its real run is still going must not block the UI:
// the run and its thread are set aside and joined once they have finished.
void App::retire_real_run() {
    if (real_thread_.joinable()) retired_.push_back({std::move(real_run_), std::move(real_thread_)});
    real_run_.reset();
    real_waiting_ = false;  // a run whose thread had not started is dropped
    for (auto it = retired_.begin(); it != retired_.end();) {
        if (it->run->real().finished()) {
            it->thread.join();
            it = retired_.erase(it);
        } else {
            ++it;
        }
    }
}

// [SECTION] Running a scene

void App::open_scene(const scenes::Scene& scene, const scenes::Settings& settings) {
    leave_modes();
    load_scene(scene, settings);
}

// Leaves talk mode and any challenge (talk mode's larger fonts go too).
void App::leave_modes() {
    if (talk_) fonts_dirty_ = true;
    compare_.reset();
    talk_ = false;
    challenge_ = -1;
    challenges_page_ = false;
    notes_overlay_ = false;
}

void App::load_scene(const scenes::Scene& scene, const scenes::Settings& settings) {
    retire_real_run();
    real_summary_.clear();
    if (scene_ != &scene) real_results_.clear();
    scene_ = &scene;
    settings_ = settings;
    settings_changed();
}

void App::show_menu(std::string note) {
    leave_modes();
    clear_scene();
    note_ = std::move(note);
    link_.clear();
}

void App::clear_scene() {
    retire_real_run();
    explorer_.reset();
    scene_ = nullptr;
    run_.reset();
    playing_ = false;
}

bool App::open_link(std::string_view hash) {
    last_error_.clear();
    if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
    // The browser hands the hash over percent-encoded; no link of ours has a '%' of its own.
    std::string decoded;
    if (hash.find('%') != std::string_view::npos) {
        std::string error;
        if (!percent_decode(hash, decoded, error)) return refuse_link(hash, error);
        hash = decoded;
    }
    if (hash.empty()) {  // the menu's own link (the page's address with no hash)
        show_menu();
        return true;
    }
    for (const std::string_view kind : {std::string_view("slide/"), std::string_view("challenge/")}) {
        if (!hash.starts_with(kind)) continue;
        std::uint64_t n = 0;
        if (parse_u64(hash.substr(kind.size()), n, 100000) && n > 0 &&
            (kind == "slide/" ? go_to_slide(n - 1) : open_challenge(n - 1))) {
            return true;
        }
        return refuse_link(hash, last_error_.empty() ? "expected a number after " + std::string(kind) : last_error_);
    }
    if (hash == "talk") return go_to_slide(0);
    if (is_play_link(hash)) return open_play_link(hash);
    if (hash == "challenges") return command("challenges");
    Link link;
    std::string error;
    if (!parse_link(hash, link, error)) return refuse_link(hash, error);
    // A manual run's picks become its history, which the run replays to the step.
    const std::vector<engine::TaskId> picks = std::exchange(link.settings.replay, {});
    const std::vector<std::uint64_t> selects = link.settings.picks;
    open_scene(*link.scene, link.settings);
    settings_.picks = selects;  // the selects' picks hold for this run, not for settings changed later
    if (!picks.empty() || !selects.empty() || link.step > 0) {
        history_.assign(picks);  // replayed, not picked here: they solve no challenge
        rebuild(link.step);
    }
    return true;
}

// A link that cannot be opened changes nothing: what is open stays open (the
// menu when nothing is) and says why; the talk's footer shows last_error_.
bool App::refuse_link(std::string_view hash, const std::string& why) {
    last_error_ = why;
    note_ = "Could not open link \"#" + scenes::shown(hash, 48) + "\": " + why;
    return false;
}

// Time travel by re-execution: build the scene afresh and take `steps` steps.
// Random choices come from the seed and manual ones from the history, so this
// reproduces the run exactly.
void App::rebuild(std::uint64_t steps) {
    if (run_) {
        const auto& choices = run_->sched().choices();
        if (choices.size() > history_.tasks.size() ||
            !std::equal(choices.begin(), choices.end(), history_.tasks.begin())) {
            history_.assign(choices);
        }
    }
    scenes::Settings s = settings_;
    if (s.policy == engine::Policy::Manual) {
        s.policy = engine::Policy::Replay;
        const auto& tasks = history_.tasks;
        s.replay.assign(tasks.begin(), tasks.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(steps, tasks.size())));
    }
    run_ = scene_->build(s);
    if (!run_->is_real()) run_->sched().keep_last_events(engine::kKeptEvents);  // a long run keeps bounded memory
    for (std::uint64_t i = 0; i < steps && run_->sched().step(); ++i) {
    }
    since_step_ = 10.0f;
    refresh_link();
}

// The address of what is shown. A scene's says its step and, in manual
// policy, the picks that led there, so "look at step 4" can be shared.
void App::refresh_link() {
    if (!run_) return;
    const bool manual = settings_.policy == engine::Policy::Manual;
    const std::vector<engine::TaskId> none;
    link_ = talk_ ? "#slide/" + std::to_string(slide_ + 1)
          : challenge_ >= 0 ? "#challenge/" + std::to_string(challenge_ + 1)
          : is_playground() ? make_play_link(play_->text(), settings_)
                            : make_link_at(*scene_, settings_, run_->sched().steps(), manual ? run_->sched().choices() : none);
}

// A new scene or new settings: a fresh run from step 0, nothing carried over.
void App::settings_changed() {
    explorer_.reset();
    settings_.picks.clear();
    note_.clear();
    mark_step_ = -1;
    history_.assign({});
    memory_.clear();
    run_.reset();
    playing_ = false;
    rebuild(0);
    enter_beat();  // on stage, the slide's beat again with the new settings
}

void App::step_forward() {
    if (!run_) return;
    auto& sched = run_->sched();
    bool stepped = false;
    if (settings_.policy == engine::Policy::Manual || sched.config().policy == engine::Policy::Replay) {
        if (sched.steps() < history_.tasks.size()) stepped = pick(history_.tasks[sched.steps()], false);
    } else {
        stepped = sched.step();
    }
    if (stepped) since_step_ = 0.0f;
    if (sched.verdict() != engine::Verdict::Running || (settings_.policy == engine::Policy::Manual && !stepped)) {
        playing_ = false;
    }
    if (!playing_) refresh_link();  // while it plays, the address waits for it to rest
}

// You are the scheduler: the given task takes the next step.
bool App::pick(engine::TaskId task, bool by_user) {
    auto& sched = run_->sched();
    const std::uint64_t at = sched.steps();
    const auto ready = sched.runnable();
    if (std::find(ready.begin(), ready.end(), task) == ready.end() || !sched.step_task(task)) return false;
    auto& [tasks, picked] = history_;
    if (at < tasks.size() && tasks[at] != task) {
        tasks.resize(at);
        picked.resize(at);
    }
    if (at >= tasks.size()) {
        tasks.push_back(task);
        picked.push_back(false);
    }
    if (by_user) picked[at] = true;
    since_step_ = 0.0f;
    refresh_link();
    return true;
}

// Manual: → and Play repeat the choices remembered from before stepping
// back (or a replayed schedule's), never choose for the user: the choice is
// the lesson, and a key that picked "the first ready task" would play the
// challenges for them. With nothing remembered they say so and do nothing.
bool App::manual_can_step() {
    if (settings_.policy != engine::Policy::Manual || run_->over() || run_->sched().steps() < history_.tasks.size()) return true;
    last_error_ = "\xE2\x86\x92 and Play only repeat your choices: press " + pick_keys();
    return false;
}

// "1 \xE2\x80\x93 3" or "1": the digit keys that name this run's tasks.
std::string App::pick_keys() const {
    const std::size_t n = std::min<std::size_t>(run_->sched().task_count(), 9);
    return (n > 1 ? "1 \xE2\x80\x93 " + std::to_string(n) : std::string("1")) + " (or run me)";
}

std::string App::hint_line() const {
    if (!run_) return {};
    const auto& sched = run_->sched();
    const char* again = "\xE2\x86\x90 back, R restart";
    if (sched.verdict() == engine::Verdict::Deadlock) return std::string("deadlock: every task waits; ") + again;
    if (run_->over()) return std::string("the run is over; ") + again;
    if (settings_.policy != engine::Policy::Manual) return playing_ ? "playing; Space pauses" : "\xE2\x86\x92 steps, Space plays";
    if (sched.steps() < history_.tasks.size()) {
        return "\xE2\x86\x92 repeats your choice (" + sched.task_name(history_.tasks[sched.steps()]) + "), or press " + pick_keys();
    }
    if (sched.runnable().empty()) return "no task can step now";
    return "you are the scheduler: press " + pick_keys();
}

void App::step_back() {
    if (!run_ || run_->sched().steps() == 0) return;
    rebuild(run_->sched().steps() - 1);
}

// Loads a finding's choice list: the scene then replays exactly that schedule
// step by step (right arrow), with the point where it goes wrong marked.
void App::replay_finding(const engine::Finding& finding) {
    settings_.policy = engine::Policy::Manual;
    settings_.picks = finding.picks;  // the selects' picks the explorer took
    history_.assign(finding.choices);
    memory_.clear();
    run_.reset();
    playing_ = false;
    rebuild(0);
    mark_step_ = static_cast<std::int64_t>(finding.choices.size()) - 1;
    note_ = "replaying: " + finding.kind + ", " + finding.detail + " (right arrow steps, " +
            std::to_string(finding.choices.size()) + " steps)";
}

bool App::take_fonts_dirty() { return std::exchange(fonts_dirty_, false); }
bool App::take_fullscreen_request() { return std::exchange(fullscreen_request_, false); }

// [SECTION] Real threads

bool App::start_real_run() {
    if (!scene_->runs_on_real_threads) {
        last_error_ = is_playground() ? "programs run on the simulator and the explorer" : "this scene runs on the simulator only";
        return false;
    }
    if (!threads_available_) {
        last_error_ = "real threads need the threaded build (serve the page with ./such web)";
        return false;
    }
    if (real_waiting_ || (real_thread_.joinable() && !real_run_->real().finished())) {
        last_error_ = "a real run is already going";
        return false;
    }
    if (real_thread_.joinable()) real_thread_.join();
    scenes::Settings s = settings_;
    s.runtime = scenes::RuntimeKind::Real;
    s.thread_limit = thread_limit_;
    if (std::string why = scenes::check_settings(*scene_, s); !why.empty()) {  // e.g. a program that would hang real threads
        last_error_ = why;
        return false;
    }
    real_run_ = scene_->build(s);
    real_label_.clear();
    for (const scenes::Param& p : scene_->params) {
        const int v = scenes::param_value(*scene_, settings_, p.id);
        real_label_ += (real_label_.empty() ? "" : ", ") + p.label + " " +
                       (p.choices.empty() ? std::to_string(v) : p.choices[static_cast<std::size_t>(v)]);
    }
    real_summary_ = "running on real threads...";
    real_waiting_ = true;
    launch_real_run();
    return true;
}

// The UI thread never blocks on real threads: they run on a thread of their
// own, started once the workers a run takes are ready (workers.hpp).
void App::launch_real_run() {
    if (!real_waiting_) return;
    if (!workers_ready(kRealRunWorkers)) {
        real_summary_ = "running on real threads (starting Web Workers)...";
        return;
    }
    real_waiting_ = false;
    real_summary_ = "running on real threads...";
    scenes::Run* run = real_run_.get();
    real_thread_ = std::thread([run] { run->real().run(); });
}

void App::finish_real_run() {
    launch_real_run();
    if (!real_run_ || !real_thread_.joinable() || !real_run_->real().finished()) return;
    real_thread_.join();
    const auto& real = real_run_->real();
    char line[160];
    std::snprintf(line, sizeof line, "%.3f ms, %zu events recorded", real.seconds() * 1000.0, real.trace().size());
    const scenes::Outcome out = real_run_->outcome();
    real_summary_ = out.headline + "  (" + line + ")";
    if (!real.failure().empty()) real_summary_ = "error: " + real.failure();
    real_results_.push_back({real_label_, real.failure().empty() ? out.headline : real_summary_, real.seconds() * 1000.0, out.bad});
    if (real_results_.size() > 6) real_results_.erase(real_results_.begin());
}

// [SECTION] Commands and keys

bool App::command(std::string_view text) {
    last_error_.clear();
    const auto space = text.find(' ');
    const std::string_view verb = text.substr(0, space);
    const std::string_view arg = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
    const bool play_verb = verb == "play" || verb == "pause" || verb == "toggle";
    const bool needs_scene = verb == "step" || verb == "back" || verb == "restart" || verb == "seed" || verb == "policy" ||
                             verb == "cores" || verb == "pick" || verb == "seek" || verb == "set" || verb == "real" ||
                             verb == "explore" || verb == "cancel" || verb == "replay" || verb == "task";
    // The comparison slide plays and pauses like a scene.
    if ((needs_scene && !run_) || (play_verb && !scene_open())) {
        last_error_ = "no scene is open";
        return false;
    }
    // The menu command, like Esc (escape), closes the help overlay first.
    if (verb == "help" || (verb == "menu" && help_open_)) {
        help_open_ = !help_open_;
        return true;
    }
    std::optional<bool> done = talk_command(verb, arg);
    if (!done) done = challenge_command(verb, arg);
    if (done) {
        check_challenge();
        return *done;
    }
    if (const std::optional<bool> other = playground_command(verb, arg)) return *other;
    if (const std::optional<bool> other = trace_command(verb, arg)) return *other;
    std::uint64_t number = 0;
    const bool has_number = parse_u64(arg, number);
    if (verb == "play" || (verb == "toggle" && !playing_)) {
        playing_ = true;
        if (!manual_can_step()) playing_ = false;
    } else if (verb == "pause" || verb == "toggle") {
        playing_ = false;
        refresh_link();
    } else if (verb == "step") {
        if (manual_can_step()) step_forward();
    } else if (verb == "back") {
        step_back();
    } else if (verb == "restart") {
        playing_ = false;
        rebuild(0);
    } else if (verb == "menu") {
        show_menu();
    } else if (verb == "escape") {
        return escape();
    } else if (verb == "theme") {
        theme_ = theme_ == Theme::Dark ? Theme::Light : Theme::Dark;
        fonts_dirty_ = true;
    } else if (verb == "zoom+" || verb == "zoom-") {
        zoom_ = std::clamp(zoom_ * (verb == "zoom+" ? 1.15f : 1.0f / 1.15f), 0.5f, 3.0f);
        fonts_dirty_ = true;
    } else if (verb == "fullscreen") {
        fullscreen_request_ = true;
    } else if (verb == "seed") {
        if (!has_number) {
            last_error_ = "seed must be a non-negative whole number";
            return false;
        }
        settings_.seed = number;
        settings_changed();
    } else if (verb == "policy") {
        engine::Policy p{};
        if (!engine::parse_policy(arg, p) || p == engine::Policy::Replay) {
            last_error_ = "policy must be cooperative, preemptive or manual";
            return false;
        }
        settings_.policy = p;
        settings_changed();
    } else if (verb == "cores") {
        if (!has_number || number < 1 || number > 8) {
            last_error_ = "cores must be between 1 and 8";
            return false;
        }
        settings_.cores = static_cast<int>(number);
        settings_changed();
    } else if (verb == "pick") {
        if (settings_.policy != engine::Policy::Manual) {
            last_error_ = "pick works with the manual policy (you are the scheduler)";
            return false;
        }
        if (!has_number || !pick(static_cast<engine::TaskId>(std::min<std::uint64_t>(number, 1u << 20)))) {
            last_error_ = "that task cannot take a step now";
            return false;
        }
    } else if (verb == "task") {
        // A digit key: the task numbered N on screen (its id is N - 1).
        const std::size_t tasks = run_->sched().task_count();
        if (!has_number || number == 0 || number > tasks) {
            last_error_ = "no task " + scenes::shown(arg, 12) + ": the tasks are numbered 1 to " + std::to_string(tasks);
            return false;
        }
        const auto task = static_cast<engine::TaskId>(number - 1);
        if (settings_.policy != engine::Policy::Manual) {
            last_error_ = "a digit picks a task when you are the scheduler: choose the manual policy";
            return false;
        }
        if (!pick(task)) {
            last_error_ = run_->sched().task_name(task) + " cannot take a step now" + (run_->over() ? ": the run is over" : "");
            return false;
        }
    } else if (verb == "seek") {
        if (!has_number || number > 1000000) {
            last_error_ = "seek needs a step number";
            return false;
        }
        rebuild(number);
    } else if (verb == "set") {
        const auto sp = arg.find(' ');
        std::uint64_t v = 0;
        scenes::Settings s = settings_;
        if (sp != std::string_view::npos && parse_u64(arg.substr(sp + 1), v) && v < 1000000) {
            s.params[std::string(arg.substr(0, sp))] = static_cast<int>(v);
        }
        const std::string error = sp == std::string_view::npos || v >= 1000000 ? "set needs a parameter and a number"
                                                                               : scenes::check_settings(*scene_, s);
        if (!error.empty()) {
            last_error_ = error;
            return false;
        }
        settings_ = s;
        settings_changed();
    } else if (verb == "real") {
        return start_real_run();
    } else if (verb == "explore") {
        show_tab_ = "Explorer";
        return explorer_.start(*scene_, settings_);
    } else if (verb == "tab") {
        if (arg != "trace" && arg != "explorer" && arg != "contention") {
            last_error_ = "tab is one of: trace, explorer, contention";
            return false;
        }
        show_tab_ = std::string(1, static_cast<char>(arg[0] - 'a' + 'A')) + std::string(arg.substr(1));
    } else if (verb == "cancel") {
        explorer_.cancel();
    } else if (verb == "replay") {
        const engine::ExploreResult r = explorer_.snapshot();
        if (!has_number || number >= r.findings.size()) {
            last_error_ = "replay needs the number of a finding (0 to " + std::to_string(r.findings.size()) + " exclusive)";
            return false;
        }
        replay_finding(r.findings[number]);
    } else if (verb == "open") {
        return open_link(arg);
    } else {
        last_error_ = "unknown command '" + scenes::shown(verb) + "'";
        return false;
    }
    check_challenge();
    return true;
}

// Esc closes the innermost thing first: a popup (a dropdown, a menu, a
// dialog), the keys overlay, the typed slide number, the notes overlay; only
// then does it leave the scene or the talk for the scene list.
bool App::escape() {
    if (ImGui::GetCurrentContext() && ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) {
        close_popup_ = true;
    } else if (help_open_) {
        help_open_ = false;
    } else if (!jump_.empty()) {
        jump_.clear();
    } else if (notes_overlay_) {
        notes_overlay_ = false;
    } else {
        show_menu();
    }
    return true;
}

// [SECTION] State for tests

std::string App::state_json() const {
    std::string out = "{";
    out += "\"view\":" + json_string(talk_ ? "talk" : run_ ? "scene" : challenges_page_ ? "challenges" : "menu");
    out += talk_json();
    out += challenge_json();
    out += ",\"note\":" + json_string(note_);
    out += ",\"hint_line\":" + json_string(hint_line());
    out += ",\"help\":{\"open\":" + std::string(help_open_ ? "true" : "false") + ",\"keys\":[";
    for (std::size_t i = 0; i < help_drawn_.size(); ++i) out += (i ? "," : "") + json_string(help_drawn_[i]);
    out += "]}";
    out += ",\"theme\":" + json_string(theme_ == Theme::Dark ? "dark" : "light");
    out += ",\"zoom\":" + std::to_string(zoom_);
    out += playground_json();
    if (run_) {
        const auto& sched = run_->sched();
        const scenes::Outcome o = run_->outcome();
        out += ",\"scene\":" + json_string(scene_->id);
        out += ",\"link\":" + json_string(link_);
        out += ",\"seed\":" + std::to_string(settings_.seed);
        out += ",\"policy\":" + json_string(engine::to_string(settings_.policy));
        out += ",\"cores\":" + std::to_string(settings_.cores);
        out += ",\"time\":" + std::to_string(sched.ticks());
        out += ",\"clock\":" + std::to_string(sched.clock());
        out += ",\"real\":" + json_string(real_summary_);
        out += ",\"step\":" + std::to_string(sched.steps());
        out += ",\"playing\":" + std::string(playing_ ? "true" : "false");
        out += ",\"verdict\":" + json_string(engine::to_string(sched.verdict()));
        out += ",\"outcome\":" + json_string(o.headline);
        out += ",\"bad\":" + std::string(o.bad ? "true" : "false");
        out += ",\"trace_hash\":" + json_string(std::to_string(sched.trace().hash()));
        // The scene's first listing, as shown (for tests that run the same program elsewhere).
        std::string listing;
        if (!run_->listings().empty()) {
            for (const std::string& line : run_->listings().front().lines) listing += line + "\n";
        }
        out += ",\"listing\":" + json_string(listing);
        const engine::ExploreResult er = explorer_.snapshot();
        out += ",\"explorer\":{\"running\":" + std::string(explorer_.running() ? "true" : "false") +
               ",\"executions\":" + std::to_string(er.executions) + ",\"complete\":" + (er.complete ? "true" : "false") +
               ",\"findings\":" + std::to_string(er.findings.size()) + ",\"outcomes\":[";
        for (std::size_t i = 0; i < er.outcomes.size(); ++i) out += (i ? "," : "") + json_string(er.outcomes[i].outcome);
        out += "]}";
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
