// The code view (see code_view.hpp): Lua's tokens for colouring, the editor
// over ImGui's multiline field, and the read-only listing with marks.
//
// Index
//   [SECTION] Lua tokens
//   [SECTION] Lines: gutter and coloured text, shared by both modes
//   [SECTION] Editor
//   [SECTION] Read-only listing with marks
#include "ui/code_view.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <utility>

#include "ui/view_parts.hpp"

namespace such::ui {

// [SECTION] Lua tokens

namespace {
constexpr std::array<std::string_view, 22> kKeywords = {
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
    "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"};
// Names a program calls that are not its own: Lua's library and the engine's
// primitives (scenes/program_api.cpp).
constexpr std::array<std::string_view, 45> kBuiltins = {
    "print", "pairs", "ipairs", "tostring", "tonumber", "type", "error", "assert", "pcall", "select", "next",
    "string", "table", "math", "utf8", "shared", "atomic", "mutex", "semaphore", "condvar", "channel", "promise",
    "tvar", "go", "spawn", "future", "yield", "sleep", "after", "invariant", "outcome", "self", "receive", "send",
    "link", "monitor", "trap_exits", "atomically", "retry", "or_else", "defer", "setmetatable", "getmetatable",
    "rawget", "rawset"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || is_digit(c); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
}  // namespace

std::vector<Span> lua_spans(std::string_view s) {
    std::vector<Span> out;
    const std::size_t n = s.size();
    // "[==[" at `at`: its level (the count of '='), or -1 when it is no long bracket.
    const auto long_open = [&](std::size_t at) {
        std::size_t j = at + 1;
        while (j < n && s[j] == '=') ++j;
        return j < n && s[j] == '[' ? static_cast<int>(j - at - 1) : -1;
    };
    // Just past the "]==]" of that level after `from`, or the end of the text.
    const auto long_close = [&](std::size_t from, int level) {
        for (std::size_t j = from; j < n; ++j) {
            if (s[j] != ']') continue;
            std::size_t k = j + 1;
            while (k < n && s[k] == '=') ++k;
            if (static_cast<int>(k - j - 1) == level && k < n && s[k] == ']') return k + 1;
        }
        return n;
    };
    std::size_t i = 0;
    while (i < n) {
        const char c = s[i];
        const std::size_t start = i;
        if (c == '-' && i + 1 < n && s[i + 1] == '-') {
            i += 2;
            const int level = i < n && s[i] == '[' ? long_open(i) : -1;
            if (level >= 0) {
                i = long_close(i + static_cast<std::size_t>(level) + 2, level);
            } else {
                while (i < n && s[i] != '\n') ++i;
            }
            out.push_back({start, i, Token::Comment});
        } else if (c == '"' || c == '\'') {
            ++i;
            while (i < n && s[i] != c && s[i] != '\n') i += s[i] == '\\' && i + 1 < n ? 2 : 1;
            if (i < n && s[i] == c) ++i;
            out.push_back({start, i, Token::String});
        } else if (c == '[' && long_open(i) >= 0) {
            const int level = long_open(i);
            i = long_close(i + static_cast<std::size_t>(level) + 2, level);
            out.push_back({start, i, Token::String});
        } else if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(s[i + 1]))) {
            const bool hex = c == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X');
            i += hex ? 2 : 1;
            const char exp = hex ? 'p' : 'e';
            while (i < n) {
                const char d = s[i] | 0x20;  // lower case for letters
                if ((d == exp) && i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-')) {
                    i += 2;
                } else if (is_hex(s[i]) || s[i] == '.' || d == exp) {
                    ++i;
                } else {
                    break;
                }
            }
            out.push_back({start, i, Token::Number});
        } else if (is_word(c)) {
            while (i < n && is_word(s[i])) ++i;
            const std::string_view word = s.substr(start, i - start);
            if (std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end()) {
                out.push_back({start, i, Token::Keyword});
            } else if (std::find(kBuiltins.begin(), kBuiltins.end(), word) != kBuiltins.end()) {
                out.push_back({start, i, Token::Builtin});
            }
        } else {
            ++i;
        }
    }
    return out;
}

// [SECTION] Lines

namespace {
unsigned token_colour(Token kind) {
    const Palette& p = palette();
    switch (kind) {
    case Token::Keyword: return p.accent;
    case Token::String: return p.good;
    case Token::Comment: return p.muted;
    case Token::Number: return p.ready;
    case Token::Builtin:  // violet: apart from the palette's meanings
        return ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x < 0.5f ? IM_COL32(200, 150, 255, 255) : IM_COL32(125, 40, 185, 255);
    }
    return p.muted;
}

// Room for the widest line number and a gap.
float gutter_width(std::size_t lines) {
    const std::string widest(std::max<std::size_t>(2, std::to_string(lines).size()), '0');
    return ImGui::CalcTextSize(widest.c_str()).x + ImGui::GetFontSize() * 1.0f;
}

float text_width(std::string_view text) {
    return ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize(), FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x;
}
}  // namespace

void CodeView::refresh(const std::string& text) {
    if (text == cached_ && !line_starts_.empty()) return;
    cached_ = text;
    spans_ = lua_spans(text);
    line_starts_.assign(1, 0);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
}

// Lines first..last (0-based, clamped) with their numbers in the gutter left
// of `origin`, line i's top at origin.y + i * line_h. `mark` (0-based) has its
// number in the colour of errors. Returns the widest line drawn.
float CodeView::draw_lines(ImDrawList* dl, const std::string& text, ImVec2 origin, float line_h, float gutter, int first,
                           int last, int mark) const {
    ImFont* font = ImGui::GetFont();
    const float fs = ImGui::GetFontSize();
    const unsigned plain = ImGui::GetColorU32(ImGuiCol_Text);
    const int count = static_cast<int>(line_starts_.size());
    first = std::max(first, 0);
    last = std::min(last, count - 1);
    float widest = 0.0f;
    auto span = spans_.begin();
    for (int line = first; line <= last; ++line) {
        const std::size_t begin = line_starts_[static_cast<std::size_t>(line)];
        const std::size_t end = line + 1 < count ? line_starts_[static_cast<std::size_t>(line) + 1] - 1 : text.size();
        const float y = origin.y + static_cast<float>(line) * line_h + (line_h - fs) * 0.5f;
        const std::string number = std::to_string(line + 1);
        dl->AddText(font, fs, ImVec2(origin.x - gutter * 0.25f - text_width(number) - fs * 0.5f, y),
                    line == mark ? palette().bad : palette().muted, number.c_str());
        if (line == first) span = std::lower_bound(spans_.begin(), spans_.end(), begin, [](const Span& s, std::size_t at) { return s.end <= at; });
        float x = origin.x;
        const auto put = [&](std::size_t a, std::size_t b, unsigned colour) {
            if (a >= b) return;
            dl->AddText(font, fs, ImVec2(x, y), colour, text.data() + a, text.data() + b);
            x += text_width(std::string_view(text).substr(a, b - a));
        };
        std::size_t at = begin;
        while (span != spans_.end() && span->begin < end) {
            const std::size_t a = std::max(span->begin, begin), b = std::min(span->end, end);
            put(at, a, plain);
            put(a, b, token_colour(span->kind));
            at = std::max(at, b);
            if (span->end > end) break;  // it goes on to the next line
            ++span;
        }
        put(at, end, plain);
        widest = std::max(widest, x - origin.x);
    }
    return widest;
}

// [SECTION] Editor

namespace {
// Where the `count` UTF-8 characters before byte `at` of `text` begin (continuation bytes are 10xxxxxx).
int chars_back(std::string_view text, int at, int count) {
    int from = std::clamp(at, 0, static_cast<int>(text.size()));
    for (int n = 0; n < count && from > 0; ++n) {
        --from;
        while (from > 0 && (static_cast<unsigned char>(text[static_cast<std::size_t>(from)]) & 0xC0) == 0x80) --from;
    }
    return from;
}

// Deletes the field's selection, if it has one, leaving the cursor where it began: true if it had one.
bool delete_selection(ImGuiInputTextCallbackData* data) {
    if (!data->HasSelection()) return false;
    const int from = std::min(data->SelectionStart, data->SelectionEnd);
    data->DeleteChars(from, std::abs(data->SelectionEnd - data->SelectionStart));
    data->CursorPos = from;
    return true;
}
}  // namespace

int CodeView::on_text(ImGuiInputTextCallbackData* data) {
    auto* self = static_cast<CodeView*>(data->UserData);
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        self->editing_->resize(static_cast<std::size_t>(data->BufTextLen));
        data->Buf = self->editing_->data();
        return 0;
    }
    if (self->pending_erase_ > 0) {
        if (!delete_selection(data)) {
            const int from = chars_back(std::string_view(data->Buf, static_cast<std::size_t>(data->BufTextLen)), data->CursorPos, self->pending_erase_);
            data->DeleteChars(from, data->CursorPos - from);
            data->CursorPos = from;
        }
        data->SelectionStart = data->SelectionEnd = data->CursorPos;
        self->pending_erase_ = 0;
    }
    if (!self->pending_.empty()) {
        delete_selection(data);
        data->InsertChars(data->CursorPos, self->pending_.data(), self->pending_.data() + self->pending_.size());
        data->SelectionStart = data->SelectionEnd = data->CursorPos;
        self->pending_.clear();
    }
    self->cursor_ = data->CursorPos;
    return 0;
}

bool CodeView::edit(std::string& text, const Fonts& fonts, ImVec2 size, int error_line, int error_column) {
    ImGui::PushFont(fonts.code);
    refresh(text);
    const ImGuiStyle& st = ImGui::GetStyle();
    const float fs = ImGui::GetFontSize();
    const float gutter = gutter_width(line_starts_.size());
    ImGui::BeginChild("editor", size, true, ImGuiWindowFlags_HorizontalScrollbar);
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    float widest = 0.0f;
    for (std::size_t i = 0; i < line_starts_.size(); ++i) {
        const std::size_t end = i + 1 < line_starts_.size() ? line_starts_[i + 1] - 1 : text.size();
        widest = std::max(widest, text_width(std::string_view(text).substr(line_starts_[i], end - line_starts_[i])));
    }
    // The field is as large as its text (and a little more), so it never
    // scrolls itself: this child scrolls, and our text stays where the field's is.
    const auto lines = static_cast<float>(line_starts_.size());
    const ImVec2 field(std::max(avail.x - gutter, widest + st.FramePadding.x * 2 + fs * 4),
                       std::max(avail.y, (lines + 2) * fs + st.FramePadding.y * 2));
    ImGui::SetCursorScreenPos(ImVec2(top.x + gutter, top.y));
    const ImVec2 field_min = ImGui::GetCursorScreenPos();
    const ImVec2 origin(field_min.x + st.FramePadding.x, field_min.y + st.FramePadding.y);
    const bool escape = active_ && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
    const std::string before = escape ? text : std::string();
    ImGui::PushStyleColor(ImGuiCol_FrameBg, 0u);
    ImGui::PushStyleColor(ImGuiCol_Text, 0u);  // the field's own text is invisible; ours is drawn below it
    editing_ = &text;
    ImGui::PushID(generation_);
    const ImGuiInputTextFlags flags = ImGuiInputTextFlags_AllowTabInput | ImGuiInputTextFlags_NoHorizontalScroll |
                                      ImGuiInputTextFlags_CallbackResize | ImGuiInputTextFlags_CallbackAlways |
                                      ImGuiInputTextFlags_CallbackEdit;
    bool changed = ImGui::InputTextMultiline("##code", text.data(), text.capacity() + 1, field, flags, &CodeView::on_text, this);
    ImGui::PopID();
    editing_ = nullptr;
    ImGui::PopStyleColor(2);
    active_ = ImGui::IsItemActive();
    if (escape && text != before) {
        // ImGui's Escape puts back the text from when the field was focused: keep the typing instead.
        text = before;
        changed = false;
        ++generation_;
    }
    if (!pending_.empty() && !active_) changed = insert(text, std::exchange(pending_, {})) || changed;
    refresh(text);

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 clip_min = dl->GetClipRectMin(), clip_max = dl->GetClipRectMax();
    const int first = static_cast<int>(std::floor((clip_min.y - origin.y) / fs));
    const int last = static_cast<int>(std::ceil((clip_max.y - origin.y) / fs));
    if (error_line > 0 && error_line <= static_cast<int>(line_starts_.size())) {
        const float y = origin.y + static_cast<float>(error_line - 1) * fs;
        dl->AddRectFilled(ImVec2(top.x, y), ImVec2(field_min.x + field.x, y + fs), with_alpha(palette().bad, 0.25f), 3.0f);
        // The column Lua names, underlined.
        const std::size_t begin = line_starts_[static_cast<std::size_t>(error_line - 1)];
        const std::size_t at = begin + static_cast<std::size_t>(std::max(error_column - 1, 0));
        if (error_column > 0 && at < text.size() && text[at] != '\n') {
            const float x = origin.x + text_width(std::string_view(text).substr(begin, at - begin));
            const float w = std::max(text_width(std::string_view(text).substr(at, 1)), fs * 0.4f);
            dl->AddLine(ImVec2(x, y + fs - 1), ImVec2(x + w, y + fs - 1), palette().bad, std::max(2.0f, fs / 10.0f));
        }
    }
    draw_lines(dl, text, origin, fs, gutter, first, last, error_line - 1);

    // The caret, blinking as ImGui's would; the view follows it when it moves.
    if (active_) {
        const auto at = static_cast<std::size_t>(std::clamp(cursor_, 0, static_cast<int>(text.size())));
        const auto line = static_cast<std::size_t>(std::upper_bound(line_starts_.begin(), line_starts_.end(), at) - line_starts_.begin() - 1);
        const ImVec2 caret(origin.x + text_width(std::string_view(text).substr(line_starts_[line], at - line_starts_[line])),
                           origin.y + static_cast<float>(line) * fs);
        const double now = ImGui::GetTime();
        if (cursor_ != last_cursor_ || changed) {
            cursor_moved_at_ = now;
            last_cursor_ = cursor_;
            const ImVec2 win = ImGui::GetWindowPos();
            const float y = caret.y - win.y + ImGui::GetScrollY(), x = caret.x - win.x + ImGui::GetScrollX();
            const float h = ImGui::GetWindowHeight() - st.ScrollbarSize, w = ImGui::GetWindowWidth() - st.ScrollbarSize;
            if (y < ImGui::GetScrollY() + fs) ImGui::SetScrollY(std::max(0.0f, y - fs));
            if (y + fs * 2 > ImGui::GetScrollY() + h) ImGui::SetScrollY(y + fs * 2 - h);
            if (x < ImGui::GetScrollX() + gutter) ImGui::SetScrollX(std::max(0.0f, x - gutter - fs * 4));
            if (x + fs * 2 > ImGui::GetScrollX() + w) ImGui::SetScrollX(x + fs * 4 - w);
        }
        if (!ImGui::GetIO().ConfigInputTextCursorBlink || std::fmod(now - cursor_moved_at_, 1.2) <= 0.8) {
            dl->AddLine(ImVec2(std::floor(caret.x), caret.y + 1), ImVec2(std::floor(caret.x), caret.y + fs - 1),
                        ImGui::GetColorU32(ImGuiCol_Text), std::max(1.0f, fs / 12.0f));
        }
    }
    field_ = ImVec4(field_min.x, field_min.y, std::min(field_min.x + field.x, clip_max.x) - field_min.x,
                    std::min(field_min.y + field.y, clip_max.y) - field_min.y);
    ImGui::EndChild();
    ImGui::PopFont();
    return changed;
}

bool CodeView::insert(std::string& text, std::string_view piece) {
    if (active_) {
        pending_ += piece;
        return false;
    }
    const auto at = static_cast<std::size_t>(std::clamp(cursor_, 0, static_cast<int>(text.size())));
    text.insert(at, piece);
    cursor_ = static_cast<int>(at + piece.size());
    ++generation_;  // the field's undo history no longer matches the text
    return true;
}

bool CodeView::erase(std::string& text, int count) {
    if (count <= 0) return false;
    if (active_) {
        pending_erase_ += count;
        return false;
    }
    const int at = std::clamp(cursor_, 0, static_cast<int>(text.size()));
    const int from = chars_back(text, at, count);
    if (from == at) return false;
    text.erase(static_cast<std::size_t>(from), static_cast<std::size_t>(at - from));
    cursor_ = from;
    ++generation_;  // the field's undo history no longer matches the text
    return true;
}

void CodeView::reset(const std::string& text) {
    ++generation_;
    pending_.clear();
    pending_erase_ = 0;
    cursor_ = static_cast<int>(text.size());
    last_cursor_ = -1;
    active_ = false;
}

// [SECTION] Read-only listing

void CodeView::show(const std::string& text, const Fonts& fonts, ImVec2 size, const std::vector<LineMark>& marks, int follow) {
    active_ = false;  // no field while the text is read-only
    ImGui::PushFont(fonts.code);
    refresh(text);
    const ImGuiStyle& st = ImGui::GetStyle();
    const float fs = ImGui::GetFontSize();
    const float line_h = std::round(fs * 1.3f);  // room for the chips
    const float chip_fs = fs * 0.85f;
    const float gutter = gutter_width(line_starts_.size());
    ImGui::BeginChild("listing", size, true, ImGuiWindowFlags_HorizontalScrollbar);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const ImVec2 origin(top.x + gutter, top.y);
    const ImVec2 clip_min = dl->GetClipRectMin(), clip_max = dl->GetClipRectMax();
    int error_line = -1;
    for (const LineMark& m : marks) {
        const float y = origin.y + static_cast<float>(m.line) * line_h;
        dl->AddRectFilled(ImVec2(top.x, y), ImVec2(clip_max.x, y + line_h - 2), m.band, 4.0f);
        if (!m.note.empty()) error_line = m.line;
    }
    float widest = draw_lines(dl, text, origin, line_h, gutter, static_cast<int>(std::floor((clip_min.y - origin.y) / line_h)),
                              static_cast<int>(std::ceil((clip_max.y - origin.y) / line_h)), error_line);
    // Chips and notes go after the text of their line.
    const float pad = st.FramePadding.x * 0.6f;
    for (const LineMark& m : marks) {
        if (m.line < 0 || m.line >= static_cast<int>(line_starts_.size())) continue;
        const auto l = static_cast<std::size_t>(m.line);
        const std::size_t end = l + 1 < line_starts_.size() ? line_starts_[l + 1] - 1 : text.size();
        float x = origin.x + text_width(std::string_view(text).substr(line_starts_[l], end - line_starts_[l])) + fs;
        const float y = origin.y + static_cast<float>(m.line) * line_h;
        for (const LineMark::Chip& c : m.chips) {
            const float w = fonts.body->CalcTextSizeA(chip_fs, FLT_MAX, 0.0f, c.text.c_str()).x;
            dl->AddRectFilled(ImVec2(x, y + 2), ImVec2(x + w + pad * 2, y + line_h - 4), c.colour, 6.0f);
            dl->AddText(fonts.body, chip_fs, ImVec2(x + pad, y + (line_h - 2 - chip_fs) * 0.5f), text_on(c.colour), c.text.c_str());
            x += w + pad * 2 + pad;
        }
        if (!m.note.empty()) {
            dl->AddText(fonts.body, chip_fs, ImVec2(x + pad, y + (line_h - 2 - chip_fs) * 0.5f), m.note_colour, m.note.c_str());
            x += pad + fonts.body->CalcTextSizeA(chip_fs, FLT_MAX, 0.0f, m.note.c_str()).x;
        }
        widest = std::max(widest, x - origin.x);
    }
    ImGui::Dummy(ImVec2(gutter + widest + fs, static_cast<float>(line_starts_.size()) * line_h + st.FramePadding.y));
    // Keep the line of the task that moves in view.
    if (follow != followed_ && follow >= 0) {
        followed_ = follow;
        const float y = static_cast<float>(follow) * line_h + (top.y - ImGui::GetWindowPos().y + ImGui::GetScrollY());
        const float h = ImGui::GetWindowHeight() - st.ScrollbarSize;
        if (y < ImGui::GetScrollY() || y + line_h * 2 > ImGui::GetScrollY() + h) ImGui::SetScrollY(std::max(0.0f, y - h * 0.4f));
    }
    ImGui::EndChild();
    ImGui::PopFont();
}

}  // namespace such::ui
