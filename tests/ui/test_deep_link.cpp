// Deep links: "#race?seed=7&mutex=1" opens exactly that; bad ones say why.
#include <doctest/doctest.h>

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
