// PNG screenshots of the desktop app's own frame, with stb_image_write.
#include "ui/screenshot.hpp"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop

#include <cstdio>
#include <filesystem>

namespace such::ui {

namespace {
bool write_png(const std::vector<unsigned char>& pixels, int w, int h, const std::string& path, std::string& error) {
    if (w <= 0 || h <= 0) {
        error = "the window has no pixels to save";
        return false;
    }
    if (!stbi_write_png(path.c_str(), w, h, 4, pixels.data(), w * 4)) {
        error = "could not write " + path;
        return false;
    }
    return true;
}
}  // namespace

bool write_screenshot(const Shell& shell, const std::string& path, std::string& error) {
    int w = 0, h = 0;
    const std::vector<unsigned char>& pixels = shell.captured(w, h);
    return write_png(pixels, w, h, path, error);
}

bool export_deck(Shell& shell, App& app, const std::string& dir, std::string& error) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        error = "could not create " + dir + ": " + ec.message();
        return false;
    }
    const auto& d = scenes::deck();
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (!app.command("slide " + std::to_string(i + 1))) {
            error = app.last_error();
            return false;
        }
        for (std::uint64_t k = 0; k < d[i].export_steps && d[i].kind != scenes::SlideKind::Text; ++k) app.command("advance");
        // A few frames: the first after entering the talk rebuilds the fonts;
        // a slide that measures something is drawn once it has its figures.
        for (int f = 0; f < 2000 && app.busy(); ++f) {
            if (!shell.iterate(app)) break;
        }
        // Then the frames a slide's panes take to fit (ui/fit_pane.hpp: an overflow seen two frames in a row
        // shrinks from the next; a pane at its smallest text takes room from its neighbour a frame at a time).
        constexpr int kSettle = 14;
        for (int f = 0; f < kSettle + 2; ++f) {
            if (f == kSettle) shell.request_capture();
            if (!shell.iterate(app)) {
                error = "the window closed during the export";
                return false;
            }
        }
        char name[32];
        std::snprintf(name, sizeof name, "/slide-%02zu.png", i + 1);
        if (!write_screenshot(shell, dir + name, error)) return false;
    }
    std::printf("wrote %zu slides to %s\n", d.size(), dir.c_str());
    return true;
}

bool write_notes_screenshot(const Shell& shell, const std::string& path, std::string& error) {
    int w = 0, h = 0;
    const std::vector<unsigned char>& pixels = shell.notes_captured(w, h);
    return write_png(pixels, w, h, path, error);
}

}  // namespace such::ui
