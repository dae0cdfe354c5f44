// The explorer's search of states (engine/state_search.hpp): the counter's
// states counted by an enumerator of our own, the outcomes the unreduced
// search finds, and runs that do not declare their state kept stateless.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/semaphore.hpp"
#include "engine/shared_var.hpp"
#include "scenes/scene.hpp"
#include "tests/engine/sim.hpp"
#include "tests/scenes/explore_scene.hpp"

using namespace such;
using namespace such::tests;

namespace {

// The counter's program (N threads, M times: TMP = counter; TMP = TMP + 1;
// counter = TMP) as a state graph of its own, for numbers that do not come
// from the engine. A state is the counter and each thread's next step with
// its TMP while TMP is live (after the read, until the write); the graph's
// edges are one step of one thread. Counted by a walk of its own.
struct CounterGraph {
    std::uint64_t states = 0, transitions = 0;
    std::set<std::int64_t> finals;
};

CounterGraph counter_graph(int n, int m) {
    using State = std::vector<std::int64_t>;  // counter, then per thread: steps taken, TMP (0 when dead)
    CounterGraph g;
    State start(1 + 2 * static_cast<std::size_t>(n), 0);
    std::set<State> seen{start};
    std::vector<State> todo{start};
    while (!todo.empty()) {
        const State s = todo.back();
        todo.pop_back();
        bool any = false;
        for (int t = 0; t < n; ++t) {
            const auto pc = static_cast<std::size_t>(1 + 2 * t), tmp = pc + 1;
            if (s[pc] == 3 * m) continue;
            any = true;
            State next = s;
            switch (s[pc] % 3) {
            case 0: next[tmp] = s[0]; break;                // TMP = counter
            case 1: next[tmp] = s[tmp] + 1; break;          // TMP = TMP + 1
            default: next[0] = s[tmp], next[tmp] = 0; break;  // counter = TMP
            }
            ++next[pc];
            ++g.transitions;
            if (seen.insert(next).second) todo.push_back(next);
        }
        if (!any) g.finals.insert(s[0]);
    }
    g.states = seen.size();
    return g;
}

engine::ExploreResult explore_states(std::string_view id, std::map<std::string, int> params, std::uint64_t hunt = 0) {
    scenes::Settings s;
    s.params = std::move(params);
    engine::ExploreOptions o;
    o.cache_states = true;
    o.hunt = hunt;
    o.max_executions = 10000000;
    return scenes::explore_scene(*scenes::find_scene(id), s, o);
}

std::set<std::string> counter_values(const std::set<std::int64_t>& values) {
    std::set<std::string> out;
    for (std::int64_t v : values) out.insert("counter = " + std::to_string(v));
    return out;
}

}  // namespace

TEST_CASE("the search of states stores each of the counter's states once, as a walk of its own counts them") {
    struct Size {
        int n, m;
    };
    // 4 x 2 is the size Spin's model (bench/spin/counter.pml) takes 1,087,971
    // states of its own encoding for (bench/README.md), and that no search of
    // schedules finishes.
    for (const Size z : {Size{2, 1}, Size{2, 2}, Size{2, 3}, Size{3, 1}, Size{3, 2}, Size{4, 1}, Size{3, 3}, Size{4, 2}}) {
        CAPTURE(z.n);
        CAPTURE(z.m);
        const CounterGraph g = counter_graph(z.n, z.m);
        // The final values, by argument, checked against the walk: no write
        // ever puts back 0 (each writes what it read plus 1). With one
        // increment each, all threads can read 0 before any writes (1), and
        // every value up to N (k of them one after the other, the rest
        // overlapping the first). With M >= 2 the thread that writes last read
        // after its own first write, so read at least 1 and wrote at least 2;
        // every value from 2 to N*M is reached by overlapping increments.
        std::set<std::int64_t> expected;
        for (std::int64_t v = z.m == 1 ? 1 : 2; v <= z.n * z.m; ++v) expected.insert(v);
        REQUIRE(g.finals == expected);
        const engine::ExploreResult r = explore_states("counter", {{"threads", z.n}, {"m", z.m}, {"sync", 0}});
        CHECK(r.complete);
        CHECK(r.states == g.states);
        CHECK(r.transitions == g.transitions);
        CHECK(outcomes(r) == counter_values(g.finals));
        // An end state is reached once: one "execution" per final value.
        for (const engine::Outcome& o : r.outcomes) CHECK(o.executions == 1);
    }
}

TEST_CASE("the search of states reaches the outcomes the unreduced search reaches, with every protection") {
    int compared = 0;
    for (int sync = 0; sync <= 2; ++sync) {
        for (const std::pair<int, int>& size : {std::pair{2, 1}, std::pair{2, 2}, std::pair{2, 3}, std::pair{3, 1}, std::pair{4, 1}, std::pair{3, 2}}) {
            const std::map<std::string, int> params{{"threads", size.first}, {"m", size.second}, {"sync", sync}};
            CAPTURE(sync);
            CAPTURE(size.first);
            CAPTURE(size.second);
            const auto full = explore("counter", params, Reduction::None, -1, 400000);
            if (!full.complete) continue;  // 3 x 2 without protection: 2,000,000 and more
            ++compared;
            const auto states = explore_states("counter", params);
            CHECK(states.complete);
            CHECK(states.states > 0);
            CHECK(outcomes(states) == outcomes(full));
            // With the hunt first, the same.
            CHECK(outcomes(explore_states("counter", params, 100)) == outcomes(full));  // 100: the hunt's runs, not a count checked
        }
    }
    // 6 sizes x 3 protections = 18 pairs, less 3 x 2 without protection, whose
    // unreduced search is cut short (bench/README.md: stopped at 2,000,000).
    CHECK(compared == 17);
}

TEST_CASE("each outcome's example from the search of states replays to that outcome") {
    const auto r = explore_states("counter", {{"threads", 3}, {"m", 2}, {"sync", 0}});
    REQUIRE(r.outcomes.size() == 5);  // counter = 2..6: the argument in the first test
    for (const engine::Outcome& o : r.outcomes) {
        scenes::Settings s;
        s.policy = engine::Policy::Replay;
        s.replay = o.example;
        s.params = {{"threads", 3}, {"m", 2}, {"sync", 0}};
        auto run = scenes::find_scene("counter")->build(s);
        run->sched().run();
        CHECK(run->outcome_key() == o.outcome);
    }
}

namespace {
// Two tasks adding one to x, each as read then write; `declares` says which
// of them declares its state. With a semaphore that no step uses, `idle`.
struct Adders final : engine::Explorable {
    engine::SharedVar x{"x", 0};
    engine::Semaphore idle{"idle", 1};
    engine::Scheduler s{manual()};
    static engine::Task add(engine::Ctx& ctx, engine::SharedVar& v, bool declares) {
        if (declares) ctx.set_state({});
        const std::int64_t seen = co_await v.read(ctx);
        if (declares) ctx.set_state({seen});
        co_await v.write(ctx, seen + 1);
    }
    Adders(bool first, bool second, bool with_idle) {
        s.add(x);
        if (with_idle) s.add(idle);
        s.spawn("A", 0, [this, first](engine::Ctx& c) { return add(c, x, first); });
        s.spawn("B", 0, [this, second](engine::Ctx& c) { return add(c, x, second); });
    }
    engine::Scheduler& sched() override { return s; }
    std::string outcome() override { return "x = " + std::to_string(x.value()); }
    bool bad() override { return x.value() != 2; }
};

engine::ExploreResult explore_adders(bool first, bool second, bool with_idle, bool cache) {
    engine::ExploreOptions o;
    o.cache_states = cache;
    return engine::explore([=] { return std::make_unique<Adders>(first, second, with_idle); }, o);
}
}  // namespace

TEST_CASE("a task or an object that does not declare its state keeps the search stateless") {
    // Both declare: states. Read, read, then the two writes in either order,
    // or one task's read and write before the other's: x = 1 or 2.
    const auto both = explore_adders(true, true, false, true);
    CHECK(both.states > 0);
    CHECK(outcomes(both) == std::set<std::string>{"x = 1", "x = 2"});
    const auto stateless = explore_adders(true, false, false, false);
    REQUIRE(stateless.states == 0);
    for (const auto& r : {explore_adders(true, false, false, true), explore_adders(false, true, false, true), explore_adders(true, true, true, true)}) {
        CHECK(r.states == 0);
        CHECK(r.complete);
        // The stateless search's own result, runs and outcomes alike.
        CHECK(r.executions == stateless.executions);
        CHECK(outcomes(r) == outcomes(stateless));
    }
}

namespace {
// A task that waits for a flag by reading it again and again (its states
// repeat: a cycle), and one that may set it, or end first.
struct Spinner final : engine::Explorable {
    engine::SharedVar flag{"flag", 0};
    engine::Scheduler s{manual()};
    static engine::Task wait(engine::Ctx& ctx, engine::SharedVar& f) {
        ctx.set_state({});
        for (std::int64_t seen = 0; seen == 0;) seen = co_await f.read(ctx);
    }
    static engine::Task set(engine::Ctx& ctx, engine::SharedVar& f) {
        ctx.set_state({});
        co_await f.write(ctx, 1);
    }
    Spinner() {
        s.add(flag);
        s.spawn("waiter", 0, [this](engine::Ctx& c) { return wait(c, flag); });
        s.spawn("setter", 0, [this](engine::Ctx& c) { return set(c, flag); });
    }
    engine::Scheduler& sched() override { return s; }
    std::string outcome() override { return "flag = " + std::to_string(flag.value()); }
    bool bad() override { return false; }
};
}  // namespace

TEST_CASE("a wait that can go round forever is found as the stateless search finds it: past the depth limit") {
    engine::ExploreOptions o;
    o.max_depth = 50;
    o.reduction = Reduction::None;
    const auto full = engine::explore([] { return std::make_unique<Spinner>(); }, o);
    o.cache_states = true;
    const auto states = engine::explore([] { return std::make_unique<Spinner>(); }, o);
    CHECK(states.states > 0);
    CHECK(states.complete);
    // The waiter may read 0 forever while the setter waits: no end within 50 steps.
    CHECK(outcomes(full) == std::set<std::string>{"flag = 1", "no end within 50 steps"});
    CHECK(outcomes(states) == outcomes(full));
}

TEST_CASE("a search of states that stops a path at the depth limit does not call itself complete") {
    scenes::Settings s;
    s.params = {{"threads", 2}, {"m", 2}, {"sync", 0}};
    engine::ExploreOptions o;
    o.cache_states = true;
    o.max_depth = 5;  // each run has 12 steps (2 threads x 2 increments x 3)
    const auto r = scenes::explore_scene(*scenes::find_scene("counter"), s, o);
    CHECK(r.states > 0);
    CHECK_FALSE(r.complete);
    CHECK(r.bounded_by == "the depth limit (5 steps)");
    CHECK(outcomes(r) == std::set<std::string>{"no end within 5 steps"});
}

TEST_CASE("a search of states stopped at its state limit does not call itself complete") {
    scenes::Settings s;
    s.params = {{"threads", 3}, {"m", 2}, {"sync", 0}};
    engine::ExploreOptions o;
    o.cache_states = true;
    o.max_executions = 100;  // of the 2,981 states the walk in the first test counts for 3 x 2
    const auto r = scenes::explore_scene(*scenes::find_scene("counter"), s, o);
    CHECK_FALSE(r.complete);
    CHECK(r.states >= 100);  // checked after each run, which may store a few
    CHECK(r.states < 2981);  // 3 x 2's states, counted by the walk in the first test case
    CHECK(r.bounded_by == "the state limit (100)");  // max_executions above
}
