// PNG screenshots of the desktop app's own frame, with stb_image_write.
#include "ui/screenshot.hpp"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop

namespace such::ui {

bool write_screenshot(const Shell& shell, const std::string& path, std::string& error) {
    int w = 0, h = 0;
    const std::vector<unsigned char>& pixels = shell.captured(w, h);
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

}  // namespace such::ui
