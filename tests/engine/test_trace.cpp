// The trace: JSON lines out and back in; malformed files are refused with the
// line number and leave the trace as it was.
#include <doctest/doctest.h>

#include "scenes/scene.hpp"

using namespace such;
using engine::Trace;

namespace {
Trace race_trace(std::uint64_t seed) {
    scenes::Settings s;
    s.seed = seed;
    s.params = {{"sync", 1}, {"threads", 3}};
    auto run = scenes::find_scene("race")->build(s);
    run->sched().run();
    return run->sched().trace();
}
}  // namespace

TEST_CASE("a trace exported and imported is identical") {
    const Trace original = race_trace(4);
    Trace back;
    std::string error;
    REQUIRE_MESSAGE(Trace::from_jsonl(original.to_jsonl(), back, error), error);
    CHECK(back.to_jsonl() == original.to_jsonl());
    CHECK(back.hash() == original.hash());
}

TEST_CASE("malformed trace lines are refused with the line number, changing nothing") {
    const Trace keep = race_trace(2);
    const std::string good = keep.to_jsonl();
    const auto first_nl = good.find('\n');
    const std::string line1 = good.substr(0, first_nl + 1);
    struct Bad {
        std::string text;
        std::string error;
    };
    const Bad cases[] = {
        {line1 + "not json\n", "line 2: expected '{' (column 1)"},
        {line1 + line1 + "{\"step\":1}\n", "line 3: missing fields (need step, time, core, task, object, kind, value, detail) (column 11)"},
        {"{\"step\":\"one\",\"time\":0,\"core\":0,\"task\":0,\"object\":0,\"kind\":\"read\",\"value\":0,\"detail\":\"\"}\n",
         "line 1: field \"step\" must be a whole number (column 9)"},
        {"{\"step\":0,\"time\":0,\"core\":0,\"task\":0,\"object\":0,\"kind\":\"teleport\",\"value\":0,\"detail\":\"\"}\n",
         "line 1: unknown event kind \"teleport\" (column 66)"},
        {"{\"step\":0,\"step\":0}\n", "line 1: field \"step\" appears twice (column 18)"},
        {"{\"step\":0,\"time\":0,\"core\":0,\"task\":0,\"object\":0,\"kind\":\"read\",\"value\":0,\"detail\":\"x\",\"extra\":1}\n",
         "line 1: unknown field \"extra\" (column 94)"},
        {"{\"step\":0,\"time\":0,\"core\":0,\"task\":0,\"object\":0,\"kind\":\"read\",\"value\":0,\"detail\":\"unterminated}\n",
         "line 1: field \"detail\" must be a string (column 96)"},
    };
    for (const Bad& b : cases) {
        Trace target = keep;
        std::string error;
        CHECK_FALSE(Trace::from_jsonl(b.text, target, error));
        CHECK(error == b.error);
        CHECK(target.to_jsonl() == good);
    }
}

TEST_CASE("blank lines in a trace file are skipped") {
    const Trace original = race_trace(9);
    Trace back;
    std::string error;
    REQUIRE(Trace::from_jsonl("\n" + original.to_jsonl() + "\n\n", back, error));
    CHECK(back.size() == original.size());
}
