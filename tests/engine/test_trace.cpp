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
    // Columns count from 1 at the line's first character.
    const Bad cases[] = {
        {line1 + "not json\n", "line 2: expected '{' (column 1)"},
        {line1 + line1 + "{\"step\":1}\n", "line 3: missing fields (need step, time, core, task, object, kind, value) (column 11)"},
        {"{\"step\":\"one\",\"time\":0,\"core\":0,\"task\":0,\"object\":0,\"kind\":\"read\",\"value\":0}\n",
         "line 1: field \"step\" must be a whole number (column 9)"},
        {"{\"step\":0,\"time\":0,\"core\":0,\"task\":0,\"object\":0,\"kind\":\"teleport\",\"value\":0}\n",
         "line 1: unknown event kind \"teleport\" (column 66)"},
        {"{\"step\":0,\"step\":0}\n", "line 1: field \"step\" appears twice (column 18)"},
        {"{\"step\":0,\"time\":0,\"core\":0,\"task\":0,\"object\":0,\"kind\":\"read\",\"value\":0,\"extra\":1}\n",
         "line 1: unknown field \"extra\" (column 81)"},
        {"{\"step\":0,\"time\":0,\"core\":0,\"task\":0,\"object\":0,\"kind\":\"read\",\"value\":0,\"label\":\"unterminated}\n",
         "line 1: field \"label\" must be a string (column 95)"},
        {"{\"step\":0,\"time\":0,\"core\":0,\"task\":0,\"object\":0,\"kind\":\"read\",\"value\":0,\"note\":\"loud\"}\n",
         "line 1: unknown note \"loud\" (column 86)"},
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

namespace {
// FNV-1a written here from its definition (Fowler, Noll, Vo: offset basis
// 14695981039346656037, prime 1099511628211), over each field as 8
// little-endian bytes and each label as its length then its bytes; not the
// engine's code.
std::uint64_t fnv_of_fields(const Trace& t) {
    std::uint64_t h = 14695981039346656037ull;
    const auto put = [&](std::uint64_t v) {
        for (int i = 0; i < 8; ++i) {
            h ^= (v >> (8 * i)) & 0xff;
            h *= 1099511628211ull;
        }
    };
    for (const engine::Event& e : t.events()) {
        for (std::uint64_t v : {e.step, e.time, std::uint64_t(e.core), std::uint64_t(e.task), std::uint64_t(e.object), std::uint64_t(e.kind),
                                std::uint64_t(e.value), std::uint64_t(e.args.note), std::uint64_t(e.args.arg1), std::uint64_t(e.args.arg2),
                                std::uint64_t(e.args.arg3)}) {
            put(v);
        }
        if (e.args.label < 0) {
            put(~0ull);
            continue;
        }
        const std::string& text = t.label(e.args.label);
        put(text.size());
        for (unsigned char c : text) {
            h ^= c;
            h *= 1099511628211ull;
        }
    }
    return h;
}
}  // namespace

TEST_CASE("a trace is data: its file holds no sentence, and its hash covers its fields only") {
    const Trace t = race_trace(4);
    CHECK(t.hash() == fnv_of_fields(t));
    const std::string file = t.to_jsonl();
    CHECK(file.find("reads") == std::string::npos);
    CHECK(file.find("writes") == std::string::npos);
    CHECK(file.find("detail") == std::string::npos);
    // The race's compute steps carry their expression as a label, kept once.
    CHECK(t.label_count() >= 1);
    CHECK(t.count(engine::EventKind::Compute) > t.label_count());
}
