// Challenges ("you are the scheduler"): which one is played, whether its goal
// was reached by the player's own picks, the winning schedule the explorer
// finds, the progress kept between visits, and their page and banner.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "scenes/challenges.hpp"
#include "ui/deep_link.hpp"
#include "ui/scene_player.hpp"
#include "ui/theme.hpp"

namespace such::ui {

// "no challenge 0: there are challenges 1 to 5": a number (from 1) that names no challenge.
std::string no_challenge(std::uint64_t number);

class Challenges {
public:
    // The challenges page (a list to pick from) shows instead of the menu.
    bool page() const { return page_; }
    void show_page() { page_ = true; }
    // The challenge being played, or -1.
    int current() const { return current_; }
    // Leaves the page and any challenge.
    void leave() {
        current_ = -1;
        page_ = false;
    }
    // Challenge `index` may be played: its link, else false and why.
    bool find(std::size_t index, Link& link, std::string& error) const;
    // Plays challenge `index` (its scene opens next): nothing won, no hint, no solution shown.
    void begin(std::size_t index, const Link& link);
    // After every command and every step played: is the goal reached, and
    // is the win recorded (the player picked every step).
    void check(const ScenePlayer& player);
    bool counts(const ScenePlayer& player) const;
    // The explorer's shortest schedule to the goal; a shown solution wins nothing.
    bool solve(const ScenePlayer& player, engine::Finding& best, std::string& error);
    bool show_hint(std::string& error);
    std::string json(const ScenePlayer& player) const;

    // As scenes::Progress::save() writes it (the shell keeps it).
    bool load_progress(std::string_view text, std::string& error) { return scenes::Progress::parse(text, progress_, error); }
    std::string progress_text() const { return progress_.save(); }
    bool take_progress_dirty() { return std::exchange(progress_dirty_, false); }

    // The page and the banner above a challenge's scene; each returns the
    // command a button asks for ("" when none was pressed).
    std::string draw_page(const Fonts& fonts, const std::string& error) const;
    std::string draw_banner(const ScenePlayer& player) const;

private:
    bool page_ = false;
    int current_ = -1;
    bool won_ = false;
    std::uint64_t won_at_ = 0;  // the step at which the goal was reached (steps taken after it do not count)
    bool solution_shown_ = false;  // a shown solution does not count as a win
    bool hint_shown_ = false;      // the hint is shown once asked for
    std::string link_;             // the challenge's settings: a run with others does not count
    scenes::Progress progress_;
    bool progress_dirty_ = false;
};

}  // namespace such::ui
