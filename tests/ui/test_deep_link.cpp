// Deep links: "#race?seed=7&mutex=1" opens exactly that; bad ones say why.
#include <doctest/doctest.h>

#include "tests/ui/headless.hpp"
#include "ui/deep_link.hpp"

using namespace such;

TEST_CASE("a deep link names the scene, seed, policy and parameters") {
    ui::Link link;
    std::string error;
    REQUIRE(ui::parse_link("#race?seed=7&sync=1&policy=cooperative", link, error));
    CHECK(link.scene->id == "atomicity/race");
    CHECK(link.settings.seed == 7);
    CHECK(link.settings.policy == engine::Policy::Cooperative);
    CHECK(link.settings.params.at("sync") == 1);
    CHECK(ui::make_link(*link.scene, link.settings) == "#atomicity/race?seed=7&policy=cooperative&sync=1&threads=2");
}

TEST_CASE("bad deep links are refused with the reason") {
    ui::Link link;
    std::string error;
    CHECK_FALSE(ui::parse_link("#", link, error));
    CHECK(error == "the link names no scene");
    CHECK_FALSE(ui::parse_link("#race?seed=-3", link, error));
    CHECK(error == "seed must be a non-negative whole number (got '-3')");
    CHECK_FALSE(ui::parse_link("#race?seed=99999999999999999999999", link, error));
    CHECK_FALSE(ui::parse_link("#race?threads=100", link, error));
    CHECK(error == "parameter 'threads' must be between 2 and 4 (got 100)");
    CHECK_FALSE(ui::parse_link("#race?policy=replay", link, error));
    CHECK_FALSE(ui::parse_link("#race?sync", link, error));
    CHECK(error == "parameter 'sync' needs a whole number (got '')");
}

TEST_CASE("a bad link is quoted short in its message, whatever its length or bytes") {
    ui::Link link;
    std::string error;
    // 10,000 is the input's own length; 40 characters is what scenes::shown
    // promises to quote (scenes/scene.hpp).
    CHECK_FALSE(ui::parse_link("#" + std::string(10000, 'x'), link, error));
    CHECK(error == "no scene called '" + std::string(40, 'x') + "... (10,000 characters)'");
    CHECK_FALSE(ui::parse_link("#race?seed=" + std::string(20000, '9'), link, error));
    CHECK(error == "seed must be a non-negative whole number (got '" + std::string(40, '9') + "... (20,000 characters)')");
    // Bytes that are not printable UTF-8 are shown as '?'; whole characters as they are.
    CHECK_FALSE(ui::parse_link("#r\xff\x01" "ce", link, error));
    CHECK(error == "no scene called 'r??ce'");
    CHECK_FALSE(ui::parse_link("#r\xc3\xa4" "ce", link, error));
    CHECK(error == "no scene called 'r\xc3\xa4" "ce'");
}

TEST_CASE("a key given twice is refused; empty pairs are skipped") {
    ui::Link link;
    std::string error;
    CHECK_FALSE(ui::parse_link("#race?seed=1&seed=2", link, error));
    CHECK(error == "the link gives 'seed' twice");
    CHECK_FALSE(ui::parse_link("#race?sync=1&threads=3&sync=0", link, error));
    CHECK(error == "the link gives 'sync' twice");
    ui::PlayLink play;
    CHECK_FALSE(ui::parse_play_link("#play?code=Zm9v&code=YmFy", play, error));
    CHECK(error == "the link gives 'code' twice");
    REQUIRE(ui::parse_link("#race?&seed=4&&sync=1&", link, error));
    CHECK(link.settings.seed == 4);
    CHECK(link.settings.params.at("sync") == 1);
}

TEST_CASE("a link carries the step and a manual run's picks: \"look at step 3\" opens exactly that run at step 3") {
    Headless h;
    REQUIRE(h.app.open_link("#race?seed=7&policy=manual"));
    // Be the scheduler: T1 reads, T2 reads, T2 adds one (tasks 0 and 1).
    for (const char* pick : {"pick 0", "pick 1", "pick 1"}) REQUIRE(h.app.command(pick));
    const std::string shared = h.app.link();
    CHECK(shared.ends_with("&step=3&choices=0,1,1"));
    const std::string state = h.app.state_json();
    Headless other;  // someone who opens the shared link
    REQUIRE(other.app.open_link(shared));
    // The same step, trace, tasks and objects; the picks were the sender's, so
    // like a replayed trace they would solve no challenge ("counts").
    std::string same = state;
    const std::string own = "\"counts\":true";
    REQUIRE(same.find(own) != std::string::npos);
    same.replace(same.find(own), own.size(), "\"counts\":false");
    CHECK(other.app.state_json() == same);
    CHECK(other.app.link() == shared);
    // Stepping back shares the earlier step and keeps the picks to step forward again.
    REQUIRE(other.app.command("back"));
    CHECK(other.app.link().ends_with("&step=2&choices=0,1"));
    REQUIRE(other.app.open_link("#race?seed=7&step=2"));  // a scheduler's run: the seed decides, the step is where to look
    CHECK(other.has("\"step\":2,"));
    // A run of one pick is written once ("0x5", as such run --replay takes it) and opens the same run.
    Headless third;
    REQUIRE(third.app.open_link("#counter?m=3&policy=manual"));
    for (const char* pick : {"pick 0", "pick 0", "pick 0", "pick 0", "pick 0", "pick 1"}) REQUIRE(third.app.command(pick));
    CHECK(third.app.link().ends_with("&step=6&choices=0x5,1"));
    Headless fourth;
    REQUIRE(fourth.app.open_link(third.app.link()));
    CHECK(fourth.app.link() == third.app.link());
    CHECK(fourth.has("\"step\":6,"));
    // Picks that cannot be replayed are refused and change nothing: T1 has three
    // steps (read, add, write: the race's listing), so a fourth pick of it cannot be.
    CHECK_FALSE(other.app.open_link("#race?seed=7&policy=manual&choices=0,0,0,0,0"));
    CHECK(other.app.last_error().find("the link's choices do not replay: choice 4 of 5") == 0);
    CHECK_FALSE(other.app.open_link("#race?seed=7&choices=0"));
    CHECK(other.app.last_error() == "choices are the picks of a manual run (add policy=manual)");
    CHECK(other.has("\"step\":2,"));
}
