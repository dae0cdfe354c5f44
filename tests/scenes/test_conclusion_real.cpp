// The conclusion's counter on real threads (native only: the browser's build
// may have no threads): every model but the unlocked one counts every increment.
#include <doctest/doctest.h>

#include <string>

#include "scenes/scene.hpp"

using namespace such;

TEST_CASE("conclusion counter on real threads: a mutex, a transaction, a channel, an actor and an event loop count every increment") {
    const scenes::Scene& scene = *scenes::find_scene("conclusion/one_counter");
    for (int model = 1; model < 6; ++model) {
        CAPTURE(model);
        scenes::Settings s;
        s.runtime = scenes::RuntimeKind::Real;
        s.params = {{"model", model}, {"workers", 2}, {"m", 1}};
        REQUIRE(scenes::check_settings(scene, s).empty());
        auto run = scene.build(s);
        run->real().run();
        CHECK(run->real().failure().empty());
        const scenes::Outcome out = run->outcome();
        CHECK(out.over);
        CHECK_FALSE(out.bad);
        CHECK(out.headline.find("every increment counted") != std::string::npos);
        const auto of = out.headline.find(" of ");
        REQUIRE(of != std::string::npos);
        CHECK(out.headline.substr(0, of) == "count = " + out.headline.substr(of + 4, out.headline.find(':') - of - 4));
        std::string total = out.headline.substr(of + 4, out.headline.find(':') - of - 4);
        std::erase(total, ',');
        CHECK(std::stoll(total) >= 20000);  // really scaled up: 2 workers x at least 10,000
    }
}

TEST_CASE("conclusion counter on real threads: shared memory, the lock and the transaction on a thread each, the channel and the actor on two green workers") {
    // The models as their programmers run them (scenes/conclusion_counter.cpp):
    // 1:1 threads as in C++, M:N green threads as in Go and Erlang.
    const scenes::Scene& scene = *scenes::find_scene("conclusion/one_counter");
    const int expected[] = {0, 0, 0, 2, 2, 0};
    for (int model = 0; model < 6; ++model) {
        CAPTURE(model);
        scenes::Settings s;
        s.params = {{"model", model}};
        CHECK(scenes::resolved(scene, s).workers == expected[model]);
        s.workers = 1;  // asked for: kept
        CHECK(scenes::resolved(scene, s).workers == 1);
    }
}

TEST_CASE("conclusion counter on real threads: without a lock the count never goes past the increments made") {
    scenes::Settings s;
    s.runtime = scenes::RuntimeKind::Real;
    s.params = {{"model", 0}, {"workers", 2}, {"m", 1}};
    auto run = scenes::find_scene("conclusion/one_counter")->build(s);
    run->real().run();
    CHECK(run->real().failure().empty());
    const std::string headline = run->outcome().headline;
    CHECK(headline.rfind("count = ", 0) == 0);
    CHECK(std::stoll(headline.substr(8)) <= 200000);
}
