// The playground's state: the user's Lua program, the scene made from it, the
// editor, and what the page asks the app to do. App owns one; its page, its
// commands and its state for tests are App members in ui/playground.cpp.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenes/program.hpp"
#include "ui/code_view.hpp"

namespace such::ui {

// The playground's note after Copy link.
inline constexpr const char* kLinkCopied = "link copied";

class Playground {
public:
    Playground();  // starts with the first shipped example

    const std::string& text() const { return text_; }
    std::string& text() { return text_; }  // the editor types into it, then calls edited()
    void edited();
    // Replaces the text (an example, a file, a link); revert() brings the one it replaced back.
    void load(std::string text, std::string example = {});
    bool revert();
    bool can_revert() const { return !history_.empty(); }
    // The last program, as the shell kept it: no history, nothing to save.
    void restore(std::string text);

    // The scene of the text, made afresh when the text changed since the last call.
    const scenes::Scene& scene();
    bool stale() const { return !scene_ || made_from_ != text_; }
    bool owns(const scenes::Scene* scene) const { return scene && scene == scene_.get(); }
    // Null when the text compiles (checked at every change).
    const scenes::ProgramError* syntax_error() const { return compiles_ ? nullptr : &error_; }
    bool take_dirty() { return std::exchange(dirty_, false); }

    CodeView view, preview;  // the editor; the menu's example
    std::string example;     // the example last loaded, if the text is still one
    std::array<char, 512> path{"program.lua"};  // the desktop's file field
    std::string status;      // what the last file operation or copy did
    std::string copied_link;  // the link "link copied" is said of (App::refresh_link lets it go once the link moves on)
    // Characters of the text the code font lacks (drawn as '?'), counted when the text changes.
    std::size_t missing_glyphs = 0;
    std::uint32_t glyphs_of = 0;  // the text_hash they were counted for (0: not yet)
    bool files = false;      // the platform can open and save files
    std::vector<std::string> requests;  // commands from the page, run after the frame
    ImVec2 run_button{-1, -1}, menu_run_button{-1, -1};  // where they were drawn last (tests click there)
    // How tall what follows the code was last frame (the hint or error and
    // the task cards, which grow with a run: a manual run's buttons, locals):
    // the editor leaves it exactly that room. 0: not drawn yet.
    float below_code = 0.0f;
    bool below_manual = false;  // whether it was measured with a manual run's buttons

private:
    void check();
    void name_example();

    std::string text_, made_from_;
    // The scene before the current one stays alive until the next is made:
    // the app moves to the new one first.
    std::unique_ptr<scenes::Scene> scene_, previous_;
    scenes::ProgramError error_;
    bool compiles_ = true;
    bool dirty_ = false;
    std::vector<std::string> history_;  // texts that loads replaced, newest last
};

// FNV-1a (32 bits) of the text's bytes: the state tests compare.
std::uint32_t text_hash(std::string_view text);

}  // namespace such::ui
