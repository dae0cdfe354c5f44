// Views of actors: an actor's address, whether it lives, and its mailbox as
// a queue of message chips, oldest first; dropped messages counted.
#include <string>

#include "engine/actor.hpp"
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

}  // namespace such::ui
