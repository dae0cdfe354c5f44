// The app driven headless for the UI tests (see ui/headless.hpp).
#pragma once
#include <doctest/doctest.h>

#include <string>

#include "ui/app.hpp"
#include "ui/headless.hpp"

namespace such {

struct Headless {
    ui::App app;
    ui::HeadlessFrames frames;
    explicit Headless(float body_px = 24.0f) {
        std::string error;
        REQUIRE_MESSAGE(frames.init(SUCH_FONT_DIR, body_px, 1.0f, app, error), error);
    }
    int frame() { return frames.frame(app); }
    // Builds a frame and says whether it drew a page of text: each glyph is 4
    // vertices, so more than 200 is more than about 50 characters.
    bool drew_text() { return frame() > 200; }
    bool has(const std::string& text) const { return app.state_json().find(text) != std::string::npos; }
};

}  // namespace such
