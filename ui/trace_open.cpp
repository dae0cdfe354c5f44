// Traces in the app: a trace file opens as the run it recorded, at its last
// step, with full time travel (step back, forward, seek), as if it had just
// been played; the open run saves as a trace file. The desktop gives paths
// (menu, --open, a file dropped on the window); the browser gives the file's
// text (a file picker or a drop, index.html).
#include <filesystem>

#include "imgui.h"
#include "scenes/program.hpp"
#include "scenes/trace_replay.hpp"
#include "ui/app.hpp"
#include "ui/playground.hpp"
#include "ui/user_file.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {

// A trace is refused whole: on any error the open scene, run and settings stay.
bool App::open_trace(std::string_view text, const std::string& from) {
    scenes::Reopened re;
    std::string error;
    if (!scenes::reopen_trace(text, re, error)) {
        last_error_ = from + ": " + error;
        note_ = "Could not open the trace " + last_error_;
        return false;
    }
    if (re.first_difference != scenes::Reopened::kSame) {
        last_error_ = from + ": its event " + std::to_string(re.first_difference + 1) +
                      " is not what the re-run gives (was it recorded by another version?)";
        note_ = "Could not open the trace " + last_error_;
        return false;
    }
    // The user's stepping then walks the recorded choices, as a replayed finding does.
    scenes::Settings s = re.settings;
    s.policy = engine::Policy::Manual;
    s.replay.clear();
    if (re.scene.id == "play") {
        open_program(re.header.program, s);
    } else {
        open_scene(*scenes::find_scene(re.scene.id), s);
    }
    player_.set_picks(re.header.picks);  // open_* cleared them with the settings
    const std::size_t steps = re.header.choices.size();
    player_.remember(std::move(re.header.choices));
    rebuild(steps);
    note_ = "opened the trace " + from + ": " + std::to_string(steps) + " steps, seed " + std::to_string(re.header.seed) +
            ", recorded " + std::string(engine::to_string(re.header.policy)) + " (left arrow steps back)";
    return true;
}

std::optional<bool> App::trace_command(std::string_view verb, std::string_view arg) {
    if (verb == "trace-text") return open_trace(arg, "from the page");
    if (verb == "open-trace-file" || verb == "save-trace-file") {
        // The desktop asks for a path; the browser's shell opens its file picker.
        if (play_->files) {
            trace_popup_ = verb == "open-trace-file" ? TracePopup::Open : TracePopup::Save;
        } else if (verb == "open-trace-file") {
            trace_file_request_ = true;
        } else {
            last_error_ = "saving a trace needs the desktop app (./such run --open reads what ./such run --trace writes)";
            return false;
        }
        return true;
    }
    if (verb != "trace" && verb != "save-trace") return std::nullopt;
    if (arg.empty()) {
        last_error_ = std::string(verb) + " needs a file name";
        return false;
    }
    const std::string path(arg);
    if (verb == "trace") {
        std::string bytes, why;
        if (!read_user_file(path, kMaxTraceBytes, bytes, why)) {
            last_error_ = "cannot read '" + path + "' (" + why + ")";
            note_ = "Could not open the trace: " + last_error_;
            return false;
        }
        return open_trace(bytes, path);
    }
    if (!player_.run() || player_.run()->is_real()) {
        last_error_ = "no simulated run is open to save";
        return false;
    }
    if (!write_user_file(path, scenes::trace_file(*player_.scene(), player_.settings(), *player_.run()))) {
        last_error_ = "could not write '" + path + "'";
        return false;
    }
    note_ = "saved the run's trace (" + std::to_string(player_.run()->sched().steps()) + " steps) to " + path;
    return true;
}

// The desktop's "Open trace..." and "Save trace..." ask for a path.
void App::draw_trace_popup() {
    if (trace_popup_ != TracePopup::None) {
        ImGui::OpenPopup("Trace file");
        trace_popup_open_ = trace_popup_;
        trace_popup_ = TracePopup::None;
    }
    if (!ImGui::BeginPopupModal("Trace file", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    const bool saving = trace_popup_open_ == TracePopup::Save;
    ImGui::TextUnformatted(saving ? "Save the open run as a trace file:" : "Open a trace file (written by Save trace or such run --trace):");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 24);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter = ImGui::InputText("##trace path", trace_path_.data(), trace_path_.size(), ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::Button(saving ? "Save" : "Open") || enter) {
        if (command(std::string(saving ? "save-trace " : "trace ") + trace_path_.data())) ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
    if (!last_error_.empty()) ImGui::TextWrapped("%s", fitted(last_error_, 2000).c_str());
    ImGui::EndPopup();
}

void App::draw_trace_menu_items() {
    if (ImGui::MenuItem("Open trace...")) command("open-trace-file");
    if (play_->files && ImGui::MenuItem("Save trace...", nullptr, false, player_.run() && !player_.run()->is_real())) command("save-trace-file");
}

}  // namespace such::ui
