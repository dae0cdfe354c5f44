// Talk mode: the slide on stage (Talk, talk.hpp), a slide's beats, and the
// deck's commands (next, prev, slide N...), which App runs because slides
// open scenes. Drawing the slides is in ui/talk_draw.cpp.
//
// Index
//   [SECTION] The slide on stage   Talk's state; App opening what a slide shows
//   [SECTION] Beats                a slide's run, outcome and every schedule; the keys that vary it
//   [SECTION] Commands
#include <algorithm>
#include <memory>

#include "ui/talk.hpp"

#include "ui/app.hpp"
#include "ui/compare_slide.hpp"
#include "ui/deep_link.hpp"
#include "ui/fit_pane.hpp"

namespace such::ui {

// [SECTION] The slide on stage

std::string no_slide(std::uint64_t number) {
    return "no slide " + std::to_string(number) + ": the talk has slides 1 to " + std::to_string(scenes::deck().size());
}

Talk::Talk() = default;
Talk::~Talk() = default;

bool Talk::go_to(std::size_t index, bool at_end, Link& link, std::string& error) {
    const auto& d = scenes::deck();
    if (index >= d.size()) {
        error = no_slide(index + 1);
        return false;
    }
    std::string why;
    if (!d[index].link.empty() && !parse_link(d[index].link, link, why)) {
        error = "slide " + std::to_string(index + 1) + " cannot open its scene: " + why;
        return false;
    }
    if (!on_) started_ = std::chrono::steady_clock::now();
    on_ = true;
    slide_ = index;
    beat_ = at_end ? beat_count() - 1 : 0;  // coming back, a slide shows its last beat
    jump_.clear();
    compare_.reset();
    return true;
}

void Talk::open_compare(const Link& link, bool threads) {
    compare_ = std::make_unique<CompareSlide>(*link.scene, link.settings, scenes::deck()[slide_].compare, threads);
}

void Talk::leave() {
    compare_.reset();
    on_ = false;
    notes_overlay_ = false;
}

bool Talk::next_beat() {
    if (beat_ + 1 >= beat_count()) return false;
    ++beat_;
    return true;
}

bool Talk::prev_beat() {
    if (beat_ == 0) return false;
    --beat_;
    return true;
}

bool Talk::type_digit(std::string_view digit, std::string& error) {
    if (digit.size() != 1 || digit[0] < '0' || digit[0] > '9') {
        error = "digit needs one of 0 to 9";
        return false;
    }
    if (jump_.size() < 4) jump_ += digit[0];
    return true;
}

bool Talk::escape() {
    if (!jump_.empty()) {
        jump_.clear();
    } else if (notes_overlay_) {
        notes_overlay_ = false;
    } else {
        return false;
    }
    return true;
}

// The app's side: what the slide shows opens with it.
bool App::go_to_slide(std::size_t index, bool at_end) {
    const bool entering = !talk_.on();
    Link link;
    if (!talk_.go_to(index, at_end, link, last_error_)) return false;
    if (entering) fonts_dirty_ = true;
    challenges_.leave();
    const scenes::SlideKind kind = scenes::deck()[index].kind;
    if (kind == scenes::SlideKind::Compare) {
        clear_scene();
        talk_.open_compare(link, real_.threads_available());
        enter_beat();
    } else if (kind == scenes::SlideKind::Live) {
        load_scene(*link.scene, link.settings);  // enters the beat (settings_changed)
    } else {
        clear_scene();
    }
    link_ = "#slide/" + std::to_string(index + 1);
    return true;
}

// [SECTION] Beats

std::size_t Talk::beat_count() const {
    const scenes::SlideKind kind = scenes::deck()[slide_].kind;
    return kind == scenes::SlideKind::Live ? 3 : kind == scenes::SlideKind::Compare ? 2 : 1;
}

namespace {
// A slide gets about a minute in a 45-slide talk: its run plays in about 20
// seconds, leaving time for the outcome and every schedule. Slow enough to
// follow one step (a run of a few steps takes two seconds a step, time to say
// what each did: slide 26's deadlock came before the speaker could press the
// next key), fast enough that a run of 300 steps does not drag.
float talk_pace(std::uint64_t steps) { return std::clamp(static_cast<float>(steps) / 20.0f, 0.5f, 15.0f); }
}  // namespace

void Talk::set_pace(std::uint64_t steps) { pace_ = talk_pace(steps); }

// Shows the current beat from its start: the run from step 0, playing; the
// outcome at the run's end; every schedule, explored with a stage's patience.
void App::enter_beat() {
    const std::size_t beat = talk_.beat();
    if (CompareSlide* compare = talk_.compare()) {
        compare->to_end();
        talk_.set_pace(compare->steps());
        if (beat == 0) compare->restart();
        player_.set_playing(beat == 0);
        return;
    }
    if (!talk_.on() || !player_.run()) return;
    explorer_.reset();
    let_fits_grow();  // a beat back (Page Up) shows less than the one it leaves
    if (beat == 0) {
        if (player_.run()->sched().steps() > 0) rebuild(0);
        auto probe = player_.scene()->build(player_.settings());
        std::uint64_t steps = 0;
        while (steps < 20000 && probe->sched().step()) ++steps;
        talk_.set_pace(steps);
        player_.set_playing(true);
        return;
    }
    run_to_end();
    player_.set_playing(false);
    if (beat == 2) explorer_.start_on_stage(*player_.scene(), player_.settings());
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
    const scenes::Param* p = variant_param(*player_.scene(), talk_.on() ? scenes::deck()[talk_.slide()].vary : std::string());
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
    const bool live = on_live_slide();
    const std::size_t slide = talk_.slide();
    // The talk resumes where it was left (slide 1 the first time): an Esc on
    // stage, then F5 or P, must not throw the speaker back to the title.
    if (verb == "talk") return go_to_slide(slide);
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
            talk_.request_notes_window();
        } else {
            talk_.toggle_notes();
        }
        return true;
    }
    const bool talk_verb = verb == "next" || verb == "advance" || verb == "prev" || verb == "skip" || verb == "first" || verb == "last" ||
                           verb == "digit" || verb == "enter" || verb == "row";
    if (!talk_verb) return std::nullopt;
    if (!talk_.on()) {
        last_error_ = std::string(verb) + " works while presenting (open #slide/1, or the command talk)";
        return false;
    }
    if (verb == "advance") {
        // One step, paused, never leaving the slide (deck export).
        player_.set_playing(false);
        if (live) step_forward();
        if (CompareSlide* compare = talk_.compare()) compare->step();
        return true;
    }
    if (verb == "next") {
        // A clicker: the slide's next beat, then the next slide.
        if (talk_.next_beat()) {
            enter_beat();
            return true;
        }
        return slide + 1 < d.size() ? go_to_slide(slide + 1) : true;
    }
    if (verb == "prev") {
        if (talk_.prev_beat()) {
            enter_beat();
            return true;
        }
        return slide > 0 ? go_to_slide(slide - 1, true) : true;
    }
    if (verb == "skip") {
        if (arg == "back") return slide > 0 ? go_to_slide(slide - 1) : true;
        return slide + 1 < d.size() ? go_to_slide(slide + 1) : true;
    }
    if (verb == "first") return go_to_slide(0);
    if (verb == "last") return go_to_slide(d.size() - 1);
    if (verb == "digit") return talk_.type_digit(arg, last_error_);
    if (verb == "enter") {
        const std::string typed = talk_.take_typed();
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

std::string Talk::json(bool playing) const {
    std::string out = ",\"talk\":{\"on\":" + std::string(on_ ? "true" : "false");
    out += ",\"slide\":" + std::to_string(slide_ + 1) + ",\"slides\":" + std::to_string(scenes::deck().size());
    if (on_) out += ",\"beat\":" + std::to_string(beat_ + 1) + ",\"beats\":" + std::to_string(beat_count());
    out += ",\"title\":" + json_string(scenes::slide_title(slide_)) + ",\"notes\":" + json_string(scenes::slide_notes(slide_));
    out += ",\"notes_overlay\":" + std::string(notes_overlay_ ? "true" : "false");
    out += ",\"notes_window\":" + std::string(notes_window_open_ ? "true" : "false");
    if (compare_) {
        out += ",\"compare_step\":" + std::to_string(compare_->steps()) + ",\"compare_playing\":" + (playing ? "true" : "false") +
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
