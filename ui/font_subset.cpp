// The font subsetter (see font_subset.hpp). Table layouts follow the OpenType
// specification: "OpenType font file" (directory, checksums), "cmap" (formats
// 4 and 12), "glyf" (simple and composite glyphs), "loca", "hmtx", "head",
// "post" (version 3 has no glyph names).
#include "ui/font_subset.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

#include "ui/sfnt.hpp"

namespace such::ui {
namespace {

using sfnt::u16;
using sfnt::u32;

void put16(std::string& out, std::uint32_t v) {
    out += static_cast<char>((v >> 8) & 0xff);
    out += static_cast<char>(v & 0xff);
}
void put32(std::string& out, std::uint32_t v) {
    put16(out, v >> 16);
    put16(out, v & 0xffff);
}
void set16(std::string& out, std::size_t at, std::uint32_t v) {
    out[at] = static_cast<char>((v >> 8) & 0xff);
    out[at + 1] = static_cast<char>(v & 0xff);
}
void set32(std::string& out, std::size_t at, std::uint32_t v) {
    set16(out, at, v >> 16);
    set16(out, at + 2, v & 0xffff);
}
void pad4(std::string& out) { out.resize((out.size() + 3) & ~std::size_t{3}, '\0'); }

// The sum of a table's 32-bit words, zero-padded to a whole word.
std::uint32_t checksum(std::string_view t) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < t.size(); i += 4) {
        std::uint32_t word = 0;
        for (std::size_t k = 0; k < 4; ++k) word = (word << 8) | (i + k < t.size() ? static_cast<unsigned char>(t[i + k]) : 0u);
        sum += word;
    }
    return sum;
}

// The glyph a code point maps to in a format 4 or 12 cmap subtable, 0 if none.
// `ok` turns false when the subtable's numbers point outside it.
std::uint32_t glyph_of(std::string_view s, std::uint32_t c, bool& ok) {
    auto fits = [&](std::size_t at, std::size_t n) { return at + n <= s.size() || !(ok = false); };
    if (u16(s, 0) == 12) {
        if (!fits(12, 4)) return 0;
        const std::size_t groups = u32(s, 12);
        if (!fits(16, 12 * groups)) return 0;
        for (std::size_t i = 0; i < groups; ++i) {
            const std::size_t at = 16 + 12 * i;
            if (c >= u32(s, at) && c <= u32(s, at + 4)) return u32(s, at + 8) + (c - u32(s, at));
        }
        return 0;
    }
    if (!fits(14, 0)) return 0;
    const std::size_t segments = u16(s, 6) / 2;
    if (!fits(16, 8 * segments)) return 0;
    const std::size_t ends = 14, starts = 16 + 2 * segments, deltas = starts + 2 * segments, ranges = deltas + 2 * segments;
    for (std::size_t i = 0; i < segments; ++i) {
        if (c > u16(s, ends + 2 * i)) continue;
        if (c < u16(s, starts + 2 * i)) return 0;
        const std::uint32_t delta = u16(s, deltas + 2 * i), range = u16(s, ranges + 2 * i);
        if (range == 0) return (c + delta) & 0xffff;
        const std::size_t at = ranges + 2 * i + range + 2 * (c - u16(s, starts + 2 * i));
        if (!fits(at, 2)) return 0;
        const std::uint32_t g = u16(s, at);
        return g == 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
}

// The Unicode subtable of a cmap: format 12 if there is one, else format 4.
std::string_view unicode_subtable(std::string_view cmap) {
    std::string_view best;
    if (cmap.size() < 4) return best;
    const std::size_t records = u16(cmap, 2);
    for (std::size_t i = 0; i < records && 4 + 8 * i + 8 <= cmap.size(); ++i) {
        const std::uint32_t platform = u16(cmap, 4 + 8 * i), encoding = u16(cmap, 4 + 8 * i + 2);
        const std::size_t at = u32(cmap, 4 + 8 * i + 4);
        if (!(platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10))) || at + 8 > cmap.size()) continue;
        const std::uint32_t format = u16(cmap, at);
        const std::size_t length = format == 12 ? u32(cmap, at + 4) : u16(cmap, at + 2);
        if ((format != 4 && format != 12) || at + length > cmap.size()) continue;
        if (best.empty() || format == 12) best = cmap.substr(at, length);
    }
    return best;
}

// A format 4 cmap for the ranges alone: a segment per range whose glyphs are
// listed one by one, then the closing U+FFFF segment.
std::string cmap_for(std::span<const GlyphRange> ranges, const std::vector<std::vector<std::uint32_t>>& glyphs) {
    const std::size_t segments = ranges.size() + 1;
    std::size_t power = 1, log2 = 0;
    while (power * 2 <= segments) power *= 2, ++log2;
    std::string sub;
    put16(sub, 4);
    put16(sub, 0);  // length, set below
    put16(sub, 0);  // language
    put16(sub, 2 * segments);
    put16(sub, 2 * power);
    put16(sub, log2);
    put16(sub, 2 * segments - 2 * power);
    for (const GlyphRange& r : ranges) put16(sub, r.last);
    put16(sub, 0xffff);
    put16(sub, 0);  // reserved
    for (const GlyphRange& r : ranges) put16(sub, r.first);
    put16(sub, 0xffff);
    for (std::size_t i = 0; i < ranges.size(); ++i) put16(sub, 0);
    put16(sub, 1);  // 0xffff + 1 wraps to glyph 0
    // Each range's offset runs from its own idRangeOffset word to its first glyph.
    std::size_t listed = 0;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        put16(sub, 2 * (segments - i) + 2 * listed);
        listed += glyphs[i].size();
    }
    put16(sub, 0);
    for (const auto& list : glyphs)
        for (std::uint32_t g : list) put16(sub, g);
    set16(sub, 2, sub.size());
    std::string cmap;
    put16(cmap, 0);
    put16(cmap, 2);
    for (std::uint32_t platform : {0u, 3u}) {
        put16(cmap, platform);
        put16(cmap, platform == 0 ? 3 : 1);
        put32(cmap, 4 + 2 * 8);
    }
    return cmap + sub;
}

// A glyph's bytes without its hinting instructions, and the glyphs it is built from.
std::string unhinted(std::string_view g, std::vector<std::uint32_t>& parts, bool& ok) {
    if (g.size() < 10) return std::string(g);
    const auto contours = static_cast<std::int16_t>(u16(g, 0));
    std::string out(g);
    if (contours >= 0) {
        const std::size_t at = 10 + 2 * static_cast<std::size_t>(contours);
        if (at + 2 > g.size() || at + 2 + u16(g, at) > g.size()) return ok = false, std::string(g);
        out = std::string(g.substr(0, at)) + std::string(2, '\0') + std::string(g.substr(at + 2 + u16(g, at)));
        return out;
    }
    // Composite: flags, glyph, two arguments (bytes or words), then 0, 1, 2 or 4 scale numbers.
    std::size_t at = 10;
    for (;;) {
        if (at + 4 > g.size()) return ok = false, out;
        const std::uint32_t flags = u16(g, at);
        parts.push_back(u16(g, at + 2));
        const std::size_t next = at + 4 + (flags & 0x0001 ? 4 : 2) + (flags & 0x0008 ? 2 : flags & 0x0040 ? 4 : flags & 0x0080 ? 8 : 0);
        if (next > g.size()) return ok = false, out;
        if (!(flags & 0x0020)) {  // the last component: drop its "instructions follow" bit and them
            set16(out, at, flags & ~0x0100u);
            out.resize(next);
            return out;
        }
        at = next;
    }
}

}  // namespace

std::string subset_font(std::string_view ttf, std::span<const GlyphRange> ranges, std::string& error) {
    error.clear();
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        if (ranges[i].first > ranges[i].last || ranges[i].last >= 0xffff || (i > 0 && ranges[i].first <= ranges[i - 1].last)) {
            error = "the character ranges are not ascending, apart and below U+FFFF";
            return {};
        }
    }
    std::map<std::string, std::string_view> tables;
    for (const sfnt::Table& t : sfnt::read_directory(ttf, 0, error)) tables[t.tag] = ttf.substr(t.offset, t.length);
    if (!error.empty()) return {};
    for (const char* tag : {"cmap", "head", "hhea", "hmtx", "maxp", "loca", "glyf"}) {
        if (!tables.count(tag)) {
            error = std::string("no '") + tag + "' table (only TrueType outlines are subset)";
            return {};
        }
    }
    const std::string_view head = tables["head"], maxp = tables["maxp"], hhea = tables["hhea"], hmtx = tables["hmtx"];
    const std::string_view loca = tables["loca"], glyf = tables["glyf"];
    if (head.size() < 54 || maxp.size() < 6 || hhea.size() < 36) {
        error = "its head, maxp or hhea table is cut short";
        return {};
    }
    const std::size_t count = u16(maxp, 4), metrics = u16(hhea, 34);
    const bool long_loca = u16(head, 50) == 1;
    if (loca.size() < (count + 1) * (long_loca ? 4 : 2) || metrics == 0 || metrics > count || hmtx.size() < 4 * metrics + 2 * (count - metrics)) {
        error = "its loca or hmtx table does not cover its glyphs";
        return {};
    }
    auto glyph_bytes = [&](std::size_t g) {
        const std::size_t from = long_loca ? u32(loca, 4 * g) : 2 * std::size_t{u16(loca, 2 * g)};
        const std::size_t to = long_loca ? u32(loca, 4 * g + 4) : 2 * std::size_t{u16(loca, 2 * g + 2)};
        return from <= to && to <= glyf.size() ? glyf.substr(from, to - from) : std::string_view("\xff");
    };

    // The glyphs to keep: .notdef, each character's, and their parts.
    const std::string_view unicode = unicode_subtable(tables["cmap"]);
    if (unicode.empty()) {
        error = "no Unicode character map (cmap format 4 or 12)";
        return {};
    }
    bool ok = true;
    std::vector<std::vector<std::uint32_t>> mapped;
    std::vector<std::uint32_t> todo{0};
    for (const GlyphRange& r : ranges) {
        mapped.emplace_back();
        for (std::uint32_t c = r.first; c <= r.last; ++c) {
            const std::uint32_t g = glyph_of(unicode, c, ok);
            mapped.back().push_back(g < count ? g : 0);
            todo.push_back(mapped.back().back());
        }
    }
    std::vector<std::string> kept(count);
    std::vector<bool> keep(count, false);
    while (!todo.empty()) {
        const std::uint32_t g = todo.back();
        todo.pop_back();
        if (g >= count || keep[g]) continue;
        keep[g] = true;
        const std::string_view bytes = glyph_bytes(g);
        if (bytes == "\xff") ok = false;
        else kept[g] = unhinted(bytes, todo, ok);
    }
    if (!ok) {
        error = "its character map or glyphs point outside their tables";
        return {};
    }

    std::map<std::string, std::string> out;
    std::string& new_glyf = out["glyf"];
    std::string& new_loca = out["loca"];
    for (std::size_t g = 0; g < count; ++g) {
        put32(new_loca, new_glyf.size());
        new_glyf += kept[g];
        pad4(new_glyf);
    }
    put32(new_loca, new_glyf.size());
    out["cmap"] = cmap_for(ranges, mapped);
    // Metrics of dropped glyphs read as zero; the last full entry stays, as later glyphs take its advance.
    std::string& new_hmtx = out["hmtx"] = std::string(hmtx);
    for (std::size_t g = 0; g < count; ++g) {
        if (keep[g]) continue;
        if (g + 1 < metrics) set32(new_hmtx, 4 * g, 0);
        else if (g >= metrics) set16(new_hmtx, 4 * metrics + 2 * (g - metrics), 0);
    }
    std::string& new_head = out["head"] = std::string(head);
    set32(new_head, 8, 0);  // checkSumAdjustment, set last
    set16(new_head, 50, 1);  // long loca offsets
    if (tables.count("post") && tables["post"].size() >= 32) {
        out["post"] = std::string(tables["post"].substr(0, 32));
        set32(out["post"], 0, 0x00030000u);
    }
    for (const char* tag : {"hhea", "maxp", "name", "OS/2"})
        if (tables.count(tag)) out[tag] = std::string(tables[tag]);

    // The file: the directory (tags in order, as std::map keeps them), then each table on a word boundary.
    std::size_t power = 1, log2 = 0;
    while (power * 2 <= out.size()) power *= 2, ++log2;
    std::string file;
    put32(file, 0x00010000u);
    put16(file, out.size());
    put16(file, 16 * power);
    put16(file, log2);
    put16(file, 16 * out.size() - 16 * power);
    std::size_t offset = 12 + 16 * out.size(), head_at = 0;
    for (const auto& [tag, bytes] : out) {
        file += tag;
        put32(file, checksum(bytes));
        put32(file, offset);
        put32(file, bytes.size());
        if (tag == "head") head_at = offset;
        offset += (bytes.size() + 3) & ~std::size_t{3};
    }
    for (const auto& [tag, bytes] : out) {
        file += bytes;
        pad4(file);
    }
    set32(file, head_at + 8, 0xB1B0AFBAu - checksum(file));
    return file;
}

}  // namespace such::ui
