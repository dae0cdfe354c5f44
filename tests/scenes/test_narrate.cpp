// The formatter: every event of every scene has a sentence, formatting
// changes nothing in the trace, and the words name what the event records.
#include <doctest/doctest.h>

#include "scenes/narrate.hpp"
#include "scenes/program.hpp"
#include "scenes/scene.hpp"

using namespace such;

TEST_CASE("every event of every scene's run reads as a sentence, and formatting leaves the trace and its hash as they were") {
    std::size_t scenes_seen = 0;
    for (const scenes::Scene& scene : scenes::catalogue()) {
        for (std::uint64_t seed : {1u, 2u}) {
            scenes::Settings s;
            s.seed = seed;
            auto run = scene.build(s);
            run->sched().run(3000);
            const auto& trace = run->rt().trace();
            const std::uint64_t before = trace.hash();
            const std::string file = trace.to_jsonl();
            for (const engine::Event& e : trace.events()) {
                const std::string words = scenes::sentence(e, *run);
                INFO(scene.id, " step ", e.step, " ", engine::to_string(e.kind), "/", engine::to_string(e.args.note));
                CHECK_FALSE(words.empty());
                // Labels are the only texts in a trace, and no label is a sentence of ours.
                CHECK(words.find("task -") == std::string::npos);
                CHECK(words.find("object -") == std::string::npos);
            }
            CHECK(trace.hash() == before);
            CHECK(trace.to_jsonl() == file);
        }
        ++scenes_seen;
    }
    CHECK(scenes_seen == scenes::catalogue().size());
}

TEST_CASE("the race's sentences say what each step read, computed and wrote") {
    scenes::Settings s;
    s.seed = 7;
    s.policy = engine::Policy::Cooperative;
    auto run = scenes::find_scene("atomicity/race")->build(s);
    run->sched().run();
    std::vector<std::string> said;
    for (const engine::Event& e : run->rt().trace().events()) {
        if (e.task == 0 && e.kind != engine::EventKind::Spawn) said.push_back(scenes::sentence(e, *run));
    }
    // Cooperative: T1 runs foo += 1 alone from foo = 0 (the talk's slide: read, compute, write).
    REQUIRE(said.size() >= 4);
    CHECK(said[0] == "reads foo = 0");
    CHECK(said[1] == "TMP = TMP + 1 = 1");
    CHECK(said[2] == "writes foo = 1");
    CHECK(said.back() == "finishes");
}

TEST_CASE("a program's values read as Lua values in its sentences, not as handles") {
    scenes::Settings s;
    auto run = scenes::program_scene("local ch = channel(1)\nch:send(\"hi\")\nch:send({1, 2})\n").build(s);
    run->sched().run();
    std::vector<std::string> sends;
    for (const engine::Event& e : run->rt().trace().events()) {
        if (e.kind == engine::EventKind::ChanSend || e.kind == engine::EventKind::ChanWait) sends.push_back(scenes::sentence(e, *run));
    }
    REQUIRE(sends.size() == 2);
    CHECK(sends[0].find("puts \"hi\" in ") == 0);
    CHECK(sends[1].find("{1, 2}") != std::string::npos);
}
