// Files a user names (a program, a trace, a font, the progress file): read only
// when they are regular files, and only up to a size, so a device or a pipe
// named by mistake (/dev/zero) cannot hang the app or the command line.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace such::ui {

// The largest trace file reopened (the app and such trace): events are about
// 100 bytes a line, so ten million of them.
inline constexpr std::size_t kMaxTraceBytes = std::size_t{1} << 30;

// False with the reason ("no such file", "not a readable file", "larger than
// 1,000,000 bytes", "cannot be read") when the file is not read whole.
bool read_user_file(const std::string& path, std::size_t max_bytes, std::string& out, std::string& error);

// Writes the bytes as the whole file; false if it could not be written whole.
bool write_user_file(const std::string& path, std::string_view bytes);

}  // namespace such::ui
