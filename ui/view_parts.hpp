// Drawing pieces the view files share (views.cpp, view_stm.cpp).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"
#include "ui/views.hpp"

namespace such::ui {

inline constexpr double kSlide = 0.35;  // seconds a change takes to animate

unsigned state_colour(engine::TaskState state, bool last);
const char* state_name(engine::TaskState state, bool last);
// The band behind a code line where a task is: its state colour, faint.
unsigned line_band(engine::TaskState state, bool last);
// Whether the latest step produced an event on this object.
bool touched_last(const engine::Scheduler& sched, engine::ObjectId id);
engine::TaskId last_task(const engine::Scheduler& sched);
// A rounded label in a colour.
void chip(const char* text, unsigned colour);
// How wide chip(text) is drawn.
float chip_width(const char* text);
// The width of the widest word of `text` (words part at spaces) in the current font.
float longest_word_width(std::string_view text);
// The narrowest wrap width, at most `width` and no less than three quarters
// of it, at which `text` still takes as few lines as at `width`: no word is
// left alone on a last line, and the lines still span most of the width (a
// fully balanced point read as a narrow column).
float balanced_width(const char* text, float width);
// The wrap width for `text` at most `width`: `width` itself, or a little
// narrower (down to three quarters of it, in as many lines) when that takes
// a word off a last line of its own: "...the supervisor itself gives / up."
// reads as a stray.
float pretty_width(const std::string& text, float width);
// `text` with a no-break space between a number and its unit ("60 ms",
// "40 KB", and "3,204 ns each"), so that a wrap never parts them ("...for
// 60 / ms: no timer").
std::string keep_units(const std::string& text);
// TextWrapped at pretty_width of the width the line has left.
void text_wrapped_pretty(const std::string& text);
// The widths of a table's columns of wrapped text that share `room` (the
// table's width less its cells' padding) so that the table takes as few lines
// as it can: `heads` stay on one line, no column is narrower than its longest
// word, and the room beyond that goes, a 48th at a time, to the column whose
// widening saves the most lines for the room it takes (rows: cells[c][row],
// measured in the current font). What no column can use is shared in
// proportion. With too little room for the words, each keeps its longest.
std::vector<float> content_widths(const std::vector<std::string>& heads, const std::vector<std::vector<std::string>>& cells, float room);
// Before a chip in a row of them: on the same line when it fits before `right` (a screen x), else on
// the next. The first of a row always follows its label.
void chip_same_line(const char* text, float right, bool first);
// Words on a line of chips ("queue:", "mailbox"): on the chips' text baseline.
void chip_label(const char* text, bool muted = true);
// Near-black or white, whichever contrasts more with `fill` (over the panel, where it is see-through).
unsigned text_on(unsigned fill);
float ease(double t);
unsigned with_alpha(unsigned colour, float alpha);
// Remembers what an object showed; returns its memory, updated for this frame.
ViewMemory::Seen* remember(const ViewContext& vc, engine::ObjectId id, const engine::Snapshot& snap);
// "name = value", the new value sliding in over the old one after a change.
void animated_value(const std::string& name, const ViewMemory::Seen* seen, const std::string& value);
// Text a program made (a value, an outcome, a printed line) as drawn: whole
// when short, else cut by scenes::shown. A window holds 65,536 vertices, four
// a character (imgui.h, ImDrawIdx), and text past its edge is drawn all the same.
std::string fitted(const std::string& text, std::size_t max_chars = 300);
// What the last item does, shown while the mouse rests on it (a disabled
// item too), wrapped to a readable width.
void tooltip(const char* text);
// A hint in the muted colour, wrapped at the pane's visible edge (a phone's
// is near). Not TextWrapped: in a pane that scrolls sideways that wraps at
// the widest content so far, which the wrapped text itself then keeps wide.
void disabled_wrapped(const char* text);
// The last item's centre, and a point as the state's JSON gives it ("[x,y]": where tests tap).
ImVec2 item_centre();
std::string json_point(ImVec2 v);
// How many different characters of the UTF-8 text the font has no glyph for
// (ImGui draws each as '?'): a program may hold any, the fonts hold kGlyphRanges.
std::size_t glyphs_missing(const ImFont* font, std::string_view text);
// A combo box as wide as its longest choice (never cut short); helps[i],
// when given, is choice i's tooltip. True when the user picked another.
bool choice_combo(const char* label, int& value, const std::vector<std::string>& choices, const std::vector<std::string>& helps = {});
// A whole number in a small range, as digits with - and + beside them (a
// narrow slider hid its digit under the grab). True when it changed.
bool small_int(const char* label, int& value, int min, int max);
// A frame around what the latest step touched, fading out.
void fade_frame(ImVec2 a, ImVec2 b, float since_step);

// A model's shape from its row of the models table, drawn at `at`, about 1.7
// em wide: its tasks as lanes of slices, two side by side where the model runs
// in parallel, one taking turns where it is concurrent only.
void model_glyph(ImDrawList* draw, ImVec2 at, float em, const scenes::ModelRow& row);

}  // namespace such::ui
