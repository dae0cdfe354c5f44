// Themes and fonts. DejaVu Sans for text and JetBrains Mono for code: both are
// TrueType files from Debian's fonts packages, embedded in the web build.
#include "ui/theme.hpp"

#include <cstdio>

#include "imgui.h"

namespace such::ui {
namespace {
Palette g_palette{};

unsigned rgba(int r, int g, int b, int a = 255) { return IM_COL32(r, g, b, a); }

bool file_exists(const std::string& path) {
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
        std::fclose(f);
        return true;
    }
    return false;
}
}  // namespace

const Palette& palette() { return g_palette; }

void apply_theme(Theme theme, float scale) {
    ImGuiStyle style;
    if (theme == Theme::Dark) {
        ImGui::StyleColorsDark(&style);
        style.Colors[ImGuiCol_WindowBg] = ImVec4(0.09f, 0.10f, 0.12f, 1.0f);
        style.Colors[ImGuiCol_ChildBg] = ImVec4(0.12f, 0.13f, 0.16f, 1.0f);
        g_palette = {rgba(80, 200, 120), rgba(230, 190, 70), rgba(235, 90, 80), rgba(120, 120, 130),
                     rgba(255, 95, 85), rgba(90, 210, 130), rgba(90, 170, 255), rgba(150, 155, 165),
                     rgba(32, 35, 42)};
    } else {
        // Light: high contrast for washed-out projectors.
        ImGui::StyleColorsLight(&style);
        style.Colors[ImGuiCol_WindowBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
        style.Colors[ImGuiCol_ChildBg] = ImVec4(0.95f, 0.95f, 0.96f, 1.0f);
        style.Colors[ImGuiCol_Text] = ImVec4(0.0f, 0.0f, 0.0f, 1.0f);
        style.Colors[ImGuiCol_TextDisabled] = ImVec4(0.30f, 0.30f, 0.34f, 1.0f);
        g_palette = {rgba(0, 140, 60), rgba(190, 120, 0), rgba(200, 30, 30), rgba(110, 110, 110),
                     rgba(200, 0, 0), rgba(0, 140, 60), rgba(0, 90, 200), rgba(80, 80, 90),
                     rgba(236, 237, 240)};
    }
    style.WindowRounding = 0.0f;
    style.ChildRounding = 6.0f;
    style.FrameRounding = 5.0f;
    style.GrabRounding = 5.0f;
    style.WindowPadding = ImVec2(14, 12);
    style.FramePadding = ImVec2(10, 6);
    style.ItemSpacing = ImVec2(12, 8);
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

bool load_fonts(const std::string& font_dir, float body_px, float pixel_ratio, Fonts& out, std::string& error) {
    const std::string sans = font_dir + "/DejaVuSans.ttf";
    const std::string bold = font_dir + "/DejaVuSans-Bold.ttf";
    const std::string mono = font_dir + "/JetBrainsMono-Regular.ttf";
    for (const std::string& path : {sans, bold, mono}) {
        if (!file_exists(path)) {
            error = "font file not found: " + path;
            return false;
        }
    }
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    const float r = pixel_ratio < 1.0f ? 1.0f : pixel_ratio;
    // Latin, and the punctuation, arrows and shapes slides and hints use.
    static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x2010, 0x205E, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
    config.GlyphRanges = kRanges;
    out.body = io.Fonts->AddFontFromFileTTF(sans.c_str(), body_px * r, &config);
    out.title = io.Fonts->AddFontFromFileTTF(bold.c_str(), body_px * 1.45f * r, &config);
    out.code = io.Fonts->AddFontFromFileTTF(mono.c_str(), body_px * r, &config);
    out.slide = io.Fonts->AddFontFromFileTTF(sans.c_str(), body_px * 1.3f * r, &config);
    out.slide_title = io.Fonts->AddFontFromFileTTF(bold.c_str(), body_px * 2.0f * r, &config);
    io.FontGlobalScale = 1.0f / r;
    if (!out.body || !out.title || !out.code || !out.slide || !out.slide_title || !io.Fonts->Build()) {
        error = "could not load the fonts from " + font_dir;
        return false;
    }
    return true;
}

}  // namespace such::ui
