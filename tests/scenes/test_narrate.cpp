// The formatter: every event of every scene has a sentence, formatting
// changes nothing in the trace, and the words name what the event records.
#include <doctest/doctest.h>

#include "engine/actor.hpp"
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

TEST_CASE("a program's messages read as Lua values in its mailboxes, as in its sentences") {
    // The actor view's chips are message_words of each message waiting (ui/view_actors.cpp); they showed
    // a table or a string as its handle's number ("val(-9223372036854775807)").
    scenes::Settings s;
    auto run = scenes::program_scene("local sink = spawn(\"sink\", function() receive(\"never\") end)\n"
                                     "send(sink, {\"val\", 2})\nsend(sink, \"plain\")\nsend(sink, {\"nested\", {1, 2}})\n")
                   .build(s);
    run->sched().run(100);
    const engine::Mailbox* box = nullptr;
    for (std::size_t i = 0; i < run->rt().object_count(); ++i) {
        const engine::Object& o = run->rt().object(static_cast<engine::ObjectId>(i));
        if (o.kind() == engine::ObjectKind::Mailbox && o.name().find("sink") != std::string::npos) box = static_cast<const engine::Mailbox*>(&o);
    }
    REQUIRE(box != nullptr);
    std::vector<std::string> chips;
    for (const engine::Message& m : box->messages()) chips.push_back(scenes::message_words(*run, m.tag, m.value, m.note));
    // What the program sent, written as Lua writes it (scenes/PROGRAMS.md: a message's tag is its first element).
    CHECK(chips == std::vector<std::string>{"val({\"val\", 2})", "plain(\"plain\")", "nested({\"nested\", {1, 2}})"});
}

TEST_CASE("a cycle's story goes round the engine's waits from the first task, naming each lock's holder") {
    // Three philosophers who each took their left fork (the naive strategy): the engine gives the cycle
    // as data, the story says it link by link, starting and ending at the same philosopher.
    scenes::Settings s;
    s.params = {{"n", 3}, {"strategy", 0}};
    bool found = false;
    for (std::uint64_t seed = 1; seed <= 200 && !found; ++seed) {
        s.seed = seed;
        auto run = scenes::find_scene("philosophers")->build(s);
        run->sched().run(20000);
        if (run->sched().verdict() != engine::Verdict::Deadlock) continue;
        found = true;
        const engine::DeadlockWaits d = run->sched().deadlock_waits();
        REQUIRE(d.cycle);
        REQUIRE(d.waits.size() == 3);
        std::string expected = "deadlock cycle: " + run->sched().task_name(d.waits[0].task);
        for (const engine::BlockedWait& w : d.waits) {
            CHECK(w.holder == d.waits[(&w - d.waits.data() + 1) % 3].task);  // each waits for the next one's fork
            expected += " -> waits for " + run->sched().object(w.object).name() + " -> held by " + run->sched().task_name(w.holder);
        }
        CHECK(scenes::deadlock_story(run->sched()) == expected);
        CHECK(expected.rfind("deadlock cycle: P", 0) == 0);
        CHECK(run->outcome().headline == expected);  // the scene's outcome says the same words
    }
    CHECK(found);
}

TEST_CASE("a deadlock's story says what each task waits for, never the task itself") {
    const auto headline = [](const char* text) {
        scenes::Settings s;
        auto run = scenes::program_scene(text).build(s);
        run->sched().run(1000);
        return run->outcome().headline;
    };
    // An actor waits in its own mailbox: the story said "sink waits for sink".
    CHECK(headline("local sink = spawn(\"sink\", function() receive(\"never\") end)\nsend(sink, {\"other\"})\n") ==
          "deadlock: every live task is blocked: sink waits for a message");
    // A task in await was left out of the story ("every live task is blocked:" and nothing after).
    CHECK(headline("local x = shared(0)\ngo(\"waiter\", function() await(function() return x.value == 5 end) end)\n") ==
          "deadlock: every live task is blocked: waiter waits in await for a condition nothing will make true; x = 0");
}

namespace {
// Steps the run one step at a time; after each, every task the step's events
// speak of is blocked exactly when its last event says it waits.
void check_waits_against_states(scenes::Run& run, const std::string& what, std::size_t& checked) {
    auto& sched = run.sched();
    const auto& events = sched.trace().events();
    std::size_t seen = events.size();
    for (int i = 0; i < 3000; ++i) {
        const std::uint64_t moves = sched.clock_moves();
        if (!sched.step()) break;
        std::vector<const engine::Event*> last(sched.task_count(), nullptr);
        for (std::size_t k = seen; k < events.size(); ++k) {
            const engine::Event& e = events[k];
            if (e.task >= 0 && static_cast<std::size_t>(e.task) < last.size()) last[static_cast<std::size_t>(e.task)] = &e;
        }
        seen = events.size();
        for (std::size_t t = 0; t < last.size(); ++t) {
            if (!last[t]) continue;
            const engine::Event& e = *last[t];
            const auto state = sched.task(static_cast<engine::TaskId>(t)).state;
            if (state == engine::TaskState::Done) continue;
            INFO(what, " step ", e.step, " task ", sched.task_name(static_cast<int>(t)), ": ", engine::to_string(e.kind), "/",
                 engine::to_string(e.args.note), " \"", scenes::sentence(e, run), "\"");
            const bool blocked = state == engine::TaskState::Blocked;
            // A wait that the clock ended in the same step (every other task waited: a sleep, a poll with a timer
            // due) leaves the task ready, and its lane is red (or "computing") for the ticks the clock moved over.
            if (!blocked && sched.clock_moves() != moves) continue;
            if (e.args.note == engine::Note::Computing) {
                CHECK(blocked);  // busy(ms), a callback's work: its lane says "computing" while the clock moves on
            } else {
                CHECK(scenes::leaves_waiting(e) == blocked);
            }
            ++checked;
        }
        // Every blocked task's card says what it waits for, and never that it waits for itself.
        for (int t = 0; t < static_cast<int>(sched.task_count()); ++t) {
            if (sched.task(t).state != engine::TaskState::Blocked) continue;
            const std::string name = sched.task_name(t), waits = scenes::waiting_for(run, t);
            INFO(what, " clock ", sched.clock(), " task ", name, ": \"", waits, "\" next ", engine::to_string(sched.task(t).next), " on ", sched.task(t).waiting_on);
            CHECK(!waits.empty());
            CHECK(waits != "waits for " + name);
            CHECK(waits != "waits for " + name + " to yield");
        }
    }
}
}  // namespace

TEST_CASE("a task's lane is red after an event exactly when the scheduler has the task blocked: every scene, each parameter's values, every example") {
    std::size_t checked = 0;
    for (const scenes::Scene& scene : scenes::catalogue()) {
        std::vector<std::map<std::string, int>> variants = {{}};
        for (const scenes::Param& p : scene.params) {
            for (int v = p.min; v <= std::min(p.max, p.min + 3); ++v) variants.push_back({{p.id, v}});
        }
        for (const auto& params : variants) {
            for (std::uint64_t seed : {1u, 2u}) {
                scenes::Settings s;
                s.seed = seed;
                s.params = params;
                auto run = scene.build(s);
                check_waits_against_states(*run, scene.id, checked);
            }
        }
    }
    for (const scenes::Example& example : scenes::examples()) {
        scenes::Settings s;
        s.seed = 1;
        auto run = scenes::program_scene(example.text).build(s);
        check_waits_against_states(*run, example.id, checked);
    }
    CHECK(checked > 10000);  // a floor, not a count: the runs above really stepped (19,670 checks when written)
}
