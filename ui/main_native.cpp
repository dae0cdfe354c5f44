// The desktop app: parses its command line, opens the window, runs the loop.
// `such_app --scene race --seed 7 --screenshot out.png` writes a PNG of its
// own frame and exits (used by the desktop end-to-end test and the README).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>
#include <chrono>
#include <thread>

#include "ui/app.hpp"
#include "ui/deep_link.hpp"
#include "ui/screenshot.hpp"
#include "ui/shell.hpp"
#include "ui/user_file.hpp"

namespace {
constexpr const char* kUsage =
    "usage: such_app [--scene ID | --program FILE | --open TRACE] [--seed N] [--theme dark|light] [--fullscreen]\n"
    "                [--size WxH] [--screenshot out.png [--steps K] [--frames F]] [--fonts DIR]\n"
    "  --scene ID      open a scene (an id or a deep link such as 'race?seed=7&mutex=1')\n"
    "  --open FILE     open a trace file (written by such run --trace, or Save trace in the app) at\n"
    "                  its last step, with time travel\n"
    "  --program FILE  open a Lua program in the playground's editor (examples/ID: a shipped one);\n"
    "                  the last one is kept next to the challenge progress, as program.lua\n"
    "  --screenshot F  render, write the frame to F as PNG, and exit\n"
    "  --do COMMAND    run an app command at start (e.g. 'policy manual', 'cores 2', 'real')\n"
    "  --talk [N]      present the talk from slide N (default 1); keys: right/space/page down next\n"
    "                  (a live slide's run, outcome and every schedule, then the next slide), left/page\n"
    "                  up back, P play/pause, C/S/O/V cores/seed/policy/variant, home/end, a number +\n"
    "                  enter jumps, N notes overlay, ? every key\n"
    "  --notes         open the speaker-notes window next to the slides (W toggles it)\n"
    "  --export-deck DIR  write every slide of the talk as DIR/slide-NN.png and exit\n";

int usage_error(const std::string& message) {
    std::fprintf(stderr, "such_app: %s\n%s", message.c_str(), kUsage);
    return 2;
}

bool parse_size(std::string_view text, int& w, int& h) {
    const auto x = text.find('x');
    if (x == std::string_view::npos) return false;
    std::uint64_t a = 0, b = 0;
    if (!such::ui::parse_u64(text.substr(0, x), a) || !such::ui::parse_u64(text.substr(x + 1), b)) return false;
    if (a < 320 || b < 240 || a > 8192 || b > 8192) return false;
    w = static_cast<int>(a);
    h = static_cast<int>(b);
    return true;
}
}  // namespace

// Challenge progress lives in a small file: $SUCH_PROGRESS, or
// $XDG_DATA_HOME/such/progress, or ~/.local/share/such/progress.
std::filesystem::path progress_path() {
    if (const char* p = std::getenv("SUCH_PROGRESS"); p && *p) return p;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::filesystem::path(x) / "such" / "progress";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "such" / "progress";
}

// The progress file and the kept program: a few lines, or one program
// (ui/user_file.hpp: only a regular file, and only so much of it).
bool read_text(const std::filesystem::path& path, std::string& out, std::string& error) {
    return such::ui::read_user_file(path.string(), std::size_t{1} << 20, out, error);
}

// Writes the text to the file, making its folder; false when it could not.
bool write_text(const std::filesystem::path& path, const std::string& text) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary);
    out << text;
    return static_cast<bool>(out);
}

void load_progress(such::ui::App& app, const std::filesystem::path& path) {
    std::string text, error;
    if (!read_text(path, text, error)) {
        if (error != "no such file") {  // none yet: nothing solved
            std::fprintf(stderr, "such_app: ignoring the progress file %s (%s); the next win rewrites it\n", path.c_str(), error.c_str());
        }
        return;
    }
    if (!app.load_progress(text, error)) {
        std::fprintf(stderr, "such_app: ignoring the progress file %s (%s); the next win rewrites it\n", path.c_str(), error.c_str());
    }
}

// The last program in the playground lives next to it, as program.lua.
std::filesystem::path last_program_path(const std::filesystem::path& progress) { return progress.parent_path() / "program.lua"; }

void save_progress(const such::ui::App& app, const std::filesystem::path& path) {
    if (!write_text(path, app.progress_text())) std::fprintf(stderr, "such_app: could not save challenge progress to %s\n", path.c_str());
}

int main(int argc, char** argv) {
    std::string scene, program, trace, seed, screenshot, theme = "dark";
    std::string fonts = "";
    std::string export_dir;
    std::uint64_t steps = 0, frames = 30;
    std::vector<std::pair<std::string, std::string>> commands;  // a command, and the option that asked for it (for its error)
    such::ui::ShellOptions options;
    std::vector<std::string_view> seen;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        // Only --do is a list; any other option given twice is a mistake to point out.
        if (arg != "--do" && std::find(seen.begin(), seen.end(), arg) != seen.end()) {
            return usage_error(such::scenes::shown(arg) + " is given twice");
        }
        seen.push_back(arg);
        const auto value = [&](std::string& out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        std::string v;
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (arg == "--scene") {
            if (!value(scene)) return usage_error("--scene needs a scene id");
        } else if (arg == "--program") {
            if (!value(program)) return usage_error("--program needs a file name");
        } else if (arg == "--open") {
            if (!value(trace)) return usage_error("--open needs a trace file");
        } else if (arg == "--seed") {
            if (!value(seed)) return usage_error("--seed needs a number");
        } else if (arg == "--theme") {
            if (!value(theme) || (theme != "dark" && theme != "light")) return usage_error("--theme is dark or light");
        } else if (arg == "--fullscreen") {
            options.fullscreen = true;
        } else if (arg == "--size") {
            if (!value(v) || !parse_size(v, options.width, options.height)) return usage_error("--size is WxH, from 320x240 to 8192x8192, e.g. 1920x1080");
        } else if (arg == "--screenshot") {
            if (!value(screenshot)) return usage_error("--screenshot needs a file name");
        } else if (arg == "--steps") {
            if (!value(v) || !such::ui::parse_u64(v, steps) || steps > 100000) return usage_error("--steps needs a number up to 100000");
        } else if (arg == "--frames") {
            if (!value(v) || !such::ui::parse_u64(v, frames) || frames < 1 || frames > 10000) return usage_error("--frames needs a number from 1 to 10000");
        } else if (arg == "--do") {
            if (!value(v)) return usage_error("--do needs a command");
            commands.emplace_back(v, "--do '" + such::scenes::shown(v) + "'");
        } else if (arg == "--talk") {
            std::string n = "1";
            if (i + 1 < argc && argv[i + 1][0] != '-') n = argv[++i];
            commands.emplace_back("slide " + n, "--talk");
        } else if (arg == "--notes") {
            commands.emplace_back("notes window", "--notes");
        } else if (arg == "--export-deck") {
            if (!value(export_dir)) return usage_error("--export-deck needs a folder");
        } else if (arg == "--fonts") {
            if (!value(fonts)) return usage_error("--fonts needs a folder");
        } else {
            return usage_error("unknown argument '" + such::scenes::shown(arg) + "'");
        }
    }

    such::ui::App app;
    const std::filesystem::path progress = progress_path();
    load_progress(app, progress);
    app.set_program_files(true);
    if (std::string kept, error; read_text(last_program_path(progress), kept, error)) app.restore_program(kept);
    if (!scene.empty() + !program.empty() + !trace.empty() > 1) return usage_error("give one of --scene, --program and --open");
    if (!trace.empty()) {
        if (!seed.empty()) return usage_error("--seed: a trace file has its own");
        if (!app.command("trace " + trace)) return usage_error("--open: " + app.last_error());
    } else if (!program.empty()) {
        if (!app.command("load " + program)) return usage_error("--program: " + app.last_error());
        if (!seed.empty() && !app.command("seed " + seed)) return usage_error("--seed: " + app.last_error());
        for (std::uint64_t k = 0; k < steps; ++k) app.command("step");
    } else if (!scene.empty()) {
        std::string link = scene;
        if (!seed.empty()) link += (link.find('?') == std::string::npos ? "?seed=" : "&seed=") + seed;
        such::ui::Link parsed;
        std::string error;
        if (!such::ui::parse_link(link, parsed, error)) return usage_error(error);
        app.open_scene(*parsed.scene, parsed.settings);
        for (std::uint64_t k = 0; k < steps; ++k) app.command("step");
    } else if (!seed.empty()) {
        return usage_error("--seed needs --scene or --program");
    }
    if (theme == "light") app.command("theme");
    for (const auto& [c, option] : commands) {
        if (!app.command(c)) return usage_error(option + ": " + app.last_error());
        // A scripted command sees the effect of the one before it.
        while (app.busy()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }

    if (fonts.empty()) {
        const char* env = std::getenv("SUCH_FONTS");
        fonts = env ? env : "";
    }
    options.font_dir = fonts.empty() ? std::string(SUCH_FONT_DIR) : fonts;
    such::ui::Shell shell;
    std::string error;
    if (!shell.init(options, app, error)) {
        std::fprintf(stderr, "such_app: %s\n", error.c_str());
        return 1;
    }
    // A screenshot or an exported deck counts frames, and a frame is 1/60 s
    // however long it takes to draw: the same arguments, the same pictures.
    shell.screenshot_frames(!screenshot.empty() || !export_dir.empty());
    if (!export_dir.empty()) {
        const int code = such::ui::export_deck(shell, app, export_dir, error) ? 0 : 1;
        if (code) std::fprintf(stderr, "such_app: %s\n", error.c_str());
        shell.shutdown();
        return code;
    }
    std::uint64_t frame = 0;
    shell.wait_when_idle(screenshot.empty());  // a screenshot counts frames: it never waits
    while (shell.iterate(app)) {
        if (app.take_progress_dirty()) save_progress(app, progress);
        if (app.take_program_dirty() && !write_text(last_program_path(progress), app.program_text())) {
            std::fprintf(stderr, "such_app: could not keep the program in %s\n", last_program_path(progress).c_str());
        }
        if (screenshot.empty()) continue;
        ++frame;
        if (frame + 1 == frames) shell.request_capture();
        if (frame >= frames) {
            if (!such::ui::write_screenshot(shell, screenshot, error)) {
                std::fprintf(stderr, "such_app: %s\n", error.c_str());
                shell.shutdown();
                return 1;
            }
            std::printf("wrote %s\n", screenshot.c_str());
            if (shell.notes_open()) {
                const std::string notes = screenshot.substr(0, screenshot.rfind('.')) + "_notes.png";
                if (such::ui::write_notes_screenshot(shell, notes, error)) std::printf("wrote %s\n", notes.c_str());
                std::printf("notes window showed: %s\n", shell.notes_header().c_str());
            }
            break;
        }
    }
    shell.shutdown();
    return 0;
}
