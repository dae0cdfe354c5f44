// Themes and fonts. DejaVu Sans for text and JetBrains Mono for code: both are
// TrueType files from Debian's fonts packages; the web build embeds them cut
// down to the characters the app draws (font_subset.hpp).
#include "ui/theme.hpp"

#include <array>
#include <cstring>
#include <iterator>

#include "imgui.h"
#include "ui/font_file.hpp"
#include "ui/glyph_ranges.hpp"
#include "ui/user_file.hpp"

namespace such::ui {
namespace {
Palette g_palette{};
unsigned g_page = 0;

unsigned rgba(int r, int g, int b, int a = 255) { return IM_COL32(r, g, b, a); }

// A font from its file, checked first (ImGui aborts on a file it cannot
// read); ImGui's own font at the same size when the file is missing or broken,
// with the reason added to `warning`.
ImFont* add_font(const std::string& path, float px, ImFontConfig config, std::string& warning) {
    // Horizontal oversampling sharpens small text; large text does not need
    // it, and it doubles the atlas's rasterizing (the page's start).
    if (px >= 30.0f) config.OversampleH = 1;
    std::string bytes, why;
    if (read_user_file(path, kMaxFontBytes, bytes, why)) check_font_file(bytes, why);
    ImGuiIO& io = ImGui::GetIO();
    if (why.empty()) {
        // The atlas owns and frees the copy it is given (ImFontConfig::FontDataOwnedByAtlas).
        void* data = IM_ALLOC(bytes.size());
        std::memcpy(data, bytes.data(), bytes.size());
        return io.Fonts->AddFontFromMemoryTTF(data, static_cast<int>(bytes.size()), px, &config);
    }
    if (warning.find(path) == std::string::npos) {
        warning += (warning.empty() ? "" : "; ") + ("font " + path + ": " + why);
    }
    config.SizePixels = px;
    return io.Fonts->AddFontDefault(&config);
}
}  // namespace

const Palette& palette() { return g_palette; }
unsigned page_colour() { return g_page; }

void apply_theme(Theme theme, float scale) {
    ImGuiStyle style;
    if (theme == Theme::Dark) {
        ImGui::StyleColorsDark(&style);
        style.Colors[ImGuiCol_WindowBg] = ImVec4(0.09f, 0.10f, 0.12f, 1.0f);
        style.Colors[ImGuiCol_ChildBg] = ImVec4(0.12f, 0.13f, 0.16f, 1.0f);
        // Secondary text: ImGui's grey was 4.0:1 on the page, below the 4.5:1 of WCAG's AA for text.
        style.Colors[ImGuiCol_TextDisabled] = ImVec4(0.60f, 0.61f, 0.64f, 1.0f);
        g_palette = {rgba(80, 200, 120), rgba(230, 190, 70), rgba(235, 90, 80), rgba(120, 120, 130),
                     rgba(255, 95, 85), rgba(90, 210, 130), rgba(90, 170, 255), rgba(150, 155, 165),
                     rgba(32, 35, 42), rgba(230, 190, 70, 79)};
    } else {
        // Light: high contrast for washed-out projectors.
        ImGui::StyleColorsLight(&style);
        style.Colors[ImGuiCol_WindowBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
        style.Colors[ImGuiCol_ChildBg] = ImVec4(0.95f, 0.95f, 0.96f, 1.0f);
        style.Colors[ImGuiCol_Text] = ImVec4(0.0f, 0.0f, 0.0f, 1.0f);
        style.Colors[ImGuiCol_TextDisabled] = ImVec4(0.30f, 0.30f, 0.34f, 1.0f);
        // The greens and the amber are text too (the explorer's verdict, the loop's running callback):
        // dark enough for 4.5:1 on the page (they were 3.9:1 and 3.2:1).
        g_palette = {rgba(0, 120, 50), rgba(160, 95, 0), rgba(200, 30, 30), rgba(110, 110, 110),
                     rgba(200, 0, 0), rgba(0, 120, 50), rgba(0, 90, 200), rgba(80, 80, 90),
                     rgba(236, 237, 240), rgba(190, 120, 0, 150)};
    }
    // The page is cleared in the panels' colour, and the panels draw no fill
    // of their own, only their borders: with software GL (a browser without a
    // GPU) a second fill of most of the screen took a third of every frame
    // (bench/README.md). Windows over the page (popups, overlays) keep theirs.
    // Menus and combo lists are opaque: the page's text showed through ImGui's 94%.
    style.Colors[ImGuiCol_PopupBg].w = 1.0f;
    g_page = ImGui::ColorConvertFloat4ToU32(style.Colors[ImGuiCol_ChildBg]);
    style.Colors[ImGuiCol_ChildBg].w = 0.0f;
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

bool load_fonts(const std::string& font_dir, float body_px, float pixel_ratio, bool stage, Fonts& out, std::string& warning) {
    const std::string sans = font_dir + "/DejaVuSans.ttf";
    const std::string bold = font_dir + "/DejaVuSans-Bold.ttf";
    const std::string mono = font_dir + "/JetBrainsMono-Regular.ttf";
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    const float r = pixel_ratio < 1.0f ? 1.0f : pixel_ratio;
    // ImGui's form of the list in glyph_ranges.hpp: pairs, then a zero.
    static const auto kRanges = [] {
        std::array<ImWchar, 2 * std::size(kGlyphRanges) + 1> pairs{};
        for (std::size_t i = 0; i < std::size(kGlyphRanges); ++i) {
            pairs[2 * i] = static_cast<ImWchar>(kGlyphRanges[i].first);
            pairs[2 * i + 1] = static_cast<ImWchar>(kGlyphRanges[i].last);
        }
        return pairs;
    }();
    config.GlyphRanges = kRanges.data();
    warning.clear();
    out.body = add_font(sans, body_px * r, config, warning);
    out.title = add_font(bold, body_px * 1.45f * r, config, warning);
    out.code = add_font(mono, body_px * r, config, warning);
    out.slide = stage ? add_font(sans, body_px * 1.6f * r, config, warning) : out.body;
    out.slide_title = stage ? add_font(bold, body_px * 2.4f * r, config, warning) : out.title;
    out.slide_code = stage ? add_font(mono, body_px * 1.45f * r, config, warning) : out.code;
    // Rasterised at its own size (the title's font scaled up 1.25x was soft
    // on a projector), for the deck's own title only: Latin-1 keeps it small.
    static const ImWchar kLatin1[] = {0x20, 0xFF, 0};
    ImFontConfig cover_config = config;
    cover_config.GlyphRanges = kLatin1;
    out.cover = stage ? add_font(bold, body_px * 3.0f * r, cover_config, warning) : out.title;
    io.FontGlobalScale = 1.0f / r;
    if (!warning.empty()) warning += " (using ImGui's built-in font instead)";
    if (!out.body || !out.title || !out.code || !out.slide || !out.slide_title || !out.slide_code || !out.cover || !io.Fonts->Build()) {
        warning = "could not build the fonts from " + font_dir;
        return false;
    }
    return true;
}

}  // namespace such::ui
