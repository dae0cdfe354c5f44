// The characters the app draws: Latin, and the punctuation, arrows, maths
// and shapes that slides and hints use. The fonts are rasterized for these
// alone (theme.cpp), and the web build embeds fonts cut down to them
// (font_subset.hpp), so one list serves both.
#pragma once

namespace such::ui {

struct GlyphRange {
    unsigned first, last;  // inclusive code points
};

// Latin-1, Greek (λ, the letters of maths), punctuation, arrows, maths,
// shapes, and the check marks and crosses (U+2713-2718) programs print.
// Each range costs the page its glyphs in three fonts: Latin Extended-A
// (Dvořák) would take the threaded build's download past 1 MB gzipped.
inline constexpr GlyphRange kGlyphRanges[] = {{0x0020, 0x00FF}, {0x0370, 0x03FF}, {0x2010, 0x205E}, {0x2190, 0x21FF},
                                              {0x2200, 0x22FF}, {0x25A0, 0x25FF}, {0x2713, 0x2718}};

}  // namespace such::ui
