// Reading files a user names (see user_file.hpp).
#include "ui/user_file.hpp"

#include <filesystem>
#include <fstream>

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
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "not a readable file";
        return false;
    }
    out.clear();
    char chunk[1 << 16];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        out.append(chunk, static_cast<std::size_t>(in.gcount()));
        if (out.size() > max_bytes) return too_large();  // it grew while being read
    }
    if (in.bad()) {
        error = "cannot be read";
        return false;
    }
    return true;
}

}  // namespace such::ui
