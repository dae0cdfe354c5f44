// Talk mode: the deck's commands (next, prev, slide N...) and the speaker's
// view. Drawing the slides is in ui/talk_draw.cpp.
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
    jump_.clear();
    compare_.reset();
    if (s.kind == scenes::SlideKind::Compare) {
        clear_scene();
        compare_ = std::make_unique<CompareSlide>(*link.scene, link.settings, s.compare, threads_available_);
        if (at_end) compare_->to_end();
    } else if (s.kind == scenes::SlideKind::Live) {
        load_scene(*link.scene, link.settings);
        // Coming back to a live slide shows it as it was left: at its end.
        for (int k = 0; at_end && k < 100000 && !run_->over(); ++k) step_forward();
    } else {
        clear_scene();
    }
    link_ = "#slide/" + std::to_string(index + 1);
    return true;
}

// Talk verbs; std::nullopt when the verb is not one of them.
std::optional<bool> App::talk_command(std::string_view verb, std::string_view arg) {
    const auto& d = scenes::deck();
    std::uint64_t n = 0;
    const bool number = parse_u64(arg, n, 100000);
    const bool live = talk_ && run_ != nullptr;
    if (verb == "talk") return go_to_slide(talk_ ? slide_ : 0);
    if (verb == "slide") {
        if (!number || n == 0) {
            last_error_ = "slide needs a number from 1 to " + std::to_string(d.size());
            return false;
        }
        return go_to_slide(n - 1);
    }
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
    if (verb == "next" || verb == "advance") {
        // Inside a live slide the key steps the scene first; at its end it moves on.
        if (live && !run_->over()) {
            step_forward();
            return true;
        }
        if (compare_ && compare_->step()) return true;
        if (verb == "advance") return true;  // steps, never leaves the slide (deck export)
        return slide_ + 1 < d.size() ? go_to_slide(slide_ + 1) : true;
    }
    if (verb == "prev") {
        if (live && run_->sched().steps() > 0) {
            step_back();
            return true;
        }
        if (compare_ && compare_->back()) return true;
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
    out += ",\"title\":" + json_string(scenes::slide_title(slide_)) + ",\"notes\":" + json_string(scenes::slide_notes(slide_));
    out += ",\"notes_overlay\":" + std::string(notes_overlay_ ? "true" : "false");
    out += ",\"notes_window\":" + std::string(notes_window_open_ ? "true" : "false");
    if (compare_) {
        out += ",\"compare_step\":" + std::to_string(compare_->steps()) + ",\"compare\":[";
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
