// Font file checks (see font_file.hpp). Offsets and sizes follow the OpenType
// specification's table formats ("OpenType font file", "head", "maxp", "hhea",
// "hmtx", "loca", "cmap"), the parts of them stb_truetype reads.
#include "ui/font_file.hpp"

#include "ui/sfnt.hpp"

namespace such::ui {

namespace {

using sfnt::u16;
using sfnt::u32;

struct Table {
    std::size_t offset = 0, length = 0;
    bool found = false;
};

// The table directory at `dir`: every table inside the file, the ones we need found.
bool read_tables(std::string_view b, std::size_t dir, const char* const* tags, Table* out, std::size_t count, std::string& error) {
    error.clear();
    for (const sfnt::Table& table : sfnt::read_directory(b, dir, error)) {
        for (std::size_t k = 0; k < count; ++k) {
            if (table.tag == tags[k]) out[k] = {table.offset, table.length, true};
        }
    }
    return error.empty();
}

bool check_cmap(std::string_view b, const Table& cmap, std::string& error) {
    error = "its character map (cmap) is broken";
    if (cmap.length < 4) return false;
    const std::string_view t = b.substr(cmap.offset, cmap.length);
    const std::size_t records = u16(t, 2);
    if (records == 0 || 4 + 8 * records > t.size()) return false;
    for (std::size_t i = 0; i < records; ++i) {
        const std::size_t at = u32(t, 4 + 8 * i + 4);
        if (at + 8 > t.size()) return false;
        // Formats 0-6 keep a 16-bit length at 2, 14 a 32-bit one at 2, 8-13 a 32-bit one at 4.
        const std::uint32_t format = u16(t, at);
        const std::size_t length = format == 14 ? u32(t, at + 2) : format >= 8 ? u32(t, at + 4) : u16(t, at + 2);
        if (at + length > t.size()) return false;
    }
    error.clear();
    return true;
}
}  // namespace

bool check_font_file(std::string_view b, std::string& error) {
    if (b.size() > kMaxFontBytes) {
        error = "larger than 64 MB";
        return false;
    }
    std::size_t dir = 0;
    if (b.size() >= 16 && u32(b, 0) == 0x74746366u /* ttcf */) {
        if (u32(b, 8) == 0) {
            error = "a font collection with no fonts";
            return false;
        }
        dir = u32(b, 12);
    }
    static const char* const kTags[] = {"cmap", "head", "hhea", "hmtx", "maxp", "loca", "glyf", "CFF "};
    enum { kCmap, kHead, kHhea, kHmtx, kMaxp, kLoca, kGlyf, kCff, kCount };
    Table t[kCount];
    if (!read_tables(b, dir, kTags, t, kCount, error)) return false;
    for (int k : {kCmap, kHead, kHhea, kHmtx, kMaxp}) {
        if (!t[k].found) {
            error = std::string("no '") + kTags[k] + "' table";
            return false;
        }
    }
    if (!t[kGlyf].found && !t[kCff].found) {
        error = "no glyph outlines (neither 'glyf' nor 'CFF ')";
        return false;
    }
    // head: 54 bytes, the magic number at 12, the loca format at 50 (0 short, 1 long).
    if (t[kHead].length < 54 || u32(b, t[kHead].offset + 12) != 0x5F0F3CF5u || u16(b, t[kHead].offset + 50) > 1) {
        error = "its 'head' table is broken";
        return false;
    }
    const bool long_loca = u16(b, t[kHead].offset + 50) == 1;
    // maxp: the glyph count at 4; hhea: 36 bytes, the horizontal metrics count at 34.
    if (t[kMaxp].length < 6 || t[kHhea].length < 36) {
        error = "its 'maxp' or 'hhea' table is cut short";
        return false;
    }
    const std::size_t glyphs = u16(b, t[kMaxp].offset + 4);
    const std::size_t metrics = u16(b, t[kHhea].offset + 34);
    if (glyphs == 0 || metrics == 0 || metrics > glyphs || t[kHmtx].length < 4 * metrics + 2 * (glyphs - metrics)) {
        error = "its glyph metrics (hhea, hmtx, maxp) do not agree";
        return false;
    }
    if (!check_cmap(b, t[kCmap], error)) return false;
    if (t[kGlyf].found) {
        // loca: glyphs + 1 offsets into glyf, in order, the last at most glyf's length.
        const std::size_t entry = long_loca ? 4 : 2;
        if (!t[kLoca].found || t[kLoca].length < (glyphs + 1) * entry) {
            error = "its glyph index (loca) is missing or cut short";
            return false;
        }
        std::size_t previous = 0;
        for (std::size_t g = 0; g <= glyphs; ++g) {
            const std::size_t at = t[kLoca].offset + g * entry;
            const std::size_t offset = long_loca ? u32(b, at) : 2 * static_cast<std::size_t>(u16(b, at));
            if (offset < previous || offset > t[kGlyf].length) {
                error = "its glyph index (loca) points outside the glyphs (glyf)";
                return false;
            }
            previous = offset;
        }
    }
    return true;
}

}  // namespace such::ui
