// Challenges: every goal is reachable (the explorer finds a schedule) and is
// detected when a player picks that schedule by hand; they unlock in order;
// progress is kept and bad progress files are refused.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "engine/explorer.hpp"
#include "tests/ui/headless.hpp"
#include "ui/deep_link.hpp"

using namespace such;

namespace {
// A schedule that reaches the challenge's goal, found by the explorer.
std::vector<engine::TaskId> winning_schedule(const scenes::Challenge& c) {
    ui::Link link;
    std::string error;
    REQUIRE_MESSAGE(ui::parse_link(c.link, link, error), error);
    const scenes::Scene& scene = *link.scene;
    const scenes::Settings settings = scenes::resolved(scene, link.settings);
    engine::ExploreOptions options;
    options.max_executions = 20000;
    const engine::ExploreResult r = engine::explore([&] { return scenes::explorable(scene, settings, c.reached); }, options);
    for (const engine::Finding& f : r.findings) {
        if (f.kind == "violation" || f.kind == "deadlock") return f.choices;
    }
    return {};
}

// The step at which the schedule first reaches the goal, by the scene and the goal alone (no app).
std::size_t goal_step(const scenes::Challenge& c, const std::vector<engine::TaskId>& schedule) {
    ui::Link link;
    std::string error;
    REQUIRE_MESSAGE(ui::parse_link(c.link, link, error), error);
    auto run = link.scene->build(link.settings);
    for (std::size_t k = 0; k < schedule.size(); ++k) {
        if (c.reached(*run)) return k;
        run->sched().step_task(schedule[k]);
    }
    return schedule.size();
}
}  // namespace

TEST_CASE("every challenge's goal is reachable, and picking that schedule by hand wins it, in order") {
    Headless h;
    const auto& all = scenes::challenges();
    REQUIRE(all.size() >= 5);
    for (std::size_t i = 0; i < all.size(); ++i) {
        CAPTURE(all[i].id);
        const auto schedule = winning_schedule(all[i]);
        REQUIRE_FALSE(schedule.empty());
        REQUIRE(h.app.command("challenge " + std::to_string(i + 1)));
        CHECK(h.app.link() == "#challenge/" + std::to_string(i + 1));
        CHECK(h.has("\"policy\":\"manual\""));
        CHECK(h.has("\"won\":false"));
        for (engine::TaskId t : schedule) REQUIRE(h.app.command("pick " + std::to_string(t)));
        CHECK(h.drew_text());
        CHECK(h.has("\"won\":true"));
        CHECK(h.has("\"solved\":" + std::to_string(i + 1)));
        CHECK(h.app.take_progress_dirty());
        // The win is the step the goal was reached at, what the page records: steps after it (the run of
        // "make the consumer wait" goes on) change neither. Its banner said 19, then 20, for 15 recorded.
        const std::string at = "\"won_at\":" + std::to_string(goal_step(all[i], schedule)) + ",";
        CHECK(h.has(at));
        for (int t = 0; t < 4; ++t) {
            if (h.app.command("pick " + std::to_string(t))) break;
        }
        if (h.has("\"won\":true")) CHECK(h.has(at));
        // The next one has opened (and the one after it has not).
        if (i + 2 < all.size()) {
            CHECK_FALSE(h.app.command("challenge " + std::to_string(i + 3)));
            CHECK(h.app.last_error() == "challenge " + std::to_string(i + 3) + " opens once \"" + all[i + 1].title + "\" is solved");
        }
    }
    const std::string saved = h.app.progress_text();
    for (const auto& c : all) CHECK(saved.find(c.id + " ") != std::string::npos);
    // A fresh player with that file has every challenge open.
    ui::App again;
    std::string error;
    REQUIRE(again.load_progress(saved, error));
    CHECK(again.command("challenge " + std::to_string(all.size())));
}

TEST_CASE("a winning schedule shown by the explorer replays to the goal but does not count as solved") {
    Headless h;
    REQUIRE(h.app.command("challenge 1"));
    REQUIRE(h.app.command("solution"));
    for (int i = 0; i < 200 && h.has("\"won\":false"); ++i) REQUIRE(h.app.command("step"));
    CHECK(h.has("\"won\":true"));
    CHECK(h.has("\"solved\":0"));
    CHECK_FALSE(h.app.take_progress_dirty());
    CHECK(h.drew_text());
}

TEST_CASE("the explorer's findings replayed in a challenge reach its goal but solve nothing; picking the same steps does") {
    Headless h;
    std::string error;
    REQUIRE(h.app.load_progress("lose-an-update 6\n", error));  // challenge 2 is open once challenge 1 is solved
    REQUIRE(h.app.command("challenge 2"));
    REQUIRE(h.app.command("explore"));
    while (h.app.busy()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // Replays each finding (the explorer's lost updates) to its end, until one
    // ends with the counter at 2: the challenge's goal, by the explorer's hand.
    bool reached = false;
    for (int f = 0; f < 8 && !reached && h.app.command("replay " + std::to_string(f)); ++f) {
        for (int i = 0; i < 100 && h.has("\"verdict\":\"running\""); ++i) REQUIRE(h.app.command("step"));
        CHECK(h.has("\"counts\":false"));
        reached = h.has("\"won\":true");
    }
    REQUIRE(reached);
    CHECK(h.has("\"solved\":1"));  // only challenge 1, from the progress file
    CHECK_FALSE(h.app.take_progress_dirty());
    CHECK(h.drew_text());
    // A schedule that reaches the goal, picked by the player step by step, solves it.
    REQUIRE(h.app.command("challenge 2"));
    for (engine::TaskId t : winning_schedule(scenes::challenges()[1])) REQUIRE(h.app.command("pick " + std::to_string(t)));
    CHECK(h.has("\"won\":true"));
    CHECK(h.has("\"counts\":true"));
    CHECK(h.has("\"solved\":2"));
    CHECK(h.app.take_progress_dirty());
}

TEST_CASE("a challenge's hint is shown only when asked for") {
    Headless h;
    REQUIRE(h.app.command("challenge 1"));
    CHECK(h.has("\"hint\":\"\""));
    CHECK(h.drew_text());
    REQUIRE(h.app.command("hint"));
    CHECK(h.has("\"hint\":\"" + scenes::challenges()[0].hint + "\""));
    CHECK(h.drew_text());
    REQUIRE(h.app.command("challenge 1"));  // a fresh attempt starts without it
    CHECK(h.has("\"hint\":\"\""));
    REQUIRE(h.app.command("menu"));
    CHECK_FALSE(h.app.command("hint"));
    CHECK(h.app.last_error() == "open a challenge first");
}

TEST_CASE("a challenge played with other settings wins nothing") {
    Headless h;
    REQUIRE(h.app.command("challenge 1"));
    REQUIRE(h.app.command("policy preemptive"));  // let the scheduler (a seed) do it instead
    for (int seed = 1; seed <= 40 && h.has("\"bad\":false"); ++seed) {
        REQUIRE(h.app.command("seed " + std::to_string(seed)));
        for (int i = 0; i < 20; ++i) h.app.command("step");
    }
    CHECK(h.has("\"bad\":true"));  // a seed lost the update...
    CHECK(h.has("\"won\":false"));  // ...but that is not the player's win
    CHECK(h.has("\"solved\":0"));
    CHECK(h.drew_text());
}

TEST_CASE("challenges are refused when locked or unknown, and the page lists them") {
    Headless h;
    REQUIRE(h.app.open_link("#atomicity/race"));
    REQUIRE(h.app.command("challenges"));
    CHECK(h.has("\"view\":\"challenges\""));
    CHECK(h.app.link() == "#challenges");  // the address follows, so a reload comes back here
    CHECK(h.drew_text());
    CHECK_FALSE(h.app.command("challenge 2"));
    CHECK(h.app.last_error() == "challenge 2 opens once \"" + scenes::challenges()[0].title + "\" is solved");
    CHECK_FALSE(h.app.command("challenge 0"));
    CHECK_FALSE(h.app.command("challenge 42"));
    CHECK_FALSE(h.app.open_link("#challenge/3"));
    CHECK(h.has("\"view\":\"challenges\""));  // a refused link changes nothing
    CHECK(h.app.last_error() == "challenge 3 opens once \"" + scenes::challenges()[1].title + "\" is solved");
    CHECK(h.app.open_link("#challenge/1"));
    CHECK(h.drew_text());
}

TEST_CASE("progress files: what save writes parses back; anything else is refused and changes nothing") {
    scenes::Progress p;
    CHECK(p.record("lose-an-update", 9));
    CHECK_FALSE(p.record("lose-an-update", 12));  // not better
    CHECK(p.record("lose-an-update", 7));
    CHECK(p.unlocked(1));
    CHECK_FALSE(p.unlocked(2));
    scenes::Progress back;
    std::string error;
    REQUIRE(scenes::Progress::parse(p.save(), back, error));
    CHECK(back.best == p.best);
    for (const char* bad : {"lose-an-update seven\n", "no-such-challenge 3\n", "lose-an-update\n", "lose-an-update 99999999999\n"}) {
        CAPTURE(bad);
        scenes::Progress kept = back;
        CHECK_FALSE(scenes::Progress::parse(bad, kept, error));
        CHECK(error.find("line 1 is not '<challenge> <steps>'") == 0);
        CHECK(kept.best == back.best);
    }
}
