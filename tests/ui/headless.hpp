// An ImGui context with fonts but no renderer, driving the app: frames are
// built (every widget laid out and measured), never drawn. Shared by the UI tests.
#pragma once
#include <doctest/doctest.h>

#include <string>

#include "imgui.h"
#include "ui/app.hpp"

namespace such {

struct Headless {
    ui::App app;
    Headless() {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1920, 1080);
        ui::Fonts fonts;
        std::string error;
        REQUIRE_MESSAGE(ui::load_fonts(SUCH_FONT_DIR, 24.0f, 1.0f, fonts, error), error);
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        app.set_fonts(fonts);
        ui::apply_theme(app.theme(), 1.0f);
    }
    ~Headless() { ImGui::DestroyContext(); }
    Headless(const Headless&) = delete;
    Headless& operator=(const Headless&) = delete;
    int frame() {
        ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
        app.frame(1.0f / 60.0f);
        ImGui::Render();
        return ImGui::GetDrawData()->TotalVtxCount;
    }
    bool has(const std::string& text) const { return app.state_json().find(text) != std::string::npos; }
};

}  // namespace such
