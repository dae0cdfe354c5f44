// Bad input at the app's edges: links of any length and bytes, thrown at the
// headless app, are refused with a message and change nothing it shows.
#include <doctest/doctest.h>

#include <string>

#include "tests/ui/headless.hpp"

using namespace such;

namespace {
// What a refused link must leave as it was: the page, the scene, its settings and step.
std::string shown_state(const ui::App& app) {
    std::string state = app.state_json();
    const auto note = state.find(",\"note\":");
    return app.link() + " " + state.substr(0, note);
}
}  // namespace

TEST_CASE("a 10,000-character link is refused with a short note, and the open scene stays as it was") {
    Headless h;
    REQUIRE(h.app.open_link("#race?seed=3"));
    h.app.command("step");
    const std::string before = shown_state(h.app);
    for (const std::string& bad : {"#" + std::string(10000, 'x'), "#race?seed=" + std::string(10000, '1'),
                                   "#race?" + std::string(10000, 'k') + "=1", "#play?code=" + std::string(9999, '*'),
                                   "#slide/" + std::string(10000, '9')}) {
        CAPTURE(bad.size());
        CHECK_FALSE(h.app.open_link(bad));
        CHECK_FALSE(h.app.last_error().empty());
        CHECK(h.app.last_error().size() < 200);  // quoted short, not the whole link
        CHECK(shown_state(h.app) == before);
        CHECK(h.has("Could not open link"));
        // ImGui's 16-bit indices cap a window at 65,536 vertices (imgui.h, ImDrawIdx): a long note drawn whole broke it.
        CHECK(h.frame() > 100);
    }
}

TEST_CASE("the browser's percent-encoded hash opens; a broken escape is refused and says where") {
    Headless h;
    // "%3F" is '?' and "%3D" '=' (RFC 3986, section 2.1: a '%' and the byte's two hex digits).
    REQUIRE(h.app.open_link("#race%3Fseed%3D7"));
    CHECK(h.app.link() == "#atomicity/race?seed=7&sync=0&threads=2");
    const std::string before = shown_state(h.app);
    // The hash that once threw in index.html: "%A" is cut short at the end.
    CHECK_FALSE(h.app.open_link("#%E0%A4%A"));
    CHECK(h.app.last_error() == "the link has a '%' that is not followed by two hex digits ('%A' at character 7)");
    CHECK(shown_state(h.app) == before);
    CHECK_FALSE(h.app.open_link("#race?seed=%zz"));
    CHECK(h.app.last_error() == "the link has a '%' that is not followed by two hex digits ('%zz' at character 11)");
    // Escapes that decode to bytes which are not UTF-8, or to a NUL, are quoted as '?'.
    CHECK_FALSE(h.app.open_link("#%E0%A4"));
    CHECK(h.app.last_error() == "no scene called '?\?'");
    CHECK_FALSE(h.app.open_link("#race%00x"));
    CHECK(h.app.last_error() == "no scene called 'race?x'");
    CHECK(shown_state(h.app) == before);
    CHECK(h.frame() > 100);
}

