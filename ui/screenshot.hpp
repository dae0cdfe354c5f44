// Writes the shell's last frame to a PNG file (desktop only).
#pragma once
#include <string>

#include "ui/shell.hpp"

namespace such::ui {
bool write_screenshot(const Shell& shell, const std::string& path, std::string& error);
// Writes every slide of the talk as DIR/slide-NN.png (live slides after their
// fixed seed and export_steps steps) by rendering each in the shell's window.
bool export_deck(Shell& shell, App& app, const std::string& dir, std::string& error);
// The notes window's last captured frame (when it is open).
bool write_notes_screenshot(const Shell& shell, const std::string& path, std::string& error);
}
