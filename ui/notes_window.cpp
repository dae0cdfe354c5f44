// The speaker-notes window on the desktop: a second SDL window with its own
// ImGui context (and font atlas), sharing the main window's OpenGL context.
// It shows the current and next slide, the clock and the notes, follows the
// talk every frame, and takes the same keys, so a speaker can drive the talk
// from the laptop while the projector shows the slides.
#include <SDL.h>
#include <SDL_opengl.h>

#include "imgui.h"
#include "imgui_impl_sdl.h"
#include "ui/shell.hpp"

namespace such::ui {
namespace {
// The window an event belongs to (0: none in particular, e.g. SDL_QUIT).
Uint32 event_window(const SDL_Event& e) {
    switch (e.type) {
    case SDL_WINDOWEVENT: return e.window.windowID;
    case SDL_KEYDOWN:
    case SDL_KEYUP: return e.key.windowID;
    case SDL_TEXTINPUT: return e.text.windowID;
    case SDL_MOUSEMOTION: return e.motion.windowID;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: return e.button.windowID;
    case SDL_MOUSEWHEEL: return e.wheel.windowID;
    default: return 0;
    }
}
}  // namespace

void Shell::open_notes(App& app) {
    notes_window_ = SDL_CreateWindow("Such Concurrency: speaker notes", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 1100, 700,
                                     static_cast<SDL_WindowFlags>(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI));
    if (!notes_window_) {
        app.set_status_note(std::string("could not open the notes window: ") + SDL_GetError());
        return;
    }
    main_context_ = ImGui::GetCurrentContext();
    notes_context_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(notes_context_);
    ImGui::GetIO().IniFilename = nullptr;
    SDL_GL_MakeCurrent(notes_window_, gl_context_);
    ImGui_ImplSDL2_InitForOpenGL(notes_window_, gl_context_);
    std::string error;
    if (!notes_draw_.init(options_.gles, error)) app.set_status_note(error);
    // A fallback was already said by the main window's fonts; a failure is new.
    if (!load_fonts(options_.font_dir, options_.base_font_px * 1.2f * dpi_scale_, 1.0f, true, notes_fonts_, error)) {
        app.set_status_note(error);
    }
    notes_theme_ = app.theme();
    apply_theme(notes_theme_, dpi_scale_);
    notes_draw_.upload_fonts(*ImGui::GetIO().Fonts);
    ImGui::SetCurrentContext(main_context_);
    SDL_GL_MakeCurrent(window_, gl_context_);
    app.set_notes_window_open(true);
}

void Shell::close_notes(App* app) {
    ImGui::SetCurrentContext(notes_context_);
    SDL_GL_MakeCurrent(notes_window_, gl_context_);
    notes_draw_.shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext(notes_context_);
    ImGui::SetCurrentContext(main_context_);
    SDL_DestroyWindow(notes_window_);
    SDL_GL_MakeCurrent(window_, gl_context_);
    notes_window_ = nullptr;
    notes_context_ = nullptr;
    if (app) app->set_notes_window_open(false);
}

bool Shell::notes_event(App& app, const SDL_Event& event) {
    if (!notes_window_ || event_window(event) != SDL_GetWindowID(notes_window_)) return false;
    if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE) {
        close_notes(&app);
        return true;
    }
    ImGui::SetCurrentContext(notes_context_);
    ImGui_ImplSDL2_ProcessEvent(&event);
    ImGui::SetCurrentContext(main_context_);
    if (event.type == SDL_KEYDOWN) handle_key(app, event.key);  // the speaker drives the talk from here too
    return true;
}

void Shell::draw_notes(App& app) {
    ImGui::SetCurrentContext(notes_context_);
    SDL_GL_MakeCurrent(notes_window_, gl_context_);
    ImGui_ImplSDL2_NewFrame();
    if (app.theme() != notes_theme_) {  // follows T
        notes_theme_ = app.theme();
        apply_theme(notes_theme_, dpi_scale_);
    }
    ImGui::NewFrame();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("notes", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    notes_header_ = app.draw_speaker_view(notes_fonts_);
    ImGui::End();
    present(notes_window_, notes_draw_, notes_capture_ ? &notes_captured_ : nullptr, notes_w_, notes_h_);
    notes_capture_ = false;
    ImGui::SetCurrentContext(main_context_);
    SDL_GL_MakeCurrent(window_, gl_context_);
}

}  // namespace such::ui
