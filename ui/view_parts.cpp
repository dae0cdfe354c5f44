// Small drawing pieces shared by the view files: chips, easing, fades, and
// what the latest step touched. View code only; nothing here changes the engine.
#include "ui/view_parts.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "imgui_internal.h"  // ImTextCharFromUtf8

namespace such::ui {

using engine::TaskState;

unsigned state_colour(TaskState state, bool last) {
    const Palette& p = palette();
    if (state == TaskState::Done) return p.done;
    if (state == TaskState::Blocked) return p.blocked;
    return last ? p.running : p.ready;
}

unsigned line_band(TaskState state, bool last) { return (state_colour(state, last) & 0x00FFFFFFu) | 0x50000000u; }

const char* state_name(TaskState state, bool last) {
    if (state == TaskState::Done) return "done";
    if (state == TaskState::Blocked) return "blocked";
    return last ? "just ran" : "ready";
}

// The event that the latest step produced on an object, if any.
bool touched_last(const engine::Scheduler& sched, engine::ObjectId id) {
    const auto& events = sched.trace().events();
    if (events.empty() || sched.steps() == 0) return false;
    const std::uint64_t last_step = sched.steps() - 1;
    for (auto it = events.rbegin(); it != events.rend() && it->step == last_step; ++it) {
        if (it->object == id) return true;
    }
    return false;
}

engine::TaskId last_task(const engine::Scheduler& sched) {
    return sched.choices().empty() ? engine::kNone : sched.choices().back();
}

namespace {
// WCAG 2's relative luminance of an opaque colour (0 black, 1 white).
double luminance(unsigned colour) {
    const auto channel = [&](int shift) {
        const double c = static_cast<double>((colour >> shift) & 0xFFu) / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(IM_COL32_R_SHIFT) + 0.7152 * channel(IM_COL32_G_SHIFT) + 0.0722 * channel(IM_COL32_B_SHIFT);
}
}  // namespace

unsigned text_on(unsigned fill) {
    // A see-through fill shows the panel under it: blend the two first.
    const float alpha = static_cast<float>((fill >> IM_COL32_A_SHIFT) & 0xFFu) / 255.0f;
    const ImVec4 over = ImGui::ColorConvertU32ToFloat4(fill), under = ImGui::ColorConvertU32ToFloat4(palette().panel);
    const unsigned seen = ImGui::ColorConvertFloat4ToU32(ImVec4(over.x * alpha + under.x * (1 - alpha), over.y * alpha + under.y * (1 - alpha),
                                                                over.z * alpha + under.z * (1 - alpha), 1.0f));
    constexpr unsigned kDark = IM_COL32(15, 15, 20, 255), kLight = IM_COL32(255, 255, 255, 255);
    // Contrast ratios (WCAG): (L1 + 0.05) / (L2 + 0.05), the lighter over the darker.
    const double l = luminance(seen);
    const double with_dark = (l + 0.05) / (luminance(kDark) + 0.05), with_light = 1.05 / (l + 0.05);
    return with_dark >= with_light ? kDark : kLight;
}

namespace {
int wrapped_lines(std::string_view text, float width) {
    return static_cast<int>(ImGui::CalcTextSize(text.data(), text.data() + text.size(), false, width).y / ImGui::GetTextLineHeight() + 0.5f);
}
}  // namespace

float longest_word_width(std::string_view text) {
    float longest = 0.0f;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find(' ', at), text.size());
        longest = std::max(longest, ImGui::CalcTextSize(text.data() + at, text.data() + end).x);
        at = end + 1;
    }
    return longest;
}

float balanced_width(const char* text, float width) {
    const int n = wrapped_lines(text, width);
    if (n < 2) return width;
    // Never narrower than the longest word: a narrower wrap breaks it ("transactiona / l memory"), maybe in as many lines.
    float lo = std::max(width * 0.75f, std::min(width, longest_word_width(text) + 1.0f)), hi = width;
    while (hi - lo > 1.0f) {
        const float mid = (lo + hi) * 0.5f;
        (wrapped_lines(text, mid) > n ? lo : hi) = mid;
    }
    return hi;
}

std::vector<float> content_widths(const std::vector<std::string>& heads, const std::vector<std::vector<std::string>>& cells, float room) {
    const std::size_t columns = heads.size();
    std::vector<float> least(columns, 0.0f);
    float least_sum = 0.0f;
    for (std::size_t c = 0; c < columns; ++c) {
        least[c] = ImGui::CalcTextSize(heads[c].c_str()).x;
        for (const std::string& cell : cells[c]) least[c] = std::max(least[c], longest_word_width(cell));
        least_sum += least[c];
    }
    if (room <= least_sum) return least;
    // lines[c][k][row]: the row's cell in column c at its least width and k steps more.
    constexpr int kSteps = 48;
    const float step = (room - least_sum) / static_cast<float>(kSteps);
    const std::size_t rows = cells.empty() ? 0 : cells[0].size();
    std::vector<std::vector<std::vector<int>>> lines(columns, std::vector<std::vector<int>>(kSteps + 1, std::vector<int>(rows, 1)));
    for (std::size_t c = 0; c < columns; ++c) {
        for (int k = 0; k <= kSteps; ++k) {
            for (std::size_t r = 0; r < rows; ++r) lines[c][k][r] = wrapped_lines(cells[c][r].c_str(), least[c] + step * static_cast<float>(k) + 1.0f);
        }
    }
    std::vector<int> steps(columns, 0);
    const auto total = [&](std::size_t widened, int by) {
        int sum = 0;
        for (std::size_t r = 0; r < rows; ++r) {
            int tallest = 1;
            for (std::size_t c = 0; c < columns; ++c) tallest = std::max(tallest, lines[c][steps[c] + (c == widened ? by : 0)][r]);
            sum += tallest;
        }
        return sum;
    };
    int left = kSteps;
    while (left > 0) {
        const int now = total(columns, 0);
        std::size_t best = columns;
        int best_by = 0;
        double best_gain = 0.0;
        for (std::size_t c = 0; c < columns; ++c) {
            for (int by = 1; by <= left; ++by) {
                const int saved = now - total(c, by);
                if (saved <= 0) continue;
                const double gain = static_cast<double>(saved) / by;
                if (gain > best_gain) best = c, best_by = by, best_gain = gain;
                break;  // the least widening that saves a line
            }
        }
        if (best == columns) break;
        steps[best] += best_by;
        left -= best_by;
    }
    std::vector<float> widths(columns);
    float sum = 0.0f;
    for (std::size_t c = 0; c < columns; ++c) sum += widths[c] = least[c] + step * static_cast<float>(steps[c]);
    for (float& w : widths) w *= room / sum;  // the steps no column could use, in proportion
    return widths;
}

float pretty_width(const std::string& text, float width) {
    const std::string_view all = text;
    const std::size_t cut = all.find_last_of(' ', all.find_last_not_of(' '));
    const int n = wrapped_lines(all, width);
    if (n < 2 || cut == std::string_view::npos) return width;
    // The last word is alone on its line when the text without it takes a line less.
    const auto orphan = [&](float w) { return wrapped_lines(all.substr(0, cut), w) < wrapped_lines(all, w); };
    if (!orphan(width)) return width;
    const float floor = longest_word_width(all) + 1.0f;  // narrower breaks a word (balanced_width says why)
    for (int k = 1; k <= 8; ++k) {
        const float w = width * (1.0f - 0.03f * static_cast<float>(k));
        if (w < floor) break;
        if (wrapped_lines(all, w) == n && !orphan(w)) return w;
    }
    return width;
}

std::string keep_units(const std::string& text) {
    static constexpr std::string_view kUnits[] = {"ns", "us", "ms", "s", "KB", "MB", "GB"};
    const auto word_at = [&text](std::size_t at, std::string_view word) {  // `word` whole at `at`: "ms:" yes, "msg" no
        const std::size_t end = at + word.size();
        return text.compare(at, word.size(), word) == 0 && (end == text.size() || !std::isalnum(static_cast<unsigned char>(text[end])));
    };
    std::string out;
    out.reserve(text.size() + 8);
    std::size_t unit_end = std::string::npos;  // where the last unit bound ended: "3,204 ns each" keeps its "each"
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool bind = false;
        if (text[i] == ' ' && i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9') {
            for (std::string_view u : kUnits) {
                if (word_at(i + 1, u)) {
                    bind = true;
                    unit_end = i + 1 + u.size();
                    break;
                }
            }
        } else if (text[i] == ' ' && i == unit_end && word_at(i + 1, "each")) {
            bind = true;
        }
        out += bind ? std::string_view("\xC2\xA0") : std::string_view(&text[i], 1);
    }
    return out;
}

void text_wrapped_pretty(const std::string& text) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + pretty_width(text, ImGui::GetContentRegionAvail().x));
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
}

float chip_width(const char* text) { return ImGui::CalcTextSize(text).x + 2 * ImGui::GetStyle().FramePadding.x; }

void chip_same_line(const char* text, float right, bool first) {
    if (first || ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + chip_width(text) <= right) ImGui::SameLine();
}

void chip(const char* text, unsigned colour) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 size = ImGui::CalcTextSize(text);
    const float pad = ImGui::GetStyle().FramePadding.x;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(p, ImVec2(p.x + size.x + 2 * pad, p.y + size.y + pad), colour, 6.0f);
    dl->AddText(ImVec2(p.x + pad, p.y + pad * 0.5f), text_on(colour), text);
    ImGui::Dummy(ImVec2(size.x + 2 * pad, size.y + pad));
}

void chip_label(const char* text, bool muted) {
    // Down by the half padding a chip's text has; as tall as a chip, so that chips on its line line up.
    const ImVec2 size = ImGui::CalcTextSize(text);
    const float pad = ImGui::GetStyle().FramePadding.x;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddText(ImVec2(p.x, p.y + pad * 0.5f), ImGui::GetColorU32(muted ? ImGuiCol_TextDisabled : ImGuiCol_Text), text);
    ImGui::Dummy(ImVec2(size.x, size.y + pad));
}

float ease(double t) {
    const double x = std::clamp(t, 0.0, 1.0);
    return static_cast<float>(1.0 - (1.0 - x) * (1.0 - x));
}

unsigned with_alpha(unsigned colour, float alpha) {
    return (colour & 0x00FFFFFFu) | (static_cast<unsigned>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f) << 24);
}

// Remembers what an object showed; returns its memory, updated for this frame.
ViewMemory::Seen* remember(const ViewContext& vc, engine::ObjectId id, const engine::Snapshot& snap) {
    if (!vc.memory) return nullptr;
    const double now = ImGui::GetTime();
    auto [it, fresh] = vc.memory->objects.try_emplace(id);
    ViewMemory::Seen& seen = it->second;
    if (fresh) {
        seen.value = snap.value;
        seen.waiting = snap.waiting;
        return &seen;
    }
    if (seen.value != snap.value) {
        seen.previous = seen.value;
        seen.value = snap.value;
        seen.changed_at = now;
    }
    for (engine::TaskId t : snap.waiting) {
        if (std::find(seen.waiting.begin(), seen.waiting.end(), t) == seen.waiting.end()) seen.joined_at[t] = now;
    }
    seen.waiting = snap.waiting;
    return &seen;
}

std::string fitted(const std::string& text, std::size_t max_chars) {
    return text.size() > max_chars ? scenes::shown(text, max_chars) : text;
}

// "name = value" where a new value slides up into place and the old one leaves.
void animated_value(const std::string& name, const ViewMemory::Seen* seen, const std::string& whole) {
    const std::string value = fitted(whole);
    const std::string head = name + " = ";
    ImGui::TextUnformatted(head.c_str());
    ImGui::SameLine(0.0f, 0.0f);
    const double t = seen ? (ImGui::GetTime() - seen->changed_at) / kSlide : 1.0;
    if (t >= 1.0 || !seen) {
        ImGui::TextUnformatted(value.c_str());
        return;
    }
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    const float k = ease(t);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const unsigned text = ImGui::GetColorU32(ImGuiCol_Text);
    dl->AddText(ImVec2(p.x, p.y - h * 0.8f * k), with_alpha(text, 1.0f - k), fitted(seen->previous).c_str());
    dl->AddText(ImVec2(p.x, p.y + h * 0.8f * (1.0f - k)), with_alpha(palette().accent, k), value.c_str());
    ImGui::Dummy(ImGui::CalcTextSize(value.c_str()));
}

ImVec2 item_centre() {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    return ImVec2((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f);
}

std::string json_point(ImVec2 v) { return "[" + std::to_string(static_cast<int>(v.x)) + "," + std::to_string(static_cast<int>(v.y)) + "]"; }

void disabled_wrapped(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::PushTextWrapPos(ImGui::GetWindowContentRegionMax().x);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

std::size_t glyphs_missing(const ImFont* font, std::string_view text) {
    std::vector<unsigned> missing;
    const char* at = text.data();
    const char* end = text.data() + text.size();
    while (at < end) {
        unsigned c = 0;
        const int n = ImTextCharFromUtf8(&c, at, end);
        if (n <= 0) break;
        at += n;
        if (c < 0x20 || (font && font->FindGlyphNoFallback(static_cast<ImWchar>(c)))) continue;
        if (std::find(missing.begin(), missing.end(), c) == missing.end()) missing.push_back(c);
    }
    return missing.size();
}

void tooltip(const char* text) {
    if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

bool choice_combo(const char* label, int& value, const std::vector<std::string>& choices, const std::vector<std::string>& helps) {
    if (choices.empty()) return false;
    float widest = 0.0f;
    for (const std::string& c : choices) widest = std::max(widest, ImGui::CalcTextSize(c.c_str()).x);
    ImGui::SetNextItemWidth(widest + ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2);
    const auto at = static_cast<std::size_t>(std::clamp(value, 0, static_cast<int>(choices.size()) - 1));
    bool changed = false;
    if (ImGui::BeginCombo(label, choices[at].c_str())) {
        for (std::size_t i = 0; i < choices.size(); ++i) {
            if (ImGui::Selectable(choices[i].c_str(), i == at) && i != at) {
                value = static_cast<int>(i);
                changed = true;
            }
            if (i < helps.size()) tooltip(helps[i].c_str());
        }
        ImGui::EndCombo();
    }
    return changed;
}

bool small_int(const char* label, int& value, int min, int max) {
    const ImGuiStyle& st = ImGui::GetStyle();
    const std::string widest = std::to_string(std::max(std::abs(min), std::abs(max))) + (min < 0 ? "-" : "");
    ImGui::SetNextItemWidth(ImGui::CalcTextSize(widest.c_str()).x + st.FramePadding.x * 4 + (ImGui::GetFrameHeight() + st.ItemInnerSpacing.x) * 2);
    int v = value;
    if (!ImGui::InputInt(label, &v, 1, 1)) return false;
    v = std::clamp(v, min, max);
    if (v == value) return false;
    value = v;
    return true;
}

void fade_frame(ImVec2 a, ImVec2 b, float since_step) {
    const float alpha = std::clamp(1.0f - since_step / 0.8f, 0.0f, 1.0f);
    if (alpha <= 0.0f) return;
    const unsigned c = palette().accent;
    const unsigned faded = (c & 0x00FFFFFFu) | (static_cast<unsigned>(alpha * 255.0f) << 24);
    ImGui::GetWindowDrawList()->AddRect(a, b, faded, 8.0f, 0, 4.0f);
}

// The model's shape as a small glyph, from its row of the models table: its
// tasks as lanes of coloured slices, side by side where the model runs in
// parallel and taking turns on one lane where it is concurrent only.
void model_glyph(ImDrawList* draw, ImVec2 at, float em, const scenes::ModelRow& row) {
    const Palette& pal = palette();
    const unsigned colours[] = {pal.running, pal.accent, pal.ready};
    const bool parallel = row.parallelism.find("not parallel") == std::string::npos;
    const float w = em * 0.34f, h = em * 0.34f, gap = em * 0.08f;
    for (int lane = 0; lane < (parallel ? 2 : 1); ++lane) {
        for (int k = 0; k < 4; ++k) {
            const ImVec2 a(at.x + k * (w + gap), at.y + lane * (h + gap));
            // Parallel lanes both run at once; one lane alternates between its tasks.
            const unsigned c = parallel ? colours[lane] : colours[k % 2];
            if (parallel && (k + 2 * lane) % 4 == 3) continue;  // a wait here and there
            draw->AddRectFilled(a, ImVec2(a.x + w, a.y + h), c, em * 0.08f);
        }
    }
}

}  // namespace such::ui
