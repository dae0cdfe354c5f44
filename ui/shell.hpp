// The platform shell shared by the desktop and the browser: an SDL2 window
// with an OpenGL (or WebGL2) context, ImGui's backends, and one frame of the
// app per iterate(). Only the loop that calls iterate() differs per platform.
#pragma once
#include <string>
#include <vector>

#include "ui/app.hpp"
#include "ui/gl_draw.hpp"

struct SDL_Window;
struct ImGuiContext;
union SDL_Event;
struct SDL_KeyboardEvent;

namespace such::ui {

// The app's keys (presenting, stepping, theme, zoom...), from either window.
void handle_key(App& app, const SDL_KeyboardEvent& key);

struct ShellOptions {
    bool gles = false;          // WebGL2 in the browser
    std::string font_dir;
    int width = 1600, height = 900;
    bool fullscreen = false;
    float base_font_px = 22.0f;
};

class Shell {
public:
    Shell();
    ~Shell();
    bool init(const ShellOptions& options, App& app, std::string& error);
    // Polls events, builds and renders one frame. False once the user quits.
    bool iterate(App& app);
    // Desktop: while nothing moves (no run playing, no search or real run
    // going, no input for a second), iterate() sleeps until an event comes
    // or half a second passes, instead of drawing flat out.
    void wait_when_idle(bool on) { wait_when_idle_ = on; }
    // Browser: the page calls iterate() on every animation frame and it
    // cannot sleep; while nothing moves it builds and draws a frame only
    // every half second (the canvas keeps the last one), so an idle page
    // costs next to nothing. Calls into the app from the page (its JS API) poke().
    void skip_when_idle(bool on) { skip_when_idle_ = on; }
    // Screenshots: every frame advances time by 1/60 s (runs, animations),
    // not by the wall clock, so the same --frames gives the same picture
    // however long the machine takes to draw each one; and no pointer is
    // over the window (Xvfb's rests mid-screen and lit what lay under it).
    void screenshot_frames(bool on) { fixed_step_ = on ? 1.0f / 60.0f : 0.0f; }
    void poke();
    // Frames built and drawn so far (iterate() calls that did not skip).
    std::uint64_t frames_drawn() const { return frames_drawn_; }
    void shutdown();
    // Asks the next iterate() to keep a copy of the frame it renders.
    void request_capture() { capture_requested_ = true; }
    // The captured frame as RGBA rows, top row first (empty before a capture).
    const std::vector<unsigned char>& captured(int& width, int& height) const {
        width = captured_w_;
        height = captured_h_;
        return captured_;
    }
    // The speaker-notes window (desktop only; ui/notes_window.cpp): its own
    // SDL window and ImGui context, drawn after the main one every frame.
    bool notes_open() const { return notes_window_ != nullptr; }
    // What the notes window drew last ("12 / 44  Title"), and its captured frame.
    const std::string& notes_header() const { return notes_header_; }
    const std::vector<unsigned char>& notes_captured(int& width, int& height) const {
        width = notes_w_;
        height = notes_h_;
        return notes_captured_;
    }

private:
    bool reload_fonts(App& app, std::string& error);
    void capture(int width, int height, std::vector<unsigned char>& into);
    void present(SDL_Window* window, GlDraw& draw, std::vector<unsigned char>* into, int& w, int& h);
    void open_notes(App& app);
    void close_notes(App* app);  // app: told the window closed (none at shutdown)
    void draw_notes(App& app);
    // Routes an event to the notes window's context; true when it was its event.
    bool notes_event(App& app, const SDL_Event& event);

    // Events after an editing key, held for the next frame (see iterate()).
    std::vector<SDL_Event> held_;
    ShellOptions options_;
    SDL_Window* window_ = nullptr;
    void* gl_context_ = nullptr;
    GlDraw draw_;
    float dpi_scale_ = 1.0f;
    std::string font_warning_;  // the fonts that fell back to ImGui's, as last said
    std::uint64_t last_counter_ = 0;
    bool wait_when_idle_ = false;
    bool skip_when_idle_ = false;
    float fixed_step_ = 0.0f;
    std::uint64_t frames_drawn_ = 0;
    std::uint64_t last_drawn_ = 0;  // performance counter at the last frame drawn
    std::uint64_t last_activity_ = 0;  // performance counter at the last input or motion
    bool fullscreen_ = false;
    // A finger lifted: the frame that sees it keeps the pointer where it was
    // (the tap's release lands there), and from the next one on, until a
    // finger or a mouse moves again, ImGui is told no pointer is over the page,
    // so a tooltip or hover does not stay where the finger last was.
    enum class Touch { None, Lifted, Gone };
    Touch touch_ = Touch::None;
    bool capture_requested_ = false;
    std::vector<unsigned char> captured_;
    int captured_w_ = 0, captured_h_ = 0;

    SDL_Window* notes_window_ = nullptr;
    ImGuiContext* notes_context_ = nullptr;
    ImGuiContext* main_context_ = nullptr;
    GlDraw notes_draw_;
    Fonts notes_fonts_;
    Theme notes_theme_ = Theme::Dark;
    std::string notes_header_;
    bool notes_capture_ = false;
    std::vector<unsigned char> notes_captured_;
    int notes_w_ = 0, notes_h_ = 0;
};

}  // namespace such::ui
