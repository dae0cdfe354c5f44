// Looks: the dark and the light (projector) theme, the fonts, the palette the
// views share. Sizes follow the display's DPI and the user's zoom.
#pragma once
#include <string>

struct ImFont;

namespace such::ui {

enum class Theme { Dark, Light };

struct Fonts {
    ImFont* body = nullptr;
    ImFont* title = nullptr;
    ImFont* code = nullptr;
    ImFont* slide = nullptr;        // a text slide's bullets: 1.6x the body
    ImFont* slide_title = nullptr;  // a text slide's title: 2.4x the body, bold
    ImFont* slide_code = nullptr;   // a text slide's listing: 1.45x the body, monospaced
    ImFont* cover = nullptr;        // the title slide's title: 3x the body, bold, Latin-1 only
};

// Colours a view picks by meaning, not by hue.
struct Palette {
    unsigned running, ready, blocked, done, bad, good, accent, muted, panel;
    // A lane's "ready" cell: the ready colour, see-through so that it reads
    // as waiting beside the solid "ran a step" (on the light page it needs
    // more of it: at the dark page's 31% it was a beige lost on the stripes).
    unsigned lane_ready;
};

void apply_theme(Theme theme, float scale);
const Palette& palette();
// What the page is cleared to before a frame: the panels' colour (panels
// draw only their borders over it).
unsigned page_colour();
// Rebuilds the font atlas at body_px (already multiplied by DPI and zoom);
// pixel_ratio > 1 rasterises sharper glyphs for HiDPI canvases. A font file
// that is missing or broken is replaced by ImGui's built-in font, and
// `warning` says which (empty when every file loaded). False only when the
// atlas cannot be built at all, `warning` then saying so.
// stage: the talk's two slide fonts too; without, they are the body and title
// fonts (the talk reloads the fonts as it starts), and the atlas is half the
// work, which is most of the page's start after its download.
bool load_fonts(const std::string& font_dir, float body_px, float pixel_ratio, bool stage, Fonts& out, std::string& warning);

}  // namespace such::ui
