// The characters the app draws: Latin, and the punctuation, arrows, maths
// and shapes that slides and hints use. The fonts are rasterized for these
// alone (theme.cpp), and the web build embeds fonts cut down to them
// (font_subset.hpp), so one list serves both.
#pragma once

namespace such::ui {

struct GlyphRange {
    unsigned first, last;  // inclusive code points
};

inline constexpr GlyphRange kGlyphRanges[] = {
    {0x0020, 0x00FF}, {0x2010, 0x205E}, {0x2190, 0x21FF}, {0x2200, 0x22FF}, {0x25A0, 0x25FF}};

}  // namespace such::ui
