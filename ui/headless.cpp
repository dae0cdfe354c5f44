// Headless ImGui frames (see headless.hpp).
#include "ui/headless.hpp"

#include "imgui.h"

namespace such::ui {

HeadlessFrames::~HeadlessFrames() {
    if (context_) ImGui::DestroyContext(context_);
}

bool HeadlessFrames::init(const std::string& font_dir, float body_px, float scale, App& app, std::string& error) {
    context_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1920, 1080);
    Fonts fonts;
    // Headless frames measure the app's real fonts: a fallback is an error here.
    if (!load_fonts(font_dir, body_px, 1.0f, fonts, error) || !error.empty()) return false;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the atlas, as a renderer would
    app.set_fonts(fonts);
    apply_theme(app.theme(), scale);
    return true;
}

int HeadlessFrames::frame(App& app) {
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    app.frame(1.0f / 60.0f);
    ImGui::Render();
    return ImGui::GetDrawData()->TotalVtxCount;
}

}  // namespace such::ui
