// Trace files reopen: every scene's run, written with its header, re-runs
// along its choices to the same events; broken files say where and change
// nothing; a trace of one program does not open as another.
#include <doctest/doctest.h>

#include <algorithm>

#include "scenes/program.hpp"
#include "scenes/trace_replay.hpp"

using namespace such;

namespace {
std::string run_to_file(const scenes::Scene& scene, const scenes::Settings& s, std::size_t steps = 3000) {
    auto run = scene.build(s);
    run->sched().run(steps);
    return scenes::trace_file(scene, s, *run);
}
}  // namespace

TEST_CASE("every scene's trace reopens: the re-run along its choices gives the same events, for several seeds and policies") {
    std::size_t reopened = 0;
    for (const scenes::Scene& scene : scenes::catalogue()) {
        for (std::uint64_t seed : {1u, 5u}) {
            scenes::Settings s;
            s.seed = seed;
            s.policy = seed == 5 ? engine::Policy::Cooperative : engine::Policy::Preemptive;
            s.cores = seed == 5 ? 2 : 1;
            auto run = scene.build(s);
            run->sched().run(3000);
            const std::string file = scenes::trace_file(scene, s, *run);
            scenes::Reopened re;
            std::string error;
            INFO(scene.id, " seed ", seed);
            REQUIRE_MESSAGE(scenes::reopen_trace(file, re, error), error);
            CHECK(re.first_difference == scenes::Reopened::kSame);
            CHECK(re.recorded.size() == run->rt().trace().size());
            CHECK(re.run->rt().trace().hash() == run->rt().trace().hash());
            CHECK(re.run->outcome().headline == run->outcome().headline);
            ++reopened;
        }
    }
    CHECK(reopened == 2 * scenes::catalogue().size());
}

TEST_CASE("a run that keeps only its latest events and choices has the same hash, counts, outcome and trace file as one that keeps all") {
    // The window is tiny so that every scene's run lets most events go; the
    // run that keeps all is the reference (the definition of the hash and the
    // counts is over every event).
    constexpr std::size_t kWindow = 2;
    std::size_t trimmed = 0, choices_trimmed = 0;
    for (const scenes::Scene& scene : scenes::catalogue()) {
        scenes::Settings s;
        s.seed = 3;
        s.policy = engine::Policy::Preemptive;
        auto all = scene.build(s);
        auto kept = scene.build(s);
        kept->sched().keep_last_events(kWindow);
        kept->sched().keep_last_choices(kWindow);
        all->sched().run(3000);
        kept->sched().run(3000);
        // The choices: as many steps, the latest ones the same, fewer than twice the window kept.
        const engine::ChoiceLog& ca = all->sched().choices();
        const engine::ChoiceLog& ck = kept->sched().choices();
        CHECK(ck.size() == ca.size());
        CHECK(ck.size() - ck.forgotten() < 2 * kWindow);
        CHECK(std::equal(ck.begin(), ck.end(), ca.begin() + static_cast<std::ptrdiff_t>(ck.forgotten())));
        // Twice the window kept drops the oldest to the window: after n steps
        // (n of 4 or more) 2 kept when n is even, 3 when odd.
        const std::size_t n = ca.size();
        CHECK(ck.forgotten() == (n < 2 * kWindow ? 0 : n - kWindow - n % 2));
        choices_trimmed += ck.forgotten() > 0;
        const engine::Trace& a = all->rt().trace();
        const engine::Trace& k = kept->rt().trace();
        INFO(scene.id);
        CHECK(k.total() == a.size());
        CHECK(k.forgotten() + k.size() == a.size());
        CHECK(k.size() < 2 * kWindow);
        CHECK(k.hash() == a.hash());
        for (int kind = 0; kind < engine::kEventKinds; ++kind) {
            const auto ek = static_cast<engine::EventKind>(kind);
            CHECK(k.count(ek) == a.count(ek));
            CHECK(k.count(ek, 0) == a.count(ek, 0));
        }
        REQUIRE(k.size() <= a.size());
        for (std::size_t i = 0; i < k.size(); ++i) {
            CHECK(scenes::same_event(k.events()[i], k, a.events()[a.size() - k.size() + i], a));
        }
        CHECK(kept->outcome().headline == all->outcome().headline);
        // The file of the run that let events and choices go is written by running its settings again.
        CHECK(scenes::trace_file(scene, s, *kept) == scenes::trace_file(scene, s, *all));
        trimmed += k.forgotten() > 0;
    }
    CHECK(trimmed == scenes::catalogue().size());  // every scene makes 4 events or more in its run
    CHECK(choices_trimmed == scenes::catalogue().size() - 1);  // all but csp/deadlock, which deadlocks after 2 steps
}

TEST_CASE("a program's trace carries its text and reopens with its labels and printed lines") {
    const scenes::Scene scene = scenes::program_scene(scenes::find_example("counter_race")->text);
    scenes::Settings s;
    s.seed = 11;
    const std::string file = run_to_file(scene, s);
    CHECK(file.find("\"program\":") != std::string::npos);
    scenes::Reopened re;
    std::string error;
    REQUIRE_MESSAGE(scenes::reopen_trace(file, re, error), error);
    CHECK(re.first_difference == scenes::Reopened::kSame);
    CHECK(re.scene.id == "play");
}

TEST_CASE("a changed event is found: the first difference is where it was changed") {
    scenes::Settings s;
    s.seed = 7;
    std::string file = run_to_file(*scenes::find_scene("atomicity/race"), s);
    const auto at = file.find("\"kind\":\"write\",\"value\":1");
    REQUIRE(at != std::string::npos);
    file.replace(at, 24, "\"kind\":\"write\",\"value\":9");
    // The changed line is the event after as many newlines as precede it, less the header's.
    const auto event_index = static_cast<std::size_t>(std::count(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(at), '\n')) - 1;
    scenes::Reopened re;
    std::string error;
    REQUIRE(scenes::reopen_trace(file, re, error));
    CHECK(re.first_difference == event_index);
}

TEST_CASE("a truncated or corrupted trace file says line and column and changes nothing") {
    scenes::Settings s;
    s.seed = 3;
    const std::string good = run_to_file(*scenes::find_scene("threads/philosophers"), s);
    scenes::Reopened kept;
    std::string error;
    REQUIRE(scenes::reopen_trace(good, kept, error));
    const scenes::Run* before = kept.run.get();
    // Cut inside each of the first lines, and flip a field name.
    std::size_t refused = 0;
    for (std::size_t cut : {good.find('\n') / 2, good.find('\n') + 20, good.size() / 2 + 7}) {
        std::string bad = good.substr(0, cut);
        if (bad.back() == '}') bad.pop_back();
        INFO("cut at ", cut);
        CHECK_FALSE(scenes::reopen_trace(bad, kept, error));
        CHECK(error.rfind("line ", 0) == 0);
        CHECK(error.find("(column ") != std::string::npos);
        ++refused;
    }
    std::string flipped = good;
    flipped.replace(flipped.find("\"seed\""), 6, "\"sead\"");
    CHECK_FALSE(scenes::reopen_trace(flipped, kept, error));
    CHECK(error.find("line 1: unknown header field \"sead\"") == 0);
    CHECK(kept.run.get() == before);
    CHECK(refused == 3);
}

TEST_CASE("a trace of one scene does not open as another, nor as a changed program") {
    scenes::Settings s;
    const std::string race = run_to_file(*scenes::find_scene("atomicity/race"), s);
    // Same parameters' names would be needed to get that far: give the counter scene's.
    std::string as_counter = race;
    const auto head_end = as_counter.find('\n');
    std::string header = as_counter.substr(0, head_end);
    header.replace(header.find("atomicity/race"), 14, "threads/counter");
    as_counter = header + as_counter.substr(head_end);
    scenes::Reopened re;
    std::string error;
    CHECK_FALSE(scenes::reopen_trace(as_counter, re, error));
    CHECK(error.find("threads/counter") != std::string::npos);

    const scenes::Scene prog = scenes::program_scene("local x = shared(0)\ngo(function() x.value = 1 end)\n");
    std::string file = run_to_file(prog, s);
    file.replace(file.find("local x"), 7, "local y");
    CHECK_FALSE(scenes::reopen_trace(file, re, error));
    CHECK(error.find("another program") != std::string::npos);
    CHECK(re.run == nullptr);
}
