// Reading files a user names (see user_file.hpp).
#include "ui/user_file.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "scenes/scene.hpp"

namespace such::ui {

bool read_user_file(const std::string& path, std::size_t max_bytes, std::string& out, std::string& error) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) {
        error = "no such file";
        return false;
    }
    if (!std::filesystem::is_regular_file(status)) {
        error = "not a readable file";  // a folder, a device, a pipe
        return false;
    }
    const auto too_large = [&] {
        error = "larger than " + scenes::grouped(static_cast<long>(max_bytes)) + " bytes";
        return false;
    };
    if (std::filesystem::file_size(path, ec) > max_bytes && !ec) return too_large();
    // C's stdio rather than iostreams: the web build then carries no locale machinery.
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!in) {
        error = "not a readable file";
        return false;
    }
    out.clear();
    char chunk[1 << 16];
    while (const std::size_t got = std::fread(chunk, 1, sizeof chunk, in.get())) {
        out.append(chunk, got);
        if (out.size() > max_bytes) return too_large();  // it grew while being read
    }
    if (std::ferror(in.get())) {
        error = "cannot be read";
        return false;
    }
    return true;
}

bool write_user_file(const std::string& path, std::string_view bytes) {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (!out) return false;
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
    return std::fclose(out) == 0 && written;
}

}  // namespace such::ui
