// Talk mode's drawing: text slides, the models table, live slides (the scene's
// views without the workbench controls), the hint line and speaker notes.
// Behaviour lives in ui/talk.cpp.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>
#include <utility>

#include "imgui.h"
#include "ui/compare_slide.hpp"
#include "ui/deep_link.hpp"
#include "ui/explorer_panel.hpp"
#include "ui/fit_pane.hpp"
#include "ui/talk.hpp"
#include "ui/view_parts.hpp"
#include "ui/views.hpp"

namespace such::ui {
namespace {

ImVec4 colour(unsigned c) { return ImGui::ColorConvertU32ToFloat4(c); }

// A slide's panes shrink their text to show all they hold, to no less than
// this of the stage's: 20 px body text at 1920x1080 (28.6 px x 0.7). A live
// slide's objects (names in the larger title font, chips, diagrams) go to 0.6.
constexpr float kStageFloor = 0.7f;
constexpr float kObjectsFloor = 0.6f;

std::string clock_text(std::chrono::steady_clock::duration d) {
    const long s = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

// The section on the left and "12 / 44" on the right, above every slide.
void slide_header(const std::string& section, std::size_t index) {
    const std::string count = std::to_string(index + 1) + " / " + std::to_string(scenes::deck().size());
    ImGui::TextDisabled("%s", section.c_str());
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize(count.c_str()).x);
    ImGui::TextDisabled("%s", count.c_str());
}

// "count = 4" stays on one line when the text around it wraps.
std::string unbroken_equations(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, " = ") == 0) {
            out += "\xC2\xA0=\xC2\xA0";
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// Text in one colour, wrapped to the space left at its spaces only: ImGui
// also breaks after a comma, which splits a number such as 99,702 in two.
void text_wrapped_at_spaces(ImU32 col, const std::string& text) {
    const float width = ImGui::GetContentRegionAvail().x;
    std::string out, line;
    std::size_t from = 0;
    while (from <= text.size()) {
        std::size_t space = text.find(' ', from);
        if (space == std::string::npos) space = text.size();
        const std::string word = text.substr(from, space - from);
        const std::string longer = line.empty() ? word : line + ' ' + word;
        if (!line.empty() && ImGui::CalcTextSize(longer.c_str()).x > width) {
            out += line + '\n';
            line = word;
        } else {
            line = longer;
        }
        from = space + 1;
    }
    out += line;
    ImGui::PushStyleColor(ImGuiCol_Text, col);
    ImGui::TextUnformatted(out.c_str());
    ImGui::PopStyleColor();
}

void bullet_line(const std::string& b, bool first, float wrap_x) {
    const bool pro = b.starts_with("+ "), con = b.starts_with("- "), sub = b.starts_with("  ");
    // Air before a point, little before a sub-point: each point reads as one with its own sub-points.
    if (!first) ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * (sub ? 0.0f : 0.45f)));
    const float indent = ImGui::GetFontSize() * (sub ? 2.2f : 0.6f);
    ImGui::Indent(indent);
    const char* mark = pro ? "+" : con ? "\xE2\x80\x93" : sub ? "\xE2\x80\xA2" : "\xE2\x96\xB8";
    // Each mark in a slot as wide as the widest, so that the points' words line up whatever marks them.
    float slot = 0.0f;
    for (const char* m : {"+", "\xE2\x80\x93", "\xE2\x80\xA2", "\xE2\x96\xB8"}) slot = std::max(slot, ImGui::CalcTextSize(m).x);
    const float x = ImGui::GetCursorPosX();
    ImGui::TextColored(colour(pro ? palette().good : con ? palette().bad : palette().accent), "%s", mark);
    ImGui::SameLine();
    ImGui::SetCursorPosX(x + slot + ImGui::GetStyle().ItemSpacing.x);
    // A point that wraps wraps evenly: "many per OS / thread" left one word alone.
    const std::string text = b.substr(pro || con || sub ? 2 : 0);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + balanced_width(text.c_str(), wrap_x - ImGui::GetCursorPosX()));
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Unindent(indent);
}

}  // namespace

namespace {
// A slide's beats, as the footer names them (talk.cpp moves through them).
constexpr const char* kBeats[] = {"the run", "the outcome", "every schedule"};
// The frames of a beat in which a live slide's layout may change (about half a second).
constexpr int kLayoutFrames = 30;
}  // namespace

std::string Talk::draw(const Stage& stage) {
    std::string asked;
    const auto& d = scenes::deck();
    const scenes::Slide& s = d[slide_];
    const ImGuiStyle& st = ImGui::GetStyle();
    const bool beats = beat_count() > 1;
    // A slide with beats has a second footer line: its keys.
    const float footer_h = ImGui::GetTextLineHeightWithSpacing() * (beats ? 2.0f : 1.0f) + st.WindowPadding.y;
    ImGui::BeginChild("slide", ImVec2(0, -footer_h), false);
    // A live slide's panes fit each on their own; any other slide as a whole.
    const bool live = s.kind == scenes::SlideKind::Live && stage.player.run();
    if (!live) begin_fitted(slide_);
    slide_header(s.section, slide_);
    if (live) {
        draw_live_slide(stage);
    } else if (s.kind == scenes::SlideKind::Compare && compare_) {
        draw_compare_slide(s, stage);
    } else if (s.kind == scenes::SlideKind::Models) {
        asked = draw_models_slide(stage.fonts);
    } else {
        draw_text_slide(s, stage.fonts);
    }
    if (!live) end_fitted(kStageFloor);
    ImGui::EndChild();
    if (jump_.empty() && beats) {
        // "the run > the outcome > every schedule", the current one lit, then what the clicker does next.
        for (std::size_t b = 0; b < beat_count(); ++b) {
            if (b) {
                ImGui::SameLine(0.0f, 0.0f);
                ImGui::TextDisabled("  \xE2\x96\xB8  ");
                ImGui::SameLine(0.0f, 0.0f);
            }
            ImGui::TextColored(colour(b == beat_ ? palette().accent : palette().muted), "%s", kBeats[b]);
        }
        ImGui::SameLine();
        const std::string next = beat_ + 1 < beat_count() ? kBeats[beat_ + 1] : "next slide";
        draw_slide_footer(stage, "    PgDn / \xE2\x86\x92: " + next + "  \xC2\xB7  PgUp / \xE2\x86\x90: back", live_keys(stage.player));
    } else {
        draw_slide_footer(stage, !jump_.empty() ? "go to slide " + jump_ + "_  (Enter)"
                                                : "\xE2\x86\x92 next  \xC2\xB7  \xE2\x86\x90 back  \xC2\xB7  Home / End  \xC2\xB7  a number + Enter jumps  \xC2\xB7  N notes  \xC2\xB7  Esc leaves");
    }
    if (notes_overlay_) draw_notes_overlay(stage.fonts);
    return asked;
}

// What the keys of a live slide do now, with the values they change.
std::string Talk::live_keys(const ScenePlayer& player) const {
    const char* dot = "  \xC2\xB7  ";
    std::string keys = std::string(player.playing() ? "P pause" : "P play");
    if (player.run() && player.scene()) {
        keys += std::string(dot) + ". step" + dot + "C cores: " + std::to_string(player.settings().cores) + dot + "S seed: " +
                std::to_string(player.settings().seed) + dot + "O " + std::string(engine::to_string(player.settings().policy));
        if (const scenes::Param* p = scenes::variant_param(*player.scene(), scenes::deck()[slide_].vary)) {
            const int v = scenes::param_value(*player.scene(), player.settings(), p->id);
            keys += std::string(dot) + "V " + p->label + ": " + (p->choices.empty() ? std::to_string(v) : p->choices[static_cast<std::size_t>(v)]);
        }
    }
    return keys + dot + "N notes";
}

void Talk::draw_slide_footer(const Stage& stage, const std::string& hint, const std::string& keys) {
    // Lanes on the slide (not on the beat that shows every schedule in their place): the colours of their
    // cells at the right of the first footer line they fit on.
    const scenes::SlideKind kind = scenes::deck()[slide_].kind;
    bool legend = (kind == scenes::SlideKind::Live && beat_ != 2) || kind == scenes::SlideKind::Compare;
    const auto legend_here = [&legend] {
        if (!legend) return;
        ImGui::SameLine();
        const float width = timeline_legend_width(true);
        const float right = ImGui::GetWindowContentRegionMax().x;
        if (ImGui::GetCursorPosX() + ImGui::GetFontSize() * 2 + width > right) {
            ImGui::NewLine();
            return;
        }
        ImGui::SetCursorPosX(right - width);
        draw_timeline_legend(width + 1.0f, true);
        legend = false;
    };
    ImGui::TextDisabled("%s", hint.c_str());
    if (!stage.error.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(colour(palette().bad), "   %s", fitted(stage.error, 2000).c_str());
    }
    if (keys.empty()) return;
    legend_here();
    ImGui::TextDisabled("%s", keys.c_str());
    legend_here();
}

// The talk's first slide: its title large in the middle, the subtitle under
// it, and the models it tours as a row of their shapes.
void Talk::draw_title_slide(const scenes::Slide& s, const Fonts& fonts) {
    const float em = ImGui::GetFontSize();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float left = ImGui::GetCursorPosX();
    auto centred = [&](const std::string& text) {
        ImGui::SetCursorPosX(left + std::max(0.0f, (avail.x - ImGui::CalcTextSize(text.c_str()).x) * 0.5f));
    };
    ImGui::PushFont(fonts.cover);
    const float title_h = ImGui::GetTextLineHeight();
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, std::max(0.0f, (avail.y - title_h - em * 9.0f) * 0.42f)));
    ImGui::PushFont(fonts.cover);
    centred(s.title);
    ImGui::TextUnformatted(s.title.c_str());
    ImGui::PopFont();
    ImGui::PushFont(fonts.slide);
    centred(s.subtitle);
    ImGui::TextColored(colour(palette().accent), "%s", s.subtitle.c_str());
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, em * 2.5f));
    // The models it tours, in two centred lines: each its shape and its name.
    const auto rows = scenes::models_table();
    const float gap = em * 1.6f, glyph = em * 2.0f;
    const std::size_t half = (rows.size() + 1) / 2;
    for (std::size_t from = 0; from < rows.size(); from += half) {
        const std::size_t to = std::min(rows.size(), from + half);
        float width = 0.0f;
        for (std::size_t i = from; i < to; ++i) width += glyph + ImGui::CalcTextSize(rows[i].row->model.c_str()).x + (i + 1 < to ? gap : 0.0f);
        float x = ImGui::GetCursorScreenPos().x + std::max(0.0f, (avail.x - width) * 0.5f);
        const float y = ImGui::GetCursorScreenPos().y;
        ImDrawList* draw = ImGui::GetWindowDrawList();
        for (std::size_t i = from; i < to; ++i) {
            model_glyph(draw, ImVec2(x, y + em * 0.2f), em, *rows[i].row);
            x += glyph;
            draw->AddText(ImVec2(x, y), ImGui::GetColorU32(ImGuiCol_Text), rows[i].row->model.c_str());
            x += ImGui::CalcTextSize(rows[i].row->model.c_str()).x + gap;
        }
        ImGui::Dummy(ImVec2(0, em * 1.6f));
    }
    ImGui::Dummy(ImVec2(0, em * 0.6f));
    const std::string line = "each one a real program on a real scheduler: two lanes where it runs in parallel, one where it takes turns";
    centred(line);
    ImGui::TextDisabled("%s", line.c_str());
}

void Talk::draw_text_slide(const scenes::Slide& s, const Fonts& fonts) {
    if (slide_ == 0) return draw_title_slide(s, fonts);
    const float em = ImGui::GetFontSize();
    const bool cover = s.bullets.empty() && s.code.empty();
    ImGui::Dummy(ImVec2(0, cover ? ImGui::GetContentRegionAvail().y * 0.3f : em * 0.8f));
    ImGui::Indent(em * 1.5f);
    ImGui::PushFont(fonts.slide_title);
    ImGui::TextWrapped("%s", s.title.c_str());
    ImGui::PopFont();
    ImGui::PushFont(fonts.slide);
    if (!s.subtitle.empty()) ImGui::TextColored(colour(palette().accent), "%s", s.subtitle.c_str());
    ImGui::Dummy(ImVec2(0, em * 0.8f));
    const float wrap_x = ImGui::GetContentRegionMax().x - em * 2.0f;
    for (std::size_t i = 0; i < s.bullets.size(); ++i) bullet_line(s.bullets[i], i == 0, wrap_x);
    ImGui::PopFont();
    if (!s.code.empty()) {
        ImGui::Dummy(ImVec2(0, em * 0.8f));  // as much air as between the title and the points
        ImGui::PushFont(fonts.slide_code);
        const ImVec2 size = ImGui::CalcTextSize(s.code.c_str());
        ImGui::BeginChild("code", ImVec2(size.x + em * 2, size.y + em * 1.5f), true);
        ImGui::TextUnformatted(s.code.c_str());
        ImGui::EndChild();
        ImGui::PopFont();
    }
    ImGui::Unindent(em * 1.5f);
}

std::string Talk::draw_models_slide(const Fonts& fonts) {
    std::string asked;
    ImGui::PushFont(fonts.slide_title);
    ImGui::TextUnformatted("The models, classified");
    ImGui::PopFont();
    const auto rows = scenes::models_table();
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;
    const char* heads[] = {"Model", "Runs on", "Scheduling", "Communication", "Concurrent / parallel", "Example"};
    // Room around each cell's words: they started flush with the row's band and touched the next row.
    const ImVec2 padding(ImGui::GetFontSize() * 0.45f, ImGui::GetFontSize() * 0.3f);
    // Widths from the words: with fixed shares "concurrent and / parallel" wrapped in seven rows while
    // the model's column had room to spare. The cells' text has the table's width less each cell's padding.
    // Worked out again only when the room or the font changes: a few thousand measurements.
    static float laid_for = -1.0f, laid_font = -1.0f;
    static std::vector<float> widths;
    const float room = ImGui::GetContentRegionAvail().x - padding.x * 2.0f * 6.0f;
    if (room != laid_for || ImGui::GetFontSize() != laid_font) {
        std::vector<std::vector<std::string>> cells(6);
        for (const auto& model : rows) {
            const scenes::ModelRow& r = *model.row;
            std::size_t c = 0;
            for (const std::string* cell : {&r.model, &r.os_mechanism, &r.scheduling, &r.communication, &r.parallelism, &r.example}) {
                cells[c++].push_back(*cell);
            }
        }
        widths = content_widths(std::vector<std::string>(std::begin(heads), std::end(heads)), cells, room);
        laid_for = room;
        laid_font = ImGui::GetFontSize();
    }
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, padding);
    const bool table = ImGui::BeginTable("models", 6, flags);
    ImGui::PopStyleVar();  // the table keeps the padding it began with
    if (!table) return asked;
    for (int c = 0; c < 6; ++c) ImGui::TableSetupColumn(heads[c], ImGuiTableColumnFlags_WidthStretch, widths[static_cast<std::size_t>(c)]);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const scenes::ModelRow& r = *rows[i].row;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushID(static_cast<int>(i));
        if (rows[i].scene) {
            // A link: the model's name, wrapped, opens its first slide.
            ImGui::PushStyleColor(ImGuiCol_Text, colour(palette().accent));
            text_wrapped_pretty(r.model);
            ImGui::PopStyleColor();
            if (ImGui::IsItemClicked()) asked = "row " + std::to_string(i + 1);
            if (ImGui::IsItemHovered()) {
                ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
                ImGui::SetTooltip("opens %s", rows[i].scene->title.c_str());
            }
        } else {
            text_wrapped_pretty(r.model);
            ImGui::TextDisabled("(no scene yet)");
        }
        ImGui::PopID();
        for (const std::string* cell : {&r.os_mechanism, &r.scheduling, &r.communication, &r.parallelism, &r.example}) {
            ImGui::TableNextColumn();
            text_wrapped_pretty(*cell);  // a cell that still wraps leaves no word alone on its last line
        }
    }
    ImGui::EndTable();
    return asked;
}

// The scene's views as on the scene page, minus the workbench: the transport,
// the trace and the explorer stay on the scene page; here keys drive it.
void Talk::draw_live_slide(const Stage& stage) {
    const scenes::Outcome out = stage.player.run()->outcome();
    const ViewContext vc = stage.player.view_context(stage.fonts, false);
    ImGui::PushFont(stage.fonts.title);
    ImGui::TextUnformatted(stage.player.scene()->title.c_str());
    ImGui::PopFont();
    // Lines that break at spaces only: ImGui's wrapping breaks after a comma, inside "1,176".
    text_wrapped_at_spaces(out.bad ? palette().bad : out.over ? palette().good : palette().muted, out.headline);
    const ImGuiStyle& st = ImGui::GetStyle();
    const float lane = ImGui::GetTextLineHeight() * 0.9f + 4.0f;
    // The box under the panes: this run's lanes, and on the "every schedule" beat what the explorer
    // found in their place, with room for three lines of words (as many as three lanes take: a slide
    // with three tasks or more keeps its panes' size from beat to beat, one with fewer loses a line or
    // two on that beat only).
    // More than five tasks (one-for-all's restarted workers: eight) take a little more: each lane at the
    // box's floor, so the last lane is never cut off behind a scrollbar.
    const auto tasks = static_cast<float>(stage.player.run()->sched().task_count());
    const float lanes_h = std::max(std::min(tasks, 5.0f), tasks * (kStageFloor + 0.05f)) * lane;
    const float words_h = beat_ == 2 ? 3.0f * lane : 0.0f;  // the words fit it a little smaller than full size
    const float timeline_h = std::max(lanes_h, words_h) + st.WindowPadding.y * 2 + 6.0f;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float body_h = avail.y - timeline_h - st.ItemSpacing.y;
    // What a live slide's layout remembers, per slide and display width.
    // `wider`: a listing wider than its pane at the floor takes width from the objects, a little a
    // frame (one taller than the pane follows its current line: draw_tasks).
    // `right`: the scene's words go over the code or over the objects, whichever leaves the smaller of
    // the two panes' text larger: each frame both are measured and taken back to full size (so the
    // choice does not depend on how far either pane shrank before), and the words move for a gain of
    // a twentieth or more (so they do not hop between two near-equal layouts).
    // Both settle in a beat's first frames and then hold: a run that fills its panes as it plays shrinks
    // their text, and moves nothing (the words moved from one pane to the other halfway through C10k).
    struct Layout {
        float wider = 0.0f;
        bool right = false;
        std::size_t beat = SIZE_MAX;  // the beat the frames below count from
        int frames = 0;  // frames drawn in it
        bool ended = false;  // the beat's run has ended (its panes then hold what they will show)
    };
    static std::map<std::pair<std::size_t, int>, Layout> layouts;
    Layout& layout = layouts[{slide_, static_cast<int>(avail.x)}];
    float& wider = layout.wider;
    bool& right = layout.right;
    if (layout.beat != beat_) {
        layout.beat = beat_;
        layout.frames = 0;
        layout.ended = false;
    }
    // A run fills its panes as it plays (actors appear, mailboxes fill and empty), and a pane's text only
    // shrinks while it plays; once it ends, each pane may take back the room its final state leaves.
    if (out.over != layout.ended) {
        layout.ended = out.over;
        if (out.over) let_fits_grow();
    }
    const bool settling = layout.frames++ < kLayoutFrames;
    if (settling) note_unsettled();
    const std::string words = keep_units(stage.player.scene()->slide);
    // A block of words as tall as it is at full size in this pane (the pane's scale taken back out).
    const auto words_full = [&](float scale) {
        return (ImGui::CalcTextSize(words.c_str(), nullptr, false, ImGui::GetContentRegionAvail().x).y + st.ItemSpacing.y * 2) / scale;
    };
    ImGui::BeginChild("slide_left", ImVec2(avail.x * (0.42f + wider), body_h), true);
    begin_fitted(slide_);
    const float code_scale = fitted_scale();
    const float words_left = words_full(code_scale);
    if (!right) {
        text_wrapped_pretty(words);
        ImGui::Separator();
    }
    const float code_top = ImGui::GetCursorPosY();
    const float listing_full = listing_width(*stage.player.run(), vc) / code_scale;
    draw_tasks(*stage.player.run(), vc);
    const float code_full = (ImGui::GetCursorPosY() - code_top) / code_scale;
    if (end_fitted(kStageFloor).across && wider < 0.15f && settling) wider += 0.01f;
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("slide_right", ImVec2(0, body_h), true);
    begin_fitted(slide_);
    const float objects_scale = fitted_scale();
    const float words_right_full = words_full(objects_scale);
    if (right) {
        text_wrapped_pretty(words);
        ImGui::Separator();
    }
    const float objects_top = ImGui::GetCursorPosY();
    draw_state(*stage.player.run(), vc);
    const float objects_full = (ImGui::GetCursorPosY() - objects_top) / objects_scale;
    const float room = body_h - st.WindowPadding.y * 2;
    // The scale each pane's content needs to be seen whole, below its floor too: where the code is at its
    // floor either way, the words go where the less is hidden.
    const auto fits = [room](float need) { return std::min(room / std::max(need, 1.0f), 1.0f); };
    const float words_over_code = std::min(fits(words_left + code_full), fits(objects_full));
    const float words_over_objects = std::min(fits(code_full), fits(objects_full + words_right_full));
    const bool better_right = right ? words_over_objects + 0.05f > words_over_code : words_over_objects > words_over_code + 0.05f;
    end_fitted(kObjectsFloor);
    // A listing wider than its pane takes width from objects that fit at full size with room to spare
    // (a slide's one mailbox beside code shrunk for its long lines).
    const float listing_wants = std::clamp((listing_full + st.WindowPadding.x * 2 + st.ScrollbarSize) / avail.x - 0.42f, 0.0f, 0.15f);
    const bool objects_roomy = objects_scale >= 1.0f && objects_full + (right ? words_right_full : 0.0f) < room * 0.85f;
    const bool widen = settling && listing_wants > wider + 0.005f && objects_roomy;
    if (widen) wider = listing_wants;
    if (settling && (better_right != right || widen)) {
        right = better_right;
        let_fits_grow();  // each pane may take back the room it gains, measured next frame in its new layout
    }
    ImGui::EndChild();
    ImGui::BeginChild(beat_ == 2 ? "slide_schedules" : "slide_timeline", ImVec2(0, timeline_h), true,
                      beat_ == 2 ? ImGuiWindowFlags_None : ImGuiWindowFlags_HorizontalScrollbar);
    begin_fitted(slide_);
    if (beat_ == 2) {
        draw_schedules_line(stage.explorer, out.over ? out.headline : std::string());
        end_fitted(kStageFloor);
    } else {
        draw_timeline(*stage.player.run(), vc);
        end_fitted(kStageFloor, false);
    }
    ImGui::EndChild();
}

// The "every schedule" beat: what the explorer found, in words, and whether
// it shows what the scene claims.
void Talk::draw_schedules_line(const ExplorerPanel& explorer, const std::string& this_run) {
    const engine::ExploreResult r = explorer.snapshot();
    // A search within a bound follows one of every schedule that was too many to finish: both said.
    const std::string whole = explorer.whole_tried() > 0
                                  ? scenes::grouped(static_cast<long>(explorer.whole_tried())) + " schedules, none wrong, and more remain; then all "
                                  : "";
    if (explorer.running()) {
        const std::string within = explorer.search_bound() >= 0 ? " with at most " + scenes::counted(explorer.search_bound(), "preemption") : "";
        ImGui::TextDisabled("Exploring %severy schedule%s... %s so far", whole.c_str(), within.c_str(),
                            scenes::grouped(static_cast<long>(r.executions)).c_str());
        return;
    }
    const bool wrong = std::any_of(r.outcomes.begin(), r.outcomes.end(), [](const engine::Outcome& o) { return o.bad; });
    text_wrapped_at_spaces(wrong ? palette().bad : palette().good, "Explored: " + whole + schedules_words(r, this_run));
    if (!explorer.claim().text.empty()) text_wrapped_at_spaces(ImGui::GetColorU32(ImGuiCol_TextDisabled), explorer.claim_line(r).text);
}

// One row per model: the live run (its outcome and its tasks' lanes), then
// what the worker measured on real threads and what the explorer found.
void Talk::draw_compare_slide(const scenes::Slide& s, const Stage& stage) {
    ImGui::PushFont(stage.fonts.slide_title);
    ImGui::TextUnformatted(s.title.c_str());
    ImGui::PopFont();
    // One line under the title: six rows of lanes need the height more than a paragraph does.
    const scenes::Scene* scene = scenes::slide_scene(slide_);
    ImGui::TextColored(colour(palette().accent), "%s", !s.subtitle.empty() ? s.subtitle.c_str() : scene ? scene->title.c_str() : "");
    const auto rows = compare_->rows();
    const float em = ImGui::GetFontSize();
    const float row_h = std::max(em * 3.2f, (ImGui::GetContentRegionAvail().y - em * 1.6f) / static_cast<float>(std::max<std::size_t>(rows.size(), 1)));
    ViewContext vc{stage.fonts, stage.player.since_step()};
    // Every row's lanes start at one x, whatever each row's scale: past the longest task name of them
    // all at full size (as draw_timeline measures its own).
    vc.lanes_at = ImGui::CalcTextSize("WWW").x;
    for (const CompareSlide::Row& r : rows) {
        for (std::size_t t = 0; t < r.run->sched().task_count(); ++t) {
            vc.lanes_at = std::max(vc.lanes_at, ImGui::CalcTextSize(r.run->sched().task_name(static_cast<engine::TaskId>(t)).c_str()).x);
        }
    }
    vc.lanes_at += ImGui::GetFontSize() * 0.6f;
    // A model's name wraps between its words, never inside one: its column is at least as wide as the longest
    // word of the names, in their font (at 1280 wide a sixth of the table split "transactiona / l memory"); the
    // other columns share the rest in their proportions.
    ImGui::PushFont(stage.fonts.title);
    float longest_word = 0.0f;
    for (const CompareSlide::Row& r : rows) longest_word = std::max(longest_word, longest_word_width(r.label));
    ImGui::PopFont();
    constexpr float kOthers = 1.9f + 1.6f + 1.4f;  // the weights of the other three columns, below
    const float table_w = ImGui::GetContentRegionAvail().x;
    // Half an em each side of a cell's words: a column's lines ended some 13 px before the next column's
    // began and read as one line with them ("...2,683 ns each count = 2").
    const ImVec2 cell_pad(em * 0.5f, ImGui::GetStyle().CellPadding.y);
    const float model_need = longest_word + 2.0f * cell_pad.x + em * 0.2f;
    const float model_weight = table_w > model_need * 2.0f ? std::max(1.0f, model_need * kOthers / (table_w - model_need)) : 1.0f;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, cell_pad);
    const bool table = ImGui::BeginTable("compare", 4, flags);
    ImGui::PopStyleVar();  // the table keeps the padding it began with
    if (!table) return;
    // The live column fits its outcome on one line at 1920 wide ("count = 4 of 4: every increment counted").
    ImGui::TableSetupColumn("Model", ImGuiTableColumnFlags_WidthStretch, model_weight);
    ImGui::TableSetupColumn("Live, on the simulator", ImGuiTableColumnFlags_WidthStretch, 1.9f);
    ImGui::TableSetupColumn("Measured now on real threads", ImGuiTableColumnFlags_WidthStretch, 1.6f);
    ImGui::TableSetupColumn("The explorer (1 increment each)", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const CompareSlide::Row& r = rows[i];
        const scenes::Outcome out = r.run->outcome();
        ImGui::TableNextRow(0, row_h);
        ImGui::TableNextColumn();
        ImGui::PushFont(stage.fonts.title);
        text_wrapped_pretty(r.label);
        ImGui::PopFont();
        ImGui::TableNextColumn();
        ImGui::PushID(static_cast<int>(i));
        // The outcome wraps in its column (never clipped); the lanes take what is left of the row.
        const float before = ImGui::GetCursorPosY();
        text_wrapped_at_spaces(out.bad ? palette().bad : out.over ? palette().good : palette().muted, unbroken_equations(out.headline));
        const float lanes_h = std::max(em * 1.5f, row_h - (ImGui::GetCursorPosY() - before) - 4.0f);
        // A gap before the next column: a long run's lanes end at the child's right edge.
        ImGui::BeginChild("lanes", ImVec2(-em * 0.8f, lanes_h), false, ImGuiWindowFlags_NoScrollbar);
        begin_fitted(slide_);
        draw_timeline(*r.run, vc);
        end_fitted(kStageFloor);
        ImGui::EndChild();
        ImGui::PopID();
        ImGui::TableNextColumn();
        if (r.real.empty()) {
            ImGui::TextDisabled("measuring...");
        } else {
            text_wrapped_at_spaces(!r.real_ran ? palette().muted : r.real_bad ? palette().bad : palette().good, keep_units(unbroken_equations(r.real)));
        }
        ImGui::TableNextColumn();
        if (r.explored.empty()) {
            ImGui::TextDisabled(compare_->measuring() ? "exploring..." : "-");
        } else {
            text_wrapped_at_spaces(r.explored_bad ? palette().bad : palette().good, unbroken_equations(r.explored));
        }
    }
    ImGui::EndTable();
}

void Talk::draw_notes_overlay(const Fonts& fonts) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float h = vp->WorkSize.y * 0.3f;
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - h));
    ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, h));
    ImGui::SetNextWindowBgAlpha(0.96f);
    ImGui::Begin("Speaker notes", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    draw_speaker_view(fonts);
    ImGui::End();
}

// Current slide, next slide, clock and notes: the notes window natively, the
// overlay (N) anywhere.
std::string Talk::draw_speaker_view(const Fonts& fonts) const {
    const auto& d = scenes::deck();
    const auto elapsed = on_ ? std::chrono::steady_clock::now() - started_ : std::chrono::steady_clock::duration{};
    const std::string header = std::to_string(slide_ + 1) + " / " + std::to_string(d.size()) + "  " + scenes::slide_title(slide_);
    ImGui::PushFont(fonts.title);
    ImGui::TextWrapped("%s", header.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("next: %s", slide_ + 1 < d.size() ? scenes::slide_title(slide_ + 1).c_str() : "(the end)");
    // The time of day and the time since the talk began.
    char now[16] = "";
    const std::time_t t = std::time(nullptr);
    if (const std::tm* local = std::localtime(&t)) std::strftime(now, sizeof now, "%H:%M", local);
    const std::string clock = std::string(now) + "   elapsed " + clock_text(elapsed);
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize((clock + "  ").c_str()).x);
    ImGui::TextColored(colour(palette().accent), "%s", clock.c_str());
    ImGui::Separator();
    const std::string notes = scenes::slide_notes(slide_);
    ImGui::TextWrapped("%s", notes.empty() ? "(no notes for this slide)" : notes.c_str());
    if (!on_) ImGui::TextDisabled("Not presenting: open the talk (F5, P on the scene list, or #slide/1 for the first slide).");
    return header;
}

}  // namespace such::ui
