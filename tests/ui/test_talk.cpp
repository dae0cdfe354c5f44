// Talk mode: every slide renders, the keys walk the deck and back, the models
// table opens its scenes, deep links to slides, notes follow, memory stays flat.
#include <doctest/doctest.h>

#include <string>

#include "engine/real_runtime.hpp"
#include "tests/ui/headless.hpp"

using namespace such;

namespace {
std::size_t deck_size() { return scenes::deck().size(); }
std::string slide_is(std::size_t n) { return "\"slide\":" + std::to_string(n) + ","; }
}  // namespace

TEST_CASE("the deck follows the talk: title first, concepts, the models table, every scene, the conclusion last") {
    const auto& d = scenes::deck();
    REQUIRE(d.size() > 30);
    CHECK(d.front().title == "Such blocking, very concurrency, wow");
    CHECK(d.back().section == "Conclusion");
    std::size_t table = 0, first_model = d.size();
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (d[i].kind == scenes::SlideKind::Models) table = i;
        if (d[i].section == "The models" && d[i].kind == scenes::SlideKind::Live) first_model = std::min(first_model, i);
        CAPTURE(i);
        CHECK_FALSE(scenes::slide_title(i).empty());
        CHECK_FALSE(scenes::slide_notes(i).empty());  // a speaker has something to say on every slide
        if (!d[i].link.empty()) CHECK(scenes::slide_scene(i) != nullptr);  // every link names a scene
    }
    CHECK(table > 0);
    CHECK(table < first_model);
    // Every scene of the catalogue is presented somewhere in the talk.
    for (const scenes::Scene& s : scenes::catalogue()) {
        bool shown = false;
        for (std::size_t i = 0; i < d.size(); ++i) shown = shown || scenes::slide_scene(i) == &s;
        CAPTURE(s.id);
        CHECK(shown);
    }
}

TEST_CASE("every slide renders headless, in both themes, with the notes overlay") {
    Headless h;
    for (int theme = 0; theme < 2; ++theme) {
        for (std::size_t i = 1; i <= deck_size(); ++i) {
            CAPTURE(i);
            REQUIRE(h.app.command("slide " + std::to_string(i)));
            CHECK(h.frame() > 200);
            CHECK(h.has("\"view\":\"talk\""));
            CHECK(h.has(slide_is(i)));
        }
        CHECK(h.app.command("notes"));
        CHECK(h.frame() > 200);
        CHECK(h.has("\"notes_overlay\":true"));
        CHECK(h.app.command("notes"));
        CHECK(h.app.command("theme"));
    }
}

TEST_CASE("next walks the whole deck (stepping each live scene to its end) and prev walks back to the same state") {
    Headless h;
    REQUIRE(h.app.open_link("#slide/1"));
    h.frame();
    const std::string start = h.app.state_json();
    int presses = 0;
    while (!h.has(slide_is(deck_size())) && presses < 20000) {
        REQUIRE(h.app.command("next"));
        if (presses % 50 == 0) h.frame();
        ++presses;
    }
    CHECK(h.has(slide_is(deck_size())));
    CHECK(h.app.command("next"));  // past the end: nothing happens
    CHECK(h.has(slide_is(deck_size())));
    int back = 0;
    while (h.app.state_json() != start && back < 20000) {
        REQUIRE(h.app.command("prev"));
        ++back;
    }
    CHECK(h.app.state_json() == start);
    CHECK(back == presses);  // every step forward has its step back
    MESSAGE("the whole talk is " << presses << " presses of the right arrow");
}

TEST_CASE("inside a live slide the keys step the scene first; Shift skips; Home, End and a typed number jump") {
    Headless h;
    std::size_t live = 0;
    for (std::size_t i = 0; i < deck_size() && !live; ++i) live = scenes::deck()[i].kind == scenes::SlideKind::Live ? i + 1 : 0;
    REQUIRE(h.app.command("slide " + std::to_string(live)));
    CHECK(h.has("\"step\":0"));
    REQUIRE(h.app.command("next"));
    CHECK(h.has(slide_is(live)));
    CHECK(h.has("\"step\":1"));
    REQUIRE(h.app.command("skip"));
    CHECK(h.has(slide_is(live + 1)));
    REQUIRE(h.app.command("first"));
    CHECK(h.has(slide_is(1)));
    REQUIRE(h.app.command("last"));
    CHECK(h.has(slide_is(deck_size())));
    REQUIRE(h.app.command("digit 1"));
    REQUIRE(h.app.command("digit 2"));
    REQUIRE(h.app.command("enter"));
    CHECK(h.has(slide_is(12)));
    CHECK_FALSE(h.app.command("enter"));
    CHECK(h.app.last_error() == "type a slide number, then Enter");
    CHECK_FALSE(h.app.command("digit x"));
    REQUIRE(h.app.command("digit 9"));
    REQUIRE(h.app.command("digit 9"));
    CHECK_FALSE(h.app.command("enter"));
    CHECK(h.app.last_error().find("no slide 99: the talk has slides 1 to") == 0);
    CHECK(h.has(slide_is(12)));  // a bad number changes nothing
    REQUIRE(h.app.command("menu"));
    CHECK(h.has("\"view\":\"menu\""));
    CHECK_FALSE(h.app.command("next"));
}

TEST_CASE("each row of the models table opens its scene's slide") {
    Headless h;
    const auto rows = scenes::models_table();
    REQUIRE(rows.size() >= 9);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CAPTURE(rows[i].row->model);
        REQUIRE(rows[i].scene != nullptr);  // every model of the talk has landed
        REQUIRE(h.app.command("talk"));
        REQUIRE(h.app.command("row " + std::to_string(i + 1)));
        CHECK(h.has("\"scene\":\"" + rows[i].scene->id + "\""));
        CHECK(rows[i].scene->row.model == rows[i].row->model);
        CHECK(h.frame() > 200);
    }
    CHECK_FALSE(h.app.command("row 99"));
    CHECK(h.app.last_error() == "row needs a number from 1 to " + std::to_string(rows.size()));
}

TEST_CASE("deep links open a slide; a bad slide number stays on the slide and says why") {
    Headless h;
    REQUIRE(h.app.open_link("#slide/12"));
    CHECK(h.has(slide_is(12)));
    CHECK(h.app.link() == "#slide/12");
    REQUIRE(h.app.command("next"));
    CHECK(h.app.link() == "#slide/13");
    CHECK_FALSE(h.app.open_link("#slide/999"));
    CHECK(h.has("\"view\":\"talk\""));  // a refused link changes nothing
    CHECK(h.has(slide_is(13)));
    CHECK(h.has("no slide 999: the talk has slides 1 to " + std::to_string(deck_size())));
    CHECK_FALSE(h.app.open_link("#slide/abc"));
    CHECK(h.has("expected a number after slide/"));
    CHECK_FALSE(h.app.open_link("#slide/0"));
    CHECK(h.frame() > 100);
}

TEST_CASE("the talk's notes follow the slide, and the notes window is asked for by a command") {
    Headless h;
    REQUIRE(h.app.command("slide 4"));
    CHECK(h.has("\"notes\":\"People use these words differently"));
    REQUIRE(h.app.command("notes window"));
    CHECK(h.app.take_notes_window_request());
    CHECK_FALSE(h.app.take_notes_window_request());
    CHECK(h.app.zoom() >= 28.0f / 22.0f);  // body text of 28 px and more on stage (22 px base)
}

TEST_CASE("walking the deck again and again keeps memory flat") {
    Headless h;
    const auto lap = [&h] {
        for (std::size_t i = 1; i <= deck_size(); ++i) {
            REQUIRE(h.app.command("slide " + std::to_string(i)));
            for (int k = 0; k < 30; ++k) h.app.command("step");
            h.frame();
        }
    };
    lap();
    const engine::MemoryMark mark;
    for (int i = 0; i < 5; ++i) lap();
    const std::size_t grown = mark.grown();
    MESSAGE("5 more laps of " << deck_size() << " slides grew memory by " << grown / 1024 << " KB");
    CHECK(grown < 8u * 1024 * 1024);
}
