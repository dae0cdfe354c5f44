// A host tool of the web build: cuts a TrueType font down to the characters
// the app draws (ui/glyph_ranges.hpp) before the build embeds it.
//   font_subset IN.ttf OUT.ttf
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "ui/font_subset.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: font_subset IN.ttf OUT.ttf\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::string error;
    const std::string subset = in ? such::ui::subset_font(bytes.str(), such::ui::kGlyphRanges, error) : std::string();
    if (!in) error = "cannot read it";
    if (subset.empty()) {
        std::fprintf(stderr, "font_subset: %s: %s\n", argv[1], error.c_str());
        return 1;
    }
    std::ofstream out(argv[2], std::ios::binary);
    out << subset;
    if (!out.flush()) {
        std::fprintf(stderr, "font_subset: cannot write %s\n", argv[2]);
        return 1;
    }
    return 0;
}
