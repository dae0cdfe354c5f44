// Views of message passing: a process's private memory, a pipe's bytes in
// flight, a promise's state and its waiters; a channel as a pipe between its waiting senders
// (left) and receivers (right), its buffer's slots filling and emptying, a
// handover drawn as the value travelling from one party to the other, and a
// closed channel shown as closed.
#include <algorithm>
#include <string>

#include "engine/channel.hpp"
#include "engine/future.hpp"
#include "engine/process.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {
namespace {

}  // namespace

void draw_channel(const scenes::Run& run, const engine::Object& o, const engine::Snapshot& snap, ViewMemory::Seen* seen) {
    const auto& ch = static_cast<const engine::ChannelCell&>(o);
    const Palette& pal = palette();
    const auto& rt = run.rt();
    ImGui::Text("channel %s", o.name().c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    chip(snap.value.c_str(), ch.closed() ? pal.done : pal.muted);  // closing is how a channel ends well: not red

    // Senders | pipe with slots | receivers, on one row.
    const float unit = ImGui::GetTextLineHeight();
    const float pad = ImGui::GetStyle().FramePadding.x;
    const auto senders = ch.senders();
    const auto receivers = ch.receivers();
    std::string left;
    for (const auto& [task, value] : senders) left += (left.empty() ? "" : "  ") + rt.task_name(task) + " (" + run.value_text(value) + ")";
    std::string right;
    for (engine::TaskId t : receivers) right += (right.empty() ? "" : "  ") + rt.task_name(t);
    const float side = std::max({ImGui::CalcTextSize(left.c_str()).x, ImGui::CalcTextSize(right.c_str()).x, unit * 5}) + 2 * pad;
    const int slots = std::max(1, ch.capacity());
    const float slot_w = unit * 3.6f;
    const float pipe_w = static_cast<float>(slots) * slot_w + unit * 2;
    ImGui::Dummy(ImVec2(0, unit * 0.6f));  // room for a value travelling above the pipe
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = unit * 2.4f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const unsigned dark = IM_COL32(15, 15, 20, 255);

    // Waiting senders, to the left of the pipe; waiting receivers, to the right.
    if (!left.empty()) {
        dl->AddRectFilled(ImVec2(p.x, p.y), ImVec2(p.x + side - pad, p.y + h), pal.blocked, 6.0f);  // they wait: red, as their cards
        dl->AddText(ImVec2(p.x + pad, p.y + (h - unit) / 2), text_on(pal.blocked), left.c_str());
    } else {
        dl->AddText(ImVec2(p.x + pad, p.y + (h - unit) / 2), pal.muted, "senders");  // muted, not fainter: 60% of it read at 2.8:1
    }
    const float x0 = p.x + side;
    const float x1 = x0 + pipe_w;
    if (!right.empty()) {
        dl->AddRectFilled(ImVec2(x1 + pad, p.y), ImVec2(x1 + side, p.y + h), pal.blocked, 6.0f);
        dl->AddText(ImVec2(x1 + 2 * pad, p.y + (h - unit) / 2), text_on(pal.blocked), right.c_str());
    } else {
        dl->AddText(ImVec2(x1 + 2 * pad, p.y + (h - unit) / 2), pal.muted, "receivers");
    }
    // The pipe: two rails, an arrow, and a slot per buffer place (one door when unbuffered).
    const unsigned rail = pal.muted;
    dl->AddLine(ImVec2(x0, p.y), ImVec2(x1, p.y), rail, 2.0f);
    dl->AddLine(ImVec2(x0, p.y + h), ImVec2(x1, p.y + h), rail, 2.0f);
    dl->AddTriangleFilled(ImVec2(x1 - unit * 0.6f, p.y + h * 0.3f), ImVec2(x1 - unit * 0.6f, p.y + h * 0.7f), ImVec2(x1 - unit * 0.1f, p.y + h * 0.5f), rail);
    const auto& buffer = ch.buffer();
    for (int i = 0; i < slots; ++i) {
        // The oldest value sits nearest the receivers.
        const float sx = x1 - unit - (static_cast<float>(i) + 1) * slot_w;
        const ImVec2 a(sx + 3, p.y + 4), b(sx + slot_w - 3, p.y + h - 4);
        const float text_y = a.y + (b.y - a.y - unit) / 2;
        if (ch.capacity() == 0) {
            dl->AddRect(a, b, pal.muted, 4.0f, 0, 1.5f);
            const float meet_w = ImGui::CalcTextSize("meet").x;  // centred in its door: at a.x + 4 it touched the left edge
            dl->AddText(ImVec2(a.x + std::max(4.0f, (b.x - a.x - meet_w) / 2), text_y), pal.muted, "meet");
            continue;
        }
        if (static_cast<std::size_t>(i) < buffer.size()) {
            const std::string v = run.value_text(buffer[static_cast<std::size_t>(i)]);
            dl->AddRectFilled(a, b, pal.accent, 4.0f);
            dl->PushClipRect(a, b, true);  // a program's value may be a table wider than its slot
            dl->AddText(ImVec2(a.x + 6, text_y), dark, v.c_str());
            dl->PopClipRect();
        } else {
            dl->AddRect(a, b, pal.muted, 4.0f, 0, 1.5f);
        }
    }
    // A value just passed (the channel's count of values passed changed): it slides from the senders' side to the
    // receivers', along the pipe's top rail and within the pipe's length (beyond it, it covered a corner of a waiting
    // task's box).
    double since = 10.0;
    if (seen) {
        if (seen->passed != ch.passed()) {
            if (seen->passed_known) seen->passed_at = ImGui::GetTime();
            seen->passed = ch.passed();
        }
        seen->passed_known = true;
        since = ImGui::GetTime() - seen->passed_at;
    }
    if (ch.passed() > 0 && since < 2 * kSlide && !run.is_real()) {
        const float k = ease(since / (2 * kSlide));
        const std::string v = run.value_text(ch.last_passed());
        const float w = ImGui::CalcTextSize(v.c_str()).x + 2 * pad;
        const float x = x0 + std::max(0.0f, pipe_w - w) * k;
        dl->AddRectFilled(ImVec2(x, p.y - unit * 0.6f), ImVec2(x + w, p.y + unit * 0.6f), with_alpha(pal.good, 1.0f - 0.5f * k), 6.0f);
        dl->AddText(ImVec2(x + pad, p.y - unit * 0.5f), dark, v.c_str());
    }
    if (ch.closed()) dl->AddText(ImVec2(x0 + pad, p.y + h + 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), "closed: receivers get nothing once it is empty");
    ImGui::Dummy(ImVec2(x1 + side - p.x, h + (ch.closed() ? unit + 4 : 2)));
}

void draw_future(const scenes::Run& run, const engine::Object& o, const engine::Snapshot& snap) {
    const auto& p = static_cast<const engine::Promise&>(o);
    const Palette& pal = palette();
    ImGui::Text("%s %s", p.dataflow() ? "dataflow variable" : "future", o.name().c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    switch (p.state()) {
    case engine::Promise::State::Pending: chip(snap.value.c_str(), pal.ready); break;
    case engine::Promise::State::Fulfilled: chip(("= " + snap.value).c_str(), pal.good); break;
    case engine::Promise::State::Broken: chip("broken", pal.bad); break;
    }
    for (engine::TaskId w : snap.waiting) {
        ImGui::SameLine();
        chip((run.rt().task_name(w) + " waits").c_str(), pal.blocked);
    }
    if (p.continuations() > 0) {
        ImGui::SameLine();
        ImGui::TextDisabled("%zu continuation(s) waiting", p.continuations());
    }
}

void draw_pipe(const scenes::Run& run, const engine::Object& o, const engine::Snapshot& snap) {
    const auto& pipe = static_cast<const engine::Pipe&>(o);
    const Palette& pal = palette();
    ImGui::Text("pipe: %s", o.name().c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    chip(pipe.closed() ? "writer closed" : "open", pipe.closed() ? pal.muted : pal.good);
    for (engine::TaskId w : snap.waiting) {
        ImGui::SameLine();
        chip((run.rt().task_name(w) + " waits").c_str(), pal.blocked);
    }
    // One cell per byte of capacity, the bytes in flight in order: the reader takes from the left.
    const float unit = ImGui::GetTextLineHeight();
    const float cell = unit * 1.3f;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::string& bytes = pipe.bytes();
    const auto n = pipe.capacity();
    for (std::size_t i = 0; i < n; ++i) {
        const float x = p.x + static_cast<float>(i) * cell;
        const ImVec2 a(x + 1, p.y), b(x + cell - 1, p.y + cell);
        if (i < bytes.size()) {
            dl->AddRectFilled(a, b, pal.accent, 3.0f);
            const char c[2] = {bytes[i] == ' ' ? '_' : bytes[i], 0};
            dl->AddText(ImVec2(a.x + cell * 0.25f, a.y + (cell - unit) / 2), IM_COL32(15, 15, 20, 255), c);
        } else {
            dl->AddRect(a, b, pal.muted, 3.0f);
        }
    }
    ImGui::Dummy(ImVec2(static_cast<float>(n) * cell, cell + 2));
    ImGui::SameLine();
    ImGui::TextDisabled("read from the left, written on the right");
}

void draw_memory(const scenes::Run& run, const engine::Object& o, const engine::Snapshot& snap) {
    const auto& mem = static_cast<const engine::ProcessMemory&>(o);
    const Palette& pal = palette();
    ImGui::Text("process %s", o.name().c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    std::string owners;
    for (engine::TaskId t : mem.tasks()) owners += (owners.empty() ? "" : ", ") + run.rt().task_name(t);
    chip(("private to " + owners).c_str(), pal.muted);
    ImGui::TextWrapped("memory: %s", snap.value.c_str());
}

}  // namespace such::ui
