// Views of tasks: each code listing with the tasks marked at their current
// line and a band over what their next step runs, then a card per task: its
// state, what it waits for, its locals, and (manual policy) a button to run it.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "imgui.h"
#include "scenes/narrate.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {
using engine::TaskState;

// A code line wider than `width` in the current font, broken where ImGui breaks words; what follows
// goes under it, four columns past the line's own indent, so that it does not read as a nested line
// of its own, and a comment goes on as a comment (on a phone, a listing shrank to its floor for its
// longest line, and still scrolled sideways, cutting the scene's words above it).
std::vector<std::string> wrap_code(const std::string& line, float width) {
    std::vector<std::string> out;
    const ImFont* font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    const std::size_t own = std::min(line.find_first_not_of(' '), line.size());
    std::string indent(own + 4, ' ');
    if (ImGui::CalcTextSize(indent.c_str()).x > width * 0.5f) indent = "    ";
    // Where the line's comment starts, if it has one: "//" (the listings' C, JavaScript and Go) or "--" (Lua).
    std::size_t comment = line.find("//");
    if (const std::size_t lua = line.find("-- "); lua < comment && (lua == 0 || line[lua - 1] == ' ')) comment = lua;
    std::size_t at = 0;  // where in the line the next piece starts
    std::string prefix;  // what it starts with: nothing for the first, then the indent (and the comment's marker)
    while (true) {
        const std::string piece = prefix + line.substr(at);
        const char* begin = piece.c_str();
        const char* end = begin + piece.size();
        const char* cut = width > 0.0f && ImGui::CalcTextSize(begin, end).x > width ? font->CalcWordWrapPositionA(scale, begin, end, width) : end;
        const char* lead = begin + (prefix.empty() ? own : prefix.size());
        // A word longer than the room after the indent breaks where the room ends, a character at least.
        if (cut <= lead) {
            cut = std::min(end, lead + 1);
            while (cut < end && ImGui::CalcTextSize(begin, cut + 1).x <= width) ++cut;
        }
        if (cut >= end) {  // it fits
            out.push_back(piece);
            break;
        }
        std::string head(begin, cut);
        while (!head.empty() && head.back() == ' ') head.pop_back();
        // A break just after the comment's marker leaves it dangling: it goes with its words instead.
        if (comment != std::string::npos && at + head.size() - prefix.size() == comment + 2) {
            head.resize(head.size() - 2);
            while (!head.empty() && head.back() == ' ') head.pop_back();
        }
        out.push_back(head);
        const std::size_t next = piece.find_first_not_of(' ', static_cast<std::size_t>(cut - begin));
        if (next == std::string::npos) break;
        at += next - prefix.size();
        prefix = indent + (comment != std::string::npos && at > comment ? line.substr(comment, 2) + " " : "");
    }
    return out;
}

engine::TaskId draw_tasks(const scenes::Run& run, const ViewContext& vc) {
    const auto& sched = run.sched();
    const auto n = static_cast<int>(sched.task_count());
    const engine::TaskId last = last_task(sched);
    std::vector<engine::TaskView> tasks;  // once per frame, not once per line
    for (int i = 0; i < n; ++i) tasks.push_back(sched.task(i));

    // Each listing once, with the tasks that run it marked at their current
    // line, and a band over the lines their next step runs.
    float current_y = -1.0f;  // the line of the task that stepped last (else the first marked one), in window space
    // A step's band over several lines is one rectangle, drawn under the
    // code (channel 0) once its last line is known: a rectangle a line, edge
    // to edge, left a seam where their smoothed edges overlapped.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    struct Band {
        int task = -1;
        unsigned colour = 0;
        ImVec2 min, max;
    } open;
    const auto close_band = [&] {
        if (open.task < 0) return;
        dl->ChannelsSetCurrent(0);
        dl->AddRectFilled({open.min.x, std::round(open.min.y)}, {open.max.x, std::round(open.max.y)}, open.colour, 4.0f);
        dl->ChannelsSetCurrent(1);
        open.task = -1;
    };
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    for (std::size_t l = 0; l < run.listings().size(); ++l) {
        const auto& listing = run.listings()[l];
        ImGui::TextDisabled("%s", listing.title.c_str());
        ImGui::PushFont(vc.fonts.code);
        // A band starts a little left of the code, into the pane's padding: the code does not touch its edge.
        const float lead = std::min(ImGui::GetStyle().WindowPadding.x * 0.75f, ImGui::GetFontSize() * 0.35f);
        for (int line = 0; line < static_cast<int>(listing.lines.size()); ++line) {
            std::vector<int> here;
            int band = -1;
            for (int i = 0; i < n; ++i) {
                const engine::TaskView& t = tasks[static_cast<std::size_t>(i)];
                if (t.listing != static_cast<int>(l) || t.state == TaskState::Done) continue;
                if (t.line == line) here.push_back(i);
                if (band < 0 && t.first <= line && line <= t.last) band = i;
            }
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float right = p.x + ImGui::GetContentRegionAvail().x;
            // A line with chips on it is as tall as a chip (its text and theirs on one baseline): the band covers it.
            const float h = ImGui::GetTextLineHeightWithSpacing() + (here.empty() ? 0.0f : ImGui::GetStyle().FramePadding.x);
            if (!here.empty()) band = here.front();
            if (band >= 0) {
                const engine::TaskView& t = tasks[static_cast<std::size_t>(band)];
                const unsigned colour = line_band(t.state, band == last);
                // A line goes on the band above it if it is the same task's step and not where the step starts.
                if (open.task != band || open.colour != colour || line == t.first) {
                    close_band();
                    open = {band, colour, {p.x - lead, p.y}, {}};
                }
                open.max = {right, p.y + h};
            } else {
                close_band();
            }
            if (!here.empty() && (current_y < 0.0f || std::find(here.begin(), here.end(), static_cast<int>(last)) != here.end())) {
                current_y = ImGui::GetCursorPosY();
            }
            const std::string& code = listing.lines[static_cast<std::size_t>(line)];
            const std::vector<std::string> pieces = vc.stacked ? wrap_code(code, right - p.x) : std::vector<std::string>{code};
            for (std::size_t k = 0; k < pieces.size(); ++k) {
                if (here.empty() || k + 1 < pieces.size()) {
                    ImGui::TextUnformatted(pieces[k].c_str());
                } else {
                    chip_label(pieces[k].c_str(), false);  // the chips follow its last piece
                }
            }
            for (int i : here) {
                const engine::TaskView& t = tasks[static_cast<std::size_t>(i)];
                ImGui::PopFont();
                if (vc.stacked) {
                    chip_same_line(t.name.c_str(), right, false);
                } else {
                    ImGui::SameLine();
                }
                chip(t.name.c_str(), state_colour(t.state, i == last));
                ImGui::PushFont(vc.fonts.code);
            }
            // A wrapped line's pieces and the chips that went under it (a phone) stay on its band.
            if (band >= 0) open.max.y = std::max(open.max.y, ImGui::GetCursorScreenPos().y);
        }
        close_band();
        ImGui::PopFont();
        ImGui::Spacing();
    }
    dl->ChannelsMerge();
    // A pane too short for its listings follows the current line when it
    // moves (between moves the user may scroll elsewhere).
    static std::map<ImGuiID, float> followed;  // per pane, the line last followed
    float& before = followed.try_emplace(ImGui::GetID("listing"), -1.0f).first->second;
    const bool moved = std::exchange(before, current_y) != current_y;
    const float shown = ImGui::GetWindowHeight();
    if (moved && current_y >= 0.0f && ImGui::GetScrollMaxY() > 0.0f &&
        (current_y < ImGui::GetScrollY() || current_y + ImGui::GetTextLineHeightWithSpacing() * 2 > ImGui::GetScrollY() + shown)) {
        ImGui::SetScrollY(std::min(ImGui::GetScrollMaxY(), std::max(0.0f, current_y - shown * 0.4f)));
    }
    return draw_task_cards(run, vc);
}

float listing_width(const scenes::Run& run, const ViewContext& vc) {
    ImGui::PushFont(vc.fonts.code);
    float widest = 0.0f;
    for (const auto& listing : run.listings()) {
        for (const std::string& line : listing.lines) widest = std::max(widest, ImGui::CalcTextSize(line.c_str()).x);
    }
    ImGui::PopFont();
    float chip = 0.0f;
    for (std::size_t i = 0; i < run.sched().task_count(); ++i) chip = std::max(chip, chip_width(run.sched().task_name(static_cast<engine::TaskId>(i)).c_str()));
    return widest + ImGui::GetStyle().ItemSpacing.x + chip;
}

engine::TaskId draw_task_cards(const scenes::Run& run, const ViewContext& vc) {
    const auto& sched = run.sched();
    const auto n = static_cast<int>(sched.task_count());
    const engine::TaskId last = last_task(sched);
    engine::TaskId picked = engine::kNone;
    std::vector<engine::TaskView> tasks;
    for (int i = 0; i < n; ++i) tasks.push_back(sched.task(i));

    // A card per task: state, what it waits for, its locals, and (manual) a button.
    // As many columns as the widest card allows (a name in the title font and its state chip).
    ImGui::PushFont(vc.fonts.title);
    float widest = 0.0f;
    for (const engine::TaskView& t : tasks) widest = std::max(widest, ImGui::CalcTextSize(t.name.c_str()).x);
    ImGui::PopFont();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float card = widest + ImGui::CalcTextSize("just ran").x + 2 * style.FramePadding.x + 3 * style.ItemSpacing.x + 2 * style.CellPadding.x;
    const int fit = std::max(1, static_cast<int>(ImGui::GetContentRegionAvail().x / card));
    const int columns = std::clamp(std::min(n, fit), 1, 4);
    if (n == 0 || !ImGui::BeginTable("tasks", columns, ImGuiTableFlags_SizingStretchSame)) return picked;
    for (int i = 0; i < n; ++i) {
        ImGui::TableNextColumn();
        const engine::TaskView& t = tasks[static_cast<std::size_t>(i)];
        const bool is_last = i == last && t.state != TaskState::Done;
        ImGui::PushFont(vc.fonts.title);
        ImGui::TextUnformatted(t.name.c_str());
        ImGui::PopFont();
        ImGui::SameLine();
        // A task that ended of a panic (an actor that crashed) says so, as its mailbox does.
        const auto& panics = sched.panics();
        const auto panic = std::find_if(panics.begin(), panics.end(), [i](const auto& p) { return p.task == i; });
        if (t.state == TaskState::Done && panic != panics.end()) {
            chip("crashed", palette().bad);
            tooltip(panic->message.c_str());
        } else {
            chip(state_name(t.state, is_last), state_colour(t.state, is_last));
        }
        if (vc.manual && t.state == TaskState::Ready) {
            ImGui::PushID(i);
            // The digit key that picks it too (the tasks past nine only by button).
            if (ImGui::Button(i < 9 ? ("run me  [" + std::to_string(i + 1) + "]").c_str() : "run me")) picked = i;
            tooltip("You are the scheduler: this task takes the next step (or press its number).");
            ImGui::PopID();
        }
        const std::string waits = scenes::waiting_for(run, i);
        if (!waits.empty()) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette().blocked), "%s", waits.c_str());
        for (const auto& local : *t.locals) ImGui::Text("%s = %lld", local.name.c_str(), static_cast<long long>(local.value));
    }
    ImGui::EndTable();
    return picked;
}

}  // namespace such::ui
