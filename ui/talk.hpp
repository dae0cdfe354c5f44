// Talk mode's state: the slide and beat on stage, the pace of a live slide's
// run, a slide number being typed, the speaker's notes (overlay and window),
// the talk's clock and the comparison slide. App opens the scenes slides
// show; Talk draws the slides from what App lends it (Stage).
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "scenes/deck.hpp"
#include "ui/deep_link.hpp"
#include "ui/explorer_panel.hpp"
#include "ui/scene_player.hpp"
#include "ui/theme.hpp"

namespace such::ui {

class CompareSlide;

// "no slide 0: the talk has slides 1 to 45": a slide number (from 1) that is not in the talk.
std::string no_slide(std::uint64_t number);

// What a slide shows of the app around it: the open run, its explorer (the
// "every schedule" beat), the fonts, and the last command's error (the footer).
struct Stage {
    ScenePlayer& player;
    const ExplorerPanel& explorer;
    const Fonts& fonts;
    const std::string& error;
};

class Talk {
public:
    Talk();
    ~Talk();
    Talk(const Talk&) = delete;
    Talk& operator=(const Talk&) = delete;

    bool on() const { return on_; }
    std::size_t slide() const { return slide_; }
    // A live slide is told in beats: its run, its outcome, then every
    // schedule; the comparison slide in its run and its outcome.
    std::size_t beat() const { return beat_; }
    std::size_t beat_count() const;
    // Puts slide `index` on stage (its first beat, or its last coming back)
    // and gives its scene's link; false and why when there is no such slide.
    // The app then opens what the slide shows.
    bool go_to(std::size_t index, bool at_end, Link& link, std::string& error);
    // The comparison slide of the slide on stage, its runs built from the link.
    void open_compare(const Link& link, bool threads);
    CompareSlide* compare() { return compare_.get(); }
    const CompareSlide* compare() const { return compare_.get(); }
    // Off stage: no talk, no comparison slide, no notes overlay.
    void leave();
    // The next or previous beat of this slide; false at its last or first.
    bool next_beat();
    bool prev_beat();
    // Steps a second of the slide's run, from how many steps it takes.
    float pace() const { return pace_; }
    void set_pace(std::uint64_t steps);

    // A slide number typed digit by digit, then Enter.
    bool type_digit(std::string_view digit, std::string& error);
    std::string take_typed() { return std::exchange(jump_, {}); }
    // Esc: drops the typed number, else closes the notes overlay; false when neither was open.
    bool escape();
    void toggle_notes() { notes_overlay_ = !notes_overlay_; }
    void request_notes_window() { notes_window_request_ = true; }
    bool take_notes_window_request() { return std::exchange(notes_window_request_, false); }
    void set_notes_window_open(bool open) { notes_window_open_ = open; }

    std::string json(bool playing) const;

    // Drawing (ui/talk_draw.cpp). The slide, its footer and the notes
    // overlay; returns the command a click asks for ("" when none).
    std::string draw(const Stage& stage);
    // Current and next slide, clock and notes: the notes window natively, the
    // overlay anywhere. Returns its first line, "12 / 44  Title", as drawn.
    std::string draw_speaker_view(const Fonts& fonts) const;

private:
    void draw_text_slide(const scenes::Slide& slide, const Fonts& fonts);
    void draw_title_slide(const scenes::Slide& slide, const Fonts& fonts);
    std::string draw_models_slide(const Fonts& fonts);
    void draw_live_slide(const Stage& stage);
    void draw_compare_slide(const scenes::Slide& slide, const Stage& stage);
    void draw_slide_footer(const Stage& stage, const std::string& hint, const std::string& keys = {});
    std::string live_keys(const ScenePlayer& player) const;
    void draw_schedules_line(const ExplorerPanel& explorer, const std::string& this_run);
    void draw_notes_overlay(const Fonts& fonts);

    bool on_ = false;
    std::size_t slide_ = 0;
    std::size_t beat_ = 0;
    float pace_ = 2.0f;  // steps per second of a live slide's run
    std::string jump_;   // slide number typed so far (then Enter)
    bool notes_overlay_ = false;
    bool notes_window_request_ = false;
    bool notes_window_open_ = false;
    std::chrono::steady_clock::time_point started_{};
    std::unique_ptr<CompareSlide> compare_;  // the open comparison slide, if any
};

}  // namespace such::ui
