// The browser app: the shared shell driven by emscripten's main loop, the URL
// hash as a deep link, and a small JS-callable API (state and commands).
#include <emscripten/emscripten.h>

#include <cstdio>
#include <cstdint>
#include <string>

#include "imgui.h"
#include "ui/app.hpp"
#include "ui/shell.hpp"
#include "ui/workers.hpp"

// The address follows the app. A new place (another scene, slide or page) is a
// new entry in the browser's history, so Back and Forward walk the app's own
// navigation; new settings of the same place replace the entry. The hash is the
// entry's state (index.html opens it again on popstate).
EM_JS(void, such_show_link, (const char* link, int push), {
    const hash = UTF8ToString(link);
    const url = hash || location.pathname + location.search;
    if (push) history.pushState(hash, "", url); else history.replaceState(hash, "", url);
});
EM_JS(void, such_report_fatal, (const char* message), {
    if (Module.onSuchFatal) Module.onSuchFatal(UTF8ToString(message));
});
EM_JS(int, such_window_width, (), { return window.innerWidth; });
#ifdef __EMSCRIPTEN_PTHREADS__
// Web Workers on demand (ui/workers.hpp): the page starts none at load. True
// when `n` loaded Workers wait in emscripten's pool; otherwise starts loading
// the missing ones (emscripten's own PThread calls, as its pool uses them)
// and says false until they are in.
EM_JS(int, such_workers_load, (int n), {
    const idle = PThread.unusedWorkers;
    if (idle.filter((w) => w.loaded).length >= n) return 1;
    for (let k = idle.length; k < n; k++) {
        PThread.allocateUnusedWorker();
        PThread.loadWasmModuleToWorker(idle[idle.length - 1]);
    }
    return 0;
});
#endif
// The page's timeline gets a mark when the first frame is drawn (bench/bench_web.mjs reads it).
EM_JS(void, such_mark, (const char* name), { performance.mark(UTF8ToString(name)); });
// Challenge progress and the last program in the browser's local storage
// (none when it is blocked).
EM_JS(int, such_stored_size, (const char* key), {
    try { return lengthBytesUTF8(localStorage.getItem(UTF8ToString(key)) || "") + 1; } catch (e) { return 1; }
});
EM_JS(void, such_stored_copy, (const char* key, char* out, int size), {
    let text = "";
    try { text = localStorage.getItem(UTF8ToString(key)) || ""; } catch (e) {}
    stringToUTF8(text, out, size);
});
EM_JS(void, such_store, (const char* key, const char* text), {
    try { localStorage.setItem(UTF8ToString(key), UTF8ToString(text)); } catch (e) {}
});
// The page's address without its hash: a copied link is this and the app's hash.
EM_JS(int, such_page_size, (), { return lengthBytesUTF8(location.href.split("#")[0]) + 1; });
EM_JS(void, such_page_copy, (char* out, int size), { stringToUTF8(location.href.split("#")[0], out, size); });
// What the app copies goes to the system clipboard too (SDL's stays inside the page).
EM_JS(void, such_write_clipboard, (const char* text), {
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(UTF8ToString(text)).catch(() => {});
});
EM_JS(int, such_window_height, (), { return window.innerHeight; });
// The menu's "Open trace...": the page's hidden file picker (index.html reads
// the chosen file and hands its text to the app as "trace-text").
EM_JS(void, such_pick_trace_file, (), {
    const picker = document.getElementById("trace-file");
    if (picker) picker.click();
});

// A phone's keyboard types into the page's hidden text field (index.html), which a tap on the editor
// focuses; once no field of the app takes text, the field lets go and the keyboard closes.
EM_JS(void, such_release_keys, (), {
    const keys = document.getElementById("keys");
    if (keys && document.activeElement === keys) keys.blur();
});

namespace {
// A link's place: its hash before the settings ("#race" of "#race?seed=7").
std::string place(const std::string& link) { return link.substr(0, link.find('?')); }

constexpr const char* kProgressKey = "such.progress";
constexpr const char* kProgramKey = "such.program";
such::ui::App g_app;
such::ui::Shell g_shell;
std::string g_state;
std::string g_shown_link;
bool g_started = false;  // the first frame's link replaces the page's entry

// One frame; keeps the address bar's hash in step with the open scene, so a
// speaker can copy the link of exactly what is on screen.
double g_frame_ms = 0.0;  // the time one frame takes in here, averaged (such_frame_ms)
void frame() {
    const double start = emscripten_get_now();
    const std::uint64_t drawn = g_shell.frames_drawn();
    g_shell.iterate(g_app);
    if (g_app.take_progress_dirty()) such_store(kProgressKey, g_app.progress_text().c_str());
    if (g_app.take_program_dirty()) such_store(kProgramKey, g_app.program_text().c_str());
    if (g_app.take_trace_file_request()) such_pick_trace_file();
    static bool wanted_text = false;
    if (wanted_text && !ImGui::GetIO().WantTextInput) such_release_keys();
    wanted_text = ImGui::GetIO().WantTextInput;
    if (g_app.link() != g_shown_link) {
        const bool push = g_started && place(g_app.link()) != place(g_shown_link);
        g_shown_link = g_app.link();
        such_show_link(g_shown_link.c_str(), push);
    }
    if (!g_started) such_mark("such-first-frame");
    g_started = true;
    if (g_shell.frames_drawn() != drawn) g_frame_ms += 0.1 * (emscripten_get_now() - start - g_frame_ms);  // drawn frames only
}

// Tells the page a fatal problem so it can show it instead of a blank canvas.
void report_fatal(const std::string& message) {
    such_report_fatal(message.c_str());
}

std::string stored(const char* key) {
    std::string text(static_cast<std::size_t>(such_stored_size(key)), '\0');
    such_stored_copy(key, text.data(), static_cast<int>(text.size()));
    text.resize(text.find('\0'));
    return text;
}

// ImGui's clipboard in the browser: what the app copies is kept here (ImGui
// pastes it back) and written to the system clipboard; what the user pastes
// from elsewhere arrives as the page's paste event (index.html).
std::string g_clipboard;
void set_clipboard(void*, const char* text) {
    g_clipboard = text ? text : "";
    such_write_clipboard(g_clipboard.c_str());
}
const char* get_clipboard(void*) { return g_clipboard.c_str(); }
}  // namespace

extern "C" {
// The app's state as JSON, for tests and the page's status line.
EMSCRIPTEN_KEEPALIVE const char* such_state() {
    g_state = g_app.state_json();
    return g_state.c_str();
}

// Milliseconds the app spends in one frame, averaged over the last ten or so
// (the rest of a frame's time is the browser's: compositing and GL).
EMSCRIPTEN_KEEPALIVE double such_frame_ms() { return g_frame_ms; }
// Frames the app has built and drawn since it started: while nothing moves it
// draws none (Shell::skip_when_idle).
EMSCRIPTEN_KEEPALIVE double such_frames_drawn() { return static_cast<double>(g_shell.frames_drawn()); }
// Runs a command ("step", "open race?seed=7", ...); returns "" or the error.
EMSCRIPTEN_KEEPALIVE const char* such_command(const char* text) {
    g_shell.poke();  // what it changes is drawn
    const bool ok = g_app.command(text ? text : "");
    g_state = ok ? std::string() : g_app.last_error();
    if (!ok) {
        // A refused link (the page's hashchange) changes nothing: the address
        // goes back to the link of what is shown.
        g_shown_link = g_app.link();
        such_show_link(g_shown_link.c_str(), 0);
    }
    return g_state.c_str();
}

// Back or Forward (popstate), or a hash typed in the address bar
// (hashchange): the app opens that entry's link, and the entry is kept, not
// pushed again. The link already shown is left as it is.
EMSCRIPTEN_KEEPALIVE const char* such_follow(const char* hash) {
    g_shell.poke();
    const std::string link = hash ? hash : "";
    g_state.clear();
    if (link == g_shown_link || (link.empty() && g_shown_link.empty())) return g_state.c_str();
    if (!g_app.open_link(link)) g_state = g_app.last_error();
    g_shown_link = g_app.link();
    such_show_link(g_shown_link.c_str(), 0);
    return g_state.c_str();
}
}

// The page passes the URL hash as the first argument.
int main(int argc, char** argv) {
    such_mark("such-main");
    const std::string link = argc > 1 ? argv[1] : "";
#ifndef __EMSCRIPTEN_PTHREADS__
    g_app.set_threads_available(false);  // the single-threaded build has no Web Workers
#else
    g_app.set_thread_limit(6);  // ui::kRealRunWorkers Web Workers load for a run: one runs the run, one spare
    such::ui::set_workers_ready([](int n) { return such_workers_load(n) != 0; });
#endif
    std::string error;
    if (!g_app.load_progress(stored(kProgressKey), error)) std::printf("such: ignoring the saved challenge progress (%s)\n", error.c_str());
    g_app.restore_program(stored(kProgramKey));
    std::string page(static_cast<std::size_t>(such_page_size()), '\0');
    such_page_copy(page.data(), static_cast<int>(page.size()));
    page.resize(page.find('\0'));
    g_app.set_link_base(page);
    if (link.size() > 1) {
        g_app.open_link(link);
    } else {
        g_app.show_menu();
    }
    such::ui::ShellOptions options;
    options.gles = true;
    options.font_dir = "/fonts";
    options.width = such_window_width();
    options.height = such_window_height();
    if (!g_shell.init(options, g_app, error)) {
        report_fatal(error);
        return 1;
    }
    g_shell.skip_when_idle(true);
    such_mark("such-window");  // the canvas, GL and the fonts' atlas are ready
    ImGuiIO& io = ImGui::GetIO();
    io.SetClipboardTextFn = set_clipboard;
    io.GetClipboardTextFn = get_clipboard;
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
