// Font file checks (see font_file.hpp). Offsets and sizes follow the OpenType
// specification's table formats ("OpenType font file", "head", "maxp", "hhea",
// "hmtx", "loca", "cmap"), the parts of them stb_truetype reads.
#include "ui/font_file.hpp"

#include <cstdint>

#include "scenes/scene.hpp"

namespace such::ui {

namespace {

std::uint32_t u16(std::string_view b, std::size_t at) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 8) | static_cast<unsigned char>(b[at + 1]);
}
std::uint32_t u32(std::string_view b, std::size_t at) { return (u16(b, at) << 16) | u16(b, at + 2); }

struct Table {
    std::size_t offset = 0, length = 0;
    bool found = false;
};

// The table directory at `dir`: every table inside the file, the ones we need found.
bool read_tables(std::string_view b, std::size_t dir, const char* const* tags, Table* out, std::size_t count, std::string& error) {
    if (dir + 12 > b.size()) {
        error = "cut short before its table directory";
        return false;
    }
    const std::uint32_t version = u32(b, dir);
    if (version != 0x00010000u && version != 0x74727565u /* true */ && version != 0x4F54544Fu /* OTTO */) {
        error = "not a TrueType or OpenType font";
        return false;
    }
    const std::size_t tables = u16(b, dir + 4);
    if (tables == 0 || dir + 12 + 16 * tables > b.size()) {
        error = "its table directory does not fit in the file";
        return false;
    }
    for (std::size_t i = 0; i < tables; ++i) {
        const std::size_t rec = dir + 12 + 16 * i;
        const std::uint64_t offset = u32(b, rec + 8), length = u32(b, rec + 12);
        if (offset + length > b.size()) {
            error = "table '" + scenes::shown(b.substr(rec, 4)) + "' lies outside the file";
            return false;
        }
        for (std::size_t k = 0; k < count; ++k) {
            if (b.substr(rec, 4) == tags[k]) out[k] = {static_cast<std::size_t>(offset), static_cast<std::size_t>(length), true};
        }
    }
    return true;
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
