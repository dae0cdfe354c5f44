// Views of tasks, objects and the trace.
//
// Index
//   [SECTION] Helpers
//   [SECTION] Tasks: code listing with the current line, state, locals
//   [SECTION] Objects: variables and locks
//   [SECTION] Trace
#include "ui/views.hpp"

#include <algorithm>
#include <string>

#include "imgui.h"

namespace such::ui {
namespace {
using engine::TaskState;

// [SECTION] Helpers

unsigned state_colour(TaskState state, bool last) {
    const Palette& p = palette();
    if (state == TaskState::Done) return p.done;
    if (state == TaskState::Blocked) return p.blocked;
    return last ? p.running : p.ready;
}

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

void chip(const char* text, unsigned colour) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 size = ImGui::CalcTextSize(text);
    const float pad = ImGui::GetStyle().FramePadding.x;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(p, ImVec2(p.x + size.x + 2 * pad, p.y + size.y + pad), colour, 6.0f);
    dl->AddText(ImVec2(p.x + pad, p.y + pad * 0.5f), IM_COL32(15, 15, 20, 255), text);
    ImGui::Dummy(ImVec2(size.x + 2 * pad, size.y + pad));
}

void fade_frame(ImVec2 a, ImVec2 b, float since_step) {
    const float alpha = std::clamp(1.0f - since_step / 0.8f, 0.0f, 1.0f);
    if (alpha <= 0.0f) return;
    const unsigned c = palette().accent;
    const unsigned faded = (c & 0x00FFFFFFu) | (static_cast<unsigned>(alpha * 255.0f) << 24);
    ImGui::GetWindowDrawList()->AddRect(a, b, faded, 8.0f, 0, 4.0f);
}
}  // namespace

// [SECTION] Tasks

void draw_tasks(const scenes::Run& run, const ViewContext& vc) {
    const auto& sched = run.sched();
    const auto n = static_cast<int>(sched.task_count());
    const engine::TaskId last = last_task(sched);
    if (n == 0 || !ImGui::BeginTable("tasks", n, ImGuiTableFlags_SizingStretchSame)) return;
    for (int i = 0; i < n; ++i) {
        ImGui::TableNextColumn();
        const engine::TaskView t = sched.task(i);
        const bool is_last = i == last && t.state != TaskState::Done;
        ImGui::PushFont(vc.fonts.title);
        ImGui::TextUnformatted(t.name.c_str());
        ImGui::PopFont();
        ImGui::SameLine();
        chip(state_name(t.state, is_last), state_colour(t.state, is_last));

        const auto& listing = run.listings()[static_cast<std::size_t>(t.listing)];
        ImGui::PushFont(vc.fonts.code);
        for (int line = 0; line < static_cast<int>(listing.lines.size()); ++line) {
            const bool here = t.state != TaskState::Done && line == t.line;
            if (here) {
                const ImVec2 p = ImGui::GetCursorScreenPos();
                const float h = ImGui::GetTextLineHeightWithSpacing();
                ImGui::GetWindowDrawList()->AddRectFilled(
                    p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + h),
                    (state_colour(t.state, is_last) & 0x00FFFFFFu) | 0x60000000u, 4.0f);
            }
            ImGui::Text("%s %s", here ? ">" : " ", listing.lines[static_cast<std::size_t>(line)].c_str());
        }
        if (t.state == TaskState::Done) ImGui::TextDisabled("  (finished)");
        ImGui::PopFont();
        for (const auto& local : *t.locals) ImGui::Text("%s = %lld", local.name.c_str(), static_cast<long long>(local.value));
        if (t.locals->empty()) ImGui::TextDisabled("(no locals yet)");
    }
    ImGui::EndTable();
}

// [SECTION] Objects

void draw_objects(const scenes::Run& run, const ViewContext& vc) {
    const auto& sched = run.sched();
    const Palette& pal = palette();
    for (std::size_t i = 0; i < sched.object_count(); ++i) {
        const auto id = static_cast<engine::ObjectId>(i);
        const engine::Object& o = sched.object(id);
        const engine::Snapshot snap = o.snapshot();
        const ImVec2 top = ImGui::GetCursorScreenPos();
        ImGui::BeginGroup();
        ImGui::PushFont(vc.fonts.title);
        if (o.kind() == engine::ObjectKind::Variable) {
            ImGui::Text("%s = %s", o.name().c_str(), snap.value.c_str());
            ImGui::PopFont();
            ImGui::TextDisabled("shared variable (not atomic)");
        } else {
            ImGui::Text("mutex %s", o.name().c_str());
            ImGui::PopFont();
            ImGui::SameLine();
            if (snap.holder == engine::kNone) {
                chip("free", pal.good);
            } else {
                chip(("held by " + sched.task_name(snap.holder)).c_str(), pal.blocked);
            }
            ImGui::TextUnformatted("queue:");
            for (engine::TaskId w : snap.waiting) {
                ImGui::SameLine();
                chip(sched.task_name(w).c_str(), pal.ready);
            }
            if (snap.waiting.empty()) {
                ImGui::SameLine();
                ImGui::TextDisabled("empty");
            }
        }
        ImGui::EndGroup();
        const ImVec2 bottom = ImGui::GetItemRectMax();
        if (touched_last(sched, id)) {
            fade_frame(ImVec2(top.x - 6, top.y - 4), ImVec2(top.x + ImGui::GetContentRegionAvail().x, bottom.y + 4),
                       vc.since_step);
        }
        ImGui::Spacing();
    }
}

// [SECTION] Trace

void draw_trace(const scenes::Run& run, const ViewContext& vc) {
    const auto& sched = run.sched();
    const auto& events = sched.trace().events();
    ImGui::PushFont(vc.fonts.code);
    const float line = ImGui::GetTextLineHeightWithSpacing();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(events.size()), line);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const engine::Event& e = events[static_cast<std::size_t>(i)];
            const bool newest = sched.steps() > 0 && e.step == sched.steps() - 1;
            const char* who = e.task == engine::kNone ? "--" : sched.task_name(e.task).c_str();
            if (newest) {
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette().accent), "%3llu %s %s",
                                   static_cast<unsigned long long>(e.step), who, e.detail.c_str());
            } else {
                ImGui::Text("%3llu %s %s", static_cast<unsigned long long>(e.step), who, e.detail.c_str());
            }
        }
    }
    if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - line) ImGui::SetScrollHereY(1.0f);
    ImGui::PopFont();
}

}  // namespace such::ui
