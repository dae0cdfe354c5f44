// A TrueType font cut down to the characters the app draws, for the web
// build, whose download carries its fonts. The subset keeps every glyph the
// given characters map to (and the glyphs those are built from) with the same
// glyph numbers, outlines and metrics, so the atlas ImGui rasterizes from it
// is the same; it drops the rest: other outlines, hinting, kerning and
// layout tables, and glyph names. Standard C++ only: the web build compiles
// it for the host (web/font_subset.cpp).
#pragma once
#include <span>
#include <string>
#include <string_view>

#include "ui/glyph_ranges.hpp"

namespace such::ui {

// The subset of the TrueType font `ttf` (glyf outlines, not a collection) for
// `ranges` (ascending, apart, within U+0000..U+FFFF). Empty with the reason in
// `error` when the font cannot be read or the ranges are not of that form.
std::string subset_font(std::string_view ttf, std::span<const GlyphRange> ranges, std::string& error);

}  // namespace such::ui
