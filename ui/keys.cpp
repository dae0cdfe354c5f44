// The keys table, what a key press runs, and the help overlay that lists them.
#include "ui/keys.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "imgui.h"
#include "ui/view_parts.hpp"

namespace such::ui {
namespace {

using enum KeyWhere;
using enum KeyMod;

// First match wins: a Shift row comes before the plain row of the same key.
constexpr std::array kKeys = {
    // Presenting: a clicker sends Page Down / Page Up.
    KeyBinding{"Shift + \xE2\x86\x92 / Page Down", "Right|Space|PageDown", Shift, Talk, "skip", "the next slide, without its beats"},
    KeyBinding{"\xE2\x86\x92 / Space / Page Down", "Right|Space|PageDown", None, Talk, "next", "the next beat (a live slide: its run, its outcome, every schedule); after the last, the next slide"},
    KeyBinding{"Shift + \xE2\x86\x90 / Page Up", "Left|PageUp", Shift, Talk, "skip back", "the previous slide, from its start"},
    KeyBinding{"\xE2\x86\x90 / Page Up", "Left|PageUp", None, Talk, "prev", "back a beat; from the first, the previous slide at its last beat"},
    KeyBinding{"Home", "Home", None, Talk, "first", "the first slide"},
    KeyBinding{"End", "End", None, Talk, "last", "the last slide"},
    KeyBinding{"0 \xE2\x80\x93 9", "0-9", None, Talk, "digit", "types a slide number..."},
    KeyBinding{"Enter", "Return", None, Talk, "enter", "...and goes to it"},
    KeyBinding{"P", "P", None, Talk, "toggle", "plays or pauses the slide's run"},
    KeyBinding{"W", "W", None, Talk, "notes window", "the speaker's notes in a window of their own (desktop)"},
    // A live slide: what its notes ask for, the current values in its footer.
    // These come before the rows for everywhere (C is the challenges elsewhere).
    KeyBinding{"C", "C", None, Slide, "vary cores", "cores 1, 2, 4: the beat again with them"},
    KeyBinding{"S", "S", None, Slide, "vary seed", "the next seed"},
    KeyBinding{"O", "O", None, Slide, "vary policy", "preemptive or cooperative"},
    KeyBinding{"V", "V", None, Slide, "vary variant", "the slide's variant (its footer names it)"},
    KeyBinding{".", ".", None, Slide, "advance", "one step, paused"},
    KeyBinding{",", ",", None, Slide, "back", "one step back"},
    // A scene (or the menu): the workbench.
    KeyBinding{"P", "P", None, List, "talk", "presents the talk, from the slide it was left at"},  // before the row below, which takes P in a scene
    KeyBinding{"Space / P", "Space|P", None, Workbench, "toggle", "plays or pauses the scene"},
    KeyBinding{"\xE2\x86\x92", "Right", None, Workbench, "step", "one step (manual: your next remembered choice, after \xE2\x86\x90)"},
    KeyBinding{"\xE2\x86\x90", "Left", None, Workbench, "back", "one step back in time"},
    KeyBinding{"1 \xE2\x80\x93 9", "1-9", None, Workbench, "task", "you are the scheduler (manual policy): the task with that number takes the next step"},
    // Everywhere.
    KeyBinding{"? / F1 / H", "?|/|F1|H", None, Anywhere, "help", "this list of keys (again: closes it)"},
    KeyBinding{"Esc", "Escape", None, Anywhere, "escape", "closes the innermost first (a dropdown, this list, a typed slide number, the notes), else back to the scenes"},
    KeyBinding{"F5", "F5", None, Anywhere, "talk", "presents the talk, from the slide it was left at (Home: the first)"},
    KeyBinding{"R", "R", None, Anywhere, "restart", "the scene again from step 0"},
    KeyBinding{"C", "C", None, Workbench, "challenges", "the challenges: be the scheduler (not in the talk, where C is a live slide's cores)"},
    KeyBinding{"N", "N", None, Anywhere, "notes", "speaker notes over the slide"},
    KeyBinding{"T", "T", None, Anywhere, "theme", "dark or light theme (light for projectors)"},
    KeyBinding{"F / F11", "F|F11", None, Anywhere, "fullscreen", "fullscreen on or off"},
    KeyBinding{"Ctrl + =", "=|+", Ctrl, Anywhere, "zoom+", "larger text"},
    KeyBinding{"Ctrl + -", "-", Ctrl, Anywhere, "zoom-", "smaller text"},
    // The program editor takes these itself while it has the keyboard.
    KeyBinding{"Ctrl + Enter", "", Ctrl, Editor, "", "runs the program from the start"},
    KeyBinding{"Ctrl + V", "", Ctrl, Editor, "", "pastes (a program copied from another page too)"},
};

bool mod_matches(KeyMod mod, bool ctrl, bool shift) {
    if (mod == Ctrl) return ctrl;
    if (mod == Shift) return shift && !ctrl;
    return !ctrl;
}

// The key's name in `names`, or its digit in a range "1-9"; "" when absent.
std::string_view named(std::string_view names, std::string_view name) {
    if (names.size() == 3 && names[1] == '-' && name.size() == 1 && name[0] >= names[0] && name[0] <= names[2]) return name;
    while (!names.empty()) {
        const auto bar = names.find('|');
        if (names.substr(0, bar) == name) return name;
        names = bar == std::string_view::npos ? std::string_view{} : names.substr(bar + 1);
    }
    return {};
}

bool applies(KeyWhere where, KeyPlace place) {
    switch (where) {
    case Talk: return place.talk;
    case Slide: return place.talk && place.live_slide;
    case Workbench: return !place.talk;
    case List: return !place.talk && !place.scene_open;
    case Anywhere: return true;
    case Editor: return false;
    }
    return false;
}

}  // namespace

std::span<const KeyBinding> key_table() { return kKeys; }

std::string key_command(std::string_view name, bool ctrl, bool shift, KeyPlace place) {
    // The keypad's keys are the main ones: "Keypad 3", "Keypad +", "Keypad Enter".
    if (name.starts_with("Keypad ")) name.remove_prefix(7);
    if (name == "Enter") name = "Return";
    for (const KeyBinding& k : kKeys) {
        if (!applies(k.where, place) || k.command.empty() || !mod_matches(k.mod, ctrl, shift) || named(k.names, name).empty()) continue;
        const bool digit = k.names.size() == 3 && k.names[1] == '-';
        return std::string(k.command) + (digit ? " " + std::string(name) : "");
    }
    return {};
}

std::vector<std::string> draw_key_help(bool& open) {
    std::vector<std::string> drawn;
    if (!open) return drawn;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x * 0.9f, 0.0f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(vp->WorkSize.x * 0.9f, vp->WorkSize.y * 0.9f));
    // The whole list fits without a scrollbar: with the talk's large fonts
    // (or a small window) the list's text shrinks by as much as its height
    // overflows; remembered per font size and window height.
    static std::map<std::pair<int, int>, float> fitted_scale;
    const std::pair<int, int> fit_key{static_cast<int>(ImGui::GetFontSize()), static_cast<int>(vp->WorkSize.y)};
    float& scale = fitted_scale.try_emplace(fit_key, 1.0f).first->second;
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove |
                                   (scale > 0.5f ? ImGuiWindowFlags_NoScrollbar : 0);  // it fits: nothing to scroll
    if (!ImGui::Begin("Keys  (? / F1 / H or Esc closes)", &open, flags)) {
        ImGui::End();
        return drawn;
    }
    ImGui::SetWindowFontScale(scale);
    static constexpr std::array<std::pair<KeyWhere, const char*>, 6> kGroups = {{
        {Workbench, "In a scene"}, {List, "On the scene list"}, {Anywhere, "Everywhere"},
        {Talk, "Presenting the talk"}, {Slide, "On a live slide"}, {Editor, "In the program editor"}}};
    const float key_w = ImGui::CalcTextSize("Shift + \xE2\x86\x92 / Page Down").x + ImGui::GetStyle().ItemSpacing.x * 2;
    if (ImGui::BeginTable("help", 2, ImGuiTableFlags_SizingStretchSame)) {
        for (std::size_t g = 0; g < kGroups.size(); ++g) {
            if (g % (kGroups.size() / 2) == 0) ImGui::TableNextColumn();  // half the groups a column
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette().accent), "%s", kGroups[g].second);
            if (!ImGui::BeginTable(kGroups[g].second, 2)) continue;
            ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, key_w);
            ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
            for (const KeyBinding& k : kKeys) {
                if (k.where != kGroups[g].first) continue;
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(k.label.data(), k.label.data() + k.label.size());
                ImGui::TableNextColumn();
                ImGui::PushTextWrapPos(0.0f);
                ImGui::TextUnformatted(k.what.data(), k.what.data() + k.what.size());
                ImGui::PopTextWrapPos();
                drawn.emplace_back(k.label);
            }
            ImGui::EndTable();
            ImGui::Spacing();
        }
        ImGui::EndTable();
    }
    const float content = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
    const float room = vp->WorkSize.y * 0.9f;
    if (content > room) scale = std::max(0.5f, scale * room / content * 0.96f);
    ImGui::End();
    return drawn;
}

}  // namespace such::ui
