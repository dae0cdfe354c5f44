// Views of objects and the trace (the tasks' listings and cards: view_tasks.cpp).
//
// Index
//   [SECTION] Objects: variables and locks
//   [SECTION] Trace
//   [SECTION] Timeline: swim lanes, the now-line, the "goes wrong here" marker
//   [SECTION] Deadlock cycle: the wait-for ring
#include "ui/views.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "engine/actor.hpp"
#include "imgui.h"
#include "scenes/narrate.hpp"
#include "ui/fit_pane.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {
using engine::TaskState;

// [SECTION] Objects

namespace {
// How wide a small object's first line is drawn (its name, value or state chip), at the pane's scale.
// What a variable's second line calls it.
const char* described_variable(const engine::Object& o) {
    return o.described() ? o.described() : o.kind() == engine::ObjectKind::Atomic ? "atomic integer" : "shared variable (not atomic)";
}

float first_line_width(const scenes::Run& run, const engine::Object& o, const ViewContext& vc) {
    ImGui::PushFont(vc.fonts.title);
    float w = 0.0f;
    if (o.kind() == engine::ObjectKind::Mailbox) {
        const auto& box = static_cast<const engine::Mailbox&>(o);
        w = ImGui::CalcTextSize(("actor " + o.name()).c_str()).x;
        ImGui::PopFont();
        w += ImGui::GetStyle().ItemSpacing.x + chip_width("crashed");  // the widest of its states (alive, done, exited, crashed)
        if (box.dropped()) w += ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize("999 dropped").x;
        return w;
    }
    if (o.kind() == engine::ObjectKind::Stream) {
        w = ImGui::CalcTextSize(o.name().c_str()).x;
        ImGui::PopFont();
        return w + (ImGui::GetStyle().ItemSpacing.x * 2) + chip_width("99 waiting") + chip_width("closed");  // its chips
    }
    w = ImGui::CalcTextSize((o.name() + " = " + fitted(o.snapshot().value)).c_str()).x;
    ImGui::PopFont();
    // A variable's second line says what it is and who wrote it last, with whichever task's name is widest:
    // a column narrower than that ran its text into the next column's.
    if (o.kind() == engine::ObjectKind::Variable || o.kind() == engine::ObjectKind::Atomic) {
        // ImGui's text has no kerning: the line's width is its words' and the widest name's, added.
        const auto& sched = run.sched();
        float name_w = 0.0f;
        for (std::size_t t = 0; t < sched.task_count(); ++t) name_w = std::max(name_w, ImGui::CalcTextSize(sched.task_name(static_cast<engine::TaskId>(t)).c_str()).x);
        w = std::max(w, ImGui::CalcTextSize((std::string(described_variable(o)) + ", last written by ").c_str()).x + name_w);
    }
    return w;
}

// The objects drawn two lines tall (a name and what it holds), which flow into columns.
bool small_object(const engine::Object& o) {
    switch (o.kind()) {
    case engine::ObjectKind::Mailbox:
    case engine::ObjectKind::Variable:
    case engine::ObjectKind::Atomic:
    case engine::ObjectKind::Stream: return true;
    default: return false;
    }
}
}  // namespace

void draw_objects(const scenes::Run& run, const ViewContext& vc, bool flow) {
    const auto& rt = run.rt();
    const Palette& pal = palette();
    ViewMemory::Seen* seen = nullptr;
    const auto queue = [&](const char* label, const std::vector<engine::TaskId>& waiting) {
        // On a phone a chip that does not fit goes to the next line (the pane shrank its text for a long queue).
        const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
        chip_label(label, false);
        for (engine::TaskId w : waiting) {
            if (vc.stacked) {
                chip_same_line(rt.task_name(w).c_str(), right, false);
            } else {
                ImGui::SameLine();
            }
            // A task that just joined slides in from the right.
            const auto joined = seen ? seen->joined_at.find(w) : std::map<engine::TaskId, double>::const_iterator{};
            if (seen && joined != seen->joined_at.end()) {
                const float k = ease((ImGui::GetTime() - joined->second) / kSlide);
                if (k < 1.0f) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (1.0f - k) * ImGui::GetFontSize() * 3.0f);
            }
            chip(rt.task_name(w).c_str(), pal.blocked);  // a task in a queue waits: red, as its card and lane
        }
        if (waiting.empty()) {
            ImGui::SameLine();
            chip_label("empty");
        }
    };
    draw_actor_graph(run, vc);
    // Many small objects (mailboxes, variables, streams) flow into columns, filled row by row, instead of
    // one tall column: as many as leave the pane's text largest. They may follow other objects (an event
    // loop and its connections), drawn first across the pane. A column is as wide as the widest small
    // object's first line (at least kObjectColumnEm); a row is two lines (a name and what it holds); the
    // pane's text shrinks to whichever of its width and its height runs out first (all measured at full size).
    int small = 0;
    bool small_tail = true;  // no object that is not small comes after a small one
    float widest = 0.0f;
    for (std::size_t i = 0; i < rt.object_count(); ++i) {
        const engine::Object& o = rt.object(static_cast<engine::ObjectId>(i));
        if (o.kind() == engine::ObjectKind::Links) continue;
        const bool is_small = small_object(o);
        small_tail = small_tail && (is_small || small == 0);
        small += is_small ? 1 : 0;
        if (flow && is_small) widest = std::max(widest, first_line_width(run, o, vc));
    }
    const ImGuiStyle& st = ImGui::GetStyle();
    const float scale = fitted_scale(), full_em = ImGui::GetFontSize() / scale;
    const float cell = widest + st.CellPadding.x * 2;  // what a column needs at this scale
    const float column = std::max(full_em * kObjectColumnEm, (cell + st.ItemSpacing.x) / scale);
    const float avail = ImGui::GetContentRegionAvail().x;
    const bool flowing = flow && small_tail && small >= 4;
    int columns = 1;
    bool table = false;
    // At the first small object, with the height the others left: how many columns, and the table.
    const auto begin_columns = [&] {
        ImGui::PushFont(vc.fonts.title);
        const float title = ImGui::GetFontSize();
        ImGui::PopFont();
        const float row = (title + ImGui::GetFontSize() + st.FramePadding.x * 2 + st.ItemSpacing.y * 3) / scale;
        const float above = (ImGui::GetCursorPosY() - ImGui::GetCursorStartPos().y) / scale;
        const float height = ImGui::GetCursorPosY() - ImGui::GetCursorStartPos().y + ImGui::GetContentRegionAvail().y;
        float best = 0.0f;
        for (int k = 1; k <= 3; ++k) {
            const float rows = std::ceil(static_cast<float>(small) / static_cast<float>(k));
            const float fits = std::min({1.0f, avail / (static_cast<float>(k) * column), height / (above + rows * row)});
            if (fits > best + 0.01f) {
                best = fits;
                columns = k;
            }
        }
        table = columns > 1 && ImGui::BeginTable("objects_flow", columns, ImGuiTableFlags_SizingStretchSame);
    };
    bool begun = false;
    for (std::size_t i = 0; i < rt.object_count(); ++i) {
        const auto id = static_cast<engine::ObjectId>(i);
        const engine::Object& o = rt.object(id);
        if (o.kind() == engine::ObjectKind::Links) continue;  // drawn as the graph
        if (flowing && !begun && small_object(o)) {
            begun = true;
            begin_columns();
        }
        if (table) ImGui::TableNextColumn();
        const engine::Snapshot snap = o.snapshot();
        seen = remember(vc, id, snap);
        const ImVec2 top = ImGui::GetCursorScreenPos();
        ImGui::BeginGroup();
        ImGui::PushFont(vc.fonts.title);
        switch (o.kind()) {
        case engine::ObjectKind::Variable:
        case engine::ObjectKind::Atomic:
            animated_value(o.name(), seen, snap.value);
            ImGui::PopFont();
            ImGui::TextDisabled("%s%s%s", described_variable(o),
                                snap.last_writer == engine::kNone ? "" : ", last written by ",
                                snap.last_writer == engine::kNone ? "" : rt.task_name(snap.last_writer).c_str());
            break;
        case engine::ObjectKind::Mutex:
            ImGui::Text("mutex %s", o.name().c_str());
            ImGui::PopFont();
            ImGui::SameLine();
            if (snap.holder == engine::kNone) {
                chip("free", pal.good);
            } else {
                chip(("held by " + rt.task_name(snap.holder)).c_str(), pal.blocked);
            }
            // The queue on the same line: one line per lock keeps many forks in view (a phone's column
            // has the height, not the width: there it has a line of its own).
            if (!run.is_real()) {
                if (!vc.stacked) ImGui::SameLine();
                queue(vc.stacked ? "queue:" : " queue:", snap.waiting);
            }
            break;
        case engine::ObjectKind::Semaphore:
            ImGui::Text("semaphore %s: %s", o.name().c_str(), snap.value.c_str());
            ImGui::PopFont();
            queue("queue:", snap.waiting);
            break;
        case engine::ObjectKind::CondVar:
            ImGui::Text("condition %s", o.name().c_str());
            ImGui::PopFont();
            queue("sleeping:", snap.waiting);
            break;
        case engine::ObjectKind::TVar: draw_tvar(run, o, snap, seen); break;
        case engine::ObjectKind::Clock: draw_clock(snap); break;
        case engine::ObjectKind::Channel: draw_channel(run, o, snap, seen); break;
        case engine::ObjectKind::Future: draw_future(run, o, snap); break;
        case engine::ObjectKind::Pipe: draw_pipe(run, o, snap); break;
        case engine::ObjectKind::Memory: draw_memory(run, o, snap); break;
        case engine::ObjectKind::Mailbox: draw_mailbox(run, o, vc); break;
        case engine::ObjectKind::Fiber: draw_fiber(run, o); break;
        case engine::ObjectKind::Links: ImGui::PopFont(); break;  // drawn as the graph above
        case engine::ObjectKind::Loop: draw_loop(run, o, vc); break;
        case engine::ObjectKind::Stream: draw_stream(o); break;
        case engine::ObjectKind::Kernel:
            ImGui::Text("%s", o.name().c_str());
            ImGui::PopFont();
            ImGui::TextWrapped("%s", snap.value.c_str());
            break;
        }
        ImGui::EndGroup();
        const ImVec2 bottom = ImGui::GetItemRectMax();
        if (!run.is_real() && touched_last(run.sched(), id)) {
            fade_frame(ImVec2(top.x - 6, top.y - 4), ImVec2(top.x + ImGui::GetContentRegionAvail().x, bottom.y + 4),
                       vc.since_step);
        }
        ImGui::Spacing();
    }
    if (table) {
        ImGui::EndTable();
        // A table clips what its cells cannot hold: the pane is told how wide they wanted to be, so
        // that it shrinks its text until they hold it.
        const float want = static_cast<float>(columns) * cell;
        if (want > avail) {
            const ImVec2 after = ImGui::GetCursorScreenPos();
            ImGui::SetCursorScreenPos(ImVec2(after.x + want, after.y));
            ImGui::Dummy(ImVec2(0.0f, 0.0f));
            ImGui::SetCursorScreenPos(after);
        }
    }
}

// [SECTION] Trace

void draw_trace(const scenes::Run& run, const ViewContext& vc) {
    if (run.is_real()) return;
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
            const std::string what = fitted(scenes::sentence(e, run));
            if (newest) {
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette().accent), "%3llu %s %s",
                                   static_cast<unsigned long long>(e.step), who, what.c_str());
            } else {
                ImGui::Text("%3llu %s %s", static_cast<unsigned long long>(e.step), who, what.c_str());
            }
            // A line the pane cuts off is shown whole, wrapped, under the pointer.
            if (ImGui::GetItemRectMax().x > ImGui::GetWindowPos().x + ImGui::GetWindowWidth()) tooltip(what.c_str());
        }
    }
    if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - line) ImGui::SetScrollHereY(1.0f);
    ImGui::PopFont();
}

}  // namespace such::ui

// [SECTION] Timeline
namespace such::ui {

namespace {
// A lane cell's colour: 'x' ran a step, 'c' computing, 'b' blocked, 'r' ready, 'd' done (none).
unsigned lane_colour(char state) {
    const Palette& pal = palette();
    switch (state) {
    case 'x': return pal.running;
    case 'c': return with_alpha(pal.running, 0.63f);
    case 'b': return pal.blocked;
    case 'd': return 0u;
    default: return pal.lane_ready;
    }
}
}  // namespace

namespace {
constexpr std::array<std::array<const char*, 3>, 4> kLaneStates = {{
    {"x", "ran a step", "The task took a step at this tick (green, as its chip's \"just ran\")."},
    {"c", "computing", "The task computes (busy, a pool job) while the clock moves on."},
    {"r", "ready", "The task could take a step but the scheduler chose another (yellow, as its chip)."},
    {"b", "blocked", "The task waits: for a lock, a permit, a channel partner, a message, a future, a timer... (red, as its chip)."}}};
constexpr const char* kLanesTitle = "lanes:";
constexpr const char* kLanesDone = "empty: not started or done";  // set apart by two spaces more when it shares a line

float legend_chip_height() { return ImGui::GetTextLineHeight() * 0.7f; }
float done_gap() { return ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize("  ").x; }

// Which of the legend's pieces ("lanes:", a chip and its name per state,
// "empty: not started or done") start a new line in `width`: as many on a line as fit.
std::array<bool, kLaneStates.size() + 2> legend_breaks(float width) {
    std::array<float, kLaneStates.size() + 2> w{};
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    w.front() = ImGui::CalcTextSize(kLanesTitle).x;
    for (std::size_t i = 0; i < kLaneStates.size(); ++i) w[i + 1] = legend_chip_height() * 1.6f + gap + ImGui::CalcTextSize(kLaneStates[i][1]).x;
    w.back() = ImGui::CalcTextSize(kLanesDone).x;
    std::array<bool, kLaneStates.size() + 2> breaks{};
    float x = w.front();
    for (std::size_t i = 1; i < w.size(); ++i) {
        const float before = i + 1 == w.size() ? done_gap() : gap;
        breaks[i] = x + before + w[i] > width;
        x = breaks[i] ? w[i] : x + before + w[i];
    }
    return breaks;
}
}  // namespace

float timeline_legend_width(bool states_only) {
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    float w = states_only ? -gap : ImGui::CalcTextSize(kLanesTitle).x + done_gap() + ImGui::CalcTextSize(kLanesDone).x;
    for (const auto& state : kLaneStates) w += gap + legend_chip_height() * 1.6f + gap + ImGui::CalcTextSize(state[1]).x;
    return w;
}

int timeline_legend_lines(float width) {
    const auto breaks = legend_breaks(width);
    return 1 + static_cast<int>(std::count(breaks.begin(), breaks.end(), true));
}

void draw_timeline_legend(float width, bool states_only) {
    const auto breaks = legend_breaks(width);
    const float h = legend_chip_height();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (!states_only) ImGui::TextDisabled("%s", kLanesTitle);
    for (std::size_t i = 0; i < kLaneStates.size(); ++i) {
        const auto& [state, name, help] = kLaneStates[i];
        if (states_only ? i > 0 : !breaks[i + 1]) ImGui::SameLine();
        ImGui::BeginGroup();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float top = p.y + (ImGui::GetTextLineHeight() - h) * 0.5f;
        dl->AddRectFilled(ImVec2(p.x, top), ImVec2(p.x + h * 1.6f, top + h), lane_colour(state[0]), 2.0f);
        ImGui::Dummy(ImVec2(h * 1.6f, h));
        ImGui::SameLine();
        ImGui::TextUnformatted(name);
        ImGui::EndGroup();
        tooltip(help);
    }
    if (states_only) return;
    if (!breaks.back()) ImGui::SameLine(0.0f, done_gap());
    ImGui::TextDisabled("%s", kLanesDone);
    tooltip("Time runs left to right, one cell a tick; the blue line is now. Click a lane to go to that moment.");
}

// One swim lane per task; time runs left to right, one cell per tick. The
// states come from the trace alone: a cell where the task has an event is
// "ran"; after an event it waits at (scenes::leaves_waiting) until its next
// event it is "blocked"; while it computes for a while (busy, a pool job)
// "computing"; otherwise "ready"; before its start and after its end, empty.
std::int64_t draw_timeline(const scenes::Run& run, const ViewContext& vc) {
    const auto& sched = run.sched();
    const auto& events = sched.trace().events();
    const auto& choices = sched.choices();
    const auto n = static_cast<int>(sched.task_count());
    const std::uint64_t ticks = events.empty() ? 1 : events.back().time + 1;
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // Manual: each lane starts with the digit key that picks its task.
    const auto label = [&](int t) { return (vc.manual && t < 9 ? std::to_string(t + 1) + "  " : std::string()) + sched.task_name(t); };
    float label_w = ImGui::CalcTextSize("WWW").x;
    for (int t = 0; t < n; ++t) label_w = std::max(label_w, ImGui::CalcTextSize(label(t).c_str()).x);
    label_w = std::max(label_w + ImGui::GetFontSize() * 0.6f, vc.lanes_at);
    const float lane_h = ImGui::GetTextLineHeight() * 0.9f;
    // A replayed finding's marker points down at the lanes from above them: room for it (it covered the legend).
    constexpr float kMarkH = 8.0f;
    if (vc.mark_step >= 0) ImGui::Dummy(ImVec2(1.0f, std::max(1.0f, kMarkH - ImGui::GetStyle().ItemSpacing.y)));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = std::max(50.0f, ImGui::GetContentRegionAvail().x - label_w - 8.0f);
    // A long run shows its latest ticks, each at least a few pixels wide: the
    // lanes scroll with now at the right edge (a run that keeps only its
    // latest events has no older ones to draw, and 200,000 cells of a
    // hundredth of a pixel show nothing).
    const auto shown = static_cast<std::uint64_t>(std::max(24.0f, width / std::max(3.0f, lane_h * 0.2f)));
    const std::uint64_t first = ticks > shown ? ticks - shown : 0;
    const std::uint64_t span = ticks - first;
    const float cell = std::min(width / static_cast<float>(std::max<std::uint64_t>(span, 24)), lane_h * 2.0f);

    std::vector<std::vector<char>> lanes(static_cast<std::size_t>(n), std::vector<char>(span, 'r'));
    std::vector<std::uint64_t> from(static_cast<std::size_t>(n), first);
    std::vector<char> mode(static_cast<std::size_t>(n), 'r');
    std::vector<char> seen(static_cast<std::size_t>(n), 0), ended(static_cast<std::size_t>(n), 0);
    for (const engine::Event& e : events) {
        if (e.task < 0 || e.task >= n) continue;
        const auto t = static_cast<std::size_t>(e.task);
        // A task started during the run (a restarted actor, a spawned
        // thread) has no lane before its start.
        if (!seen[t] && e.kind == engine::EventKind::Spawn) mode[t] = 'd';
        seen[t] = 1;
        for (std::uint64_t k = from[t]; k < e.time; ++k) lanes[t][k - first] = mode[t];
        // A task that finds a lock held says so inside another task's step:
        // its cell shows the wait, not a step of its own.
        const bool stepped = e.kind != engine::EventKind::Spawn && e.step >= choices.forgotten() && e.step < choices.size() && choices[e.step] == e.task;
        if (stepped && e.time >= first) lanes[t][e.time - first] = 'x';
        from[t] = std::max(first, stepped ? e.time + 1 : e.time);
        // busy(ms) and a pool job: the task computes while the clock moves on.
        const bool computes = e.args.note == engine::Note::Computing;
        // After its end the task's events are the runtime's notices of it
        // (an exit signal delivered to its links): it stays done.
        if (e.kind == engine::EventKind::Finish) ended[t] = 1;
        mode[t] = ended[t] ? 'd' : computes ? 'c' : scenes::leaves_waiting(e) ? 'b' : 'r';
    }
    for (int t = 0; t < n; ++t) {
        const auto ti = static_cast<std::size_t>(t);
        // Since its last event the lane shows what the task's chip shows: blocked or not.
        const TaskState now = sched.task(t).state;
        if (mode[ti] != 'c' && mode[ti] != 'd') mode[ti] = now == TaskState::Blocked ? 'b' : 'r';
        for (std::uint64_t k = from[ti]; k < ticks; ++k) lanes[ti][k - first] = mode[ti];
        const float y = origin.y + static_cast<float>(t) * (lane_h + 4.0f);
        dl->AddText(ImVec2(origin.x, y - 2.0f), ImGui::GetColorU32(ImGuiCol_Text), label(t).c_str());
        for (std::uint64_t k = 0; k < span; ++k) {
            const unsigned colour = lane_colour(lanes[ti][k]);
            if (!colour) continue;
            const float x = origin.x + label_w + static_cast<float>(k) * cell;
            dl->AddRectFilled(ImVec2(x + 1, y), ImVec2(x + cell - 1, y + lane_h), colour, cell >= 8.0f ? 2.0f : 0.0f);
        }
    }
    // The current moment.
    const float now_x = origin.x + label_w + static_cast<float>(span) * cell;
    const float total_h = static_cast<float>(n) * (lane_h + 4.0f);
    dl->AddLine(ImVec2(now_x, origin.y - 2), ImVec2(now_x, origin.y + total_h), pal.accent, 3.0f);
    // Where a replayed finding goes wrong, once the replay gets there.
    for (const engine::Event& e : events) {
        if (vc.mark_step < 0 || e.step != static_cast<std::uint64_t>(vc.mark_step) || e.kind == engine::EventKind::Spawn || e.time < first) continue;
        const float x = origin.x + label_w + (static_cast<float>(e.time - first) + 0.5f) * cell;
        dl->AddTriangleFilled(ImVec2(x - 7, origin.y - kMarkH), ImVec2(x + 7, origin.y - kMarkH), ImVec2(x, origin.y), pal.bad);
        dl->AddLine(ImVec2(x, origin.y), ImVec2(x, origin.y + total_h), pal.bad, 2.0f);
        break;
    }
    // A click or a tap scrubs: a press and a release on the lanes with no move between them. A press
    // here takes no widget, so that a drag scrolls (the lanes sideways, a phone's page down): a finger
    // scrolling past the lanes went back in time at its touch.
    ImGui::Dummy(ImVec2(label_w + static_cast<float>(span) * cell + 4.0f, std::max(total_h, 1.0f)));
    const ImGuiIO& io = ImGui::GetIO();
    const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
    const auto on_lanes = [&](ImVec2 p) { return p.x >= lo.x && p.x < hi.x && p.y >= lo.y && p.y < hi.y; };
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[0] <= io.MouseDragThreshold * io.MouseDragThreshold &&
        on_lanes(io.MouseClickedPos[0]) && on_lanes(io.MousePos) && ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem)) {
        const float x = io.MousePos.x - origin.x - label_w;
        if (x >= 0) return static_cast<std::int64_t>(first) + static_cast<std::int64_t>(x / cell);
    }
    return -1;
}

}  // namespace such::ui

// [SECTION] Deadlock cycle
namespace such::ui {

// The wait-for cycle drawn as a ring: tasks (circles) and the locks they wait
// for (boxes), arrows "waits for" and "held by" going round.
RingLayout ring_layout(int nodes, float em, float room_x) {
    RingLayout r;
    r.node_r = em * 1.1f;
    // Neighbours on the ring a task's circle (radius node_r) and an object's box (1.4 by 0.7 node_r
    // each side of its centre) apart in any direction, plus a gap: the chord between two of them is at
    // least node_r * hypot(1 + 1.4, 1 + 0.7) + 0.2 em, so six philosophers' labels do not overlap.
    const float chord = r.node_r * std::hypot(2.4f, 1.7f) + em * 0.2f;
    const float radius_needed = chord / (2.0f * std::sin(3.14159265f / static_cast<float>(std::max(nodes, 2))));
    r.size = std::min(room_x, std::max(em * 8.0f, 2.0f * (radius_needed + r.node_r * 1.5f)));
    r.radius = r.size * 0.5f - r.node_r * 1.5f;
    return r;
}

bool draw_deadlock_cycle(const scenes::Run& run, const ViewContext& vc) {
    if (run.is_real()) return false;
    const auto cycle = run.sched().wait_cycle();
    if (cycle.empty()) return false;
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 room = ImGui::GetContentRegionAvail();
    const float em = ImGui::GetFontSize();
    const auto nodes = static_cast<int>(cycle.size() * 2);
    const RingLayout ring = ring_layout(nodes, em, room.x);
    const float size = ring.size, radius = ring.radius, node_r = ring.node_r;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 centre(origin.x + size * 0.5f, origin.y + size * 0.5f);
    const auto at = [&](int i) {
        const float a = 6.2831853f * static_cast<float>(i) / static_cast<float>(nodes) - 1.5707963f;
        return ImVec2(centre.x + radius * std::cos(a), centre.y + radius * std::sin(a));
    };
    for (int i = 0; i < nodes; ++i) {
        const ImVec2 a = at(i), b = at((i + 1) % nodes);
        const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
        const ImVec2 from(a.x + dx / len * node_r, a.y + dy / len * node_r);
        const ImVec2 to(b.x - dx / len * node_r, b.y - dy / len * node_r);
        dl->AddLine(from, to, pal.blocked, 3.0f);
        const ImVec2 n(-dy / len, dx / len);
        const float h = node_r * 0.45f;
        dl->AddTriangleFilled(to, ImVec2(to.x - dx / len * h + n.x * h * 0.6f, to.y - dy / len * h + n.y * h * 0.6f),
                              ImVec2(to.x - dx / len * h - n.x * h * 0.6f, to.y - dy / len * h - n.y * h * 0.6f), pal.blocked);
    }
    for (int i = 0; i < nodes; ++i) {
        const auto& [task, obj] = cycle[static_cast<std::size_t>(i / 2)];
        const std::string& label = i % 2 == 0 ? run.rt().task_name(task) : run.rt().object(obj).name();
        const ImVec2 p = at(i);
        if (i % 2 == 0) {
            dl->AddCircleFilled(p, node_r, pal.blocked);
        } else {
            dl->AddRectFilled(ImVec2(p.x - node_r * 1.4f, p.y - node_r * 0.7f), ImVec2(p.x + node_r * 1.4f, p.y + node_r * 0.7f), pal.panel, 4.0f);
            dl->AddRect(ImVec2(p.x - node_r * 1.4f, p.y - node_r * 0.7f), ImVec2(p.x + node_r * 1.4f, p.y + node_r * 0.7f), pal.blocked, 4.0f, 0, 2.0f);
        }
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        dl->AddText(ImVec2(p.x - ts.x * 0.5f, p.y - ts.y * 0.5f), i % 2 == 0 ? IM_COL32(255, 255, 255, 255) : ImGui::GetColorU32(ImGuiCol_Text), label.c_str());
    }
    (void)vc;
    ImGui::Dummy(ImVec2(size, size));
    // A pane wide enough for the objects beside the ring keeps them there: the pane is then as tall as
    // the taller of the two, not both. Wide enough at full-size text: a pane that shrank its text to fit
    // its width does not find room it would then overflow.
    if (room.x - size < em / fitted_scale() * 18.0f) return false;
    ImGui::SameLine();
    return true;
}

void draw_state(const scenes::Run& run, const ViewContext& vc) {
    const bool beside = draw_deadlock_cycle(run, vc);
    if (beside) ImGui::BeginGroup();
    draw_objects(run, vc, !beside);
    draw_transactions(run, vc);
    if (beside) ImGui::EndGroup();
}

}  // namespace such::ui
