// The app's keys in one table: the shells run the command of the row a key
// press matches, and the help overlay (?, F1, H) lists every row. A new key
// is a new row here and nowhere else.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace such::ui {

// Workbench: a scene or the menu, not presenting; List: not presenting and no
// scene open (the scene list, the challenges); Slide: presenting a live slide.
enum class KeyWhere { Talk, Slide, Workbench, List, Anywhere, Editor };
enum class KeyMod { None, Shift, Ctrl };                   // None: no Ctrl (Shift allowed unless a Shift row matches first)

struct KeyBinding {
    std::string_view label;    // as the overlay shows it
    std::string_view names;    // SDL's key names, '|' between; "1-9": a digit key, appended to the command
    KeyMod mod;
    KeyWhere where;
    std::string_view command;  // the App command; empty: the editor handles the key itself
    std::string_view what;
};

// Where the app is when a key is pressed: which rows apply.
struct KeyPlace {
    bool talk = false;        // presenting the talk
    bool live_slide = false;  // presenting a slide whose scene runs
    bool scene_open = false;  // a scene (or the comparison slide) is open
};

std::span<const KeyBinding> key_table();
// The command of the first row a key press matches (SDL's name for the key,
// the keypad's digits, + - . and Enter as the main ones), or "" when none does.
std::string key_command(std::string_view name, bool ctrl, bool shift, KeyPlace place);
// The help overlay: every row of the table, grouped by where it works.
// Returns the labels it drew, in order; `open` turns false when closed.
std::vector<std::string> draw_key_help(bool& open);

}  // namespace such::ui
