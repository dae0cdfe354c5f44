// Opening a trace in the app: the recorded run at its last step, with time
// travel; a saved trace reopens; a bad file says where and changes nothing.
#include <cstdio>
#include <filesystem>

#include "headless.hpp"
#include "scenes/program.hpp"
#include "scenes/trace_replay.hpp"

using namespace such;

namespace {
struct Recorded {
    std::string file;
    std::uint64_t steps;
    std::uint64_t hash;
};
Recorded record(const scenes::Scene& scene, std::uint64_t seed) {
    scenes::Settings s;
    s.seed = seed;
    auto run = scene.build(s);
    run->sched().run();
    return {scenes::trace_file(scene, s, *run), run->sched().steps(), run->rt().trace().hash()};
}
std::string step_is(std::uint64_t n) { return "\"step\":" + std::to_string(n) + ","; }
std::string hash_is(std::uint64_t h) { return "\"trace_hash\":\"" + std::to_string(h) + "\""; }
}  // namespace

TEST_CASE("a trace opens at its last step, and steps back and forward along its recorded run") {
    Headless h;
    const Recorded r = record(*scenes::find_scene("stm/bank"), 3);
    REQUIRE_MESSAGE(h.app.command("trace-text " + r.file), h.app.last_error());
    h.frame();
    CHECK(h.has("\"scene\":\"stm/bank\""));
    CHECK(h.has(step_is(r.steps)));
    CHECK(h.has(hash_is(r.hash)));  // the same events as the recorded run
    CHECK(h.has("opened the trace from the page"));
    REQUIRE(h.app.command("back"));
    REQUIRE(h.app.command("back"));
    CHECK(h.has(step_is(r.steps - 2)));
    REQUIRE(h.app.command("step"));
    REQUIRE(h.app.command("step"));
    CHECK(h.has(step_is(r.steps)));
    CHECK(h.has(hash_is(r.hash)));
    h.frame();
}

TEST_CASE("a program's trace opens in the playground with its text") {
    Headless h;
    const scenes::Example* e = scenes::find_example("philosophers");
    REQUIRE(e != nullptr);
    const Recorded r = record(scenes::program_scene(e->text), 2);
    REQUIRE_MESSAGE(h.app.command("trace-text " + r.file), h.app.last_error());
    h.frame();
    CHECK(h.has("\"scene\":\"play\""));
    CHECK(h.has(step_is(r.steps)));
    CHECK(h.has(hash_is(r.hash)));
    CHECK(h.app.program_text() == e->text);
}

TEST_CASE("the open run saves as a trace file that opens again to the same step and events") {
    Headless h;
    REQUIRE(h.app.command("open #race?seed=7"));
    for (int i = 0; i < 4; ++i) REQUIRE(h.app.command("step"));
    const std::string before = h.app.state_json();
    const auto path = std::filesystem::temp_directory_path() / "such_test_saved.trace.jsonl";
    REQUIRE_MESSAGE(h.app.command("save-trace " + path.string()), h.app.last_error());
    REQUIRE(h.app.command("open #race?seed=9"));
    REQUIRE_MESSAGE(h.app.command("trace " + path.string()), h.app.last_error());
    const auto hash_at = before.find("\"trace_hash\"");
    CHECK(h.has(step_is(4)));
    CHECK(h.has(before.substr(hash_at, before.find(',', hash_at) - hash_at)));
    std::filesystem::remove(path);
}

TEST_CASE("a bad trace says where it is wrong and leaves the open run as it was") {
    Headless h;
    REQUIRE(h.app.command("open #race?seed=2"));
    REQUIRE(h.app.command("step"));
    const std::string before = h.app.state_json();
    const Recorded r = record(*scenes::find_scene("atomicity/race"), 5);
    const std::string bad_cases[] = {
        "not a trace",
        r.file.substr(0, r.file.size() / 2),                        // cut in the middle of a line
        r.file.substr(0, r.file.find('\n')) + "\n{\"step\":0}\n",  // an event with fields missing
    };
    for (const std::string& bad : bad_cases) {
        CHECK_FALSE(h.app.command("trace-text " + bad));
        CHECK(h.app.last_error().find("line ") != std::string::npos);
        CHECK(h.app.last_error().find("(column ") != std::string::npos);
    }
    CHECK_FALSE(h.app.command("trace /no/such/file.jsonl"));
    CHECK(h.app.last_error().find("no such file") != std::string::npos);
    // Everything but the note (which says what went wrong) is as it was.
    const auto without_note = [](const std::string& state) {
        const auto at = state.find("\"note\":");
        return state.substr(0, at) + state.substr(state.find(",\"", at + 7));
    };
    CHECK(without_note(h.app.state_json()) == without_note(before));
    CHECK(h.has("Could not open the trace"));
    h.frame();
}
