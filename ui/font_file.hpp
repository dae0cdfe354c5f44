// A font file checked before ImGui reads it: ImGui asserts (the app aborts)
// on a file stb_truetype cannot open, and stb_truetype trusts the file's
// offsets. No ImGui here, so the checks are testable on bytes alone.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace such::ui {

inline constexpr std::size_t kMaxFontBytes = std::size_t{64} << 20;  // Debian's largest TTF is a few MB

// True when the bytes are a TrueType or OpenType font (or a collection, whose
// first font is read) whose tables stb_truetype reads lie inside the file:
// the table directory, head, maxp, hhea, hmtx, cmap's subtables, and loca's
// glyph offsets inside glyf. False with the reason otherwise.
bool check_font_file(std::string_view bytes, std::string& error);

}  // namespace such::ui
