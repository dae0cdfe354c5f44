// The platform shell shared by the desktop and the browser: an SDL2 window
// with an OpenGL (or WebGL2) context, ImGui's backends, and one frame of the
// app per iterate(). Only the loop that calls iterate() differs per platform.
#pragma once
#include <string>
#include <vector>

#include "ui/app.hpp"

struct SDL_Window;

namespace such::ui {

struct ShellOptions {
    bool gles = false;          // WebGL2 in the browser
    std::string font_dir;
    int width = 1600, height = 900;
    bool fullscreen = false;
    float base_font_px = 22.0f;
};

class Shell {
public:
    bool init(const ShellOptions& options, App& app, std::string& error);
    // Polls events, builds and renders one frame. False once the user quits.
    bool iterate(App& app);
    void shutdown();
    // Asks the next iterate() to keep a copy of the frame it renders.
    void request_capture() { capture_requested_ = true; }
    // The captured frame as RGBA rows, top row first (empty before a capture).
    const std::vector<unsigned char>& captured(int& width, int& height) const {
        width = captured_w_;
        height = captured_h_;
        return captured_;
    }

private:
    bool reload_fonts(App& app, std::string& error);
    void capture(int width, int height);

    ShellOptions options_;
    SDL_Window* window_ = nullptr;
    void* gl_context_ = nullptr;
    float dpi_scale_ = 1.0f;
    std::uint64_t last_counter_ = 0;
    bool fullscreen_ = false;
    bool capture_requested_ = false;
    std::vector<unsigned char> captured_;
    int captured_w_ = 0, captured_h_ = 0;
};

}  // namespace such::ui
