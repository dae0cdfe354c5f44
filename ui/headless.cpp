// Headless ImGui frames (see headless.hpp).
#include "ui/headless.hpp"

#include "imgui.h"

namespace such::ui {

HeadlessFrames::~HeadlessFrames() {
    if (context_) ImGui::DestroyContext(context_);
}

bool HeadlessFrames::init(const std::string& font_dir, float body_px, float scale, App& app, std::string& error) {
    context_ = ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    // As the renderer (gl_draw.cpp): a window's draw list may pass 65,536 vertices.
    ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    set_display(1920, 1080);
    font_dir_ = font_dir;
    body_px_ = body_px;
    if (!load(app, body_px, error)) return false;
    apply_theme(app.theme(), scale);
    return true;
}

void HeadlessFrames::set_display(float width, float height) { ImGui::GetIO().DisplaySize = ImVec2(width, height); }

bool HeadlessFrames::load(App& app, float px, std::string& error) {
    Fonts fonts;
    // Headless frames measure the app's real fonts: a fallback is an error here.
    if (!load_fonts(font_dir_, px, 1.0f, app.in_talk(), fonts, error) || !error.empty()) return false;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);  // builds the atlas, as the renderer does (gl_draw.cpp)
    app.set_fonts(fonts);
    return true;
}

int HeadlessFrames::frame(App& app) {
    if (follow_zoom_ && app.take_fonts_dirty()) {
        // As Shell::reload_fonts: the body at body_px times the zoom, the theme at the zoom.
        std::string error;
        if (load(app, body_px_ * app.zoom(), error)) apply_theme(app.theme(), app.zoom());
    }
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    app.frame(1.0f / 60.0f);
    ImGui::Render();
    return ImGui::GetDrawData()->TotalVtxCount;
}

}  // namespace such::ui
