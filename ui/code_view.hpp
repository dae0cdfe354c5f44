// Lua source in the code font with line numbers and colours: as an editor
// (ImGui's multiline text field underneath, drawn transparent, our coloured
// text on top at the same places) or read-only with lines marked.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"
#include "ui/theme.hpp"

namespace such::ui {

// Lua's lexical classes the editor colours; long strings and comments span lines.
enum class Token : unsigned char { Keyword, String, Comment, Number, Builtin };
struct Span {
    std::size_t begin, end;
    Token kind;
};
std::vector<Span> lua_spans(std::string_view text);

// A marked line of the read-only view: a band, labels after the text (task
// names as chips), and a note (an error's message) after them.
struct LineMark {
    int line = 0;  // 0-based
    unsigned band = 0;
    struct Chip {
        std::string text;
        unsigned colour;
    };
    std::vector<Chip> chips;
    std::string note;
    unsigned note_colour = 0;
};

class CodeView {
public:
    // The editor, filling `size`. An error's line (1-based, 0 for none) is
    // marked, and its column (1-based, 0 for none) underlined.
    // Returns true when the user changed the text this frame.
    bool edit(std::string& text, const Fonts& fonts, ImVec2 size, int error_line, int error_column);
    // The text read-only with its marks; scrolls to keep `follow` (0-based, -1 none) in view when it moves.
    void show(const std::string& text, const Fonts& fonts, ImVec2 size, const std::vector<LineMark>& marks, int follow);
    // Inserts at the cursor, replacing a selection; at once when the editor is
    // not focused (then returns true: the text changed), else on the next frame.
    bool insert(std::string& text, std::string_view piece);
    // Deletes the `count` characters before the cursor (a selection instead, when the field has one), as
    // Backspace does: at once when the editor is not focused (then true), else on the next frame. A
    // phone's keyboard, which ImGui does not hear, erases through it.
    bool erase(std::string& text, int count);
    // The text was replaced from outside: the field starts afresh (its undo
    // history belonged to the old text) with the cursor at the end.
    void reset(const std::string& text);
    bool active() const { return active_; }
    // Where the field is on screen (tests click there): x, y, w, h.
    ImVec4 field_rect() const { return field_; }

private:
    static int on_text(ImGuiInputTextCallbackData* data);
    void refresh(const std::string& text);
    float draw_lines(ImDrawList* dl, const std::string& text, ImVec2 origin, float line_h, float gutter, int first, int last,
                     int mark) const;

    std::string cached_;  // the text the spans and line starts below belong to
    std::vector<Span> spans_;
    std::vector<std::size_t> line_starts_;
    std::string* editing_ = nullptr;  // the text, during edit() (the resize callback writes it)
    std::string pending_;             // an insert waiting for the focused field's next callback
    int pending_erase_ = 0;           // characters to delete before the cursor, at that callback (before the insert)
    int generation_ = 0;              // part of the field's id: a new one forgets ImGui's state
    int cursor_ = 0, last_cursor_ = -1;
    bool active_ = false;
    double cursor_moved_at_ = 0.0;
    int followed_ = -1;
    ImVec4 field_{};
};

}  // namespace such::ui
