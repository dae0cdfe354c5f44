// The playground's page: its toolbar, the editor (or, while the program runs,
// its text with a marker per task), errors, the task cards, the program's
// output beside the trace, and the menu's "try it" box.
#include <algorithm>
#include <string>

#include "imgui.h"
#include "ui/app.hpp"
#include "ui/playground.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {

namespace {
// Each task at its current line (a band in the colour of the first one there,
// a chip per task, as in the scenes' code panel) and a failed line with its message.
std::vector<LineMark> run_marks(const scenes::Run& run, int& follow) {
    const auto& sched = run.sched();
    const engine::TaskId last = last_task(sched);
    std::vector<LineMark> marks;
    follow = -1;
    for (std::size_t i = 0; i < sched.task_count(); ++i) {
        const auto id = static_cast<engine::TaskId>(i);
        const engine::TaskView t = sched.task(id);
        if (t.state == engine::TaskState::Done || t.listing != 0 || t.line < 0) continue;
        auto m = std::find_if(marks.begin(), marks.end(), [&](const LineMark& x) { return x.line == t.line; });
        if (m == marks.end()) {
            marks.push_back({t.line, line_band(t.state, id == last), {}, {}, 0});
            m = marks.end() - 1;
        }
        m->chips.push_back({t.name, state_colour(t.state, id == last)});
        if (id == last) follow = t.line;
    }
    if (const scenes::ProgramError* e = scenes::program_error(run); e && e->line > 0) {
        auto m = std::find_if(marks.begin(), marks.end(), [&](const LineMark& x) { return x.line == e->line - 1; });
        if (m == marks.end()) {
            marks.push_back({e->line - 1, 0, {}, {}, 0});
            m = marks.end() - 1;
        }
        m->band = with_alpha(palette().bad, 0.3f);
        m->note = e->message;
        m->note_colour = palette().bad;
        follow = e->line - 1;
    }
    return marks;
}
}  // namespace

engine::TaskId App::draw_playground(const ViewContext& vc) {
    Playground& p = *play_;
    const auto& sched = player_.run()->sched();
    const bool editing = sched.steps() == 0 && !player_.playing();
    const float em = ImGui::GetFontSize();
    const bool narrow = narrow_window();

    // The toolbar: run, edit, examples, link; natively a file to open and save.
    // Run goes on the press, not the release: one frame sooner to the first step.
    ImGui::Button("Run");
    if (ImGui::IsItemActivated()) p.requests.push_back("run-program");
    p.run_button = item_centre();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("From the start: one step now, then playing (Ctrl+Enter in the editor)");
    if (!editing) {
        ImGui::SameLine();
        if (ImGui::Button("Edit")) p.requests.push_back("edit");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Back to the editor, at step 0; the text is kept");
    }
    ImGui::SameLine();
    // As wide as the title it shows (with its arrow), leaving room for Copy link and Revert beside it (on a
    // phone a long title pushed Revert out of sight).
    const scenes::Example* shown = scenes::find_example(p.example);
    const char* shown_title = shown ? shown->title.c_str() : "Examples...";
    const ImGuiStyle& style = ImGui::GetStyle();
    const auto button_w = [&](const char* label) { return ImGui::CalcTextSize(label).x + style.FramePadding.x * 2 + style.ItemSpacing.x; };
    const float beside = button_w("Copy link") + (p.can_revert() ? button_w("Revert") : 0.0f);
    const float title_w = ImGui::CalcTextSize(shown_title).x + style.FramePadding.x * 2 + ImGui::GetFrameHeight();
    ImGui::SetNextItemWidth(std::clamp(title_w, em * 8, std::max(em * 8, ImGui::GetContentRegionAvail().x - beside)));
    if (ImGui::BeginCombo("##examples", shown_title)) {
        for (const scenes::Example& e : scenes::examples()) {
            if (ImGui::Selectable(e.title.c_str(), e.id == p.example)) p.requests.push_back("example " + e.id);
            if (ImGui::IsItemHovered() && !e.verdict.empty()) ImGui::SetTooltip("%s: %s", e.model.c_str(), e.verdict.c_str());
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::Button("Copy link")) p.requests.push_back("copy-link");
    if (p.can_revert()) {
        ImGui::SameLine();
        if (ImGui::Button("Revert")) p.requests.push_back("revert");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Bring back the text the last example, file or link replaced");
    }
    if (p.files) {
        ImGui::SetNextItemWidth(em * 14);
        ImGui::InputText("##path", p.path.data(), p.path.size());
        ImGui::SameLine();
        if (ImGui::Button("Open")) p.requests.push_back("load " + std::string(p.path.data()));
        ImGui::SameLine();
        if (ImGui::Button("Save")) p.requests.push_back("save " + std::string(p.path.data()));
    }
    // What the last open, save or link did; on a phone on a line of its own, wrapped.
    if (p.files || !p.status.empty()) {
        if (!narrow) ImGui::SameLine();
        disabled_wrapped(p.status.empty() ? "a .lua file" : p.status.c_str());
    }
    // Text the fonts cannot draw is the user's own: say that the '?' are the app's, not the program's.
    if (const std::uint32_t h = text_hash(p.text()); h != p.glyphs_of) {
        p.glyphs_of = h;
        p.missing_glyphs = glyphs_missing(fonts_.code ? fonts_.code : ImGui::GetFont(), p.text());
    }
    if (p.missing_glyphs > 0) {
        const bool one = p.missing_glyphs == 1;
        const std::string note = scenes::counted(static_cast<long>(p.missing_glyphs), "character") + " of this program " +
                                 (one ? "is not in the app's fonts and shows as ?; the program keeps it"
                                      : "are not in the app's fonts and show as ?; the program keeps them") +
                                 " as written";
        disabled_wrapped(note.c_str());
    }

    // The code: the editor, or the running text with its markers. What
    // follows it takes the room it took last frame; before that, a guess: a
    // row of task names and a line or two, and the hint below the code. (A
    // fixed guess let a manual run's buttons overflow the pane, which then
    // shrank its text while the editor kept the room it gave back.)
    // A manual run's cards have a button each: the first frame after the
    // policy changed guesses with (or without) them too.
    const std::size_t tasks = sched.task_count();
    const float card_h = em * 2.6f + (vc.manual ? ImGui::GetFrameHeightWithSpacing() : 0.0f);
    const float cards_h = tasks == 0 ? 0.0f : static_cast<float>(std::min<std::size_t>((tasks + 2) / 3, 2)) * card_h;
    const bool measured = p.below_code > 0.0f && p.below_manual == vc.manual;
    const float below = measured ? p.below_code : cards_h + ImGui::GetTextLineHeightWithSpacing() * 2.0f;
    // Stacked on a phone the pane is as tall as its content: the editor takes
    // half the screen there, rather than the little room left below it.
    const float room = narrow ? ImGui::GetMainViewport()->Size.y * 0.5f : ImGui::GetContentRegionAvail().y - below;
    const float code_h = std::max(em * 8, room);
    const scenes::ProgramError* syntax = p.syntax_error();
    if (editing) {
        if (p.view.active() && ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))) {
            p.requests.push_back("run-program");
        }
        if (p.view.edit(p.text(), fonts_, ImVec2(0, code_h), syntax ? syntax->line : 0, syntax ? syntax->column : 0)) p.edited();
    } else {
        int follow = -1;
        const std::vector<LineMark> marks = run_marks(*player_.run(), follow);
        p.view.show(p.text(), fonts_, ImVec2(0, code_h), marks, follow);
    }
    const float code_end = ImGui::GetCursorPosY();

    // What is wrong, where; or how to start.
    const scenes::ProgramError* error = syntax ? syntax : scenes::program_error(*player_.run());
    if (error) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette().bad));
        ImGui::TextWrapped("%s%s", syntax ? "syntax error, " : "error, ", error->text().c_str());
        ImGui::PopStyleColor();
    } else if (editing) {
        // A phone has no Ctrl+Enter nor arrows: its hint names the buttons only.
        disabled_wrapped(narrow ? "Run plays it from the start; Step (below) takes one step"
                                : "Run (Ctrl+Enter) plays it from the start; Step (right arrow, outside the editor) takes one step");
    } else {
        disabled_wrapped("Edit goes back to the editor; the text is kept");
    }
    // No cards for a program that does not compile: no task of it will run.
    const engine::TaskId picked = syntax ? engine::kNone : draw_task_cards(*player_.run(), vc);
    p.below_code = ImGui::GetCursorPosY() - code_end;
    p.below_manual = vc.manual;
    return picked;
}

// What the program printed, newest at the bottom, in a pane above the trace.
void App::draw_program_output() {
    const std::vector<std::string>* printed = scenes::program_output(*player_.run());
    const std::size_t n = printed ? printed->size() : 0;
    ImGui::PushFont(fonts_.code);
    const float line = ImGui::GetTextLineHeightWithSpacing();
    ImGui::PopFont();
    if (n == 0) {
        // Room for the trace, unless the program prints at all.
        if (play_->text().find("print") != std::string::npos) ImGui::TextDisabled("Output: nothing printed yet");
        return;
    }
    ImGui::TextDisabled("Output");
    ImGui::BeginChild("output", ImVec2(0, static_cast<float>(std::min<std::size_t>(n, 5)) * line + ImGui::GetStyle().WindowPadding.y * 2), true);
    ImGui::PushFont(fonts_.code);
    for (const std::string& s : *printed) ImGui::TextUnformatted(fitted(s, 1000).c_str());
    if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - line) ImGui::SetScrollHereY(1.0f);
    ImGui::PopFont();
    ImGui::EndChild();
}

// The menu's first box: a short program ready to run. A first-time visitor
// finds the first example there; one who wrote a program finds theirs, as
// they left it: Run runs what the box shows, and never replaces it.
void App::draw_menu_playground() {
    Playground& p = *play_;
    const auto& all = scenes::examples();
    ImGui::PushFont(fonts_.title);
    ImGui::TextUnformatted("Write a concurrent program");
    ImGui::PopFont();
    ImGui::TextWrapped("Tasks in Lua on the same scheduler as the scenes: step them, step back, change the seed, "
                       "or let the explorer try every schedule.");
    if (all.empty()) {
        if (ImGui::Button("Open the playground")) p.requests.push_back("playground");
        return;
    }
    const scenes::Example* e = scenes::find_example(p.example);  // null: the text is no longer an example's
    ImGui::TextDisabled("%s", e ? e->title.c_str() : "Your program, as you left it");
    const float buttons_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeightWithSpacing() * 3;
    p.preview.show(p.text(), fonts_, ImVec2(0, std::max(ImGui::GetFontSize() * 6, ImGui::GetContentRegionAvail().y - buttons_h)), {}, -1);
    ImGui::Button("Run");
    if (ImGui::IsItemActivated()) p.requests.push_back("run-program");
    p.menu_run_button = item_centre();
    ImGui::SameLine();
    if (ImGui::Button(e ? "Open the playground" : "Edit it in the playground")) p.requests.push_back("playground");
    if (e && !e->verdict.empty()) ImGui::TextWrapped("%s", e->verdict.c_str());
    if (!e) ImGui::TextWrapped("The playground's examples are in its Examples list.");
}

}  // namespace such::ui
