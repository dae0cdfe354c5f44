// SDL2 + OpenGL3 shell: window, context, ImGui's SDL backend and our renderer, fonts, one frame.
#include "ui/shell.hpp"

#include <SDL.h>
#include <SDL_opengl.h>

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <utility>

#include "imgui.h"
#include "imgui_impl_sdl.h"
#include "ui/keys.hpp"

namespace such::ui {

Shell::Shell() = default;
Shell::~Shell() = default;

bool Shell::init(const ShellOptions& options, App& app, std::string& error) {
    options_ = options;
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        error = std::string("SDL could not start: ") + SDL_GetError();
        return false;
    }
    if (options.gles) {
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    } else {
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 2);
    }
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    // ImGui draws flat, in order: no depth or stencil buffer to keep (SDL asks for 16 bits of depth by default).
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    auto flags = static_cast<SDL_WindowFlags>(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    window_ = SDL_CreateWindow("Such Concurrency", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, options.width,
                               options.height, flags);
    if (!window_) {
        error = std::string("could not open a window: ") + SDL_GetError();
        return false;
    }
    gl_context_ = SDL_GL_CreateContext(window_);
    if (!gl_context_) {
        // In a browser the page says only that it could not start, and shows this.
        error = options.gles ? std::string("This browser cannot create a WebGL2 context (it may be disabled, or the GPU "
                                           "blocklisted): ") + SDL_GetError() + ". Use a current browser with hardware acceleration on."
                             : std::string("OpenGL 3.2 is not available: ") + SDL_GetError();
        return false;
    }
    SDL_GL_MakeCurrent(window_, gl_context_);
    SDL_GL_SetSwapInterval(1);
    if (options.fullscreen) {
        SDL_SetWindowFullscreen(window_, SDL_WINDOW_FULLSCREEN_DESKTOP);
        fullscreen_ = true;
    }

    // Scale with the display: 96 dpi is 1.0; a projector at 1080p stays 1.0.
    float ddpi = 96.0f;
    if (!options.gles && SDL_GetDisplayDPI(0, &ddpi, nullptr, nullptr) == 0) {
        dpi_scale_ = std::clamp(ddpi / 96.0f, 1.0f, 3.0f);
    }

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplSDL2_InitForOpenGL(window_, gl_context_);
    if (!draw_.init(options.gles, error)) return false;
    int w = 0, h = 0;
    SDL_GetWindowSize(window_, &w, &h);
    app.fit_display(static_cast<float>(w), static_cast<float>(h));
    if (!reload_fonts(app, error)) return false;
    app.take_fonts_dirty();  // built for the app as it is
    last_counter_ = SDL_GetPerformanceCounter();
    last_activity_ = last_counter_;  // the first second is drawn
    return true;
}

bool Shell::reload_fonts(App& app, std::string& error) {
    int w = 0, h = 0, dw = 0, dh = 0;
    SDL_GetWindowSize(window_, &w, &h);
    SDL_GL_GetDrawableSize(window_, &dw, &dh);
    const float ratio = w > 0 ? std::max(1.0f, static_cast<float>(dw) / static_cast<float>(w)) : 1.0f;
    const float scale = dpi_scale_ * app.zoom();
    Fonts fonts;
    std::string warning;
    if (!load_fonts(options_.font_dir, options_.base_font_px * scale, ratio, app.in_talk(), fonts, warning)) {
        error = warning;
        return false;
    }
    if (!warning.empty() && warning != font_warning_) {
        // Said once (not again at every zoom), on stderr and on the page.
        std::fprintf(stderr, "such: %s\n", warning.c_str());
        app.set_status_note(warning);
    }
    font_warning_ = warning;
    app.set_fonts(fonts);
    apply_theme(app.theme(), scale);
    draw_.upload_fonts(*ImGui::GetIO().Fonts);
    return true;
}

// Keys are taken from SDL's events directly so that a quick tap (key down and
// up within one frame, as a clicker or a test sends) is never lost; text
// fields keep their keys. What each key does is a row of ui/keys.cpp's table.
void handle_key(App& app, const SDL_KeyboardEvent& key) {
    // Esc closes an open dialog even while its text field has the keys.
    const bool dialog = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel);
    if (ImGui::GetIO().WantTextInput && !(dialog && key.keysym.sym == SDLK_ESCAPE)) return;
    const bool ctrl = (key.keysym.mod & KMOD_CTRL) != 0;
    const bool shift = (key.keysym.mod & KMOD_SHIFT) != 0;
    const KeyPlace place{app.in_talk(), app.on_live_slide(), app.scene_open()};
    const std::string command = key_command(SDL_GetKeyName(key.keysym.sym), ctrl, shift, place);
    if (!command.empty()) app.command(command);
}

namespace {
// A key that edits or moves in a text field (Enter, Backspace, arrows...) or
// a shortcut: not text, and not a modifier alone.
bool editing_key(const SDL_KeyboardEvent& key) {
    const SDL_Keycode k = key.keysym.sym;
    const bool modifier = k == SDLK_LCTRL || k == SDLK_RCTRL || k == SDLK_LSHIFT || k == SDLK_RSHIFT || k == SDLK_LALT ||
                          k == SDLK_RALT || k == SDLK_LGUI || k == SDLK_RGUI;
    const bool text = k >= 32 && k < 127 && (key.keysym.mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI)) == 0;
    return !modifier && !text;
}
}  // namespace

bool Shell::iterate(App& app) {
    // ImGui 1.86 sees a key as up or down once per frame, and takes a frame's
    // typed text before its keys: an Enter pressed and released within one
    // frame would be lost, and text typed after it would land before it (a
    // browser test types faster than a person). So after an editing key goes
    // down or up, or a mouse button goes down, the rest of the events wait
    // for the next frame.
    std::vector<SDL_Event> events = std::exchange(held_, {});
    SDL_Event polled;
    const std::uint64_t freq = SDL_GetPerformanceFrequency();
    // A text field being typed into moves too: its caret blinks (an idle frame's caret, drawn in the
    // blink's off phase, stayed off).
    if (app.moving() || !events.empty() || ImGui::GetIO().WantTextInput) last_activity_ = SDL_GetPerformanceCounter();
    const bool idle = (wait_when_idle_ || skip_when_idle_) && !capture_requested_ && SDL_GetPerformanceCounter() - last_activity_ > freq;
    if (idle && wait_when_idle_ && SDL_WaitEventTimeout(&polled, 500)) events.push_back(polled);
    while (SDL_PollEvent(&polled)) events.push_back(polled);
    if (!events.empty()) last_activity_ = SDL_GetPerformanceCounter();
    // Idle in the browser: a frame every half second, as the desktop's wait times out (the speaker's
    // clock moves on), and none between.
    const std::uint64_t polled_at = SDL_GetPerformanceCounter();
    if (idle && skip_when_idle_ && events.empty() && polled_at - last_drawn_ < freq / 2) {
        last_counter_ = polled_at;  // the next frame's time step is one animation frame, not the idle spell
        return true;
    }
    last_drawn_ = polled_at;
    ++frames_drawn_;
    bool hold = false;
    std::vector<SDL_KeyboardEvent> keys;  // the app's keys, once ImGui knows whether a text field has them
    for (SDL_Event& event : events) {
        if (event.type == SDL_QUIT) return false;
        if (hold) {
            held_.push_back(event);
            continue;
        }
        if (notes_event(app, event)) continue;
        // SDL sends a touch's own mouse motion and press before its finger-down (SDL_touch.c), and the
        // press holds what follows for the next frame: the motion and the press bring the pointer back.
        // A lift sends the mouse's release, then the finger-up, and no motion.
        if (event.type == SDL_FINGERDOWN || event.type == SDL_FINGERMOTION || event.type == SDL_MOUSEMOTION ||
            event.type == SDL_MOUSEBUTTONDOWN) {
            touch_ = Touch::None;
        }
        if (event.type == SDL_FINGERUP) touch_ = Touch::Lifted;
        ImGui_ImplSDL2_ProcessEvent(&event);
        if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE) return false;  // the main window
        if (event.type == SDL_DROPFILE) {
            // A file dropped on the window: a program opens in the editor, anything else as a trace.
            const std::string path = event.drop.file;
            SDL_free(event.drop.file);
            const bool lua = path.size() > 4 && path.compare(path.size() - 4, 4, ".lua") == 0;
            if (!app.command((lua ? "load " : "trace ") + path)) app.set_status_note(app.last_error());
            continue;
        }
        if (event.type == SDL_KEYDOWN) {
            keys.push_back(event.key);
            hold = editing_key(event.key) && event.key.repeat == 0;  // ImGui repeats a held key itself
        }
        // And after its release: pressed again in the same frame, ImGui
        // would see it held down through both frames, not pressed twice.
        if (event.type == SDL_KEYUP) hold = editing_key(event.key);
        // A click is seen before what follows it: text typed right after a
        // click into a field goes into that field, not before it is active.
        if (event.type == SDL_MOUSEBUTTONDOWN) hold = true;
    }
    if (app.take_notes_window_request() && !options_.gles) {
        if (notes_window_) {
            close_notes(&app);
        } else {
            open_notes(app);
        }
    }
    if (app.take_fonts_dirty()) {
        std::string error;
        if (!reload_fonts(app, error)) app.set_status_note(error);
    }
    if (app.take_fullscreen_request()) {
        fullscreen_ = !fullscreen_;
        SDL_SetWindowFullscreen(window_, fullscreen_ ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    }
    const std::uint64_t now = SDL_GetPerformanceCounter();
    const float dt = fixed_step_ > 0.0f ? fixed_step_ : static_cast<float>(now - last_counter_) / static_cast<float>(SDL_GetPerformanceFrequency());
    last_counter_ = now;

    const auto platform_frame = [this] {
        ImGui_ImplSDL2_NewFrame();
        if (fixed_step_ > 0.0f) ImGui::GetIO().DeltaTime = fixed_step_;  // ImGui's clock (the views' animations) too
        if (touch_ == Touch::Gone || fixed_step_ > 0.0f) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    };
    platform_frame();
    if (touch_ == Touch::Lifted) touch_ = Touch::Gone;
    ImGui::NewFrame();
    // Only now does ImGui say whether the frame just shown has a text field
    // taking keys: a click into the editor and the typing that follows can
    // arrive between the same two frames (a browser test types that fast),
    // and the typing must not be taken for the page's keys.
    for (const SDL_KeyboardEvent& key : keys) handle_key(app, key);
    app.frame(std::min(dt, 0.25f));
    if (app.take_redraw()) {
        // The frame changed the page (Run on the menu): build the new one now
        // and show that, a frame sooner. Its input was taken by the first.
        ImGui::EndFrame();
        platform_frame();
        ImGui::GetIO().DeltaTime = std::max(ImGui::GetIO().DeltaTime, 1e-4f);
        ImGui::NewFrame();
        app.frame(0.0f);
        app.take_redraw();
    }
    present(window_, draw_, capture_requested_ ? &captured_ : nullptr, captured_w_, captured_h_);
    if (capture_requested_) notes_capture_ = notes_window_ != nullptr;
    capture_requested_ = false;
    if (notes_window_) draw_notes(app);
    return true;
}

void Shell::poke() { last_activity_ = SDL_GetPerformanceCounter(); }

// Renders the current ImGui context's frame into `window` and shows it; with
// `into`, keeps a copy of the pixels (and their size in w, h) first.
void Shell::present(SDL_Window* window, GlDraw& draw, std::vector<unsigned char>* into, int& w, int& h) {
    ImGui::Render();
    int dw = 0, dh = 0;
    SDL_GL_GetDrawableSize(window, &dw, &dh);
    glViewport(0, 0, dw, dh);
    const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(page_colour());
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    draw.render(*ImGui::GetDrawData(), dw, dh);
    if (into) {
        capture(dw, dh, *into);
        w = dw;
        h = dh;
    }
    SDL_GL_SwapWindow(window);
}

// Reads the back buffer before the swap, where the frame is sure to be.
void Shell::capture(int width, int height, std::vector<unsigned char>& into) {
    into.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4, 0);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, into.data());
    // OpenGL's first row is the bottom one.
    const auto stride = static_cast<std::ptrdiff_t>(width) * 4;
    for (int y = 0; y < height / 2; ++y) {
        std::swap_ranges(into.begin() + y * stride, into.begin() + (y + 1) * stride, into.begin() + (height - 1 - y) * stride);
    }
}

void Shell::shutdown() {
    if (notes_window_) close_notes(nullptr);
    draw_.shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    if (gl_context_) SDL_GL_DeleteContext(gl_context_);
    if (window_) SDL_DestroyWindow(window_);
    SDL_Quit();
}

}  // namespace such::ui
