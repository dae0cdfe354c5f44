// ImGui with fonts but no window or renderer: frames are built (every widget
// laid out and measured), never drawn. For the tests and benchmarks that drive
// the app without a display.
#pragma once
#include <string>

#include "ui/app.hpp"

struct ImGuiContext;

namespace such::ui {

class HeadlessFrames {
public:
    HeadlessFrames() = default;
    ~HeadlessFrames();
    HeadlessFrames(const HeadlessFrames&) = delete;
    HeadlessFrames& operator=(const HeadlessFrames&) = delete;

    // A 1920x1080 context with the fonts at body_px, the app's theme at
    // `scale`; false with the reason when the fonts cannot be loaded.
    bool init(const std::string& font_dir, float body_px, float scale, App& app, std::string& error);
    // Frames of width x height pixels from now on.
    void set_display(float width, float height);
    // From now on the fonts follow the app's zoom as the shell's do (body_px
    // times App::zoom(), rebuilt when the app asks), so frames are laid out
    // as the window shows them.
    void follow_zoom() { follow_zoom_ = true; }
    // Builds one frame of the app; returns how many vertices it drew.
    int frame(App& app);

private:
    bool load(App& app, float px, std::string& error);

    ImGuiContext* context_ = nullptr;
    std::string font_dir_;
    float body_px_ = 0.0f;
    bool follow_zoom_ = false;
};

}  // namespace such::ui
