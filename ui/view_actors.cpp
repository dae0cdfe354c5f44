// Views of actors and fibers: an actor's address, whether it lives, and its mailbox as
// a queue of message chips, oldest first; dropped messages counted; a
// fiber's holder of control and the value last handed over.
#include <string>

#include "engine/actor.hpp"
#include "engine/fiber.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {

void draw_mailbox(const scenes::Run& run, const engine::Object& o, const ViewContext& vc) {
    const auto& box = static_cast<const engine::Mailbox&>(o);
    const Palette& pal = palette();
    const auto& rt = run.rt();
    ImGui::Text("actor %s", o.name().c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    chip(box.alive() ? "alive" : "dead", box.alive() ? pal.good : pal.bad);
    if (box.dropped()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%llu dropped", static_cast<unsigned long long>(box.dropped()));
    }
    ImGui::TextDisabled("mailbox");
    const auto& messages = box.messages();
    if (messages.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("(empty)");
    }
    // The newest message slides in from the right after a step that put it there.
    const bool arrived = !run.is_real() && !messages.empty() && vc.since_step < kSlide;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const engine::Message& m = messages[i];
        ImGui::SameLine();
        if (arrived && i + 1 == messages.size()) {
            const float k = ease(vc.since_step / kSlide);
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (1.0f - k) * ImGui::GetFontSize() * 3.0f);
        }
        const std::string from = m.from == engine::kNone ? "runtime" : rt.task_name(m.from);
        const std::string text = (m.value ? m.tag + "(" + std::to_string(m.value) + ")" : m.tag) + " from " + from;
        chip(text.c_str(), i == 0 ? pal.accent : pal.ready);
    }
}

void draw_fiber(const scenes::Run& run, const engine::Object& o) {
    const auto& f = static_cast<const engine::Fiber&>(o);
    const Palette& pal = palette();
    ImGui::Text("fiber %s", o.name().c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    if (f.finished()) {
        chip("finished", pal.done);
    } else {
        const engine::Snapshot snap = f.snapshot();
        const std::string who = snap.holder == engine::kNone ? std::string("nobody yet") : run.rt().task_name(snap.holder);
        chip((who + " has control").c_str(), f.control() == engine::Fiber::Side::Fiber ? pal.accent : pal.ready);
    }
    ImGui::TextDisabled("last value passed: %lld, %llu hand-offs", static_cast<long long>(f.last_value()),
                        static_cast<unsigned long long>(f.switches()));
}

}  // namespace such::ui
