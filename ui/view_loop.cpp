// Views of an event loop and its streams: the phases as a ring with the
// current one lit and the running callback in the middle; each queue as a
// lane of callback chips (timers with their due time, gold once due); the
// loop's clock; every timer's lateness as a bar, red when late; what the
// program printed, in order. A stream: what waits in it, and the replies.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "engine/event_loop.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {

namespace {

void lane(const char* label, const std::vector<std::string>& names, unsigned colour) {
    if (names.empty()) return;
    // The chips wrap at the pane's (or the column's) edge.
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    chip_label(label);
    for (std::size_t i = 0; i < names.size(); ++i) {
        chip_same_line(names[i].c_str(), right, i == 0);
        chip(names[i].c_str(), colour);
    }
}

void ring(const engine::EventLoop& loop, const ViewContext& vc) {
    const Palette& pal = palette();
    const float em = ImGui::GetFontSize();
    // The phases' names go around the ring, outside it: on it, the longer
    // ones crossed their segments' edges, and the lit one, in white, lost its
    // overhang on the light page.
    const float r = em * 3.6f, thick = em * 1.0f, label_gap = em * 0.3f, label_h = ImGui::GetTextLineHeight();
    const float outer = r + thick * 0.5f + label_gap;  // where the names start
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const ImVec2 c{top.x + width * 0.5f, top.y + label_h + outer + em * 0.2f};
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const char* labels[] = {"time", "timers", "pending", "idle", "prepare", "poll", "check", "close"};
    const float step = 2.0f * 3.14159265f / engine::kLoopPhases, gap = 0.03f;
    // Where the code's marker is; none while the main script runs, before the loop's first turn.
    const bool script = loop.stats().iterations == 0 && loop.running_callback();
    const int current = loop.finished() || script ? -1 : static_cast<int>(loop.standing());
    // The phase the loop has just been through, where it moved on from it: a fainter trail.
    const int left = loop.finished() || script || static_cast<int>(loop.phase()) == current ? -1 : static_cast<int>(loop.phase());
    for (int i = 0; i < engine::kLoopPhases; ++i) {
        // The first phase centred at the top: the phases at the top and the
        // bottom then lie flat under their words (starting at the top put a
        // segment's edge under the middle of "time", "close", "idle" and "prepare").
        const float a0 = -3.14159265f / 2 + step * (static_cast<float>(i) - 0.5f) + gap, a1 = a0 + step - 2 * gap;
        const bool lit = i == current;
        // The lit phase glows in over the slide after a step that moved the loop there; the one it left fades.
        const float k = ease(vc.since_step / kSlide);
        dl->PathArcTo(c, r, a0, a1, 24);
        dl->PathStroke(lit ? with_alpha(pal.accent, 0.45f + 0.55f * k) : i == left ? with_alpha(pal.accent, 0.45f - 0.2f * k) : with_alpha(pal.muted, 0.35f),
                       0, thick);
        const float mid = (a0 + a1) * 0.5f;
        // The name's box touches the circle at its segment's middle from outside:
        // to the right of it on the right, above it at the top, and so on round.
        const ImVec2 size = ImGui::CalcTextSize(labels[i]);
        const float cx = std::cos(mid), sy = std::sin(mid);
        const ImVec2 at{c.x + cx * outer - size.x * (1.0f - cx) * 0.5f, c.y + sy * outer - size.y * (1.0f - sy) * 0.5f};
        dl->AddText(at, lit ? pal.accent : ImGui::GetColorU32(ImGuiCol_Text), labels[i]);
    }
    // In the middle: the loop's time, and what it is doing.
    const std::string time = std::to_string(loop.loop_time()) + " ms";
    const std::string doing = loop.finished() ? "finished" : loop.current().empty() ? (loop.phase() == engine::LoopPhase::Poll ? "waiting" : "") : loop.current();
    const ImVec2 ts = ImGui::CalcTextSize(time.c_str());
    dl->AddText({c.x - ts.x * 0.5f, c.y - ts.y}, pal.muted, time.c_str());
    if (!doing.empty()) {
        // On one line, or two broken at the space nearest the middle ("the main script" fits so), each cut
        // short only if it still does not fit.
        const float room = (r - thick * 0.5f) * 1.8f;
        std::vector<std::string> lines{doing};
        if (ImGui::CalcTextSize(doing.c_str()).x > room) {
            std::size_t best = std::string::npos;
            for (std::size_t i = doing.find(' '); i != std::string::npos; i = doing.find(' ', i + 1)) {
                const auto off = [&](std::size_t k) { return k > doing.size() / 2 ? k - doing.size() / 2 : doing.size() / 2 - k; };
                if (best == std::string::npos || off(i) < off(best)) best = i;
            }
            if (best != std::string::npos) lines = {doing.substr(0, best), doing.substr(best + 1)};
        }
        float y = c.y + em * 0.1f;
        for (std::string& shown : lines) {
            // A second line sits lower in the circle, where it is narrower.
            const float fits = lines.size() > 1 ? room * 0.8f : room;
            while (shown.size() > 4 && ImGui::CalcTextSize(shown.c_str()).x > fits) shown = shown.substr(0, shown.size() - 4) + "...";
            const ImVec2 ds = ImGui::CalcTextSize(shown.c_str());
            dl->AddText({c.x - ds.x * 0.5f, y}, loop.current().empty() ? pal.muted : pal.running, shown.c_str());
            y += ds.y;
        }
    }
    ImGui::Dummy({width, 2 * (outer + label_h) + em * 0.4f});
}

// One bar per timer that fired: its lateness; red past 20 ms, amber past 5.
void lateness_bars(const engine::EventLoop& loop) {
    const auto late = loop.lateness();
    if (late.size() < 3) return;  // one or two bars are no chart (a lone dash read as a glitch); the timers' chips say enough
    const Palette& pal = palette();
    const float em = ImGui::GetFontSize();
    std::uint64_t worst = 0;
    for (const auto& l : late) worst = std::max<std::uint64_t>(worst, l.fired - l.due);
    ImGui::TextDisabled("timer lateness (fired - due), worst %llu ms", static_cast<unsigned long long>(worst));
    const auto scale = static_cast<float>(std::max<std::uint64_t>(worst, 1));  // bars on time stay a sliver
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float h = em * 2.2f, w = std::min(em * 0.9f, ImGui::GetContentRegionAvail().x / static_cast<float>(late.size() + 1));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < late.size(); ++i) {
        const std::uint64_t v = late[i].fired - late[i].due;
        const float bh = std::max(2.0f, h * static_cast<float>(v) / scale);
        const unsigned col = v > 20 ? pal.bad : v > 5 ? pal.ready : pal.good;
        const float x = at.x + static_cast<float>(i) * w;
        dl->AddRectFilled({x, at.y + h - bh}, {x + w * 0.8f, at.y + h}, col);
    }
    dl->AddLine({at.x, at.y + h}, {at.x + w * static_cast<float>(late.size()), at.y + h}, with_alpha(pal.muted, 0.6f));  // 0 ms late
    ImGui::Dummy({w * static_cast<float>(late.size()), h});
}

}  // namespace

void draw_loop(const scenes::Run&, const engine::Object& o, const ViewContext& vc) {
    const auto& loop = static_cast<const engine::EventLoop&>(o);
    const Palette& pal = palette();
    ImGui::Text("event loop");
    ImGui::PopFont();
    ImGui::SameLine();
    const auto st = loop.stats();
    ImGui::TextDisabled("turn %llu, %llu ms waiting in poll", static_cast<unsigned long long>(st.iterations),
                        static_cast<unsigned long long>(st.blocked_ms));
    ring(loop, vc);
    lateness_bars(loop);
    const auto q = loop.queues();
    std::vector<std::string> timers;
    std::vector<std::string> due, overdue;
    // A due timer waiting for the loop says how late it already is (by the loop's clock).
    const std::uint64_t now = loop.finished() ? loop.loop_time() : loop.now();
    for (const engine::Job& j : q.timers) {
        const std::string name = j.name + " @" + std::to_string(j.due);
        if (j.due > now) {
            timers.push_back(name);
        } else {
            (now - j.due > 20 ? overdue : due).push_back(name + ", " + std::to_string(now - j.due) + " ms late");
        }
    }
    lane("late timers", overdue, pal.bad);
    lane("due timers", due, pal.ready);
    lane("timers", timers, pal.muted);
    lane("next ticks", q.ticks, pal.accent);
    lane("promise jobs", q.microtasks, pal.accent);
    lane("pending", q.pending, pal.ready);
    lane("immediates", q.immediates, pal.ready);
    lane("close", q.closing, pal.ready);
    lane("posted", q.posted, pal.ready);
    lane("thread pool", q.work, pal.running);
    lane("watching", q.watching, pal.good);
    lane("printed", loop.output(), pal.done);
}

void draw_stream(const engine::Object& o) {
    const auto& s = static_cast<const engine::Stream&>(o);
    const Palette& pal = palette();
    ImGui::Text("%s", o.name().c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    chip((std::to_string(s.buffered()) + " waiting").c_str(), s.buffered() ? pal.ready : pal.muted);
    if (s.closed()) {
        ImGui::SameLine();
        chip("closed", pal.done);
    }
    lane("replied", s.echoed(), pal.good);
}

}  // namespace such::ui
