// The playground's behaviour: the program and the scene made from it, opening
// programs (links, files, examples), its commands and its state for tests.
// Drawing is in ui/playground_draw.cpp.
//
// Index
//   [SECTION] The program and its scene
//   [SECTION] Opening programs
//   [SECTION] Commands
//   [SECTION] State for tests
#include "ui/playground.hpp"

#include <algorithm>
#include <filesystem>

#include "imgui.h"
#include "ui/app.hpp"
#include "ui/deep_link.hpp"
#include "ui/user_file.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {

// [SECTION] The program and its scene

std::uint32_t text_hash(std::string_view text) {
    std::uint32_t h = 2166136261u;
    for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h;
}

Playground::Playground() {
    const auto& all = scenes::examples();
    if (all.empty()) {
        text_ = "print(\"hello\")\n";
    } else {
        text_ = all.front().text;
        example = all.front().id;
    }
    check();
}

void Playground::check() { compiles_ = scenes::check_program(text_, error_); }

void Playground::edited() {
    example.clear();
    dirty_ = true;
    check();
}

void Playground::load(std::string text, std::string from_example) {
    if (text != text_) history_.push_back(std::move(text_));
    if (history_.size() > 20) history_.erase(history_.begin());
    text_ = std::move(text);
    example = std::move(from_example);
    if (example.empty()) name_example();
    view.reset(text_);
    dirty_ = true;
    check();
}

bool Playground::revert() {
    if (history_.empty()) return false;
    text_ = std::move(history_.back());
    history_.pop_back();
    name_example();  // an example brought back is named as one again
    view.reset(text_);
    dirty_ = true;
    check();
    return true;
}

// An example that came by file, link or storage is still named as one.
void Playground::name_example() {
    example.clear();
    for (const scenes::Example& e : scenes::examples()) {
        if (e.text == text_) example = e.id;
    }
}

void Playground::restore(std::string text) {
    text_ = std::move(text);
    name_example();
    view.reset(text_);
    check();
}

const scenes::Scene& Playground::scene() {
    if (stale()) {
        previous_ = std::move(scene_);
        scene_ = std::make_unique<scenes::Scene>(scenes::program_scene(text_));
        made_from_ = text_;
    }
    return *scene_;
}

// [SECTION] Opening programs

bool App::is_playground() const { return play_->owns(player_.scene()); }

std::string App::uncompiled() const {
    if (!is_playground()) return {};
    const scenes::ProgramError* e = play_->syntax_error();
    return e ? "the program does not compile (" + e->text() + "): fix it, then Run" : std::string();
}

std::string App::hint_line() const {
    return uncompiled().empty() ? player_.hint_line(stacked_) : "does not compile: fix the marked line, then Run";
}

void App::open_playground(const scenes::Settings& settings) {
    leave_modes();
    const scenes::Settings s = settings;  // may be player_.settings() itself
    load_scene(play_->scene(), s);
}

void App::open_program(std::string text, const scenes::Settings& settings) {
    play_->load(std::move(text));
    open_playground(settings);
    page_top_ = true;  // on a phone, scrolled down in the last program, the new one shows from its top
}

// The text changed while the page is open: the run starts again from the new
// text, with the same settings (the explorer's results were the old text's).
void App::program_changed() {
    if (!is_playground() || !play_->stale()) return;  // made afresh when the page opens
    const scenes::Settings s = player_.settings();
    load_scene(play_->scene(), s);
}

bool App::open_play_link(std::string_view hash) {
    PlayLink link;
    std::string error;
    if (!parse_play_link(hash, link, error)) {
        if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
        return refuse_link(hash, error);
    }
    if (link.has_text) {
        const std::vector<engine::TaskId> picks = std::exchange(link.settings.replay, {});
        open_program(std::move(link.text), link.settings);
        go_to_position(picks, link.step);
    } else {
        open_playground(link.settings);
    }
    return true;
}

void App::restore_program(std::string_view text) {
    std::string clean, error;
    if (clean_program_text(text, clean, error) && !clean.empty()) play_->restore(std::move(clean));
}

const std::string& App::program_text() const { return play_->text(); }
bool App::take_program_dirty() { return play_->take_dirty(); }
void App::set_program_files(bool available) { play_->files = available; }

// Commands the page asked for while it was being drawn, and a text typed
// this frame: applied between frames, when no view holds on to the run.
void App::run_playground_requests() {
    program_changed();
    for (const std::string& c : std::exchange(play_->requests, {})) {
        command(c);
        redraw_ = true;
    }
}

// [SECTION] Commands

namespace {
// A .lua file, or a shipped example as examples/ID when no such file exists
// (`from_file` false: there is no file to save back to).
bool read_program(const std::string& path, std::string& out, std::string& error, bool& from_file) {
    std::string bytes, why;
    // Past the longest program the editor takes, so clean_program_text says how long it is.
    from_file = read_user_file(path, 4 * kMaxProgramBytes, bytes, why);
    if (!from_file) {
        const scenes::Example* e = path.starts_with("examples/") && why == "no such file" ? scenes::find_example(path.substr(9)) : nullptr;
        if (!e) {
            error = "cannot read '" + path + "' (" + why + ")";
            return false;
        }
        bytes = e->text;
    }
    if (!clean_program_text(bytes, out, error)) {
        error = path + ": " + error;
        return false;
    }
    return true;
}
}  // namespace

std::optional<bool> App::playground_command(std::string_view verb, std::string_view arg) {
    const auto fail = [&](std::string why) {
        last_error_ = std::move(why);
        return false;
    };
    // A program opened from the menu starts from the default settings; one
    // changed in the page keeps the page's.
    const scenes::Settings keep = is_playground() ? player_.settings() : scenes::Settings{};
    // A change to the text from outside the field (paste, a phone's backspace): into the editor (a run goes
    // back to it), and if the change was made at once rather than by the focused field, the run is remade.
    const auto into_editor = [&](const auto& change) {
        if (player_.run()->sched().steps() > 0 || player_.playing()) command("edit");
        if (change()) {
            play_->edited();
            program_changed();
        }
    };
    if (verb == "playground") {
        open_playground(keep);
    } else if (verb == "program") {
        std::string bytes, text, error;
        if (arg.empty()) return fail("program needs the text as base64url");
        if (arg.size() > (kMaxProgramBytes + 2) / 3 * 4) return fail("the program is too long (at most " + scenes::grouped(static_cast<long>(kMaxProgramBytes)) + " bytes)");
        if (!base64url_decode(arg, bytes, error) || !clean_program_text(bytes, text, error)) return fail(error);
        open_program(std::move(text), keep);
    } else if (verb == "example") {
        const scenes::Example* e = scenes::find_example(arg);
        if (!e) {
            std::string known;
            for (const scenes::Example& x : scenes::examples()) known += (known.empty() ? "" : ", ") + x.id;
            return fail("no example called '" + scenes::shown(arg) + "' (there are: " + known + ")");
        }
        play_->load(e->text, e->id);
        open_playground(keep);
    } else if (verb == "revert") {
        if (!play_->revert()) return fail("nothing to revert: no load replaced a text yet");
        program_changed();
    } else if (verb == "paste") {
        std::string text, error;
        if (!clean_program_text(arg, text, error)) return fail(error);
        if (!is_playground()) return fail("paste goes into the playground's editor: open the playground first");
        into_editor([&] { return play_->view.insert(play_->text(), text); });
    } else if (verb == "backspace") {
        // What a phone's keyboard erases (index.html): the characters before the editor's caret.
        std::uint64_t count = 1;
        if (!arg.empty() && (!parse_u64(arg, count) || count < 1 || count > 1000)) return fail("backspace takes a count from 1 to 1000");
        if (!is_playground()) return fail("backspace erases in the playground's editor: open the playground first");
        into_editor([&] { return play_->view.erase(play_->text(), static_cast<int>(count)); });
    } else if (verb == "edit") {
        if (!is_playground()) return fail("edit works in the playground");
        player_.set_playing(false);
        if (player_.run()->sched().steps() > 0) rebuild(0);
    } else if (verb == "run-program") {
        if (!is_playground()) open_playground(keep);
        program_changed();  // a no-op unless the text changed
        player_.set_playing(false);
        rebuild(0);
        // A text that does not compile stays in the editor, its error shown.
        if (const scenes::ProgramError* e = play_->syntax_error()) return fail(e->text());
        if (player_.manual()) return true;  // the user picks who runs
        step_forward();
        if (player_.run()->sched().steps() == 0) return fail("the program has no task that can take a step");
        player_.set_playing(!player_.run()->over());
    } else if (verb == "load") {
        std::string text, error;
        if (arg.empty()) return fail("load needs a file name");
        bool from_file = false;
        if (!read_program(std::string(arg), text, error, from_file)) return fail(play_->status = error);
        open_program(std::move(text), keep);
        play_->status = "opened " + std::string(arg);
        // Save then writes back to the file that was opened (a shipped example has none: the field stays).
        if (from_file && arg.size() < play_->path.size()) {
            std::fill(play_->path.begin(), play_->path.end(), '\0');
            std::copy(arg.begin(), arg.end(), play_->path.begin());
        }
    } else if (verb == "save") {
        if (arg.empty()) return fail("save needs a file name");
        if (!write_user_file(std::string(arg), play_->text())) return fail(play_->status = "could not save " + std::string(arg));
        play_->status = "saved " + std::string(arg);
    } else if (verb == "copy-link") {
        if (!is_playground()) return fail("copy-link works in the playground");
        if (ImGui::GetCurrentContext()) ImGui::SetClipboardText((link_base_ + link_).c_str());
        play_->status = kLinkCopied;
        play_->copied_link = link_;
    } else {
        return std::nullopt;
    }
    return true;
}

// [SECTION] State for tests

std::string App::playground_json() const {
    const Playground& p = *play_;
    const bool open = is_playground() && player_.run();
    std::string out = ",\"program\":{\"open\":" + std::string(open ? "true" : "false");
    out += ",\"editing\":" + std::string(open && player_.run()->sched().steps() == 0 && !player_.playing() ? "true" : "false");
    out += ",\"length\":" + std::to_string(p.text().size());
    out += ",\"hash\":" + std::to_string(text_hash(p.text()));
    out += ",\"example\":" + json_string(p.example);
    out += ",\"path\":" + json_string(p.path.data());  // the desktop's file field: where Save writes
    out += ",\"missing_glyphs\":" + std::to_string(p.missing_glyphs);  // characters shown as '?' (counted when drawn)
    const scenes::ProgramError* syntax = p.syntax_error();
    const scenes::ProgramError* error = syntax ? syntax : open ? scenes::program_error(*player_.run()) : nullptr;
    out += ",\"error\":";
    if (error) {
        out += "{\"kind\":" + json_string(syntax ? "syntax" : "runtime") + ",\"line\":" + std::to_string(error->line) +
               ",\"column\":" + std::to_string(error->column) + ",\"message\":" + json_string(error->message) +
               ",\"text\":" + json_string(error->text()) + "}";
    } else {
        out += "null";
    }
    out += ",\"output\":[";
    if (const std::vector<std::string>* printed = open ? scenes::program_output(*player_.run()) : nullptr) {
        for (std::size_t i = 0; i < printed->size(); ++i) out += (i ? "," : "") + json_string((*printed)[i]);
    }
    out += "],\"link\":" + json_string(open ? link_ : make_play_link(p.text(), {}));
    out += ",\"status\":" + json_string(p.status);
    out += ",\"can_revert\":" + std::string(p.can_revert() ? "true" : "false");
    const ImVec4 field = p.view.field_rect();
    out += ",\"run_button\":" + json_point(p.run_button) + ",\"menu_run_button\":" + json_point(p.menu_run_button);
    out += ",\"editor\":[" + std::to_string(static_cast<int>(field.x)) + "," + std::to_string(static_cast<int>(field.y)) + "," +
           std::to_string(static_cast<int>(field.z)) + "," + std::to_string(static_cast<int>(field.w)) + "]";
    out += ",\"editor_active\":" + std::string(p.view.active() ? "true" : "false");  // typing goes into the editor
    return out + "}";
}

}  // namespace such::ui
