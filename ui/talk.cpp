// Talk mode: the deck's commands (next, prev, slide N...), a slide's beats
// and the speaker's view. Drawing the slides is in ui/talk_draw.cpp.
//
// Index
//   (top)              going to a slide
//   [SECTION] Beats    a slide's run, outcome and every schedule; the keys that vary it
//   [SECTION] Commands
#include <algorithm>
#include <memory>

#include "ui/app.hpp"
#include "ui/compare_slide.hpp"
#include "ui/deep_link.hpp"

namespace such::ui {
bool App::go_to_slide(std::size_t index, bool at_end) {
    const auto& d = scenes::deck();
    if (index >= d.size()) {
        last_error_ = "no slide " + std::to_string(index + 1) + ": the talk has slides 1 to " + std::to_string(d.size());
        return false;
    }
    Link link;
    std::string error;
    const scenes::Slide& s = d[index];
    if (!s.link.empty() && !parse_link(s.link, link, error)) {
        last_error_ = "slide " + std::to_string(index + 1) + " cannot open its scene: " + error;
        return false;
    }
    if (!talk_) {
        talk_started_ = std::chrono::steady_clock::now();
        fonts_dirty_ = true;
    }
    talk_ = true;
    challenges_page_ = false;
    challenge_ = -1;
    slide_ = index;
    beat_ = at_end ? beat_count() - 1 : 0;  // coming back, a slide shows its last beat
    jump_.clear();
    compare_.reset();
    if (s.kind == scenes::SlideKind::Compare) {
        clear_scene();
        compare_ = std::make_unique<CompareSlide>(*link.scene, link.settings, s.compare, real_.threads_available());
        enter_beat();
    } else if (s.kind == scenes::SlideKind::Live) {
        load_scene(*link.scene, link.settings);  // enters the beat (settings_changed)
    } else {
        clear_scene();
    }
    link_ = "#slide/" + std::to_string(index + 1);
    return true;
}

// [SECTION] Beats

std::size_t App::beat_count() const {
    const scenes::SlideKind kind = scenes::deck()[slide_].kind;
    return kind == scenes::SlideKind::Live ? 3 : kind == scenes::SlideKind::Compare ? 2 : 1;
}

namespace {
// A slide gets about a minute in a 45-slide talk: its run plays in about 20
// seconds, leaving time for the outcome and every schedule. Slow enough to
// follow one step, fast enough that a run of 300 steps does not drag.
float talk_pace(std::uint64_t steps) { return std::clamp(static_cast<float>(steps) / 20.0f, 1.5f, 15.0f); }
}  // namespace

// Shows the current beat from its start: the run from step 0, playing; the
// outcome at the run's end; every schedule, explored with a stage's patience.
void App::enter_beat() {
    if (compare_) {
        compare_->to_end();
        talk_speed_ = talk_pace(compare_->steps());
        if (beat_ == 0) compare_->restart();
        player_.set_playing(beat_ == 0);
        return;
    }
    if (!talk_ || !player_.run()) return;
    explorer_.reset();
    if (beat_ == 0) {
        if (player_.run()->sched().steps() > 0) rebuild(0);
        auto probe = player_.scene()->build(player_.settings());
        std::uint64_t steps = 0;
        while (steps < 20000 && probe->sched().step()) ++steps;
        talk_speed_ = talk_pace(steps);
        player_.set_playing(true);
        return;
    }
    run_to_end();
    player_.set_playing(false);
    if (beat_ == 2) explorer_.start(*player_.scene(), player_.settings(), kTalkExploreSeconds);
}

void App::run_to_end() {
    for (int k = 0; k < 100000 && !player_.run()->over(); ++k) {
        const std::uint64_t before = player_.run()->sched().steps();
        step_forward();
        if (player_.run()->sched().steps() == before) break;  // manual, waiting for a pick
    }
}

// The keys a live slide offers for what its notes ask: cores (1, 2, 4), the
// next seed, the policy (preemptive or cooperative), and the slide's variant.
bool App::vary(std::string_view what) {
    if (!player_.run() || !player_.scene()) {
        last_error_ = "no scene is open";
        return false;
    }
    if (what == "cores") return command("cores " + std::to_string(player_.settings().cores == 1 ? 2 : player_.settings().cores < 4 ? 4 : 1));
    if (what == "seed") return command("seed " + std::to_string(player_.settings().seed + 1));
    if (what == "policy") return command(player_.settings().policy == engine::Policy::Preemptive ? "policy cooperative" : "policy preemptive");
    if (what != "variant") {
        last_error_ = "vary cores, seed, policy or variant";
        return false;
    }
    const scenes::Param* p = variant_param(*player_.scene(), talk_ ? scenes::deck()[slide_].vary : std::string());
    if (!p) {
        last_error_ = "this scene has no variants";
        return false;
    }
    const int v = scenes::param_value(*player_.scene(), player_.settings(), p->id);
    return command("set " + p->id + " " + std::to_string(v >= p->max ? p->min : v + 1));
}

// [SECTION] Commands

// Talk verbs; std::nullopt when the verb is not one of them.
std::optional<bool> App::talk_command(std::string_view verb, std::string_view arg) {
    const auto& d = scenes::deck();
    std::uint64_t n = 0;
    const bool number = parse_u64(arg, n, 100000);
    const bool live = talk_ && player_.run() != nullptr;
    if (verb == "talk") return go_to_slide(talk_ ? slide_ : 0);
    if (verb == "slide") {
        if (!number || n == 0) {
            last_error_ = "slide needs a number from 1 to " + std::to_string(d.size());
            return false;
        }
        return go_to_slide(n - 1);
    }
    if (verb == "vary") return vary(arg);
    if (verb == "notes") {
        if (arg == "window") {
            notes_window_request_ = true;
        } else {
            notes_overlay_ = !notes_overlay_;
        }
        return true;
    }
    const bool talk_verb = verb == "next" || verb == "advance" || verb == "prev" || verb == "skip" || verb == "first" || verb == "last" ||
                           verb == "digit" || verb == "enter" || verb == "row";
    if (!talk_verb) return std::nullopt;
    if (!talk_) {
        last_error_ = std::string(verb) + " works while presenting (open #slide/1, or the command talk)";
        return false;
    }
    if (verb == "advance") {
        // One step, paused, never leaving the slide (deck export).
        player_.set_playing(false);
        if (live) step_forward();
        if (compare_) compare_->step();
        return true;
    }
    if (verb == "next") {
        // A clicker: the slide's next beat, then the next slide.
        if (beat_ + 1 < beat_count()) {
            ++beat_;
            enter_beat();
            return true;
        }
        return slide_ + 1 < d.size() ? go_to_slide(slide_ + 1) : true;
    }
    if (verb == "prev") {
        if (beat_ > 0) {
            --beat_;
            enter_beat();
            return true;
        }
        return slide_ > 0 ? go_to_slide(slide_ - 1, true) : true;
    }
    if (verb == "skip") {
        if (arg == "back") return slide_ > 0 ? go_to_slide(slide_ - 1) : true;
        return slide_ + 1 < d.size() ? go_to_slide(slide_ + 1) : true;
    }
    if (verb == "first") return go_to_slide(0);
    if (verb == "last") return go_to_slide(d.size() - 1);
    if (verb == "digit") {
        if (arg.size() != 1 || arg[0] < '0' || arg[0] > '9') {
            last_error_ = "digit needs one of 0 to 9";
            return false;
        }
        if (jump_.size() < 4) jump_ += arg[0];
        return true;
    }
    if (verb == "enter") {
        const std::string typed = std::exchange(jump_, {});
        std::uint64_t k = 0;
        if (!parse_u64(typed, k, 100000) || k == 0) {
            last_error_ = typed.empty() ? "type a slide number, then Enter" : "no slide " + typed;
            return false;
        }
        return go_to_slide(k - 1);
    }
    // row N: the models table's row N opens the first slide that shows its scene.
    const auto rows = scenes::models_table();
    if (!number || n == 0 || n > rows.size()) {
        last_error_ = "row needs a number from 1 to " + std::to_string(rows.size());
        return false;
    }
    const scenes::ModelsRow& row = rows[n - 1];
    if (!row.scene) {
        last_error_ = row.row->model + " has no scene yet";
        return false;
    }
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (scenes::slide_scene(i) == row.scene) return go_to_slide(i);
    }
    open_scene(*row.scene, {});
    return true;
}

std::string App::talk_json() const {
    std::string out = ",\"talk\":{\"on\":" + std::string(talk_ ? "true" : "false");
    out += ",\"slide\":" + std::to_string(slide_ + 1) + ",\"slides\":" + std::to_string(scenes::deck().size());
    if (talk_) out += ",\"beat\":" + std::to_string(beat_ + 1) + ",\"beats\":" + std::to_string(beat_count());
    out += ",\"title\":" + json_string(scenes::slide_title(slide_)) + ",\"notes\":" + json_string(scenes::slide_notes(slide_));
    out += ",\"notes_overlay\":" + std::string(notes_overlay_ ? "true" : "false");
    out += ",\"notes_window\":" + std::string(notes_window_open_ ? "true" : "false");
    if (compare_) {
        out += ",\"compare_step\":" + std::to_string(compare_->steps()) + ",\"compare_playing\":" + (player_.playing() ? "true" : "false") +
               ",\"compare\":[";
        const auto rows = compare_->rows();
        for (std::size_t i = 0; i < rows.size(); ++i) {
            out += std::string(i ? "," : "") + "{\"model\":" + json_string(rows[i].label) + ",\"outcome\":" +
                   json_string(rows[i].run->outcome().headline) + ",\"real\":" + json_string(rows[i].real) +
                   ",\"explored\":" + json_string(rows[i].explored) + "}";
        }
        out += "]";
    }
    out += "}";
    return out;
}

}  // namespace such::ui
