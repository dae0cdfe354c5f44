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
    Headless() {
        std::string error;
        REQUIRE_MESSAGE(frames.init(SUCH_FONT_DIR, 24.0f, 1.0f, app, error), error);
    }
    int frame() { return frames.frame(app); }
    bool has(const std::string& text) const { return app.state_json().find(text) != std::string::npos; }
};

}  // namespace such
