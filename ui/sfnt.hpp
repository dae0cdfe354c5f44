// Reading an OpenType (sfnt) font's big-endian numbers and its table
// directory ("OpenType font file" in the OpenType specification). Standard
// C++ only: the font check (font_file.hpp) and the font subsetter
// (font_subset.hpp), which the web build runs on the host, share it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace such::ui::sfnt {

inline std::uint32_t u16(std::string_view b, std::size_t at) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 8) | static_cast<unsigned char>(b[at + 1]);
}
inline std::uint32_t u32(std::string_view b, std::size_t at) { return (u16(b, at) << 16) | u16(b, at + 2); }

struct Table {
    std::string tag;
    std::size_t offset = 0, length = 0;
};

// Every table of the directory at `dir`, each checked to lie inside the file.
// Empty with the reason in `error` when the directory or a table does not fit.
inline std::vector<Table> read_directory(std::string_view b, std::size_t dir, std::string& error) {
    if (dir + 12 > b.size()) {
        error = "cut short before its table directory";
        return {};
    }
    const std::uint32_t version = u32(b, dir);
    if (version != 0x00010000u && version != 0x74727565u /* true */ && version != 0x4F54544Fu /* OTTO */) {
        error = "not a TrueType or OpenType font";
        return {};
    }
    const std::size_t count = u16(b, dir + 4);
    if (count == 0 || dir + 12 + 16 * count > b.size()) {
        error = "its table directory does not fit in the file";
        return {};
    }
    std::vector<Table> tables;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t rec = dir + 12 + 16 * i;
        const std::uint64_t offset = u32(b, rec + 8), length = u32(b, rec + 12);
        std::string tag(b.substr(rec, 4));
        if (offset + length > b.size()) {
            for (char& c : tag) c = c >= 0x20 && c < 0x7f ? c : '?';
            error = "table '" + tag + "' lies outside the file";
            return {};
        }
        tables.push_back({std::move(tag), static_cast<std::size_t>(offset), static_cast<std::size_t>(length)});
    }
    return tables;
}

}  // namespace such::ui::sfnt
