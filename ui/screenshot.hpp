// Writes the shell's last frame to a PNG file (desktop only).
#pragma once
#include <string>

#include "ui/shell.hpp"

namespace such::ui {
bool write_screenshot(const Shell& shell, const std::string& path, std::string& error);
}
