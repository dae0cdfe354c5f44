// Talk mode: every slide renders, the keys walk the deck and back, the models
// table opens its scenes, deep links to slides, notes follow, memory stays flat.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/explorer.hpp"
#include "engine/real_runtime.hpp"
#include "scenes/challenges.hpp"
#include "ui/deep_link.hpp"
#include "tests/ui/headless.hpp"

using namespace such;

namespace {
std::size_t deck_size() { return scenes::deck().size(); }
std::string slide_is(std::size_t n) { return "\"slide\":" + std::to_string(n) + ","; }

// A complete search's result with these outcomes: text, executions, bad.
struct Ended {
    std::string outcome;
    int executions;
    bool bad;
};
engine::ExploreResult explored(std::uint64_t executions, const std::vector<Ended>& outcomes) {
    engine::ExploreResult r;
    r.executions = executions;
    r.complete = true;
    for (const Ended& e : outcomes) {
        engine::Outcome o;
        o.outcome = e.outcome;
        o.executions = static_cast<std::uint64_t>(e.executions);
        o.bad = e.bad;
        r.outcomes.push_back(o);
    }
    return r;
}
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
            CHECK(h.drew_text());
            CHECK(h.has("\"view\":\"talk\""));
            CHECK(h.has(slide_is(i)));
        }
        CHECK(h.app.command("notes"));
        CHECK(h.drew_text());
        CHECK(h.has("\"notes_overlay\":true"));
        CHECK(h.app.command("notes"));
        CHECK(h.app.command("theme"));
    }
}

TEST_CASE("a short run on stage gives the speaker two seconds a step") {
    // Slide 26 (channels that deadlock) is three steps: at the old pace of 1.5 steps a second its deadlock
    // came within two seconds, before a speaker could press the next key (issue 19). The talk's pace
    // (ui/talk.cpp talk_pace) is a run's steps over 20 seconds, never under half a step a second.
    Headless h;
    REQUIRE(h.app.open_link("#slide/26"));
    REQUIRE(h.has("\"beats\":3"));  // a live slide
    for (int f = 0; f < 60 * 3; ++f) h.frame();  // three seconds: the headless frame is 1/60 s
    CHECK(h.has("\"verdict\":\"running\""));
    CHECK_FALSE(h.has("\"step\":3"));
    for (int f = 0; f < 60 * 4; ++f) h.frame();  // seven seconds in all: its three steps are done
    CHECK(h.has("\"verdict\":\"deadlock\""));
}

TEST_CASE("a clicker gives the whole talk in at most 150 presses of Page Down, and Page Up walks back through the same beats") {
    // Issue 19 ("What good looks like: the talk by clicker") sets the bound:
    // slide 1 to the last in at most 150 presses of next.
    constexpr int kClickerBound = 150;
    Headless h;
    REQUIRE(h.app.open_link("#slide/1"));
    h.frame();
    const std::string start = h.app.state_json();
    std::vector<std::pair<std::size_t, std::size_t>> seen{{h.app.slide(), h.app.beat()}};  // (slide, beat) after each press
    while (!h.has(slide_is(deck_size())) && seen.size() <= 1000) {
        REQUIRE(h.app.command("next"));  // what Page Down sends (ui/shell.cpp)
        h.frame();
        seen.emplace_back(h.app.slide(), h.app.beat());
    }
    const int presses = static_cast<int>(seen.size()) - 1;
    MESSAGE("the whole talk is " << presses << " presses of Page Down");
    CHECK(presses <= kClickerBound);
    // A live slide is three beats (its run, its outcome, every schedule), the
    // comparison slide two, any other slide one: the clicker sees each once.
    int beats = 0;
    for (const scenes::Slide& s : scenes::deck()) beats += s.kind == scenes::SlideKind::Live ? 3 : s.kind == scenes::SlideKind::Compare ? 2 : 1;
    CHECK(scenes::deck().back().kind == scenes::SlideKind::Text);  // so arriving on the last slide ends the talk
    CHECK(presses == beats - 1);
    CHECK(h.app.command("next"));  // past the end: nothing happens
    CHECK(h.has(slide_is(deck_size())));
    // Page Up goes back through every beat, in the reverse order.
    for (std::size_t i = seen.size() - 1; i > 0; --i) {
        REQUIRE(h.app.command("prev"));
        h.frame();
        CAPTURE(i);
        CHECK(h.app.slide() == seen[i - 1].first);
        CHECK(h.app.beat() == seen[i - 1].second);
    }
    CHECK(h.app.state_json() == start);
}

TEST_CASE("a live slide plays itself at a talk pace, then shows its outcome, then every schedule; Page Up goes back the same way") {
    Headless h;
    std::size_t race = 0;  // the slide of the talk's foo += 1
    for (std::size_t i = 0; i < deck_size() && !race; ++i) race = scenes::deck()[i].link.starts_with("atomicity/race") ? i + 1 : 0;
    REQUIRE(race > 0);
    REQUIRE(h.app.command("slide " + std::to_string(race)));
    CHECK(h.has("\"beat\":1,\"beats\":3"));
    CHECK(h.has("\"playing\":true"));
    CHECK(h.has("\"step\":0,"));
    for (int f = 0; f < 150; ++f) h.frame();  // two and a half seconds at 60 frames a second: a step takes two at most
    // It moved by itself, and slower than the frames: a person can follow it.
    CHECK_FALSE(h.has("\"step\":0,"));
    CHECK(h.has("\"verdict\":\"running\""));
    REQUIRE(h.app.command("next"));
    CHECK(h.has("\"beat\":2"));
    CHECK(h.has("\"playing\":false"));
    CHECK_FALSE(h.has("\"verdict\":\"running\""));  // the outcome: the run is over
    REQUIRE(h.app.command("next"));
    CHECK(h.has("\"beat\":3"));
    for (int k = 0; k < 2000 && h.app.busy(); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    h.frame();
    // Both of the race's outcomes: both increments land, or one is lost.
    CHECK(h.has("\"outcomes\":[\"foo = 2\",\"foo = 1\"]"));
    CHECK(h.has("\"complete\":true"));
    REQUIRE(h.app.command("prev"));
    CHECK(h.has("\"beat\":2"));
    CHECK(h.has("\"executions\":0,"));  // the search is put away
    REQUIRE(h.app.command("prev"));
    CHECK(h.has("\"beat\":1"));
    CHECK(h.has("\"step\":0,"));
    CHECK(h.has("\"playing\":true"));
    REQUIRE(h.app.command("prev"));
    CHECK(h.has(slide_is(race - 1)));
}

TEST_CASE("Shift skips a slide's beats; Home, End and a typed number jump") {
    Headless h;
    std::size_t live = 0;
    for (std::size_t i = 0; i < deck_size() && !live; ++i) live = scenes::deck()[i].kind == scenes::SlideKind::Live ? i + 1 : 0;
    REQUIRE(h.app.command("slide " + std::to_string(live)));
    REQUIRE(h.app.command("next"));
    CHECK(h.has(slide_is(live)));
    CHECK(h.has("\"beat\":2"));
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

TEST_CASE("speaker notes ask only for what the slide's keys can do") {
    // Issue 19 quotes notes that asked for what talk mode had no key for:
    // "move the cores slider from 1 to 4", "switch to ordered", "find a seed";
    // and controls of the scene page (tabs, buttons, real runs) are not on stage.
    const char* kNoKeyFor[] = {"slider", "switch to", "find a seed", "tab", "button", "click", "drag", "Run on real", "run on real",
                               "Run both", "Explore ", "explore ", "Set ", "set ", "Make ", "make ", "Step ", "right arrow"};
    for (std::size_t i = 0; i < deck_size(); ++i) {
        const std::string notes = scenes::slide_notes(i);
        CAPTURE(i + 1);
        CAPTURE(notes);
        for (const char* words : kNoKeyFor) CHECK(notes.find(words) == std::string::npos);
        // V steps through a parameter: a live slide whose notes press V has one.
        const scenes::Scene* scene = scenes::slide_scene(i);
        if (scenes::deck()[i].kind == scenes::SlideKind::Live && notes.find("V ") != std::string::npos) {
            CHECK(scenes::variant_param(*scene, scenes::deck()[i].vary) != nullptr);
        }
    }
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
        CHECK(h.drew_text());
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
    CHECK(h.app.last_error() == "no slide 0: the talk has slides 1 to " + std::to_string(deck_size()));  // they count from 1
    CHECK_FALSE(h.app.open_link("#challenge/0"));
    CHECK(h.app.last_error() == "no challenge 0: there are challenges 1 to " + std::to_string(scenes::challenges().size()));
    CHECK(h.has(slide_is(13)));  // still the slide this test went to (12, then next): refused links change nothing
    // A link that opens leaves no note of the one refused before it.
    CHECK(h.has("\"note\":\"Could not open link"));
    REQUIRE(h.app.open_link("#talk"));
    CHECK(h.has("\"note\":\"\""));
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

TEST_CASE("the finale: P pauses and plays it, and each explorer cell says what every schedule gave, count by count") {
    Headless h;
    std::size_t finale = 0;
    for (std::size_t i = 0; i < deck_size(); ++i) finale = scenes::deck()[i].kind == scenes::SlideKind::Compare ? i + 1 : finale;
    REQUIRE(finale > 0);
    REQUIRE(h.app.command("slide " + std::to_string(finale)));
    CHECK(h.has("\"compare_playing\":true"));  // it plays itself
    REQUIRE(h.app.command("toggle"));  // what P sends on stage (ui/shell.cpp)
    CHECK(h.app.last_error().empty());
    CHECK(h.has("\"compare_playing\":false"));
    REQUIRE(h.app.command("toggle"));
    CHECK(h.has("\"compare_playing\":true"));
    for (int k = 0; k < 24000 && h.app.busy(); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE_FALSE(h.app.busy());
    h.frame();
    // The explorer run here on the first two models, as the slide does (one increment each).
    const scenes::Slide& slide = scenes::deck()[finale - 1];
    ui::Link link;
    std::string error;
    REQUIRE(ui::parse_link(slide.link, link, error));
    const std::string nbsp = "\xC2\xA0";
    for (int model = 0; model < 2; ++model) {
        scenes::Settings s = scenes::resolved(*link.scene, link.settings);
        s.params[slide.compare] = model;
        s.params["m"] = 1;
        engine::ExploreOptions o;
        o.time_limit_s = 3.0;
        const engine::ExploreResult r = scenes::explore_scene(*link.scene, s, o);
        REQUIRE(r.complete);
        const std::string state = h.app.state_json();
        const auto at = state.find("\"explored\":", state.find("\"model\":" + ui::json_string(scenes::variant_param(*link.scene, slide.compare)->choices[static_cast<std::size_t>(model)])));
        REQUIRE(at != std::string::npos);
        const std::string cell = state.substr(at, state.find('}', at) - at);
        CAPTURE(cell);
        CHECK(cell.find("\"" + std::to_string(r.executions) + " schedules") != std::string::npos);
        if (r.outcomes.size() == 1) {
            CHECK(cell.find("every one ends in " + r.outcomes[0].outcome) != std::string::npos);
            continue;
        }
        CHECK(cell.find("every one") == std::string::npos);  // not all schedules end alike, so the words do not say so
        for (const engine::Outcome& out : r.outcomes) {
            CHECK(cell.find(std::to_string(out.executions) + nbsp) != std::string::npos);
            std::string unbroken = out.outcome;
            for (std::size_t p = unbroken.find(' '); p != std::string::npos; p = unbroken.find(' ', p)) unbroken.replace(p, 1, nbsp);
            CHECK(cell.find(unbroken + (out.bad ? nbsp + "(wrong)" : "")) != std::string::npos);
        }
    }
}

TEST_CASE("a slide's every-schedule line puts the wrong outcomes first and cuts long ones at a word") {
    // Slide 13 ended "... and 1 more outcomes", and the one left out was the worst (a review of the talk).
    const std::string long_one = "counter = 2: two of the four increments were lost because both threads read the counter before either wrote it back";
    const engine::ExploreResult r = explored(21, {{"counter = 4", 10, false}, {"counter = 5", 5, false}, {"counter = 6", 3, false},
                                                  {"counter = 7", 2, false}, {long_one, 1, true}});
    const std::string words = ui::schedules_words(r);
    CAPTURE(words);
    // The long outcome cut at its last space before byte 80, an ellipsis, its "(wrong)"; then the
    // most frequent right one, 10 schedules.
    CHECK(words.starts_with("21 schedules: 1 ends in counter = 2: two of the four increments were lost because both threads read the\xE2\x80\xA6\xC2\xA0(wrong), 10"));
    // Five outcomes are all shown: "and 1 more outcome" takes the room of the one it hides.
    const std::string nbsp = "\xC2\xA0";
    CHECK(words.ends_with(", 2" + nbsp + "in" + nbsp + "counter" + nbsp + "=" + nbsp + "7"));
    CHECK(words.find("more outcome") == std::string::npos);
    CHECK(words.find("characters") == std::string::npos);
}

TEST_CASE("a slide's every-schedule line shows a right outcome when the wrong ones are more than fit") {
    // Slide 13 (the counter, 2 threads of 3 increments) listed four wrong counts and left out "1 more
    // outcome": counter = 6, the only right one (a review of the talk). A sixth outcome (made up here:
    // counter = 1 cannot happen there) makes them more than fit.
    const engine::ExploreResult r = explored(332, {{"counter = 6", 20, false}, {"counter = 3", 8, true}, {"counter = 5", 150, true},
                                                   {"counter = 4", 120, true}, {"counter = 2", 30, true}, {"counter = 1", 4, true}});
    const std::string words = ui::schedules_words(r);
    CAPTURE(words);
    const std::string nbsp = "\xC2\xA0";
    // The wrong ones by count, the last place for the right one; the two rarest wrong ones are left out.
    CHECK(words.find("150 end in counter = 5") == std::string::npos);  // spaces are no-break spaces
    for (const char* shown : {"150", "120", "30", "20"}) CHECK(words.find(std::string(shown) + nbsp) != std::string::npos);
    CHECK(words.find("8" + nbsp + "in") == std::string::npos);
    CHECK(words.find("counter" + nbsp + "=" + nbsp + "6") != std::string::npos);
    CHECK(words.ends_with(", and 2 more outcomes"));
}

TEST_CASE("outcomes with commas of their own are set apart by semicolons") {
    // Slide 30 read "992 end in 6 jobs done, 0 restarts, 48 in 7 jobs done, 1 restart": which count went with which?
    // The counts are this test's own made-up result (992 + 48 = 1,040), not a search's.
    const engine::ExploreResult r = explored(1040, {{"6 of 8 jobs done, no restart", 992, false}, {"8 of 8 jobs done, 1 restart", 48, false}});
    std::string words = ui::schedules_words(r);
    for (std::size_t at; (at = words.find("\xC2\xA0")) != std::string::npos;) words.replace(at, 2, " ");  // short outcomes keep together
    CHECK(words == "1,040 schedules: 992 end in 6 of 8 jobs done, no restart; 48 in 8 of 8 jobs done, 1 restart");
}

TEST_CASE("one schedule is one, not every one") {
    const engine::ExploreResult r = explored(1, {{"deadlock", 1, true}});
    CHECK(ui::schedules_words(r) == "1 schedule, ending in deadlock (wrong)");
    CHECK(ui::schedules_words(r, "deadlock") == "1 schedule, ending as this run did (wrong)");
}

TEST_CASE("every live slide's third beat settles its scene's claim: every schedule, or every one within the scene's preemption bound") {
    // The search of every schedule of basics/parallelism (4 tasks adding 1 to one shared counter 4 times
    // each: 16!/(4!^4) = 63,063,000 orders of the 16 additions, each one schedule to DPOR) cannot finish on stage; within 2 preemptions it
    // does, and says so. stm/bank's whole search (47,884 schedules) fits the stage's 50,000 and stays whole.
    Headless h;
    int bounded = 0;
    for (std::size_t i = 0; i < deck_size(); ++i) {
        if (scenes::deck()[i].kind != scenes::SlideKind::Live) continue;
        CAPTURE(scenes::deck()[i].link);
        REQUIRE(h.app.command("slide " + std::to_string(i + 1)));
        REQUIRE(h.app.command("next"));
        REQUIRE(h.app.command("next"));
        REQUIRE(h.has("\"beat\":3"));
        for (int k = 0; k < 6000 && h.app.busy(); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        h.frame();
        CHECK_FALSE(h.has(": not proved"));
        CHECK_FALSE(h.has("not shown"));
        CHECK(h.has("\"claim\":\"claim \\\""));  // a verdict on the claim is shown
        const scenes::Scene& scene = *scenes::slide_scene(i);
        if (h.has(": true within ")) {
            ++bounded;
            CHECK(scene.proof_bound >= 0);
            CHECK(h.has(": true within " + scenes::counted(scene.proof_bound, "preemption") + " (all such schedules run; not proved beyond)"));
        }
    }
    CHECK(bounded > 0);
}
