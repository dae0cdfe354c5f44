// The web build's fonts are Debian's fonts cut down to the characters the app
// draws (ui/font_subset.hpp). The oracle is the original file, read by
// stb_truetype (Debian's libstb-dev, the reader ImGui's atlas uses): for every
// character of the app's ranges, the subset must give the same glyph, metrics
// and outline, so the atlas rasterized from it is the same.
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>

#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb/stb_truetype.h>

#include "ui/font_file.hpp"
#include "ui/font_subset.hpp"

namespace {
using namespace such;

std::string read_font(const std::string& name) {
    std::ifstream in(std::string(SUCH_FONT_DIR) + "/" + name, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

struct Font {
    stbtt_fontinfo info{};
    explicit Font(const std::string& bytes) {
        REQUIRE(stbtt_InitFont(&info, reinterpret_cast<const unsigned char*>(bytes.data()), 0) == 1);
    }
};

// A glyph's outline as stb_truetype decodes it (composites resolved), as text to compare.
std::string outline(const Font& font, int glyph) {
    stbtt_vertex* v = nullptr;
    const int n = stbtt_GetGlyphShape(&font.info, glyph, &v);
    std::ostringstream out;
    for (int i = 0; i < n; ++i) out << int(v[i].type) << ' ' << v[i].x << ' ' << v[i].y << ' ' << v[i].cx << ' ' << v[i].cy << ';';
    stbtt_FreeShape(&font.info, v);
    return out.str();
}
}  // namespace

TEST_CASE("the web build's fonts draw every character of the app's ranges as Debian's fonts do, and drop the rest") {
    for (const char* name : {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "JetBrainsMono-Regular.ttf"}) {
        CAPTURE(name);
        const std::string original = read_font(name);
        REQUIRE(original.size() > 100000);  // Debian's files are 198 KB (JetBrains Mono) to 742 KB (DejaVu Sans): read whole
        std::string error;
        const std::string subset = ui::subset_font(original, ui::kGlyphRanges, error);
        REQUIRE_MESSAGE(!subset.empty(), error);
        CHECK(ui::check_font_file(subset, error));
        CHECK(subset.size() < original.size() / 3);
        const Font from(original), to(subset);
        int a1, d1, g1, a2, d2, g2;
        stbtt_GetFontVMetrics(&from.info, &a1, &d1, &g1);
        stbtt_GetFontVMetrics(&to.info, &a2, &d2, &g2);
        CHECK((a1 == a2 && d1 == d2 && g1 == g2));
        int drawn = 0;
        for (const ui::GlyphRange& range : ui::kGlyphRanges) {
            for (unsigned c = range.first; c <= range.last; ++c) {
                const int glyph = stbtt_FindGlyphIndex(&from.info, static_cast<int>(c));
                CAPTURE(c);
                REQUIRE(stbtt_FindGlyphIndex(&to.info, static_cast<int>(c)) == glyph);
                int w1, l1, w2, l2;
                stbtt_GetGlyphHMetrics(&from.info, glyph, &w1, &l1);
                stbtt_GetGlyphHMetrics(&to.info, glyph, &w2, &l2);
                CHECK((w1 == w2 && l1 == l2));
                const std::string shape = outline(from, glyph);
                CHECK(outline(to, glyph) == shape);
                drawn += glyph != 0 && !shape.empty();
            }
        }
        CHECK(drawn > 300);  // the ranges hold letters, digits, arrows and shapes, not just blanks
        // Characters outside the ranges (glyph_ranges.hpp has Latin and Greek, no Cyrillic) are gone: Cyrillic Zhe
        // (U+0416) and CJK (U+4E00) map to glyph 0, the font's "missing" glyph by the OpenType cmap rules;
        // Debian's DejaVu fonts do draw Zhe, so the subset really dropped it.
        CHECK(stbtt_FindGlyphIndex(&to.info, 0x0416) == 0);  // 0: the cmap's "missing" glyph (OpenType spec)
        CHECK(stbtt_FindGlyphIndex(&to.info, 0x4E00) == 0);
        // Debian's DejaVu files map Zhe to a glyph of their own (fc-query lists U+0416 in their charset).
        if (std::string(name) != "JetBrainsMono-Regular.ttf") CHECK(stbtt_FindGlyphIndex(&from.info, 0x0416) != 0);
    }
}

TEST_CASE("the font subsetter refuses bad ranges and broken fonts with a reason") {
    const std::string font = read_font("DejaVuSans.ttf");
    std::string error;
    const ui::GlyphRange backwards[] = {{0x0041, 0x005A}, {0x0030, 0x0039}};
    CHECK(ui::subset_font(font, backwards, error).empty());
    CHECK(error == "the character ranges are not ascending, apart and below U+FFFF");
    const ui::GlyphRange astral[] = {{0x1F600, 0x1F64F}};
    CHECK(ui::subset_font(font, astral, error).empty());
    CHECK_FALSE(error.empty());
    CHECK(ui::subset_font("not a font at all", ui::kGlyphRanges, error).empty());
    CHECK(error == "not a TrueType or OpenType font");
    // Cut anywhere, or with bytes flipped, the font gives a subset or a reason, never a crash.
    std::mt19937 random(5);
    for (int i = 0; i < 300; ++i) {
        std::string bytes = font.substr(0, font.size() * static_cast<std::size_t>(i) / 300);
        if (i % 2 && !bytes.empty())
            for (int k = 0; k < 20; ++k) bytes[random() % bytes.size()] = static_cast<char>(random());
        error.clear();
        const std::string subset = ui::subset_font(bytes, ui::kGlyphRanges, error);
        CHECK(subset.empty() != error.empty());
    }
}
