// The app frame: menu of scenes, the scene page (slide text, tasks, objects,
// trace), transport controls, keyboard, commands, and the JSON state.
//
// Index
//   [SECTION] Running a scene: build, step, step back, replaying a finding
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
#include "ui/fit_pane.hpp"
#include "ui/playground.hpp"
#include "ui/view_parts.hpp"
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

bool App::moving() const { return player_.playing() || busy() || fits_settling(); }
bool App::busy() const { return explorer_.running() || real_.busy() || (talk_.compare() && talk_.compare()->measuring()); }
App::~App() = default;

// [SECTION] Running a scene

void App::open_scene(const scenes::Scene& scene, const scenes::Settings& settings) {
    leave_modes();
    load_scene(scene, settings);
}

// Leaves talk mode and any challenge (talk mode's larger fonts go too).
void App::leave_modes() {
    if (talk_.on()) fonts_dirty_ = true;
    talk_.leave();
    challenges_.leave();
}

void App::load_scene(const scenes::Scene& scene, const scenes::Settings& settings) {
    real_.reset(player_.scene() == &scene);
    player_.open(scene, settings);
    settings_changed();
}

void App::show_menu(std::string note) {
    leave_modes();
    clear_scene();
    note_ = std::move(note);
    link_.clear();
}

void App::clear_scene() {
    real_.retire();
    explorer_.reset();
    player_.close();
}

bool App::open_link(std::string_view hash) {
    last_error_.clear();
    // A link that opens leaves no note of one refused before it (refuse_link writes a new one).
    note_.clear();
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
        if (parse_u64(hash.substr(kind.size()), n, 100000)) {
            if (n == 0) return refuse_link(hash, kind == "slide/" ? no_slide(0) : no_challenge(0));  // they count from 1
            if (kind == "slide/" ? go_to_slide(n - 1) : open_challenge(n - 1)) return true;
        }
        return refuse_link(hash, last_error_.empty() ? "expected a number after " + std::string(kind) : last_error_);
    }
    if (hash == "talk") return go_to_slide(0);
    if (is_play_link(hash)) return open_play_link(hash);
    if (hash == "challenges") return command("challenges");
    Link link;
    std::string error;
    if (!parse_link(hash, link, error)) return refuse_link(hash, error);
    const std::vector<engine::TaskId> picks = std::exchange(link.settings.replay, {});
    open_scene(*link.scene, link.settings);
    go_to_position(picks, link.step);
    page_top_ = true;
    return true;
}

// A link's place in the run, once its scene is open: a manual run's picks become its history, which the
// run replays to the step.
void App::go_to_position(const std::vector<engine::TaskId>& picks, std::uint64_t step) {
    const std::vector<std::uint64_t> selects = player_.settings().picks;
    player_.set_picks(selects);  // the selects' picks hold for this run, not for settings changed later
    if (!picks.empty() || !selects.empty() || step > 0) {
        player_.remember(picks);  // replayed, not picked here: they solve no challenge
        rebuild(step);
    }
}

// A link that cannot be opened changes nothing: what is open stays open (the
// menu when nothing is) and says why; the talk's footer shows last_error_.
bool App::refuse_link(std::string_view hash, const std::string& why) {
    last_error_ = why;
    note_ = "Could not open link \"#" + scenes::shown(hash, 48) + "\": " + why;
    return false;
}

// Time travel by re-execution (ScenePlayer::rebuild); the address follows.
void App::rebuild(std::uint64_t steps) {
    player_.rebuild(steps);
    if (steps == 0) let_fits_grow();  // what grew with the run is gone: panes may give their text back
    refresh_link();
}

// The address of what is shown. A scene's says its step and, in manual
// policy, the picks that led there, so "look at step 4" can be shared.
void App::refresh_link() {
    if (!player_.run()) return;
    const bool manual = player_.manual();
    const std::vector<engine::TaskId> none;
    link_ = talk_.on()                ? "#slide/" + std::to_string(talk_.slide() + 1)
          : challenges_.current() >= 0 ? "#challenge/" + std::to_string(challenges_.current() + 1)
          : is_playground() ? make_play_link(play_->text(), player_.settings(), player_.run()->sched().steps(), manual ? player_.run()->sched().choices().to_vector() : none)
                            : make_link_at(*player_.scene(), player_.settings(), player_.run()->sched().steps(), manual ? player_.run()->sched().choices().to_vector() : none);
    // "link copied" is said of the link copied: a step, an edit or another program makes another.
    if (play_ && play_->status == kLinkCopied && link_ != play_->copied_link) play_->status.clear();
}

void App::run_asked(const std::string& asked) {
    if (!asked.empty()) command(asked);
}

// A new scene or new settings: a fresh run from step 0, nothing carried over.
void App::settings_changed() {
    explorer_.reset();
    note_.clear();
    player_.fresh();
    let_fits_grow();
    refresh_link();
    enter_beat();  // on stage, the slide's beat again with the new settings
}

void App::change_settings(const scenes::Settings& settings) {
    player_.set_settings(settings);
    settings_changed();
}

void App::step_forward() {
    if (player_.step_forward()) refresh_link();
}

void App::step_back() {
    if (player_.step_back()) refresh_link();
}

bool App::pick(engine::TaskId task, bool by_user) {
    if (!player_.pick(task, by_user)) return false;
    refresh_link();
    return true;
}

// Loads a finding's choice list: the scene then replays exactly that schedule
// step by step (right arrow), with the point where it goes wrong marked.
void App::replay_finding(const engine::Finding& finding) {
    player_.replay(finding);
    refresh_link();
    note_ = "replaying: " + finding.kind + ", " + finding.detail + " (right arrow steps, " +
            std::to_string(finding.choices.size()) + " steps)";
}

bool App::start_real_run() {
    if (!player_.scene()->runs_on_real_threads) {
        last_error_ = is_playground() ? "programs run on the simulator and the explorer" : "this scene runs on the simulator only";
        return false;
    }
    return real_.start(*player_.scene(), player_.settings(), last_error_);
}

bool App::take_fonts_dirty() { return std::exchange(fonts_dirty_, false); }
bool App::take_fullscreen_request() { return std::exchange(fullscreen_request_, false); }

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
    if ((needs_scene && !player_.run()) || (play_verb && !scene_open())) {
        last_error_ = "no scene is open";
        return false;
    }
    // A program that does not compile has nothing to run: every way of
    // running it says so (Run leaves it in the editor, its error marked).
    const bool runs = verb == "play" || (verb == "toggle" && !player_.playing()) || verb == "step" || verb == "pick" ||
                      verb == "task" || verb == "seek" || verb == "explore" || verb == "real" || verb == "replay";
    if (runs) {
        if (std::string why = uncompiled(); !why.empty()) {
            last_error_ = std::move(why);
            return false;
        }
    }
    // The menu command, like Esc (escape), closes the help overlay first.
    if (verb == "help" || (verb == "menu" && help_open_)) {
        help_open_ = !help_open_;
        return true;
    }
    std::optional<bool> done = talk_command(verb, arg);
    if (!done) done = challenge_command(verb, arg);
    if (done) {
        challenges_.check(player_);
        return *done;
    }
    if (const std::optional<bool> other = playground_command(verb, arg)) return *other;
    if (const std::optional<bool> other = trace_command(verb, arg)) return *other;
    std::uint64_t number = 0;
    const bool has_number = parse_u64(arg, number);
    if (verb == "play" || (verb == "toggle" && !player_.playing())) {
        player_.set_playing(true);
        if (!player_.manual_can_step(last_error_)) player_.set_playing(false);
    } else if (verb == "pause" || verb == "toggle") {
        player_.set_playing(false);
        refresh_link();
    } else if (verb == "step") {
        if (player_.manual_can_step(last_error_)) step_forward();
    } else if (verb == "back") {
        player_.set_playing(false);  // a step back while playing on would be undone by the next step forward
        step_back();
    } else if (verb == "restart") {
        player_.set_playing(false);
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
        scenes::Settings s = player_.settings();
        s.seed = number;
        change_settings(s);
    } else if (verb == "policy") {
        engine::Policy p{};
        if (!engine::parse_policy(arg, p) || p == engine::Policy::Replay) {
            last_error_ = "policy must be cooperative, preemptive or manual";
            return false;
        }
        scenes::Settings s = player_.settings();
        const engine::Scheduler& sched = player_.run()->sched();
        // Becoming the scheduler mid-run takes over where the run stands: the choices made so far become
        // the manual run's history, replayed to this step (not on stage, where a policy starts the beat again).
        const bool take_over = p == engine::Policy::Manual && s.policy != engine::Policy::Manual && !talk_.on() &&
                               sched.steps() > 0 && sched.choices().forgotten() == 0;
        const std::uint64_t at = sched.steps();
        const std::vector<engine::TaskId> taken = take_over ? sched.choices().to_vector() : std::vector<engine::TaskId>{};
        s.policy = p;
        change_settings(s);
        if (take_over) go_to_position(taken, at);
    } else if (verb == "cores") {
        if (!has_number || number < 1 || number > scenes::kMaxCores) {
            last_error_ = "cores must be between 1 and " + std::to_string(scenes::kMaxCores);
            return false;
        }
        scenes::Settings s = player_.settings();
        s.cores = static_cast<int>(number);
        change_settings(s);
    } else if (verb == "pick") {
        if (!player_.manual()) {
            last_error_ = "pick works with the manual policy (you are the scheduler)";
            return false;
        }
        if (!has_number || !pick(static_cast<engine::TaskId>(std::min<std::uint64_t>(number, 1u << 20)))) {
            last_error_ = "that task cannot take a step now";
            return false;
        }
    } else if (verb == "task") {
        // A digit key: the task numbered N on screen (its id is N - 1).
        const std::size_t tasks = player_.run()->sched().task_count();
        if (!has_number || number == 0 || number > tasks) {
            last_error_ = "no task " + scenes::shown(arg, 12) + ": the tasks are numbered 1 to " + std::to_string(tasks);
            return false;
        }
        const auto task = static_cast<engine::TaskId>(number - 1);
        if (!player_.manual()) {
            last_error_ = "a digit picks a task when you are the scheduler: choose the manual policy";
            return false;
        }
        if (!pick(task)) {
            last_error_ = player_.run()->sched().task_name(task) + " cannot take a step now" + (player_.run()->over() ? ": the run is over" : "");
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
        scenes::Settings s = player_.settings();
        if (sp != std::string_view::npos && parse_u64(arg.substr(sp + 1), v) && v < 1000000) {
            s.params[std::string(arg.substr(0, sp))] = static_cast<int>(v);
        }
        const std::string error = sp == std::string_view::npos || v >= 1000000 ? "set needs a parameter and a number"
                                                                               : scenes::check_settings(*player_.scene(), s);
        if (!error.empty()) {
            last_error_ = error;
            return false;
        }
        change_settings(s);
    } else if (verb == "real") {
        return start_real_run();
    } else if (verb == "explore") {
        show_tab_ = "Explorer";
        explorer_.start(*player_.scene(), player_.settings());
        return true;
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
    challenges_.check(player_);
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
    } else if (!talk_.escape()) {
        show_menu();
    }
    return true;
}

// [SECTION] State for tests

std::string App::state_json() const {
    std::string out = "{";
    out += "\"view\":" + json_string(talk_.on() ? "talk" : player_.run() ? "scene" : challenges_.page() ? "challenges" : "menu");
    out += talk_.json(player_.playing());
    out += challenges_.json(player_);
    out += ",\"note\":" + json_string(note_);
    out += ",\"hint_line\":" + json_string(hint_line());
    out += ",\"help\":{\"open\":" + std::string(help_open_ ? "true" : "false") + ",\"keys\":[";
    for (std::size_t i = 0; i < help_drawn_.size(); ++i) out += (i ? "," : "") + json_string(help_drawn_[i]);
    out += "]}";
    out += ",\"theme\":" + json_string(theme_ == Theme::Dark ? "dark" : "light");
    out += ",\"zoom\":" + std::to_string(zoom_);
    // Whether ImGui has a pointer over the page (after a tap it has none: no hover stays behind).
    out += ",\"pointer\":" + std::string(ImGui::GetCurrentContext() && ImGui::IsMousePosValid() ? "true" : "false");
    out += playground_json();
    if (player_.run()) {
        const auto& sched = player_.run()->sched();
        const scenes::Outcome o = player_.run()->outcome();
        out += ",\"scene\":" + json_string(player_.scene()->id);
        out += ",\"link\":" + json_string(link_);
        out += ",\"seed\":" + std::to_string(player_.settings().seed);
        out += ",\"policy\":" + json_string(engine::to_string(player_.settings().policy));
        out += ",\"cores\":" + std::to_string(player_.settings().cores);
        out += ",\"time\":" + std::to_string(sched.ticks());
        out += ",\"clock\":" + std::to_string(sched.clock());
        out += ",\"real\":" + json_string(real_.summary());
        // Why the real-threads button is greyed out ("" when it is not).
        out += ",\"real_refusal\":" + json_string(real_.refusal(*player_.scene(), player_.settings()));
        out += ",\"step\":" + std::to_string(sched.steps());
        out += ",\"playing\":" + std::string(player_.playing() ? "true" : "false");
        out += ",\"step_button\":" + json_point(ImVec2(step_x_, step_y_));
        out += ",\"verdict\":" + json_string(engine::to_string(sched.verdict()));
        out += ",\"outcome\":" + json_string(o.headline);
        out += ",\"bad\":" + std::string(o.bad ? "true" : "false");
        out += ",\"trace_hash\":" + json_string(std::to_string(sched.trace().hash()));
        // The scene's first listing, as shown (for tests that run the same program elsewhere).
        std::string listing;
        if (!player_.run()->listings().empty()) {
            for (const std::string& line : player_.run()->listings().front().lines) listing += line + "\n";
        }
        out += ",\"listing\":" + json_string(listing);
        const bool exploring = explorer_.running();  // before the copy: a search that has ended has its last copy
        const engine::ExploreResult er = explorer_.snapshot();
        out += ",\"explorer\":{\"running\":" + std::string(exploring ? "true" : "false") +
               // Complete once it has ended uncut (a running search's result is not yet cut, not complete).
               ",\"executions\":" + std::to_string(er.searched()) + ",\"complete\":" + (er.complete && !exploring ? "true" : "false") +
               ",\"findings\":" + std::to_string(er.findings.size()) +
               // What the search says of the scene's claim, as the panel words it ("" while it runs).
               ",\"claim\":" + json_string(exploring || explorer_.claim().text.empty() ? "" : explorer_.claim_line(er).text) + ",\"outcomes\":[";
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
